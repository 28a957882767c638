// SPDX-License-Identifier: GPL-2.0
/*
 * The path metrics drawn as ladders (report's ladder view and summary,
 * plot's ladder chart, the HTML page, top): each is a metric whose
 * descriptor has a ladder (src/metrics/<name>/<name>_ladder.c).
 */
#include <string.h>

#include "netlat/hist.h"
#include "netlat/metric.h"
#include "netlat/path_ladder.h"

const struct nl_path_ladder *nl_path_ladder_of(const char *metric)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);

	return m ? m->ladder : NULL;
}

const char *nl_ladder_gap_why(const struct nl_path_ladder *l, const char *backend, const char *stage)
{
	for (const struct nl_ladder_gap *g = l->gaps; g->stage; g++)
		if (!strcmp(g->stage, stage) && (!strcmp(g->backend, "*") || !strcmp(g->backend, backend)))
			return g->why;
	return "not seen";
}

size_t nl_ladder_slowest(const struct nl_path_ladder *l, const struct nl_hist *const *h)
{
	uint64_t most = 0, worst = 0;
	size_t slow = l->nstages;

	for (size_t s = 0; s < l->nstages; s++)
		if (h[s] && h[s]->count > most)
			most = h[s]->count;
	for (size_t s = 0; s < l->nstages; s++) {
		uint64_t p;

		/* the slowest rung is a stage, not the end-to-end line */
		if (!h[s] || !strcmp(l->stages[s], "total") || h[s]->count * NL_LADDER_SLOWEST_SHARE < most)
			continue;
		p = nl_hist_percentile(h[s], 0.50);
		if (slow == l->nstages || p > worst) {
			worst = p;
			slow = s;
		}
	}
	return slow;
}
