// SPDX-License-Identifier: GPL-2.0
/* The sknet metric's descriptor: socket receive-queue overflows. */
#include "netlat/diff.h"
#include "netlat/metric.h"

/*
 * sknet: skbs a socket refused because its receive queue was full
 * (sock:sock_rcvqueue_full, in __sock_queue_rcv_skb: raw, ping and other
 * datagram sockets; the kernel counts each in the socket's sk_drops, the
 * "drops" column of /proc/net/raw). BPF rows "type=T proto=P netns=N";
 * tracefs one total row (the event carries no socket). Opt-in: -m sknet.
 */
static const char *const sknet_tps[] = { "sock:sock_rcvqueue_full", NULL };
static const struct nl_stat_desc sknet_stats[] = {
	{ "overflows", NL_COUNTER, "pkts", "skbs dropped: the socket's receive queue was full" },
	{ "bytes", NL_COUNTER, "bytes", "their truesize, summed (what they would have taken of sk_rcvbuf)" },
	{ NULL, 0, NULL, NULL },
};

static const struct nl_headline sknet_headline = { "type", NULL, NULL, NULL, "overflows", NULL, NULL, NULL, 3, NULL };

/* `netlat diff` defaults (docs/diff.md): more receive-queue overflows */
static const struct nl_threshold sknet_diff_defaults[] = {
	NL_THRESHOLD_UP("sknet.overflows.rate", "", 10),
	{ .pattern = "" },
};

/* its own program, in sknet.bpf.h */
static const struct nl_bpf_use sknet_bpf[] = {
	{ "sock_rcvqueue_full", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_sknet = {
	"sknet", "Socket receive-queue overflows", "skbs dropped at a full socket receive queue, per netns and socket type",
	"type proto netns|", sknet_tps, NULL, sknet_stats, NULL, 0, &sknet_headline, NULL, NULL,
	NULL, sknet_diff_defaults, true,
	/* --netns: BPF keys rows by the socket's namespace; the tracepoint's fields name no socket */
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = sknet_bpf,
};
