// SPDX-License-Identifier: GPL-2.0
/* The tx metric's descriptor: the TX latency ladder. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "metric_summaries.h"
#include "metric_views.h"
#include "metric_bpf_hooks.h"

/*
 * tx: stage rows "stage=S dev=D", S in ladder order send_to_dev
 * (tcp_sendmsg_locked -> net_dev_queue of the segment holding the send's
 * first byte, paired by socket and TCP sequence since TCP sends a clone;
 * needs the TCP header, so BPF only, and Linux 6.3+ for the tracepoint),
 * qdisc (qdisc_enqueue -> qdisc_dequeue), driver (net_dev_start_xmit ->
 * net_dev_xmit), completion (net_dev_xmit -> the skb freed; on veth and
 * loopback the same skb goes on up the peer's stack, so this includes the
 * receive path), total (first stamp -> freed).
 */
static const char *const tx_tps[] = {
	"net:net_dev_queue", "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue", "net:net_dev_start_xmit",
	"net:net_dev_xmit", "skb:consume_skb", "skb:kfree_skb", NULL,
};
static const char *const tx_opt_tps[] = { "tcp:tcp_sendmsg_locked", NULL };
static const struct nl_stat_desc tx_stats[] = {
	{ "packets", NL_COUNTER, "pkts", "skbs that completed the stage" },
	{ "latency", NL_HIST, "ns", "time spent in the stage" },
	{ NULL, 0, NULL, NULL },
};

static const struct nl_headline tx_headline = { "stage", "stage=total ", "latency", NULL, NULL, NULL, NULL, NULL, 0, NULL };

static const struct nl_bpf_use tx_bpf[] = {
	{ "tcp_sendmsg_locked", false },
	{ "net_dev_queue", false },
	{ "qdisc_enqueue", false },
	{ "qdisc_dequeue", false },
	{ "net_dev_start_xmit", false },
	{ "net_dev_xmit", false },
	{ "consume_skb", false },
	{ "kfree_skb", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_tx = {
	"tx", "TX latency ladder", "where a sent packet's time goes: send to device, qdisc, driver, completion",
	"stage dev", tx_tps, tx_opt_tps, tx_stats, NULL, 0, &tx_headline, NULL, &tx_ladder,
	NULL, NULL, false,
	{ 0, 0, 0 },
	.bpf_programs = tx_bpf,
	.bpf_hooks = &tx_bpf_hooks,
};
