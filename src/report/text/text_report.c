// SPDX-License-Identifier: GPL-2.0
/*
 * Text report, for a person at a terminal (perf report / bcc tools style):
 * a header on the recording's health, then per metric a table of rows and,
 * for every histogram with data, a '*' bar chart with its percentiles.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"

#define MAX_ROW_VALUES	64
#define MAX_COLS	64
#define MAX_KEY_FIELDS	8
#define BAR_WIDTH	40
#define CHART_MAX_LINES	20
#define CELL_MAX	48
#define KIND_RATIO	3	/* a column kind next to enum nl_kind */
#define MAX_OF(a, b)	((a) > (b) ? (a) : (b))

/* ---- number formatting ---- */

static void fmt_val(char *buf, size_t len, const char *unit, double v)
{
	if (!strcmp(unit, "ns"))
		nl_fmt_ns(buf, len, v);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* ---- a table of strings with aligned columns ---- */

struct table {
	size_t ncols, nrows, cap;
	size_t nleft;		/* the first nleft columns (the key) are left-aligned */
	char (*cells)[CELL_MAX];
};

static char (*table_row(struct table *t))[CELL_MAX]
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		void *p = realloc(t->cells, cap * t->ncols * CELL_MAX);

		if (!p)
			return NULL;
		t->cells = p;
		t->cap = cap;
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * CELL_MAX);
	return t->cells + t->nrows++ * t->ncols;
}

static void table_print(FILE *out, const struct table *t)
{
	size_t w[MAX_COLS + MAX_KEY_FIELDS] = { 0 };

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t l = strlen(t->cells[r * t->ncols + c]);

			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(" ", out);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (c < t->nleft)
				fprintf(out, " %-*s", (int)w[c], s);
			else
				fprintf(out, "  %*s", (int)w[c], s);
		}
		fputc('\n', out);
	}
}

/* ---- the columns of one group of rows (rows of one key shape) ---- */

struct col {
	const char *name;
	uint8_t kind;			/* NL_COUNTER, NL_HIST or KIND_RATIO */
	const char *unit;
	const struct nl_derived *d;
};

struct group {
	const struct nl_interval *iv;
	const struct nl_metric_desc *m;
	const char *const *keys;
	size_t nkeys;
	char fields[MAX_KEY_FIELDS][NL_NAME_MAX];
	size_t nfields;
	struct col cols[MAX_COLS];
	size_t ncols;
};

static bool group_has_col(const struct group *g, const char *name)
{
	for (size_t i = 0; i < g->ncols; i++)
		if (!strcmp(g->cols[i].name, name))
			return true;
	return false;
}

static void group_add_col(struct group *g, const char *name, uint8_t kind, const char *unit,
			  const struct nl_derived *d)
{
	if (g->ncols < MAX_COLS && !group_has_col(g, name))
		g->cols[g->ncols++] = (struct col){ name, kind, unit, d };
}

static void group_fields(struct group *g)
{
	char shape[NL_KEY_MAX];
	const char *p = shape;

	nl_report_key_shape(g->keys[0], shape, sizeof(shape));
	while (*p && g->nfields < MAX_KEY_FIELDS) {
		size_t n = strcspn(p, " ");

		snprintf(g->fields[g->nfields++], NL_NAME_MAX, "%.*s", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* Columns present in any row: table stats, unknown stats, then ratios, in that order. */
static void group_cols(struct group *g)
{
	const struct nl_value *vals[MAX_ROW_VALUES];

	for (size_t r = 0; r < g->nkeys; r++) {
		size_t n = nl_report_row_values(g->iv, g->m, g->keys[r], vals, MAX_ROW_VALUES);

		for (size_t i = 0; i < n; i++)
			group_add_col(g, vals[i]->stat, vals[i]->kind, vals[i]->unit, NULL);
	}
	/* Row walks yield table order per row; re-sort the table stats into table order overall. */
	for (size_t i = 0, o = 0; g->m->stats && g->m->stats[i].name; i++)
		for (size_t c = o; c < g->ncols; c++)
			if (!strcmp(g->cols[c].name, g->m->stats[i].name)) {
				struct col t = g->cols[c];

				memmove(&g->cols[o + 1], &g->cols[o], (c - o) * sizeof(t));
				g->cols[o++] = t;
				break;
			}
	for (const struct nl_derived *d = g->m->derived; d && d->name; d++)
		for (size_t r = 0; r < g->nkeys; r++) {
			double x;

			if (nl_report_ratio(g->iv, g->m->name, g->keys[r], d, &x)) {
				group_add_col(g, d->name, KIND_RATIO, "", d);
				break;
			}
		}
}

static size_t cell_put(char (*row)[CELL_MAX], size_t c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static size_t cell_put(char (*row)[CELL_MAX], size_t c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(row[c], CELL_MAX, fmt, ap);
	va_end(ap);
	return c + 1;
}

static size_t col_width(const struct col *c)
{
	return c->kind == NL_HIST ? 4 : 1;
}

static void group_header(const struct group *g, char (*row)[CELL_MAX])
{
	size_t c = 0;

	for (size_t f = 0; f < g->nfields; f++)
		c = cell_put(row, c, "%s", g->fields[f]);
	for (size_t i = 0; i < g->ncols; i++) {
		const char *n = g->cols[i].name;

		if (g->cols[i].kind != NL_HIST) {
			c = cell_put(row, c, "%s", n);
			continue;
		}
		c = cell_put(row, c, "%s:count", n);
		c = cell_put(row, c, "%s:p50", n);
		c = cell_put(row, c, "%s:p99", n);
		c = cell_put(row, c, "%s:max", n);
	}
}

static size_t hist_cells(char (*row)[CELL_MAX], size_t c, const struct nl_value *v)
{
	const struct nl_hist *h = v->hist;

	c = cell_put(row, c, "%llu", (unsigned long long)h->count);
	if (!h->count)
		return cell_put(row, cell_put(row, cell_put(row, c, "-"), "-"), "-");
	fmt_val(row[c++], CELL_MAX, v->unit, (double)nl_hist_percentile(h, 0.50));
	fmt_val(row[c++], CELL_MAX, v->unit, (double)nl_hist_percentile(h, 0.99));
	fmt_val(row[c++], CELL_MAX, v->unit, (double)h->max);
	return c;
}

static size_t col_cells(const struct group *g, const char *key, const struct col *col,
			char (*row)[CELL_MAX], size_t c)
{
	const struct nl_value *v;
	double x;

	if (col->kind == KIND_RATIO) {
		if (nl_report_ratio(g->iv, g->m->name, key, col->d, &x))
			return cell_put(row, c, "%.3f", x);
		return cell_put(row, c, "-");
	}
	v = nl_iv_find(g->iv, g->m->name, key, col->name);
	if (v && v->kind == NL_COUNTER && col->kind == NL_COUNTER)
		return cell_put(row, c, "%llu", (unsigned long long)v->counter);
	if (v && v->kind == NL_HIST && v->hist && col->kind == NL_HIST)
		return hist_cells(row, c, v);
	for (size_t i = 0; i < col_width(col); i++)
		c = cell_put(row, c, "-");
	return c;
}

static void group_row(const struct group *g, const char *key, char (*row)[CELL_MAX])
{
	char safe[NL_KEY_MAX], val[NL_KEY_MAX];
	size_t c = 0;

	nl_report_safe_key(key, safe, sizeof(safe));
	for (size_t f = 0; f < g->nfields; f++)
		c = cell_put(row, c, "%s", nl_key_get(safe, g->fields[f], val, sizeof(val)) ? val : "-");
	for (size_t i = 0; i < g->ncols; i++)
		c = col_cells(g, key, &g->cols[i], row, c);
}

static int group_print(FILE *out, struct group *g)
{
	struct table t = { 0 };
	char (*row)[CELL_MAX];

	group_fields(g);
	group_cols(g);
	t.nleft = g->nfields;
	t.ncols = g->nfields;
	for (size_t i = 0; i < g->ncols; i++)
		t.ncols += col_width(&g->cols[i]);
	if (!t.ncols)
		return 0;
	row = table_row(&t);
	if (!row)
		return -ENOMEM;
	group_header(g, row);
	for (size_t r = 0; r < g->nkeys; r++) {
		row = table_row(&t);
		if (!row) {
			free(t.cells);
			return -ENOMEM;
		}
		group_row(g, g->keys[r], row);
	}
	table_print(out, &t);
	free(t.cells);
	return 0;
}

/* ---- histogram bar charts ---- */

/* Display slot of a bucket: 0 for value 0, else 1 + log2 of its lower bound. */
static unsigned int bucket_slot(unsigned int b)
{
	uint64_t lo = nl_hist_bucket_lo(b);

	return lo ? nl_msb64(lo) + 1 : 0;
}

static uint64_t slot_lo(unsigned int s)
{
	return s ? 1ULL << (s - 1) : 0;
}

#define NSLOTS 64

struct chart {
	uint64_t count[CHART_MAX_LINES];
	uint64_t lo[CHART_MAX_LINES], hi[CHART_MAX_LINES];
	unsigned int nlines;
};

/*
 * The fine log-linear buckets coalesced into power-of-two ranges, then into
 * ranges of 4, 8, ... powers of two until they fit CHART_MAX_LINES lines.
 */
static void chart_build(const struct nl_hist *h, struct chart *ch)
{
	uint64_t slots[NSLOTS] = { 0 };
	unsigned int first = NSLOTS, last = 0, per = 1;

	for (unsigned int b = 0; b < NL_HIST_BUCKETS; b++) {
		unsigned int s;

		if (!h->buckets[b])
			continue;
		s = bucket_slot(b);
		slots[s] += h->buckets[b];
		if (s < first)
			first = s;
		if (s > last)
			last = s;
	}
	memset(ch, 0, sizeof(*ch));
	if (first == NSLOTS)
		return;
	while ((last - first) / per + 1 > CHART_MAX_LINES)
		per *= 2;
	ch->nlines = (last - first) / per + 1;
	for (unsigned int l = 0; l < ch->nlines; l++) {
		unsigned int s0 = first + l * per;

		ch->lo[l] = slot_lo(s0);
		ch->hi[l] = slot_lo(s0 + per);
		for (unsigned int s = s0; s < s0 + per && s <= last; s++)
			ch->count[l] += slots[s];
	}
}

static void stat_line(char *line, const char *name, const char *unit, double v)
{
	char num[32];

	fmt_val(num, sizeof(num), unit, v);
	snprintf(line, CELL_MAX, "%-5s %s", name, num);
}

static void chart_stats(const struct nl_value *v, char lines[7][CELL_MAX])
{
	const struct nl_hist *h = v->hist;

	stat_line(lines[0], "p50", v->unit, (double)nl_hist_percentile(h, 0.50));
	stat_line(lines[1], "p90", v->unit, (double)nl_hist_percentile(h, 0.90));
	stat_line(lines[2], "p99", v->unit, (double)nl_hist_percentile(h, 0.99));
	stat_line(lines[3], "p99.9", v->unit, (double)nl_hist_percentile(h, 0.999));
	stat_line(lines[4], "min", v->unit, (double)h->min);
	stat_line(lines[5], "max", v->unit, (double)h->max);
	stat_line(lines[6], "mean", v->unit, nl_hist_mean(h));
}

static void chart_print(FILE *out, const struct nl_metric_desc *m, const struct nl_value *v)
{
	char stats[7][CELL_MAX], lo[CELL_MAX], hi[CELL_MAX], range[2 * CELL_MAX + 8];
	char key[NL_KEY_MAX], bar[BAR_WIDTH + 1];
	struct chart ch;
	uint64_t maxc = 0;
	int rw = 0;

	chart_build(v->hist, &ch);
	chart_stats(v, stats);
	for (unsigned int l = 0; l < ch.nlines; l++) {
		fmt_val(lo, sizeof(lo), v->unit, (double)ch.lo[l]);
		fmt_val(hi, sizeof(hi), v->unit, (double)ch.hi[l]);
		rw = MAX_OF(rw, (int)(strlen(lo) + strlen(hi) + 4));
		maxc = ch.count[l] > maxc ? ch.count[l] : maxc;
	}
	nl_report_safe_key(v->key, key, sizeof(key));
	fprintf(out, "\n  %s %s%s%s (%s%s%llu samples)\n", m->name, v->stat, *key ? " " : "", key,
		v->unit, *v->unit ? ", " : "", (unsigned long long)v->hist->count);
	fprintf(out, "  %*s : %10s  distribution\n", rw, "range", "count");
	for (unsigned int l = 0; l < MAX_OF(ch.nlines, 7u); l++) {
		if (l >= ch.nlines) {
			fprintf(out, "  %*s   %10s  %*s  %s\n", rw, "", "", BAR_WIDTH + 2, "", stats[l]);
			continue;
		}
		unsigned int stars = (unsigned int)(ch.count[l] * BAR_WIDTH / (maxc ? maxc : 1));

		if (ch.count[l] && !stars)
			stars = 1;	/* a non-empty range never looks empty */
		fmt_val(lo, sizeof(lo), v->unit, (double)ch.lo[l]);
		fmt_val(hi, sizeof(hi), v->unit, (double)ch.hi[l]);
		snprintf(range, sizeof(range), "%s -> %s", lo, hi);
		memset(bar, ' ', BAR_WIDTH);
		memset(bar, '*', stars);
		bar[BAR_WIDTH] = '\0';
		fprintf(out, "  %*s : %10llu |%s|%s%s\n", rw, range, (unsigned long long)ch.count[l],
			bar, l < 7 ? "  " : "", l < 7 ? stats[l] : "");
	}
}

/* ---- one metric ---- */

/* Tables, one per row shape ("dev" rows, then "cpu" rows for napi), then the charts. */
static int metric_body(FILE *out, const struct nl_interval *iv, const struct nl_metric_desc *m,
		       bool charts)
{
	struct nl_report_rows rows;
	char shape[NL_KEY_MAX], next[NL_KEY_MAX];
	int err = nl_report_rows(iv, m->name, m->key_fields, &rows);

	if (err)
		return err;
	if (!rows.n)
		fprintf(out, "  (no events)\n");
	for (size_t start = 0, end; start < rows.n && !err; start = end) {
		struct group g = { .iv = iv, .m = m, .keys = rows.keys + start };

		nl_report_key_shape(rows.keys[start], shape, sizeof(shape));
		for (end = start + 1; end < rows.n; end++) {
			nl_report_key_shape(rows.keys[end], next, sizeof(next));
			if (strcmp(shape, next))
				break;
		}
		g.nkeys = end - start;
		if (start)
			fputc('\n', out);
		err = group_print(out, &g);
	}
	for (size_t r = 0; charts && r < rows.n && !err; r++) {
		const struct nl_value *vals[MAX_ROW_VALUES];
		size_t n = nl_report_row_values(iv, m, rows.keys[r], vals, MAX_ROW_VALUES);

		for (size_t i = 0; i < n; i++)
			if (vals[i]->kind == NL_HIST && vals[i]->hist && vals[i]->hist->count)
				chart_print(out, m, vals[i]);
	}
	nl_report_rows_free(&rows);
	return err;
}

static int text_metric(FILE *out, const struct nl_interval *iv, const struct nl_metric_desc *m,
		       enum nl_report_presence p, const struct nl_metric_status *st, bool charts)
{
	char reason[NL_REASON_MAX];
	int err;

	nl_report_safe_key(st ? st->reason : "", reason, sizeof(reason));
	if (p == NL_REPORT_ABSENT) {
		fprintf(out, "\n# %s: not in this recording (record it with -m %s)\n", m->name, m->name);
		return 0;
	}
	if (p == NL_REPORT_UNAVAILABLE) {
		fprintf(out, "\n# %s: not measured: %s\n", m->name, *reason ? reason : "no reason recorded");
		return 0;
	}
	if (st && *st->backend)
		fprintf(out, "\n# %s (%s%s%s): %s\n", m->name, st->backend, *st->detail ? ", " : "",
			st->detail, m->title);
	else
		fprintf(out, "\n# %s: %s\n", m->name, m->title);
	/* Why this backend and not a better one: worth a line when a fallback happened. */
	if (charts && *reason)
		fprintf(out, "#   fallback: %s\n", reason);
	if (charts && nl_report_ladder(out, iv, m, st))
		return -EIO;
	/* a metric's own view in place of the tables (drops by count), or after them (tcp's flows) */
	if (m->views && m->views->text_body)
		return m->views->text_body(out, iv);
	err = metric_body(out, iv, m, charts);
	if (!err && m->views && m->views->text_after)
		err = m->views->text_after(out, iv);
	return err;
}

static int text_metrics(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
			const struct nl_interval *iv, const struct nl_report_opts *o, bool charts)
{
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_status *st;
		enum nl_report_presence p = nl_report_presence(rec, total, nl_metrics[i], o, &st);
		int err;

		if (p == NL_REPORT_SKIP || (!charts && p != NL_REPORT_OK))
			continue;
		err = text_metric(out, iv, nl_metrics[i], p, st, charts);
		if (err)
			return err;
	}
	return 0;
}

/* ---- header ---- */

/* Backends of the measured metrics, "bpf,tracefs", when the file does not name its collector. */
static void collectors_seen(const struct nl_recording *rec, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *s = &rec->metrics[i];

		if (s->state != NL_METRIC_OK || !*s->backend || nl_list_has(buf, s->backend))
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "", s->backend);
		if (o >= len)
			break;
	}
}

static const char *meta_or(const struct nl_recording *rec, const char *key, const char *dflt)
{
	const char *v = nl_rec_meta(rec, key);

	return v && *v ? v : dflt;
}

/* " in N runs" for a `netlat stat` file, " (run K)" when --run kept one run of it. */
static void print_runs(FILE *out, const struct nl_recording *rec)
{
	uint32_t first = rec->niv ? rec->iv[0]->run : 0, n = 0;
	bool one = true;

	for (size_t i = 0; i < rec->niv; i++)
		one = one && rec->iv[i]->run == first;
	n = nl_rec_nruns(rec);
	if (one && first > 0)
		fprintf(out, " (run %u)", first);
	else if (!one && n > 1)
		fprintf(out, " in %u runs", n);
}

static void text_header(FILE *out, const struct nl_recording *rec, const struct nl_interval *total)
{
	const char *cmd = nl_rec_meta(rec, "command");
	const char *ival = nl_rec_meta(rec, "interval_ns");
	uint64_t lost = nl_report_lost_events(total);
	char coll[128], dur[CELL_MAX];

	collectors_seen(rec, coll, sizeof(coll));
	fprintf(out, "# netlat report\n");
	fprintf(out, "# host:        %s\n", meta_or(rec, "host", "?"));
	fprintf(out, "# kernel:      %s\n", meta_or(rec, "kernel", "?"));
	fprintf(out, "# cpus:        %s\n", meta_or(rec, "ncpus", "?"));
	fprintf(out, "# collector:   %s\n", meta_or(rec, "collector", *coll ? coll : "?"));
	nl_fmt_ns(dur, sizeof(dur), nl_report_duration_s(rec) * 1e9);
	fprintf(out, "# duration:    %s\n", dur);
	fprintf(out, "# intervals:   %zu", rec->niv);
	if (ival && *ival) {
		nl_fmt_ns(dur, sizeof(dur), strtod(ival, NULL));
		fprintf(out, " of %s", dur);
	}
	print_runs(out, rec);
	fputc('\n', out);
	if (cmd && *cmd)
		fprintf(out, "# command:     %s (exit %s)\n", cmd, meta_or(rec, "command_exit", "?"));
	if (nl_rec_meta(rec, "raw_file"))
		fprintf(out, "# raw events:  %s (trace-cmd report %s)\n", nl_rec_meta(rec, "raw_file"),
			nl_rec_meta(rec, "raw_file"));
	fprintf(out, "# lost events: %llu\n", (unsigned long long)lost);
	nl_report_overhead_text(out, rec, total);
	nl_report_budget_text(out, rec);
	if (lost)
		fprintf(out, "#\n# !!! WARNING: %llu events were LOST: counts and histograms below are"
			" INCOMPLETE (try a larger --buffer-kb or fewer metrics) !!!\n",
			(unsigned long long)lost);
}

static int text_intervals(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
			  const struct nl_report_opts *o)
{
	for (size_t i = 0; i < rec->niv; i++) {
		const struct nl_interval *iv = rec->iv[i];
		char a[CELL_MAX], b[CELL_MAX];
		int err;

		nl_fmt_ns(a, sizeof(a), (double)iv->start_ns);
		nl_fmt_ns(b, sizeof(b), (double)iv->end_ns);
		fprintf(out, "\n## interval %zu (run %u): %s .. %s\n", nl_report_iv_index(rec, i),
			iv->run, a, b);
		err = text_metrics(out, rec, total, iv, o, false);
		if (err)
			return err;
	}
	return 0;
}

int nl_report_text(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	int err;

	if (!total)
		return -ENOMEM;
	text_header(out, rec, total);
	err = text_metrics(out, rec, total, total, o, true);
	if (!err && o->intervals)
		err = text_intervals(out, rec, total, o);
	nl_iv_free(total);
	return err;
}
