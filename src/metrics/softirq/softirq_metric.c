// SPDX-License-Identifier: GPL-2.0
/* The softirq metric's descriptor: NET_RX / NET_TX softirqs. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"
#include "metric_bpf_hooks.h"

/* softirq: irq:softirq_raise/entry/exit for NET_TX (2) and NET_RX (3), per CPU. */
static const char *const softirq_tps[] = {
	"irq:softirq_raise", "irq:softirq_entry", "irq:softirq_exit", NULL,
};
static const struct nl_stat_desc softirq_stats[] = {
	{ "entries", NL_COUNTER, "", "handler runs" },
	{ "raises", NL_COUNTER, "", "softirq_raise events" },
	{ "duration", NL_HIST, "ns", "handler time, entry to exit" },
	{ "raise_delay", NL_HIST, "ns", "first raise to handler entry" },
	{ NULL, 0, NULL, NULL },
};

static const struct nl_headline softirq_headline = { "cpu", NULL, "raise_delay", NULL, NULL, NULL, NULL, "duration", 0, NULL };
static const struct nl_metric_views softirq_views = { .chart = softirq_cpu_chart, .top_section = softirq_top_cpus };

extern const struct nl_rule nl_rule_softirq_delay;
static const struct nl_rule *const softirq_rules[] = { &nl_rule_softirq_delay, NULL };

static const struct nl_bpf_use softirq_bpf[] = {
	{ "softirq_raise", false },
	{ "softirq_entry", false },
	{ "softirq_exit", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_softirq = {
	"softirq", "NET_RX / NET_TX softirqs", "softirq count, handler time, raise-to-run delay per CPU",
	"cpu vec", softirq_tps, NULL, softirq_stats, NULL, 0, &softirq_headline, &softirq_views, NULL,
	softirq_rules, NULL, false,
	{ 0, 0, 0 },
	.bpf_programs = softirq_bpf,
	.bpf_hooks = &softirq_bpf_hooks,
};
