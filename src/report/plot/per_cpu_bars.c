// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU bars for softirq (NET_RX handler time, raise-to-run delay) and
 * napi (budget-exhausted polls per NAPI instance, time_squeeze per CPU).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"

static long key_cpu(const char *key)
{
	char v[16];

	return nl_key_get(key, "cpu", v, sizeof(v)) ? strtol(v, NULL, 10) : -1;
}

static uint64_t counter_of(const struct nl_interval *iv, const char *metric, const char *key,
			   const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_COUNTER ? v->counter : 0;
}

static const struct nl_hist *hist_of(const struct nl_interval *iv, const char *metric,
				     const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

/* One softirq row: cpu, NET_RX handler time, raise delay p50/p99, handler runs. */
static void softirq_line(struct plot_chart *c, const struct nl_interval *iv, const char *key,
			 long cpu, double *time_max, double *lo, double *hi)
{
	const struct nl_hist *dur = hist_of(iv, "softirq", key, "duration");
	const struct nl_hist *rd = hist_of(iv, "softirq", key, "raise_delay");
	double t = dur ? (double)dur->sum / 1e9 : 0;

	fprintf(c->dat, "%ld %.6g", cpu, t);
	*time_max = fmax(*time_max, t);
	for (int k = 0; k < 2; k++) {
		double v = rd ? (double)nl_hist_percentile(rd, k ? 0.99 : 0.50) / 1e9 : NAN;

		fputc(' ', c->dat);
		plot_dat_num(c->dat, v, rd != NULL);
		if (rd) {
			*lo = fmin(*lo, v > 0 ? v : 0.5e-9);
			*hi = fmax(*hi, v);
		}
	}
	fprintf(c->dat, " %llu\n", (unsigned long long)counter_of(iv, "softirq", key, "entries"));
}

int nl_plot_softirq_cpu(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	double time_max = 0, lo = INFINITY, hi = 0;
	struct nl_report_rows rows;
	struct plot_chart c;
	long ncpus = 0;
	char vec[16];
	int err;

	err = nl_report_rows(ctx->total, m->name, m->key_fields, &rows);
	if (err)
		return err;
	err = plot_begin(ctx, &c, m->name, NULL, NULL, "cpu",
			 "softirq per CPU: NET_RX handler time and raise-to-run delay");
	if (err)
		goto out;
	fprintf(c.dat, "# cpu net_rx_time_s raise_delay_p50_s raise_delay_p99_s entries\n");
	for (size_t r = 0; r < rows.n; r++) {
		long cpu = key_cpu(rows.keys[r]);

		if (cpu < 0 || !nl_key_get(rows.keys[r], "vec", vec, sizeof(vec)) ||
		    strcmp(vec, "NET_RX"))
			continue;
		softirq_line(&c, ctx->total, rows.keys[r], cpu, &time_max, &lo, &hi);
		ncpus = cpu + 1 > ncpus ? cpu + 1 : ncpus;
	}
	if (!ncpus) {
		err = plot_end(&c, "softirq_cpu", true, "no NET_RX softirq ran during the recording");
		goto out;
	}
	plot_decades(&lo, &hi);
	plot_var_num(&c, "ncpus", (double)ncpus);
	plot_var_num(&c, "time_max", time_max);
	plot_var_num(&c, "y_lo", lo);
	plot_var_num(&c, "y_hi", hi);
	err = plot_end(&c, "softirq_cpu", false, NULL);
out:
	nl_report_rows_free(&rows);
	return err;
}

/*
 * napi rows come in two shapes (metric table key_fields "dev|cpu"): NAPI
 * instances by device, and softnet_stat by CPU. Two blocks in one file.
 */
static void napi_blocks(struct plot_chart *c, const struct nl_interval *iv,
			const struct nl_report_rows *rows, long *ndevs, long *ncpus,
			double *exh_max, double *sq_max)
{
	char dev[NL_KEY_MAX], safe[NL_KEY_MAX];

	fprintf(c->dat, "# block 0: index dev polls budget_exhausted\n");
	for (size_t r = 0; r < rows->n; r++) {
		uint64_t exh;

		nl_report_safe_key(rows->keys[r], safe, sizeof(safe));
		if (!nl_key_get(safe, "dev", dev, sizeof(dev)))
			continue;
		exh = counter_of(iv, "napi", rows->keys[r], "budget_exhausted");
		fprintf(c->dat, "%ld \"%s\" %llu %llu\n", (*ndevs)++, dev,
			(unsigned long long)counter_of(iv, "napi", rows->keys[r], "polls"),
			(unsigned long long)exh);
		*exh_max = fmax(*exh_max, (double)exh);
	}
	fprintf(c->dat, "\n\n# block 1: cpu time_squeeze processed\n");
	for (size_t r = 0; r < rows->n; r++) {
		long cpu = key_cpu(rows->keys[r]);
		uint64_t sq;

		if (cpu < 0)
			continue;
		sq = counter_of(iv, "napi", rows->keys[r], "time_squeeze");
		fprintf(c->dat, "%ld %llu %llu\n", cpu, (unsigned long long)sq,
			(unsigned long long)counter_of(iv, "napi", rows->keys[r], "processed"));
		*sq_max = fmax(*sq_max, (double)sq);
		*ncpus = cpu + 1 > *ncpus ? cpu + 1 : *ncpus;
	}
}

int nl_plot_napi_cpu(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	double exh_max = 0, sq_max = 0;
	struct nl_report_rows rows;
	struct plot_chart c;
	long ndevs = 0, ncpus = 0;
	int err;

	err = nl_report_rows(ctx->total, m->name, m->key_fields, &rows);
	if (err)
		return err;
	err = plot_begin(ctx, &c, m->name, NULL, NULL, "cpu",
			 "napi: budget-exhausted polls per NAPI instance, time_squeeze per CPU");
	if (err)
		goto out;
	napi_blocks(&c, ctx->total, &rows, &ndevs, &ncpus, &exh_max, &sq_max);
	if (!ndevs && !ncpus) {
		err = plot_end(&c, "napi_cpu", true, "no NAPI poll and no softnet_stat row in the recording");
		goto out;
	}
	plot_var_num(&c, "ndevs", (double)ndevs);
	plot_var_num(&c, "ncpus", (double)ncpus);
	plot_var_num(&c, "exhausted_max", exh_max);
	plot_var_num(&c, "squeeze_max", sq_max);
	err = plot_end(&c, "napi_cpu", false, NULL);
out:
	nl_report_rows_free(&rows);
	return err;
}
