// SPDX-License-Identifier: GPL-2.0
/*
 * Derived ratios over time (gro "ratio", gso "segs_per_xmit", napi
 * "budget_exhausted_ratio"): one line per row, computed per interval by the
 * report's own nl_report_ratio().
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"

#define MAX_LINES	8

/* "dev=lo" -> "dev=lo"; "dev=a handle=1:" -> "dev=a,handle=1:" (gnuplot's word() splits on spaces). */
static void row_label(const char *key, char *out, size_t len)
{
	nl_report_safe_key(*key ? key : "all", out, len);
	for (char *p = out; *p; p++)
		if (*p == ' ' || *p == '"')
			*p = ',';
}

static void ratio_block(struct plot_chart *c, const struct nl_plot_ctx *ctx, const char *metric,
			const char *key, const struct nl_derived *d, double *ymax)
{
	fprintf(c->dat, "# %s\n", key);
	for (size_t i = 0; i < ctx->niv; i++) {
		double x = 0;
		bool ok = nl_report_ratio(ctx->iv[i], metric, key, d, &x);

		fprintf(c->dat, "%.6g %.6g ", plot_t(ctx, ctx->iv[i]->start_ns),
			plot_t(ctx, ctx->iv[i]->end_ns));
		plot_dat_num(c->dat, x, ok);
		fputc('\n', c->dat);
		if (ok)
			*ymax = fmax(*ymax, x);
	}
	fprintf(c->dat, "\n\n");
}

static int ratio_chart(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m,
		       const struct nl_derived *d, const struct nl_report_rows *rows)
{
	char cap[192], labels[MAX_LINES * (NL_KEY_MAX + 1)] = "", lab[NL_KEY_MAX];
	struct plot_chart c;
	double ymax = 0, x;
	size_t n = 0, with = 0;
	int err;

	snprintf(cap, sizeof(cap), "%s %s over time: %s", m->name, d->name, d->help);
	err = plot_begin(ctx, &c, m->name, d->name, NULL, "time", cap);
	if (err)
		return err;
	fprintf(c.dat, "# one block per row: t_start_s t_end_s %s (NaN where %s was 0)\n",
		d->name, d->den);
	for (size_t r = 0; r < rows->n; r++) {
		if (!nl_report_ratio(ctx->total, m->name, rows->keys[r], d, &x))
			continue;
		if (++with > MAX_LINES)
			continue;
		ratio_block(&c, ctx, m->name, rows->keys[r], d, &ymax);
		row_label(rows->keys[r], lab, sizeof(lab));
		snprintf(labels + strlen(labels), sizeof(labels) - strlen(labels), "%s%s",
			 n++ ? " " : "", lab);
	}
	if (with > MAX_LINES)
		nl_info("%s %s: drawing the first %d of %zu rows", m->name, d->name, MAX_LINES, with);
	if (!n)
		return plot_end(&c, "ratio_time", true, "its denominator was never counted");
	plot_var_num(&c, "nrows", (double)n);
	plot_var_str(&c, "rows", labels);
	plot_var_str(&c, "ratio_label", d->name);
	plot_var_num(&c, "t_end", ctx->t_end);
	plot_var_num(&c, "y_hi", ymax > 0 ? ymax * 1.2 : 1.0);
	return plot_end(&c, "ratio_time", false, NULL);
}

int plot_ratio_charts(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m)
{
	struct nl_report_rows rows;
	int err;

	if (!m->derived || !m->derived->name)
		return 0;
	err = nl_report_rows(ctx->total, m->name, m->key_fields, &rows);
	for (const struct nl_derived *d = m->derived; !err && d->name; d++)
		err = ratio_chart(ctx, m, d, &rows);
	nl_report_rows_free(&rows);
	return err;
}
