// SPDX-License-Identifier: GPL-2.0
/*
 * The path metrics drawn as ladders (report's ladder view, plot's ladder
 * chart): stage orders come from the metric's shared header (rx/rx.h,
 * tx/tx.h), the one place the names are spelt; the gaps say why a stage can
 * have no rows, per collector.
 */
#include <string.h>

#include "rx/rx.h"
#include "tx/tx.h"
#include "netlat/path_ladder.h"
#include "netlat/util.h"

static const char *const rx_stages[RX_NSTAGES] = RX_STAGE_NAMES;
static const char *const rx_points[RX_NPOINTS] = RX_POINT_NAMES;
static const char *const tx_stages[TX_NSTAGES] = TX_STAGE_NAMES;

static const struct nl_ladder_gap rx_gaps[] = {
	{ "*", "gro_hold", "no skb went through GRO on this device" },
	{ "*", "backlog", "no skb went through a per-CPU backlog (netif_rx, RPS) on this device" },
	{ "tracefs", "stack", "TCP data only (tcp_probe with skbaddr, Linux 6.2+): UDP needs sk_data_ready's "
	  "queue tail, which only BPF reads" },
	{ "tracefs", "socket_queue", "TCP data only (tcp_probe with skbaddr, Linux 6.2+), and none was read" },
	{ "*", "stack", "no TCP data (tcp_probe) or UDP enqueue (sk_data_ready, Linux 6.6+) seen" },
	{ "*", "socket_queue", "no data was read by an application" },
	{ "*", "total", "no data was read by an application" },
	{ "tracefs", "ages", "not measurable with tracefs: skb->tstamp is in no tracepoint's fields" },
	{ "*", "ages", "no received skb carried an arrival stamp" },
	/* age points */
	{ "*", "ip_start", "no arrival stamp yet: TCP over loopback/veth keeps its monotonic departure "
	  "time in skb->tstamp until ip_local_deliver" },
	{ "*", "tcp_start", "no TCP data received" },
	{ "*", "udp_start", "needs sock:sk_data_ready (Linux 6.6+) and UDP traffic" },
	{ "*", "socket_enqueued", "needs sock:sk_data_ready (Linux 6.6+)" },
	{ "*", "socket_read", "nothing was read" },
	{ NULL, NULL, NULL },
};

static const struct nl_ladder_gap tx_gaps[] = {
	{ "tracefs", "send_to_dev", "not measurable with tracefs: TCP sends a clone, pairing needs the TCP "
	  "sequence from the segment's header, which net_dev_queue does not carry" },
	{ "bpf", "send_to_dev", "TCP only: no send paired with its segment (needs tcp:tcp_sendmsg_locked, "
	  "Linux 6.3+)" },
	{ "*", "qdisc", "no qdisc on this device (noqueue, e.g. veth and lo by default)" },
	{ "*", "driver", "no skb reached the driver" },
	{ "*", "completion", "no transmitted skb seen freed: veth and lo hand the skb to the peer's stack, "
	  "whose frees mostly have no tracepoint" },
	{ "*", "total", "ends at completion" },
	{ NULL, NULL, NULL },
};

const struct nl_path_ladder nl_path_ladders[] = {
	{ "rx", "RX path", rx_stages, RX_NSTAGES, rx_points, RX_NPOINTS, rx_gaps },
	{ "tx", "TX path", tx_stages, TX_NSTAGES, NULL, 0, tx_gaps },
};
const size_t nl_path_nladders = ARRAY_SIZE(nl_path_ladders);

const struct nl_path_ladder *nl_path_ladder_of(const char *metric)
{
	for (size_t i = 0; i < nl_path_nladders; i++)
		if (!strcmp(nl_path_ladders[i].metric, metric))
			return &nl_path_ladders[i];
	return NULL;
}

const char *nl_ladder_gap_why(const struct nl_path_ladder *l, const char *backend, const char *stage)
{
	for (const struct nl_ladder_gap *g = l->gaps; g->stage; g++)
		if (!strcmp(g->stage, stage) && (!strcmp(g->backend, "*") || !strcmp(g->backend, backend)))
			return g->why;
	return "not seen";
}
