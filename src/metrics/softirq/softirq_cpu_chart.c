// SPDX-License-Identifier: GPL-2.0
/*
 * softirq's chart (report --plot): per CPU, NET_RX handler time and
 * raise-to-run delay p50/p99, reports/softirq_cpu.gp.
 */
#include <math.h>
#include <string.h>

#include "metric_views.h"
#include "netlat/report.h"
#include "report/plot/plot_int.h"

/* One softirq row: cpu, NET_RX handler time, raise delay p50/p99, handler runs. */
static void softirq_line(struct plot_chart *c, const struct nl_interval *iv, const char *key,
			 long cpu, double *time_max, double *lo, double *hi)
{
	const struct nl_hist *dur = plot_hist(iv, "softirq", key, "duration");
	const struct nl_hist *rd = plot_hist(iv, "softirq", key, "raise_delay");
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
	fprintf(c->dat, " %llu\n", (unsigned long long)plot_counter(iv, "softirq", key, "entries"));
}

static bool softirq_fill(struct plot_chart *c, const struct nl_interval *iv, const struct nl_report_rows *rows)
{
	double time_max = 0, lo = INFINITY, hi = 0;
	long ncpus = 0;
	char vec[16];

	fprintf(c->dat, "# cpu net_rx_time_s raise_delay_p50_s raise_delay_p99_s entries\n");
	for (size_t r = 0; r < rows->n; r++) {
		long cpu = plot_key_cpu(rows->keys[r]);

		if (cpu < 0 || !nl_key_get(rows->keys[r], "vec", vec, sizeof(vec)) ||
		    strcmp(vec, "NET_RX"))
			continue;
		softirq_line(c, iv, rows->keys[r], cpu, &time_max, &lo, &hi);
		ncpus = cpu + 1 > ncpus ? cpu + 1 : ncpus;
	}
	if (!ncpus)
		return false;
	plot_decades(&lo, &hi);
	plot_var_num(c, "ncpus", (double)ncpus);
	plot_var_num(c, "time_max", time_max);
	plot_var_num(c, "y_lo", lo);
	plot_var_num(c, "y_hi", hi);
	return true;
}

static const struct plot_cpu_bars softirq_bars = {
	.caption = "softirq per CPU: NET_RX handler time and raise-to-run delay",
	.tmpl = "softirq_cpu",
	.empty_why = "no NET_RX softirq ran during the recording",
	.fill = softirq_fill,
};

int softirq_cpu_chart(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	return plot_cpu_bars(ctx, m, &softirq_bars);
}
