// SPDX-License-Identifier: GPL-2.0
/*
 * napi's chart (report --plot): budget-exhausted polls per NAPI instance and
 * time_squeeze per CPU, reports/napi_cpu.gp.
 */
#include <math.h>

#include "metric_views.h"
#include "netlat/report.h"
#include "report/plot/plot_int.h"

/*
 * napi rows come in two shapes (metric table key_fields "dev|cpu"): NAPI
 * instances by device, and softnet_stat by CPU. Two blocks in one file.
 */
static bool napi_fill(struct plot_chart *c, const struct nl_interval *iv, const struct nl_report_rows *rows)
{
	char dev[NL_KEY_MAX], safe[NL_KEY_MAX];
	double exh_max = 0, sq_max = 0;
	long ndevs = 0, ncpus = 0;

	fprintf(c->dat, "# block 0: index dev polls budget_exhausted\n");
	for (size_t r = 0; r < rows->n; r++) {
		uint64_t exh;

		nl_report_safe_key(rows->keys[r], safe, sizeof(safe));
		if (!nl_key_get(safe, "dev", dev, sizeof(dev)))
			continue;
		exh = plot_counter(iv, "napi", rows->keys[r], "budget_exhausted");
		fprintf(c->dat, "%ld \"%s\" %llu %llu\n", ndevs++, dev,
			(unsigned long long)plot_counter(iv, "napi", rows->keys[r], "polls"),
			(unsigned long long)exh);
		exh_max = fmax(exh_max, (double)exh);
	}
	fprintf(c->dat, "\n\n# block 1: cpu time_squeeze processed\n");
	for (size_t r = 0; r < rows->n; r++) {
		long cpu = plot_key_cpu(rows->keys[r]);
		uint64_t sq;

		if (cpu < 0)
			continue;
		sq = plot_counter(iv, "napi", rows->keys[r], "time_squeeze");
		fprintf(c->dat, "%ld %llu %llu\n", cpu, (unsigned long long)sq,
			(unsigned long long)plot_counter(iv, "napi", rows->keys[r], "processed"));
		sq_max = fmax(sq_max, (double)sq);
		ncpus = cpu + 1 > ncpus ? cpu + 1 : ncpus;
	}
	if (!ndevs && !ncpus)
		return false;
	plot_var_num(c, "ndevs", (double)ndevs);
	plot_var_num(c, "ncpus", (double)ncpus);
	plot_var_num(c, "exhausted_max", exh_max);
	plot_var_num(c, "squeeze_max", sq_max);
	return true;
}

static const struct plot_cpu_bars napi_bars = {
	.caption = "napi: budget-exhausted polls per NAPI instance, time_squeeze per CPU",
	.tmpl = "napi_cpu",
	.empty_why = "no NAPI poll and no softnet_stat row in the recording",
	.fill = napi_fill,
};

int napi_cpu_chart(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	return plot_cpu_bars(ctx, m, &napi_bars);
}
