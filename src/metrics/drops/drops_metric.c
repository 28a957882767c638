// SPDX-License-Identifier: GPL-2.0
/* The drops metric's descriptor: packet drops. */
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"
#include "metric_bpf_hooks.h"

/* drops: skb:kfree_skb by reason (named by the running kernel) and location (kallsyms). */
static const char *const drops_tps[] = { "skb:kfree_skb", NULL };
static const struct nl_stat_desc drops_stats[] = {
	{ "drops", NL_COUNTER, "pkts", "kfree_skb calls" },
	{ NULL, 0, NULL, NULL },
};

static const struct nl_headline drops_headline = { "reason", NULL, NULL, NULL, "drops", drops_summary_totals, NULL, NULL, 5, NULL };
static const struct nl_metric_views drops_views = { .text_body = drops_by_count_text };

extern const struct nl_rule nl_rule_drops;
static const struct nl_rule *const drops_rules[] = { &nl_rule_drops, NULL };

/* `netlat diff` defaults (docs/diff.md): packets the kernel dropped, per reason */
static const struct nl_threshold drops_diff_defaults[] = {
	NL_THRESHOLD_UP("drops.drops.rate", "", 10),
	{ .pattern = "" },
};

static const struct nl_bpf_use drops_bpf[] = {
	{ "kfree_skb", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_drops = {
	"drops", "Packet drops", "kfree_skb by reason and location",
	"reason location netns|reason location", drops_tps, NULL, drops_stats, NULL, 0, &drops_headline, &drops_views, NULL,
	drops_rules, drops_diff_defaults, false,
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = drops_bpf,
	.bpf_hooks = &drops_bpf_hooks,
};
