// SPDX-License-Identifier: GPL-2.0
/* Flatten a recording into per-run values of every (metric, key, stat, statistic). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/keys.h"
#include "netlat/metric.h"
#include "netlat/report.h"
#include "netlat/stat.h"
#include "netlat/util.h"

#define MAX_ROW_VALUES 64

struct build {
	struct nl_sampleset *s;
	struct nl_interval **run_tot;	/* per run, all its intervals merged */
};

static struct nl_item *new_item(struct nl_sampleset *s, const struct nl_value *v,
				const char *stat, const char *statistic, const char *unit,
				uint8_t kind)
{
	struct nl_item *it;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct nl_item *p = realloc(s->it, cap * sizeof(*p));

		if (!p) {
			nl_err("out of memory");
			abort();
		}
		s->it = p;
		s->cap = cap;
	}
	it = &s->it[s->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->metric, sizeof(it->metric), "%s", v->metric);
	snprintf(it->key, sizeof(it->key), "%s", v->key);
	snprintf(it->stat, sizeof(it->stat), "%s", stat);
	snprintf(it->statistic, sizeof(it->statistic), "%s", statistic);
	snprintf(it->unit, sizeof(it->unit), "%s", unit);
	it->kind = kind;
	it->v = nl_xcalloc(s->nruns, sizeof(double));
	return it;
}

/* Does run r hold any value of metric? A counter absent from such a run counted 0. */
static bool run_has_metric(const struct nl_interval *iv, const char *metric)
{
	for (size_t i = 0; i < iv->n; i++)
		if (!strcmp(iv->v[i].metric, metric))
			return true;
	return false;
}

/* Counter (or histogram sample count) of the value like v in one run; NaN when not measured. */
static double run_count(const struct nl_interval *iv, const struct nl_value *v)
{
	const struct nl_value *r = nl_iv_find(iv, v->metric, v->key, v->stat);

	if (!r)
		return run_has_metric(iv, v->metric) ? 0.0 : NAN;
	if (r->kind == NL_COUNTER)
		return (double)r->counter;
	return r->hist ? (double)r->hist->count : 0.0;
}

static void add_counts(struct build *b, const struct nl_value *v, uint64_t total_count)
{
	struct nl_sampleset *s = b->s;
	uint8_t kind = v->kind == NL_HIST ? NL_ITEM_HIST : NL_ITEM_COUNTER;
	char rate_unit[NL_UNIT_MAX + 4];
	const struct nl_hist *h = v->kind == NL_HIST ? v->hist : NULL;
	struct nl_item *c, *r;
	double *counts;

	snprintf(rate_unit, sizeof(rate_unit), "%s/s", v->kind == NL_HIST ? "" : v->unit);
	c = new_item(s, v, v->stat, "count", v->kind == NL_HIST ? "" : v->unit, kind);
	for (uint32_t k = 0; k < s->nruns; k++)
		c->v[k] = run_count(b->run_tot[k], v);
	c->total = (double)total_count;
	c->total_count = total_count;
	c->hist = h;
	counts = c->v;	/* c itself moves when the next item grows the array */

	r = new_item(s, v, v->stat, "rate", rate_unit, kind);
	for (uint32_t k = 0; k < s->nruns; k++)
		r->v[k] = s->dur_s[k] > 0 ? counts[k] / s->dur_s[k] : NAN;
	r->total = s->total_dur_s > 0 ? (double)total_count / s->total_dur_s : NAN;
	r->total_count = total_count;
	r->hist = h;
}

static const struct { const char *name; double q; } pctls[] = {
	{ "p50", 0.50 }, { "p99", 0.99 }, { "p999", 0.999 },
};

static void add_percentiles(struct build *b, const struct nl_value *v)
{
	struct nl_sampleset *s = b->s;

	for (size_t p = 0; p < ARRAY_SIZE(pctls); p++) {
		struct nl_item *it = new_item(s, v, v->stat, pctls[p].name, v->unit, NL_ITEM_HIST);

		for (uint32_t k = 0; k < s->nruns; k++) {
			const struct nl_value *r = nl_iv_find(b->run_tot[k], v->metric, v->key, v->stat);

			it->v[k] = r && r->hist && r->hist->count ?
				   (double)nl_hist_percentile(r->hist, pctls[p].q) : NAN;
		}
		it->total = v->hist->count ? (double)nl_hist_percentile(v->hist, pctls[p].q) : NAN;
		it->total_count = v->hist->count;
		it->hist = v->hist;
	}
}

static void add_value(struct build *b, const struct nl_value *v)
{
	if (v->kind == NL_COUNTER) {
		add_counts(b, v, v->counter);
	} else if (v->kind == NL_HIST && v->hist) {
		add_counts(b, v, v->hist->count);
		add_percentiles(b, v);
	}
}

static void add_ratio(struct build *b, const struct nl_metric_desc *m, const char *key,
		      const struct nl_derived *d)
{
	struct nl_sampleset *s = b->s;
	struct nl_value id = { 0 };
	struct nl_item *it;
	double x;

	if (!nl_report_ratio(s->total, m->name, key, d, &x))
		return;
	snprintf(id.metric, sizeof(id.metric), "%s", m->name);
	snprintf(id.key, sizeof(id.key), "%s", key);
	it = new_item(s, &id, d->name, "ratio", "", NL_ITEM_RATIO);
	it->total = x;
	for (uint32_t k = 0; k < s->nruns; k++)
		it->v[k] = nl_report_ratio(b->run_tot[k], m->name, key, d, &x) ? x : NAN;
}

static int add_metric(struct build *b, const struct nl_metric_desc *m)
{
	const struct nl_value *vals[MAX_ROW_VALUES];
	struct nl_report_rows rows;
	int err = nl_report_rows(b->s->total, m->name, m->key_fields, &rows);

	if (err)
		return err;
	for (size_t r = 0; r < rows.n; r++) {
		size_t nv = nl_report_row_values(b->s->total, m, rows.keys[r], vals, MAX_ROW_VALUES);

		for (size_t i = 0; i < nv; i++)
			add_value(b, vals[i]);
		for (const struct nl_derived *d = m->derived; d && d->name; d++)
			add_ratio(b, m, rows.keys[r], d);
	}
	nl_report_rows_free(&rows);
	return 0;
}

/*
 * Values of metrics this build does not know (a newer file), in file order.
 * Not the pseudo-metrics: "session" (the recording's health) and
 * "overhead" (netlat's own cost, keyed by program ids that differ run to
 * run) describe netlat, not the system under test.
 */
static void add_unknown(struct build *b)
{
	const struct nl_interval *t = b->s->total;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].metric, "session") && strcmp(t->v[i].metric, "overhead") &&
		    !nl_metric_find(t->v[i].metric))
			add_value(b, &t->v[i]);
}

static void set_durations(const struct nl_recording *rec, struct nl_sampleset *s)
{
	s->dur_s = nl_xcalloc(s->nruns, sizeof(double));
	s->total_dur_s = 0;
	for (uint32_t k = 0; k < s->nruns; k++) {
		s->dur_s[k] = nl_stat_run_duration_s(rec, k);
		s->total_dur_s += s->dur_s[k];
	}
}

/* All intervals of run (or of every run, run < 0) merged, with portable keys unless km is NULL. */
static struct nl_interval *total_of(const struct nl_recording *rec, int run, struct nl_keymap *km)
{
	struct nl_interval *t = nl_rec_total(rec, run), *p;

	if (!km || !t)
		return t;
	p = nl_keymap_iv(km, t);
	nl_iv_free(t);
	return p;
}

/* Each item's recorded key, where the portable one differs (handles, inodes, pids, ports). */
static void set_attrs(struct nl_sampleset *s, const struct nl_keymap *km)
{
	for (size_t i = 0; km && i < s->n; i++) {
		const char *r = nl_keymap_recorded(km, s->it[i].key);

		if (r && strcmp(r, s->it[i].key))
			snprintf(s->it[i].attrs, sizeof(s->it[i].attrs), "%s", r);
	}
}

int nl_samples_build(const struct nl_recording *rec, struct nl_sampleset *out)
{
	return nl_samples_build_match(rec, out, false);
}

int nl_samples_build_match(const struct nl_recording *rec, struct nl_sampleset *out, bool strict)
{
	struct build b = { .s = out };
	struct nl_keymap *km;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->nruns = nl_rec_nruns(rec);
	if (!out->nruns)
		return -ENODATA;
	km = strict ? NULL : nl_keymap_new(rec);
	out->total = total_of(rec, -1, km);
	set_durations(rec, out);
	b.run_tot = nl_xcalloc(out->nruns, sizeof(*b.run_tot));
	for (uint32_t k = 0; k < out->nruns; k++)
		b.run_tot[k] = total_of(rec, (int)k, km);
	for (size_t i = 0; i < nl_nmetrics && !err; i++)
		err = add_metric(&b, nl_metrics[i]);
	if (!err)
		add_unknown(&b);
	set_attrs(out, km);
	nl_keymap_free(km);
	for (uint32_t k = 0; k < out->nruns; k++)
		nl_iv_free(b.run_tot[k]);
	free(b.run_tot);
	if (err)
		nl_samples_free(out);
	return err;
}

void nl_samples_free(struct nl_sampleset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->it[i].v);
	free(s->it);
	free(s->dur_s);
	nl_iv_free(s->total);
	memset(s, 0, sizeof(*s));
}

const struct nl_item *nl_samples_find(const struct nl_sampleset *s, const char *metric,
				      const char *key, const char *stat, const char *statistic)
{
	/* Linear: a recording has hundreds of items, and diff looks each up once. */
	for (size_t i = 0; i < s->n; i++) {
		const struct nl_item *it = &s->it[i];

		if (!strcmp(it->statistic, statistic) && !strcmp(it->stat, stat) &&
		    !strcmp(it->metric, metric) && !strcmp(it->key, key))
			return it;
	}
	return NULL;
}
