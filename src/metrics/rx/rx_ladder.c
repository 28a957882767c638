// SPDX-License-Identifier: GPL-2.0
/*
 * rx as a ladder (the descriptor's ladder: report's ladder view and summary,
 * plot's ladder chart, the HTML page, top): its stages and age points in
 * path order, as rx.h spells them, and why each can have no rows, per
 * collector.
 */
#include "metric_views.h"
#include "rx.h"

_Static_assert(RX_NSTAGES <= NL_PATH_MAX_STAGES, "NL_PATH_MAX_STAGES: rx has more stages");
_Static_assert(RX_NPOINTS <= NL_PATH_MAX_POINTS, "NL_PATH_MAX_POINTS: rx has more age points");

static const char *const rx_stages[RX_NSTAGES] = RX_STAGE_NAMES;
static const char *const rx_points[RX_NPOINTS] = RX_POINT_NAMES;

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

const struct nl_path_ladder rx_ladder = {
	"rx", "RX path", rx_stages, RX_NSTAGES, rx_points, RX_NPOINTS, rx_gaps,
};
