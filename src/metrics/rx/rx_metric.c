// SPDX-License-Identifier: GPL-2.0
/* The rx metric's descriptor: the RX latency ladder. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "shared_programs.h"
#include "metric_views.h"
#include "metric_bpf_hooks.h"

/*
 * rx: one skb followed up the stack, paired per skb address. Stage rows
 * "stage=S dev=D" (D: the device of the skb's first stage), stages in ladder
 * order gro_hold (napi_gro_*_entry -> netif_receive_skb), backlog (netif_rx
 * -> netif_receive_skb), stack (netif_receive_skb -> tcp_probe, or
 * sk_data_ready for UDP), socket_queue (-> first skb_copy_datagram_iovec),
 * total (first stage -> that copy). Age rows "point=P": now - skb->tstamp at
 * ip_start, tcp_start, udp_start, socket_enqueued, socket_read (BPF only:
 * no tracepoint carries skb->tstamp). Flow rows "flow=S:P>D:Q": socket
 * queue wait of TCP data per flow (tcp_probe's local address first).
 * A free (consume_skb/kfree_skb) ends an skb's life, so a reused address
 * starts clean; a GRO-merged segment never reaches netif_receive_skb.
 * 6.1 lacks sk_data_ready: UDP then has no stack/socket_queue stage.
 */
static const char *const rx_tps[] = {
	"net:napi_gro_receive_entry", "net:netif_rx", "net:netif_receive_skb", "tcp:tcp_probe",
	"skb:skb_copy_datagram_iovec", "skb:consume_skb", "skb:kfree_skb", NULL,
};
static const char *const rx_opt_tps[] = {
	"net:napi_gro_frags_entry", "net:netif_receive_skb_entry", "net:netif_receive_skb_list_entry",
	"sock:sk_data_ready", "sock:sock_recv_length", NULL,
};
static const struct nl_stat_desc rx_stats[] = {
	{ "packets", NL_COUNTER, "pkts", "skbs that completed the stage" },
	{ "latency", NL_HIST, "ns", "time spent in the stage" },
	{ "age", NL_HIST, "ns", "time since skb->tstamp (arrival stamp) at the point" },
	{ "sockq_wait", NL_HIST, "ns", "TCP data's wait in the socket queue, per flow: per read, its oldest byte" },
	{ "sockq_wait_bytes", NL_HIST, "ns", "the same, every byte read (byte-weighted; method=bytes rows)" },
	{ "sockq_bytes", NL_COUNTER, "bytes", "bytes read whose wait is known (method=bytes rows)" },
	{ "sockq_arrived", NL_COUNTER, "bytes", "bytes that became readable, counted at the reads (method=bytes rows)" },
	{ NULL, 0, NULL, NULL },
};

static const struct nl_headline rx_headline = { "stage", "stage=total ", "latency", NULL, NULL, NULL, NULL, NULL, 0, NULL };
static const struct nl_metric_views rx_views = { .ladder_notes = rx_sockq_method_notes };

extern const struct nl_rule nl_rule_sockq_wait;
static const struct nl_rule *const rx_rules[] = { &nl_rule_sockq_wait, NULL };

static const struct nl_bpf_use rx_bpf[] = {
	NL_BPF_RX_ENTRY_PROGRAMS,
	{ "tcp_probe", false },
	{ "skb_copy_datagram_iovec", false },
	{ "sk_data_ready", false },
	{ "sock_recv_length", false },
	{ "consume_skb", false },
	{ "kfree_skb", false },
	{ NULL, false },
};

/* What the lesser backends miss of rx (netlat probe) */
static const struct nl_backend_limit rx_limits[] = {
	{ "tracefs", "TCP socket_queue and sockq_wait by skb pairing only, blind to segments TCP "
	  "coalesced and to reads shorter than an skb: no tracepoint carries a received segment's "
	  "sequence or copied_seq (bpf with tp_btf measures them by bytes); no arrival ages" },
	{ "raw_tp", "TCP socket_queue and sockq_wait by skb pairing only: the byte-accurate "
	  "wait keeps per-socket state in socket storage, which needs tp_btf" },
	{ NULL, NULL },
};

const struct nl_metric_desc nl_metric_rx = {
	"rx", "RX latency ladder", "where a received packet's time goes: GRO, backlog, stack, socket queue",
	"stage dev|point|flow", rx_tps, rx_opt_tps, rx_stats, NULL, 0, &rx_headline, &rx_views, &rx_ladder,
	rx_rules, NULL, false,
	{ 0, 0, 0 },
	.bpf_programs = rx_bpf,
	.limits = rx_limits,
	.bpf_hooks = &rx_bpf_hooks,
};
