// SPDX-License-Identifier: GPL-2.0
/* The gro metric's descriptor: GRO coalescing. */
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "shared_programs.h"
#include "metric_views.h"

/*
 * gro: packets entering the stack per device, through GRO
 * (napi_gro_receive_entry, napi_gro_frags_entry) or around it (netif_rx,
 * netif_receive_skb_entry, netif_receive_skb_list_entry), against skbs
 * delivered up (netif_receive_skb, once per skb in __netif_receive_skb_core).
 */
static const char *const gro_tps[] = {
	"net:napi_gro_receive_entry", "net:netif_rx", "net:netif_receive_skb", NULL,
};
static const char *const gro_opt_tps[] = {
	"net:napi_gro_frags_entry", "net:netif_receive_skb_entry",
	"net:netif_receive_skb_list_entry", NULL,
};
static const struct nl_stat_desc gro_stats[] = {
	{ "gro_in", NL_COUNTER, "pkts", "packets handed to GRO" },
	{ "direct_in", NL_COUNTER, "pkts", "packets that bypassed GRO (netif_rx, netif_receive_skb)" },
	{ "skbs_out", NL_COUNTER, "pkts", "skbs delivered up the stack" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived gro_derived[] = {
	{ "ratio", "gro_in+direct_in", "skbs_out", "packets in per skb out (1 = no coalescing)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

static const struct nl_headline gro_headline = { "dev", NULL, NULL, "ratio", NULL, NULL, "pkts/skb", NULL, 0, NULL };

extern const struct nl_rule nl_rule_gro_ratio;
static const struct nl_rule *const gro_rules[] = { &nl_rule_gro_ratio, NULL };

/* `netlat diff` defaults (docs/diff.md): fewer packets per skb is more per-packet work */
static const struct nl_threshold gro_diff_defaults[] = {
	NL_THRESHOLD_DOWN("gro.ratio.ratio", "", 5),
	{ .pattern = "" },
};

static const struct nl_bpf_use gro_bpf[] = {
	NL_BPF_RX_ENTRY_PROGRAMS,
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_gro = {
	"gro", "GRO coalescing", "packets into GRO against skbs out, per device",
	"dev netns|dev", gro_tps, gro_opt_tps, gro_stats, gro_derived, 0, &gro_headline, NULL, NULL,
	gro_rules, gro_diff_defaults, false,
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = gro_bpf,
};
