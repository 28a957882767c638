// SPDX-License-Identifier: GPL-2.0
/*
 * The default text report: the answer first, in one terminal screen (perf
 * report's habit). The run's health (duration, netlat's own cost, lost
 * events, filters that matched nothing), the RX and TX ladders as p50|p99
 * per stage with the slowest marked, one line per metric, then the triage
 * findings of the recording with their next commands. Every table and
 * histogram is in `netlat report --full`.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/memcpy_bw.h"
#include "netlat/report.h"
#include "netlat/triage.h"
#include "netlat/util.h"
#include "summary_report.h"

#define FINDINGS_MAX	5

/* ---- width-limited lines ---- */

void nl_sum_begin(struct nl_sum_line *l, const char *name)
{
	l->len = (size_t)snprintf(l->buf, sizeof(l->buf), "  %-8s", name);
	l->items = 0;
	l->dropped = 0;
}

void nl_sum_add(struct nl_sum_line *l, const char *fmt, ...)
{
	char item[NL_SUM_WIDTH + 1];
	const char *sep = l->items ? ", " : " ";
	size_t need;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	need = strlen(sep) + strlen(item);
	/* keep room for " (+NN not shown)" */
	if (l->len + need + 16 > NL_SUM_WIDTH) {
		l->dropped++;
		return;
	}
	l->len += (size_t)snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%s%s", sep, item);
	l->items++;
}

void nl_sum_end(struct nl_sum_line *l, FILE *out)
{
	if (l->dropped)
		snprintf(l->buf + l->len, sizeof(l->buf) - l->len, " (+%zu not shown)", l->dropped);
	fprintf(out, "%s\n", l->buf);
}

/* Print text wrapped at NL_SUM_WIDTH, the first line after lead, the rest indented by indent. */
static void wrapped(FILE *out, const char *lead, size_t indent, const char *text)
{
	size_t col = strlen(lead), width = NL_SUM_WIDTH;
	const char *p = text;

	fputs(lead, out);
	while (*p) {
		size_t room = width > col ? width - col : 1, n = strlen(p);

		if (n > room) {
			n = room;
			while (n > 0 && p[n] != ' ')
				n--;
			if (!n)
				n = room;
		}
		fprintf(out, "%.*s\n", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		if (*p) {
			fprintf(out, "%*s", (int)indent, "");
			col = indent;
		}
	}
	if (!*text)
		fputc('\n', out);
}

/* ---- header ---- */

static const char *meta_or(const struct nl_recording *rec, const char *key, const char *dflt)
{
	const char *v = nl_rec_meta(rec, key);

	return v && *v ? v : dflt;
}

/*
 * netlat's own cost and the budget's changes (src/report/overhead_report.c, the same
 * lines as --full), each "# name:   text" line wrapped to the screen.
 */
static void cost_lines(FILE *out, const struct nl_recording *rec, const struct nl_interval *total)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	nl_report_overhead_text(m, rec, total);
	nl_report_budget_text(m, rec);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char lead[24];
		size_t n = strspn(line + strcspn(line, ":") + 1, " ") + strcspn(line, ":") + 1;

		if (n >= sizeof(lead))
			n = 0;
		snprintf(lead, sizeof(lead), "%.*s", (int)n, line);
		wrapped(out, lead, n, line + n);
	}
	free(buf);
}

static void header(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
		   const struct nl_report_opts *o)
{
	const char *cmd = nl_rec_meta(rec, "command"), *unmatched = nl_rec_meta(rec, "filter_unmatched");
	double dur_s = nl_report_duration_s(rec);
	uint64_t lost = nl_report_lost_events(total);
	const char *kernel = meta_or(rec, "kernel", "?");
	char dur[16];

	nl_fmt_ns(dur, sizeof(dur), dur_s * 1e9);
	/* the release only: "6.18.44 #1 SMP PREEMPT_DYNAMIC ..." -> "6.18.44" */
	fprintf(out, "# netlat report: %.60s on %.40s, kernel %.*s, %s CPUs, collector %s\n",
		o->input ? o->input : "-", meta_or(rec, "host", "?"), (int)strcspn(kernel, " "), kernel,
		meta_or(rec, "ncpus", "?"), meta_or(rec, "collector", "?"));
	fprintf(out, "# recorded %s in %zu interval%s", dur, rec->niv, rec->niv == 1 ? "" : "s");
	if (nl_rec_nruns(rec) > 1)
		fprintf(out, ", %u runs", nl_rec_nruns(rec));
	if (cmd && *cmd)
		fprintf(out, "; command: %.60s (exit %s)", cmd, meta_or(rec, "command_exit", "?"));
	fputc('\n', out);
	if (lost)
		fprintf(out, "# LOST EVENTS: %llu: the counts below are incomplete (--buffer-kb, fewer -m)\n",
			(unsigned long long)lost);
	else
		fprintf(out, "# lost events: 0\n");
	cost_lines(out, rec, total);
	if (unmatched && *unmatched)
		wrapped(out, "# FILTER MATCHED NOTHING: ", 4, unmatched);
}

/* ---- ladders, one line per device ---- */

const struct nl_path_ladder *nl_sum_ladder_shown(const struct nl_recording *rec, const struct nl_metric_desc *m,
						const struct nl_report_opts *o)
{
	const struct nl_metric_status *st = nl_rec_metric_const(rec, m->name);

	if (!m->ladder || !nl_metric_selected(o->metrics, m->name) || !st || st->state != NL_METRIC_OK)
		return NULL;
	return m->ladder;
}

const struct nl_hist *nl_sum_stage_hist(const struct nl_interval *iv, const char *metric,
					const char *stage, const char *dev)
{
	char key[NL_KEY_MAX];
	const struct nl_value *v;

	snprintf(key, sizeof(key), "stage=%s dev=%s", stage, dev);
	v = nl_iv_find(iv, metric, key, "latency");
	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

static int dev_cmp(const void *pa, const void *pb)
{
	const struct nl_sum_ladder_dev *a = pa, *b = pb;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	return strcmp(a->dev, b->dev);
}

/* Devices of a ladder metric, the busiest first. */
size_t nl_sum_ladder_devs(const struct nl_interval *iv, const char *metric,
			  struct nl_sum_ladder_dev **out)
{
	struct nl_sum_ladder_dev *d = nl_xcalloc(iv->n ? iv->n : 1, sizeof(*d));
	size_t n = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];
		char dev[NL_KEY_MAX];
		size_t k;

		if (strcmp(v->metric, metric) || v->kind != NL_HIST || !v->hist ||
		    strncmp(v->key, "stage=", 6) || !nl_key_get(v->key, "dev", dev, sizeof(dev)))
			continue;
		for (k = 0; k < n && strcmp(d[k].dev, dev); k++)
			;
		if (k == n)
			snprintf(d[n++].dev, sizeof(d->dev), "%s", dev);
		if (v->hist->count > d[k].packets)
			d[k].packets = v->hist->count;
	}
	qsort(d, n, sizeof(*d), dev_cmp);
	*out = d;
	return n;
}

size_t nl_sum_slowest(const struct nl_interval *iv, const struct nl_path_ladder *l, const char *dev,
		      const struct nl_hist **h)
{
	for (size_t s = 0; s < l->nstages; s++)
		h[s] = nl_sum_stage_hist(iv, l->metric, l->stages[s], dev);
	return nl_ladder_slowest(l, h);
}

static void ladder_row(FILE *out, const struct nl_interval *iv, const struct nl_path_ladder *l,
		       const char *dev)
{
	const struct nl_hist *h[NL_PATH_MAX_STAGES];
	size_t slow = nl_sum_slowest(iv, l, dev, h);
	char cell[40], p50[16], p99[16];

	fprintf(out, "  %-3s %-12.12s", l->metric, dev);
	for (size_t s = 0; s < l->nstages; s++) {
		if (!h[s]) {
			fprintf(out, " %16s", "-");
			continue;
		}
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h[s], 0.50));
		nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h[s], 0.99));
		snprintf(cell, sizeof(cell), "%s%s|%s", s == slow ? "*" : "", p50, p99);
		fprintf(out, " %16s", cell);
	}
	fputc('\n', out);
}

/* "rx,tx": every metric drawn as a ladder, for the title's hint at their --full view. */
static void ladder_metrics(char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < nl_nmetrics && used < len; i++)
		if (nl_metrics[i]->ladder)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? "," : "",
						 nl_metrics[i]->name);
}

static void ladders_section(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			    const struct nl_report_opts *o)
{
	char names[64];

	size_t top = o->top ? o->top : NL_SUM_TOP;
	bool title = false;

	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_path_ladder *l = nl_sum_ladder_shown(rec, nl_metrics[i], o);
		struct nl_sum_ladder_dev *d;
		size_t n;

		if (!l)
			continue;
		if (!title) {
			ladder_metrics(names, sizeof(names));
			fprintf(out, "\n## ladders: p50|p99 per stage, * = slowest stage (netlat report -m %s --full)\n",
				names);
		}
		title = true;
		fprintf(out, "  %-3s %-12s", "", "dev");
		for (size_t s = 0; s < l->nstages; s++)
			fprintf(out, " %16s", l->stages[s]);
		fputc('\n', out);
		n = nl_sum_ladder_devs(iv, l->metric, &d);
		for (size_t k = 0; k < n && k < top; k++)
			ladder_row(out, iv, l, d[k].dev);
		if (!n)
			fprintf(out, "  %-3s (no stage completed)\n", l->metric);
		else if (n > top)
			fprintf(out, "  %-3s +%zu more devices (--top N)\n", l->metric, n - top);
		free(d);
	}
}

/* ---- metric lines ---- */

static void metrics_section(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			    const struct nl_report_opts *o)
{
	fprintf(out, "\n## metrics (every table and histogram: netlat report --full)\n");
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];
		const struct nl_metric_status *st;
		enum nl_report_presence p = nl_report_presence(rec, iv, m, o, &st);
		char lead[32];

		if (p == NL_REPORT_SKIP)
			continue;
		if (p == NL_REPORT_OK) {
			nl_report_headline(out, rec, iv, m, o);
			continue;
		}
		snprintf(lead, sizeof(lead), "  %-8s ", m->name);
		if (p == NL_REPORT_UNAVAILABLE && st)
			wrapped(out, lead, 11, st->reason);
		else
			fprintf(out, "%snot in this recording\n", lead);
	}
}

/* ---- findings ---- */

static void findings_section(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			     const struct nl_report_opts *o)
{
	struct nl_triage_in in = {
		.rec = rec,
		.iv = iv,
		.seconds = nl_report_duration_s(rec),
		.memcpy_bytes_per_s = nl_memcpy_bw_of(rec),
	};
	size_t max = o->top && o->top > FINDINGS_MAX ? o->top : FINDINGS_MAX;
	struct nl_triage t;
	char lead[64];

	if (nl_triage_run(&in, &t)) {
		fprintf(out, "\n## findings: could not run the rules (out of memory)\n");
		return;
	}
	fprintf(out, "\n## findings (netlat triage -i %s): %zu, most severe first\n",
		o->input ? o->input : "FILE", t.nf);
	for (size_t i = 0; i < t.nf && i < max; i++) {
		const struct nl_finding *f = &t.f[i];

		snprintf(lead, sizeof(lead), "  #%zu [%.0f] %s: ", i + 1, f->score, f->rule);
		wrapped(out, lead, 6, f->what);
		wrapped(out, "      numbers: ", 15, f->evidence);
		wrapped(out, "      next:    ", 15, f->next);
	}
	if (t.nf > max)
		fprintf(out, "  +%zu more: netlat triage -i %s\n", t.nf - max, o->input ? o->input : "FILE");
	if (!t.nf)
		fprintf(out, "  none: every rule that could run found the recording normal\n");
	fprintf(out, "  checked %zu rules, %zu could not run (netlat triage -i shows why)\n", t.nchecked,
		t.nskipped);
	nl_triage_free(&t);
}

int nl_report_summary(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	struct nl_interval *total = nl_rec_total(rec, -1);

	if (!total)
		return -ENOMEM;
	nl_report_warn_absent(rec, total, o);
	header(out, rec, total, o);
	ladders_section(out, rec, total, o);
	metrics_section(out, rec, total, o);
	findings_section(out, rec, total, o);
	nl_iv_free(total);
	return ferror(out) ? -EIO : 0;
}
