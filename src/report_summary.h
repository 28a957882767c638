/* SPDX-License-Identifier: GPL-2.0 */
/* Private to the summary report (report_summary.c, report_headline.c): width-limited lines. */
#ifndef NETLAT_REPORT_SUMMARY_H
#define NETLAT_REPORT_SUMMARY_H

#include <stdio.h>

#include "netlat/report.h"

#define NL_SUM_WIDTH	120	/* the summary fits a terminal this wide */
#define NL_SUM_TOP	3	/* rows per metric line without --top */

/* A line of "name  item, item, ..." that never grows past NL_SUM_WIDTH: what does not fit is counted. */
struct nl_sum_line {
	char buf[NL_SUM_WIDTH + 1];
	size_t len, items, dropped;
};

void nl_sum_begin(struct nl_sum_line *l, const char *name);
void nl_sum_add(struct nl_sum_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nl_sum_end(struct nl_sum_line *l, FILE *out);

/* The metric's one line (report_headline.c). */
void nl_report_headline(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			const struct nl_metric_desc *m, const struct nl_report_opts *o);

#endif
