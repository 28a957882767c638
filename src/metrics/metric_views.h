/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The views a metric adds to the generic tables and charts (struct
 * nl_metric_views in include/netlat/metric.h) and the ladders of the path
 * metrics (struct nl_metric_desc's ladder), each in its metric's folder:
 * <name>/<name>_*_view.c, <name>_cpu_chart.c, <name>_top.c, <name>_ladder.c.
 */
#ifndef NETLAT_METRIC_VIEWS_H
#define NETLAT_METRIC_VIEWS_H

#include <stdio.h>

#include "netlat/path_ladder.h"

struct nl_interval;

/* report --full, text */
int tcp_flows_text(FILE *out, const struct nl_interval *iv);
int rx_sockq_flows_text(FILE *out, const struct nl_interval *iv);
void rx_sockq_method_notes(FILE *out, const struct nl_interval *iv);
int drops_by_count_text(FILE *out, const struct nl_interval *iv);

/* report --plot: per-CPU bars (src/report/plot/per_cpu_bars.c draws them) */
struct nl_plot_ctx;
struct nl_metric_desc;
int napi_cpu_chart(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m);
int softirq_cpu_chart(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m);

/* netlat top (<name>_top.c) */
struct nl_triage_in;
size_t qdisc_top_stage_rows(FILE *out, const struct nl_triage_in *in);
void softirq_top_cpus(FILE *out, const struct nl_triage_in *in, size_t max_rows);
void tcp_top_flows(FILE *out, const struct nl_triage_in *in, size_t max_rows);

/* the path metrics' ladders (<name>_ladder.c) */
extern const struct nl_path_ladder rx_ladder;
extern const struct nl_path_ladder tx_ladder;

#endif
