/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The totals a metric prints at the head of its summary line (struct
 * nl_headline's totals), each in its metric's folder (<name>_summary.c).
 */
#ifndef NETLAT_METRIC_SUMMARIES_H
#define NETLAT_METRIC_SUMMARIES_H

struct nl_sum_line;
struct nl_interval;

void napi_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv);
void tcp_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv);
void drops_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv);

#endif
