/* SPDX-License-Identifier: GPL-2.0 */
/* Private to the summary report (summary_report.c, summary_headlines.c): width-limited lines. */
#ifndef NETLAT_REPORT_SUMMARY_H
#define NETLAT_REPORT_SUMMARY_H

#include <stdio.h>

#include "netlat/path_ladder.h"
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

/* The ladder of a metric the summary shows (descriptor's ladder, selected by -m, recorded), or NULL. */
const struct nl_path_ladder *nl_sum_ladder_shown(const struct nl_recording *rec, const struct nl_metric_desc *m,
						const struct nl_report_opts *o);
struct nl_sum_ladder_dev {
	char dev[NL_KEY_MAX];
	uint64_t packets;
};
/* Devices of a ladder metric, the busiest first (*out malloc'ed, free it). */
size_t nl_sum_ladder_devs(const struct nl_interval *iv, const char *metric,
			  struct nl_sum_ladder_dev **out);
const struct nl_hist *nl_sum_stage_hist(const struct nl_interval *iv, const char *metric,
					const char *stage, const char *dev);
/* h[s] = each stage's latency histogram (NULL: none); returns the slowest stage (l->nstages: none). */
size_t nl_sum_slowest(const struct nl_interval *iv, const struct nl_path_ladder *l, const char *dev,
		      const struct nl_hist **h);
/* Counters of metric.stat summed over the rows whose key starts with field= (summary_headlines.c). */
uint64_t nl_sum_counter(const struct nl_interval *iv, const char *metric, const char *field,
			const char *stat);
/* The histograms of metric.stat of those rows merged into h (reset first). */
void nl_sum_hists(const struct nl_interval *iv, const char *metric, const char *field,
		  const char *stat, struct nl_hist *h);
/* The metric's one line (summary_headlines.c). */
void nl_report_headline(FILE *out, const struct nl_recording *rec, const struct nl_interval *iv,
			const struct nl_metric_desc *m, const struct nl_report_opts *o);

#endif
