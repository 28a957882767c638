/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A path metric shown as a ladder (the metric descriptor's ladder, struct
 * nl_metric_desc): its stages in the order a packet meets them, its age
 * points, and why a stage can be missing. The report's ladder view and
 * summary, the plot's ladder chart, the HTML page and top all read it.
 */
#ifndef NETLAT_PATH_LADDER_H
#define NETLAT_PATH_LADDER_H

#include <stddef.h>

/* The most stages and age points a ladder has (the metrics' ladders assert it). */
#define NL_PATH_MAX_STAGES	8
#define NL_PATH_MAX_POINTS	8

/* Why a stage or point has no rows, by collector ("*": any). */
struct nl_ladder_gap {
	const char *backend;
	const char *stage;
	const char *why;
};

/* Rows keyed "stage=NAME" (and maybe "dev=D"), each with a "latency" histogram. */
struct nl_path_ladder {
	const char *metric;		/* "rx" */
	const char *title;		/* "RX path" */
	const char *const *stages;	/* path order (an undeclared stage follows them) */
	size_t nstages;
	const char *const *points;	/* age points, in path order (rx only) */
	size_t npoints;
	const struct nl_ladder_gap *gaps;	/* ends with a NULL stage */
};

struct nl_hist;

/*
 * A stage can be called the slowest only when it saw at least
 * 1/NL_LADDER_SLOWEST_SHARE of the packets of the ladder's busiest stage.
 */
#define NL_LADDER_SLOWEST_SHARE	10

/*
 * The slowest rung, given each stage's latency histogram (h[s], NULL when
 * the stage has none): the stage, not "total", with the highest p50 among
 * those seen often enough; l->nstages when there is none. A stage seen for
 * a few packets of many is shown but not called the slowest: on veth a
 * UDP skb's free has no tracepoint, so its "completion" is at most a
 * stray match of another skb freed later at the same address.
 */
size_t nl_ladder_slowest(const struct nl_path_ladder *l, const struct nl_hist *const *h);

/* The ladder of a metric by name (its descriptor's), NULL when it is not a path metric. */
const struct nl_path_ladder *nl_path_ladder_of(const char *metric);
/* Why stage (or point) has no rows with backend's collector; "not seen" when no reason is known. */
const char *nl_ladder_gap_why(const struct nl_path_ladder *l, const char *backend, const char *stage);

#endif
