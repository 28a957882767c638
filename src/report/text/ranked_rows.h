/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rows sorted by a value, for the metrics' text views that rank rather than
 * list (tcp's and rx's top flows, drops by count; src/metrics/<name>/<name>_*_view.c),
 * and the flow columns those flow tables share.
 */
#ifndef NETLAT_REPORT_RANKED_ROWS_H
#define NETLAT_REPORT_RANKED_ROWS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NL_FLOWS_TOP	10	/* rows of a top-flows table */

/* One row: its key, the value it is ranked by, and up to two numbers to print. */
struct nl_ranked_row {
	const char *key;	/* the interval's, not copied */
	double v;
	uint64_t a, b;
};

struct nl_ranked {
	struct nl_ranked_row *r;
	size_t n, cap;
};

/* A row at the end: 0, or -ENOMEM (t is unchanged; free it). */
int nl_ranked_put(struct nl_ranked *t, const char *key, double v, uint64_t a, uint64_t b);
/* Is key already a row (a key has one row however many values it has)? */
bool nl_ranked_has(const struct nl_ranked *t, const char *key);
/* Largest value first; equal values in natural key order. */
void nl_ranked_sort(struct nl_ranked *t);
void nl_ranked_free(struct nl_ranked *t);

/* "\n  TITLE" and the column heads of a flow table: flow, netns, comm, pid, then col_a, col_b. */
void nl_flow_table_head(FILE *out, const char *title, const char *col_a, const char *col_b);
/* A flow row's key as those first four columns (no newline). */
void nl_flow_cells(FILE *out, const char *key);

#endif
