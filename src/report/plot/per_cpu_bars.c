// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU bar charts, the machinery: a metric's rows in one .dat file, its
 * own template, and the lookups its rows are filled with. What each chart
 * shows is its metric's (napi/napi_cpu_chart.c, softirq/softirq_cpu_chart.c).
 */
#include <stdlib.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"

long plot_key_cpu(const char *key)
{
	char v[16];

	return nl_key_get(key, "cpu", v, sizeof(v)) ? strtol(v, NULL, 10) : -1;
}

uint64_t plot_counter(const struct nl_interval *iv, const char *metric, const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_COUNTER ? v->counter : 0;
}

const struct nl_hist *plot_hist(const struct nl_interval *iv, const char *metric, const char *key,
				const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, metric, key, stat);

	return v && v->kind == NL_HIST && v->hist && v->hist->count ? v->hist : NULL;
}

int plot_cpu_bars(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m, const struct plot_cpu_bars *b)
{
	struct nl_report_rows rows;
	struct plot_chart c;
	int err;

	err = nl_report_rows(ctx->total, m->name, m->key_fields, &rows);
	if (err)
		return err;
	err = plot_begin(ctx, &c, m->name, NULL, NULL, "cpu", b->caption);
	if (err)
		goto out;
	if (!b->fill(&c, ctx->total, &rows))
		err = plot_end(&c, b->tmpl, true, b->empty_why);
	else
		err = plot_end(&c, b->tmpl, false, NULL);
out:
	nl_report_rows_free(&rows);
	return err;
}
