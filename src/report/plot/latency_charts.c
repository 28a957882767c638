// SPDX-License-Identifier: GPL-2.0
/*
 * Latency charts: for every histogram in nanoseconds (softirq duration,
 * qdisc sojourn, rx/tx stage latency, ...) three charts per row: its
 * distribution, its percentiles per interval, and a time x latency heatmap.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"

#define HEAT_GROUP	4	/* fine buckets per heatmap cell: quarter octaves */
#define HEAT_ROWS	(NL_HIST_BUCKETS / HEAT_GROUP)
#define MAX_STATS	16

static bool is_latency(const struct nl_value *v)
{
	return v->kind == NL_HIST && !strcmp(v->unit, "ns");
}

/* Bucket edges in seconds; the [0, 1) ns bucket starts at 0.5 ns so a log axis can hold it. */
static double edge_lo_s(unsigned int b)
{
	uint64_t lo = nl_hist_bucket_lo(b);

	return (lo ? (double)lo : 0.5) / 1e9;
}

static double edge_hi_s(unsigned int b)
{
	return (double)nl_hist_bucket_hi(b) / 1e9;
}

static double pct_s(const struct nl_hist *h, double q)
{
	return (double)nl_hist_percentile(h, q) / 1e9;
}

static const struct nl_hist *row_hist(const struct nl_interval *iv, const char *metric,
				      const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

static void caption(char *out, size_t len, const char *metric, const char *stat, const char *key,
		    const char *what)
{
	char safe[NL_KEY_MAX];

	nl_report_safe_key(key, safe, sizeof(safe));
	snprintf(out, len, "%s %s%s%s: %s", metric, stat, *safe ? " " : "", safe, what);
}

static int dist_chart(struct nl_plot_ctx *ctx, const char *metric, const char *key,
		      const char *stat, const struct nl_hist *h)
{
	struct plot_chart c;
	char cap[192];
	double lo = INFINITY, hi = 0;
	int err;

	caption(cap, sizeof(cap), metric, stat, key, "distribution");
	err = plot_begin(ctx, &c, metric, stat, key, "dist", cap);
	if (err)
		return err;
	if (!h)
		return plot_end(&c, "dist", true, "no samples of this histogram in the recording");
	fprintf(c.dat, "# bucket_lo_s bucket_hi_s count share_pct\n");
	for (unsigned int b = 0; b < NL_HIST_BUCKETS; b++) {
		if (!h->buckets[b])
			continue;
		fprintf(c.dat, "%.6g %.6g %llu %.6g\n", edge_lo_s(b), edge_hi_s(b),
			(unsigned long long)h->buckets[b], 100.0 * (double)h->buckets[b] / (double)h->count);
		lo = fmin(lo, edge_lo_s(b));
		hi = fmax(hi, edge_hi_s(b));
	}
	plot_decades(&lo, &hi);
	plot_var_num(&c, "samples", (double)h->count);
	plot_var_num(&c, "mean", nl_hist_mean(h) / 1e9);
	plot_var_num(&c, "p50", pct_s(h, 0.50));
	plot_var_num(&c, "p90", pct_s(h, 0.90));
	plot_var_num(&c, "p99", pct_s(h, 0.99));
	plot_var_num(&c, "p999", pct_s(h, 0.999));
	plot_var_num(&c, "x_lo", lo);
	plot_var_num(&c, "x_hi", hi);
	plot_var_num(&c, "page", ctx->o.compact ? 1 : 0);
	return plot_end(&c, "dist", false, NULL);
}

static int pct_chart(struct nl_plot_ctx *ctx, const char *metric, const char *key,
		     const char *stat, bool any)
{
	struct plot_chart c;
	char cap[192];
	double lo = INFINITY, hi = 0;
	int err;

	caption(cap, sizeof(cap), metric, stat, key, "percentiles per interval");
	err = plot_begin(ctx, &c, metric, stat, key, "time", cap);
	if (err)
		return err;
	if (!any)
		return plot_end(&c, "pct_time", true, "no samples of this histogram in the recording");
	fprintf(c.dat, "# t_start_s t_end_s p50_s p99_s p999_s count\n");
	for (size_t i = 0; i < ctx->niv; i++) {
		const struct nl_hist *h = row_hist(ctx->iv[i], metric, key, stat);
		double q[3] = { 0.50, 0.99, 0.999 };

		fprintf(c.dat, "%.6g %.6g", plot_t(ctx, ctx->iv[i]->start_ns),
			plot_t(ctx, ctx->iv[i]->end_ns));
		for (int k = 0; k < 3; k++) {
			double v = h ? pct_s(h, q[k]) : NAN;

			fputc(' ', c.dat);
			plot_dat_num(c.dat, v, h != NULL);
			if (h) {
				lo = fmin(lo, v > 0 ? v : 0.5e-9);
				hi = fmax(hi, v);
			}
		}
		fprintf(c.dat, " %llu\n", (unsigned long long)(h ? h->count : 0));
	}
	plot_decades(&lo, &hi);
	plot_var_num(&c, "t_end", ctx->t_end);
	plot_var_num(&c, "y_lo", lo);
	plot_var_num(&c, "y_hi", hi);
	return plot_end(&c, "pct_time", false, NULL);
}

/* One heatmap column: the interval's fine buckets summed into quarter octaves. */
static uint64_t heat_column(FILE *f, double t0, double t1, const struct nl_hist *h,
			    double *lo, double *hi)
{
	uint64_t maxc = 0;

	for (unsigned int g = 0; g < HEAT_ROWS; g++) {
		uint64_t n = 0;

		for (unsigned int b = g * HEAT_GROUP; b < (g + 1) * HEAT_GROUP; b++)
			n += h->buckets[b];
		if (!n)
			continue;
		fprintf(f, "%.6g %.6g %.6g %.6g %llu\n", t0, t1, edge_lo_s(g * HEAT_GROUP),
			edge_hi_s((g + 1) * HEAT_GROUP - 1), (unsigned long long)n);
		*lo = fmin(*lo, edge_lo_s(g * HEAT_GROUP));
		*hi = fmax(*hi, edge_hi_s((g + 1) * HEAT_GROUP - 1));
		maxc = n > maxc ? n : maxc;
	}
	return maxc;
}

static int heat_chart(struct nl_plot_ctx *ctx, const char *metric, const char *key,
		      const char *stat, bool any)
{
	struct plot_chart c;
	char cap[192];
	double lo = INFINITY, hi = 0;
	uint64_t maxc = 0;
	int err;

	caption(cap, sizeof(cap), metric, stat, key, "heatmap over time");
	err = plot_begin(ctx, &c, metric, stat, key, "heat", cap);
	if (err)
		return err;
	if (!any)
		return plot_end(&c, "heatmap", true, "no samples of this histogram in the recording");
	fprintf(c.dat, "# t_start_s t_end_s bucket_lo_s bucket_hi_s count\n");
	for (size_t i = 0; i < ctx->niv; i++) {
		const struct nl_hist *h = row_hist(ctx->iv[i], metric, key, stat);
		uint64_t m;

		if (!h)
			continue;
		m = heat_column(c.dat, plot_t(ctx, ctx->iv[i]->start_ns),
				plot_t(ctx, ctx->iv[i]->end_ns), h, &lo, &hi);
		maxc = m > maxc ? m : maxc;
	}
	plot_decades(&lo, &hi);
	plot_var_num(&c, "t_end", ctx->t_end);
	plot_var_num(&c, "y_lo", lo);
	plot_var_num(&c, "y_hi", hi);
	/* A log colour scale needs a range: [1:1] would be empty. */
	plot_var_num(&c, "cb_hi", (double)(maxc > 10 ? maxc : 10));
	return plot_end(&c, "heatmap", false, NULL);
}

static int latency_row(struct nl_plot_ctx *ctx, const char *metric, const char *key,
		       const char *stat)
{
	const struct nl_hist *h = row_hist(ctx->total, metric, key, stat);
	int err;

	err = dist_chart(ctx, metric, key, stat, h);
	if (ctx->o.compact)
		return err;
	if (!err)
		err = pct_chart(ctx, metric, key, stat, h != NULL);
	if (!err)
		err = heat_chart(ctx, metric, key, stat, h != NULL);
	return err;
}

/* The latency stats of m: the table's, then any newer file carries that the table lacks. */
static size_t latency_stats(const struct nl_plot_ctx *ctx, const struct nl_metric_desc *m,
			    const char **out)
{
	size_t n = 0;

	for (const struct nl_stat_desc *s = m->stats; s && s->name && n < MAX_STATS; s++)
		if (s->kind == NL_HIST && !strcmp(s->unit, "ns"))
			out[n++] = s->name;
	for (size_t i = 0; i < ctx->total->n && n < MAX_STATS; i++) {
		const struct nl_value *v = &ctx->total->v[i];
		bool seen = false;

		if (strcmp(v->metric, m->name) || !is_latency(v) || nl_metric_stat(m, v->stat))
			continue;
		for (size_t k = 0; k < n; k++)
			seen = seen || !strcmp(out[k], v->stat);
		if (!seen)
			out[n++] = v->stat;
	}
	return n;
}

static uint64_t row_count(const struct nl_plot_ctx *ctx, const char *metric, const char *key,
			  const char *stat)
{
	const struct nl_hist *h = row_hist(ctx->total, metric, key, stat);

	return h ? h->count : 0;
}

static int u64_desc(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a > b ? -1 : a < b;
}

/* Rows with this stat, in report order; past PLOT_MAX_ROWS only the busiest are kept. */
static int stat_rows(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m, const char *stat,
		     const struct nl_report_rows *rows)
{
	uint64_t *counts = calloc(rows->n ? rows->n : 1, sizeof(*counts));
	uint64_t floor_count = 0;
	size_t n = 0, drawn = 0, max = ctx->o.compact ? PLOT_PAGE_ROWS : PLOT_MAX_ROWS;
	int err = 0;

	if (!counts)
		return -ENOMEM;
	for (size_t r = 0; r < rows->n; r++)
		if (nl_iv_find(ctx->total, m->name, rows->keys[r], stat))
			counts[n++] = row_count(ctx, m->name, rows->keys[r], stat);
	if (n > max) {
		qsort(counts, n, sizeof(*counts), u64_desc);
		floor_count = counts[max - 1];
		nl_info("%s %s: drawing the %zu busiest of %zu rows", m->name, stat, max, n);
	}
	for (size_t r = 0; r < rows->n && !err && drawn < max; r++) {
		const char *key = rows->keys[r];

		if (!nl_iv_find(ctx->total, m->name, key, stat) ||
		    row_count(ctx, m->name, key, stat) < floor_count)
			continue;
		err = latency_row(ctx, m->name, key, stat);
		drawn++;
	}
	free(counts);
	/* A metric that saw nothing still gets its charts, saying so. */
	if (!err && !n)
		err = latency_row(ctx, m->name, "", stat);
	return err;
}

int plot_latency_charts(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	const char *stats[MAX_STATS];
	size_t nstats = latency_stats(ctx, m, stats);
	struct nl_report_rows rows;
	int err;

	if (!nstats)
		return 0;
	err = nl_report_rows(ctx->total, m->name, m->key_fields, &rows);
	for (size_t s = 0; s < nstats && !err; s++)
		err = stat_rows(ctx, m, stats[s], &rows);
	nl_report_rows_free(&rows);
	return err;
}
