// SPDX-License-Identifier: GPL-2.0
/* The gso metric's descriptor: GSO/TSO segmentation. */
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "metric_summaries.h"
#include "metric_views.h"

/* gso: net:net_dev_start_xmit per device; gso_segs 0 means a non-GSO skb, one segment. */
static const char *const gso_tps[] = { "net:net_dev_start_xmit", NULL };
static const struct nl_stat_desc gso_stats[] = {
	{ "xmits", NL_COUNTER, "", "skbs handed to the driver" },
	{ "segments", NL_COUNTER, "segs", "wire segments those skbs become" },
	{ "bytes", NL_COUNTER, "bytes", "skb->len summed" },
	{ "segs", NL_HIST, "segs", "segments per transmit" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived gso_derived[] = {
	{ "segs_per_xmit", "segments", "xmits", "segments per transmit (1 = no GSO/TSO)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

static const struct nl_headline gso_headline = { "dev", NULL, NULL, "segs_per_xmit", NULL, NULL, "segs/xmit", NULL, 0, NULL };

/* `netlat diff` defaults (docs/diff.md): fewer segments per transmit is more per-packet work */
static const struct nl_threshold gso_diff_defaults[] = {
	NL_THRESHOLD_DOWN("gso.segs_per_xmit.ratio", "", 5),
	{ .pattern = "" },
};

static const struct nl_bpf_use gso_bpf[] = {
	{ "net_dev_start_xmit", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_gso = {
	"gso", "GSO/TSO segmentation", "transmits, segments and bytes per device",
	"dev netns|dev", gso_tps, NULL, gso_stats, gso_derived, 0, &gso_headline, NULL, NULL,
	NULL, gso_diff_defaults, false,
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = gso_bpf,
};
