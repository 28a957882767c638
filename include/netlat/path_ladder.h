/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of path metrics (rx, tx) shown as ladders: their stages in the
 * order a packet meets them, rx's age points, and why a stage can be missing.
 * The report's ladder view and the plot's ladder chart both read it.
 */
#ifndef NETLAT_PATH_LADDER_H
#define NETLAT_PATH_LADDER_H

#include <stddef.h>

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

extern const struct nl_path_ladder nl_path_ladders[];
extern const size_t nl_path_nladders;

/* The ladder of a metric, NULL when it is not a path metric. */
const struct nl_path_ladder *nl_path_ladder_of(const char *metric);
/* Why stage (or point) has no rows with backend's collector; "not seen" when no reason is known. */
const char *nl_ladder_gap_why(const struct nl_path_ladder *l, const char *backend, const char *stage);

#endif
