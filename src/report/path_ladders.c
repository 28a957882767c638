// SPDX-License-Identifier: GPL-2.0
/*
 * The path metrics drawn as ladders (report's ladder view and summary,
 * plot's ladder chart, the HTML page, top): each is a metric whose
 * descriptor has a ladder (src/metrics/<name>/<name>_ladder.c).
 */
#include <string.h>

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
