// SPDX-License-Identifier: GPL-2.0
/*
 * Ladder chart of a path metric (rx, tx): rows keyed "stage=NAME" (and
 * maybe "dev=D"), each with a latency histogram; one pair of bars (p50, p99) per stage, stages
 * in path order so the eye walks the packet's way through the stack.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "plot_int.h"

#define LADDER_STAT	"latency"	/* the histogram each stage row holds */

/* The stage of a row of l's metric holding its latency histogram. */
static bool row_stage(const struct nl_path_ladder *l, const struct nl_value *v, char *out,
		      size_t len)
{
	if (strcmp(v->metric, l->metric) || strcmp(v->stat, LADDER_STAT) || v->kind != NL_HIST ||
	    !v->hist)
		return false;
	return nl_key_get(v->key, "stage", out, len);
}

static bool declared(const struct nl_path_ladder *l, const char *stage)
{
	for (size_t i = 0; i < l->nstages; i++)
		if (l->stages[i] && !strcmp(l->stages[i], stage))
			return true;
	return false;
}

static bool listed(char (*names)[NL_KEY_MAX], size_t n, const char *stage)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], stage))
			return true;
	return false;
}

/* Declared stages first, in their order; then undeclared ones in storage order. */
static size_t ladder_order(const struct nl_interval *iv, const struct nl_path_ladder *l,
			   char (*names)[NL_KEY_MAX], size_t max)
{
	char st[NL_KEY_MAX];
	size_t n = 0;

	for (size_t s = 0; s < l->nstages && n < max; s++)
		for (size_t i = 0; i < iv->n; i++)
			if (l->stages[s] && row_stage(l, &iv->v[i], st, sizeof(st)) &&
			    !strcmp(st, l->stages[s])) {
				snprintf(names[n++], NL_KEY_MAX, "%s", st);
				break;
			}
	for (size_t i = 0; i < iv->n && n < max; i++)
		if (row_stage(l, &iv->v[i], st, sizeof(st)) && !declared(l, st) &&
		    !listed(names, n, st))
			snprintf(names[n++], NL_KEY_MAX, "%s", st);
	return n;
}

/* Every row of one stage (one per device, say) merged: the ladder is the path's, all devices. */
static void stage_hist(const struct nl_interval *iv, const struct nl_path_ladder *l,
		       const char *stage, struct nl_hist *h)
{
	char st[NL_KEY_MAX];

	nl_hist_reset(h);
	for (size_t i = 0; i < iv->n; i++)
		if (row_stage(l, &iv->v[i], st, sizeof(st)) && !strcmp(st, stage))
			nl_hist_merge(h, iv->v[i].hist);
}

static void ladder_line(struct plot_chart *c, size_t idx, const char *stage,
			const struct nl_hist *hist, double *lo, double *hi)
{
	const struct nl_hist *h = hist->count ? hist : NULL;

	fprintf(c->dat, "%zu \"%s\"", idx, stage);
	for (int k = 0; k < 2; k++) {
		double x = h ? (double)nl_hist_percentile(h, k ? 0.99 : 0.50) / 1e9 : NAN;

		fputc(' ', c->dat);
		plot_dat_num(c->dat, x, h != NULL);
		if (h) {
			*lo = fmin(*lo, x > 0 ? x : 0.5e-9);
			*hi = fmax(*hi, x);
		}
	}
	fprintf(c->dat, " %llu\n", (unsigned long long)hist->count);
}

int nl_plot_ladder_chart(struct nl_plot_ctx *ctx, const struct nl_path_ladder *l)
{
	size_t max = ctx->total->n ? ctx->total->n : 1, n;
	char (*names)[NL_KEY_MAX] = calloc(max, sizeof(*names));
	struct nl_hist *h = malloc(sizeof(*h));
	double lo = INFINITY, hi = 0;
	struct plot_chart c;
	char cap[192];
	int err;

	if (!names || !h) {
		err = -ENOMEM;
		goto out;
	}
	snprintf(cap, sizeof(cap), "%s ladder: %s p50 and p99 per stage, in path order (all devices)",
		 l->title, LADDER_STAT);
	err = plot_begin(ctx, &c, l->metric, LADDER_STAT, NULL, "ladder", cap);
	if (err)
		goto out;
	n = ladder_order(ctx->total, l, names, max);
	fprintf(c.dat, "# index stage p50_s p99_s count\n");
	for (size_t i = 0; i < n; i++) {
		stage_hist(ctx->total, l, names[i], h);
		ladder_line(&c, i, names[i], h, &lo, &hi);
	}
	if (!(hi > 0)) {
		err = plot_end(&c, "ladder", true, "no stage of this path saw a packet");
		goto out;
	}
	plot_decades(&lo, &hi);
	plot_var_num(&c, "nstages", (double)n);
	plot_var_num(&c, "y_lo", lo);
	plot_var_num(&c, "y_hi", hi);
	err = plot_end(&c, "ladder", false, NULL);
out:
	free(h);
	free(names);
	return err;
}
