// SPDX-License-Identifier: GPL-2.0
/* The napi metric's descriptor: NAPI polls and the softnet budget. */
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"

/*
 * napi: napi:napi_poll per device, plus /proc/net/softnet_stat deltas per
 * CPU (rows keyed "cpu=N"). The backlog pseudo-device of loopback/RPS shows
 * up as dev "(no_device)"; its budget is dev_weight * dev_weight_rx_bias.
 */
static const char *const napi_tps[] = { "napi:napi_poll", NULL };
static const struct nl_stat_desc napi_stats[] = {
	{ "polls", NL_COUNTER, "", "napi_poll calls" },
	{ "work", NL_HIST, "pkts", "packets handled per poll" },
	{ "budget_exhausted", NL_COUNTER, "", "polls with work >= budget (wanted more)" },
	{ "processed", NL_COUNTER, "pkts", "softnet_stat: packets processed (per CPU)" },
	{ "dropped", NL_COUNTER, "pkts", "softnet_stat: backlog drops (per CPU)" },
	{ "time_squeeze", NL_COUNTER, "", "softnet_stat: NET_RX ran out of budget or time (per CPU)" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived napi_derived[] = {
	{ "budget_exhausted_ratio", "budget_exhausted", "polls", "share of polls that hit their budget", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

static const struct nl_headline napi_headline = { "dev", NULL, NULL, "budget_exhausted_ratio", NULL, napi_summary_totals, "at budget %", NULL, 0, NULL };
static const struct nl_metric_views napi_views = { .chart = napi_cpu_chart };

extern const struct nl_rule nl_rule_napi_budget;
static const struct nl_rule *const napi_rules[] = { &nl_rule_napi_budget, NULL };

/* `netlat diff` defaults (docs/diff.md): more polls that hit their budget, more squeezes, more backlog drops */
static const struct nl_threshold napi_diff_defaults[] = {
	NL_THRESHOLD_UP("napi.budget_exhausted_ratio.ratio", "", 10),
	NL_THRESHOLD_UP("napi.time_squeeze.rate", "", 10),
	NL_THRESHOLD_UP("napi.dropped.rate", "", 10),
	{ .pattern = "" },
};

static const struct nl_bpf_use napi_bpf[] = {
	{ "napi_poll", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_napi = {
	"napi", "NAPI polls and softnet budget", "NAPI polls, work per poll, budget exhaustion, time_squeeze",
	"dev netns|dev|cpu", napi_tps, NULL, napi_stats, napi_derived, NL_SRC_SOFTNET, &napi_headline, &napi_views, NULL,
	napi_rules, napi_diff_defaults, false,
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = napi_bpf,
};
