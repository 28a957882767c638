// SPDX-License-Identifier: GPL-2.0
/* The table of metrics: names, kernel events and the values each one yields. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/util.h"
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

/*
 * qdisc: qdisc_enqueue -> qdisc_dequeue of the same skb, per device and
 * qdisc handle ("handle=1:" as tc prints it). Empty dequeues (packets=0)
 * are skipped; enqueues never dequeued are evicted and counted as unpaired.
 */
static const char *const qdisc_tps[] = { "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue", NULL };
static const char *const qdisc_opt_tps[] = { "net:net_dev_queue", NULL };
static const struct nl_stat_desc qdisc_stats[] = {
	{ "packets", NL_COUNTER, "pkts", "skbs dequeued with a matching enqueue" },
	{ "sojourn", NL_HIST, "ns", "time from enqueue to dequeue" },
	{ "unpaired", NL_COUNTER, "", "dequeues whose enqueue was not seen or was evicted" },
	{ NULL, 0, NULL, NULL },
};

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

/*
 * tcp: handshakes from sock:inet_sock_set_state (SYN_SENT -> ESTABLISHED on
 * the client, SYN_RECV -> ESTABLISHED on the server), srtt from tcp_probe
 * (srtt_us >> 3), retransmits and resets per netns; flow rows from
 * sock_recv_length/sock_send_length, which run in the process's context and
 * so name it. Rows: "side=client netns=N", "netns=N",
 * "flow=SADDR:SPORT>DADDR:DPORT netns=N comm=X pid=P" (tracefs: no netns).
 */
static const char *const tcp_tps[] = {
	"sock:inet_sock_set_state", "tcp:tcp_probe", "tcp:tcp_retransmit_skb", NULL,
};
static const char *const tcp_opt_tps[] = {
	"tcp:tcp_send_reset", "tcp:tcp_receive_reset", "sock:sock_recv_length",
	"sock:sock_send_length", NULL,
};
static const struct nl_stat_desc tcp_stats[] = {
	{ "handshakes", NL_COUNTER, "", "connections that reached ESTABLISHED" },
	{ "handshake", NL_HIST, "ns", "SYN_SENT (client) or SYN_RECV (server) to ESTABLISHED" },
	{ "srtt", NL_HIST, "ns", "smoothed RTT seen by tcp_probe, per segment received" },
	{ "retransmits", NL_COUNTER, "", "tcp_retransmit_skb" },
	{ "resets_sent", NL_COUNTER, "", "tcp_send_reset" },
	{ "resets_received", NL_COUNTER, "", "tcp_receive_reset" },
	{ "bytes_in", NL_COUNTER, "bytes", "bytes received by the process (sock_recv_length)" },
	{ "bytes_out", NL_COUNTER, "bytes", "bytes sent by the process (sock_send_length)" },
	{ NULL, 0, NULL, NULL },
};

/* drops: skb:kfree_skb by reason (named by the running kernel) and location (kallsyms). */
static const char *const drops_tps[] = { "skb:kfree_skb", NULL };
static const struct nl_stat_desc drops_stats[] = {
	{ "drops", NL_COUNTER, "pkts", "kfree_skb calls" },
	{ NULL, 0, NULL, NULL },
};

/*
 * copy: bytes copied to user (skb_copy_datagram_iovec), bytes per send and
 * receive call (sock_send_length, sock_recv_length) and the time of the
 * socket system calls that moved them (raw_syscalls), per direction and
 * process. syscall_time includes waiting for data: an upper bound of the
 * copy cost, not the copy itself.
 */
/*
 * raw_syscalls run on every system call of the machine: the BPF collector
 * attaches them only with --syscall-time; without them syscall_time and
 * syscall_ns stay empty.
 */
static const char *const copy_tps[] = { "skb:skb_copy_datagram_iovec", NULL };
static const char *const copy_opt_tps[] = {
	"sock:sock_recv_length", "sock:sock_send_length", "raw_syscalls:sys_enter", "raw_syscalls:sys_exit", NULL,
};
static const struct nl_stat_desc copy_stats[] = {
	{ "bytes", NL_COUNTER, "bytes", "rx: copied to user; tx: accepted by send calls" },
	{ "calls", NL_COUNTER, "", "receive/send calls that moved data" },
	{ "per_call", NL_HIST, "bytes", "bytes per receive/send call" },
	{ "syscall_ns", NL_COUNTER, "ns", "time in the socket system calls that moved data" },
	{ "syscall_time", NL_HIST, "ns", "one such system call, entry to exit" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived copy_derived[] = {
	{ "ns_per_kib", "syscall_ns", "bytes", "system call time per KiB moved (upper bound of copy cost)",
	  1024 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/*
 * Function metrics (collector_func.c, include/netlat/func.h): no
 * tracepoints; each function gets the best of five probe tiers. Under the
 * sample tier rows carry samples/cpu_samples (share of CPU time in the
 * function and its callees) instead of durations. ehash: rows "func=F
 * netns=N" ("func=F" where the tier sees no arguments) and a global row
 * with the table size and established sockets; copyfn: "func=F" rows with
 * bytes from the function's length argument or return value, and
 * "bench=memcpy" (this machine's memcpy, measured once); func: -F.
 */
static const struct nl_stat_desc ehash_stats[] = {
	{ "calls", NL_COUNTER, "", "lookups" },
	{ "ns", NL_COUNTER, "ns", "time in the lookups, summed" },
	{ "duration", NL_HIST, "ns", "one lookup, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ "table_size", NL_COUNTER, "", "established-hash buckets (net.ipv4.tcp_ehash_entries)" },
	{ "established", NL_COUNTER, "", "established TCP sockets in netlat's netns, at the first interval" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived ehash_derived[] = {
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ "avg_chain", "established", "table_size", "established sockets per bucket: the average chain length", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct nl_stat_desc copyfn_stats[] = {
	{ "calls", NL_COUNTER, "", "calls" },
	{ "bytes", NL_COUNTER, "bytes", "bytes copied (length argument or return value)" },
	{ "ns", NL_COUNTER, "ns", "time in the function, summed" },
	{ "duration", NL_HIST, "ns", "one call, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived copyfn_derived[] = {
	{ "ns_per_kib", "ns", "bytes", "nanoseconds per KiB copied (bench=memcpy: the memory limit)", 1024 },
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct nl_stat_desc func_stats[] = {
	{ "calls", NL_COUNTER, "", "calls" },
	{ "ns", NL_COUNTER, "ns", "time in the function, summed" },
	{ "duration", NL_HIST, "ns", "one call, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived func_derived[] = {
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/*
 * The summary report's line of each metric (struct nl_headline); the five commonest
 * drop reasons, three rows of the others.
 */
static const struct nl_headline napi_headline = { "dev", NULL, NULL, "budget_exhausted_ratio", NULL, napi_summary_totals, "at budget %", NULL, 0 };
static const struct nl_headline softirq_headline = { "cpu", NULL, "raise_delay", NULL, NULL, NULL, NULL, "duration", 0 };
static const struct nl_headline gro_headline = { "dev", NULL, NULL, "ratio", NULL, NULL, "pkts/skb", NULL, 0 };
static const struct nl_headline gso_headline = { "dev", NULL, NULL, "segs_per_xmit", NULL, NULL, "segs/xmit", NULL, 0 };
static const struct nl_headline qdisc_headline = { "dev", NULL, "sojourn", NULL, NULL, NULL, NULL, NULL, 0 };
static const struct nl_headline rx_headline = { "stage", "stage=total ", "latency", NULL, NULL, NULL, NULL, NULL, 0 };
static const struct nl_headline tx_headline = { "stage", "stage=total ", "latency", NULL, NULL, NULL, NULL, NULL, 0 };
static const struct nl_headline tcp_headline = { "side", "side=", NULL, NULL, NULL, tcp_summary_totals, NULL, NULL, 0 };
static const struct nl_headline drops_headline = { "reason", NULL, NULL, NULL, "drops", drops_summary_totals, NULL, NULL, 5 };
static const struct nl_headline copy_headline = { "dir", NULL, NULL, "ns_per_kib", NULL, NULL, "ns/KiB", NULL, 0 };
static const struct nl_headline ehash_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0 };
static const struct nl_headline copyfn_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0 };
static const struct nl_headline func_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0 };

/* The views of their own that some metrics add to the generic tables and charts. */
static const struct nl_metric_views napi_views = { .chart = napi_cpu_chart };
static const struct nl_metric_views softirq_views = { .chart = softirq_cpu_chart, .top_section = softirq_top_cpus };
/* without the tx ladder, the qdisc metric is the one transmit stage top has */
static const struct nl_metric_views qdisc_views = { .top_stage_rows = qdisc_top_stage_rows, .top_stands_in_for = "tx" };
static const struct nl_metric_views rx_views = { .ladder_notes = rx_sockq_method_notes };
static const struct nl_metric_views tcp_views = { .text_after = tcp_flows_text, .top_section = tcp_top_flows };
static const struct nl_metric_views drops_views = { .text_body = drops_by_count_text };

const struct nl_metric_desc nl_metrics[] = {
	{ "napi", "NAPI polls and softnet budget", "NAPI polls, work per poll, budget exhaustion, time_squeeze",
	  "dev netns|dev|cpu", napi_tps, NULL, napi_stats, napi_derived, NL_SRC_SOFTNET, &napi_headline, &napi_views, NULL },
	{ "softirq", "NET_RX / NET_TX softirqs", "softirq count, handler time, raise-to-run delay per CPU",
	  "cpu vec", softirq_tps, NULL, softirq_stats, NULL, 0, &softirq_headline, &softirq_views, NULL },
	{ "gro", "GRO coalescing", "packets into GRO against skbs out, per device",
	  "dev netns|dev", gro_tps, gro_opt_tps, gro_stats, gro_derived, 0, &gro_headline, NULL, NULL },
	{ "gso", "GSO/TSO segmentation", "transmits, segments and bytes per device",
	  "dev netns|dev", gso_tps, NULL, gso_stats, gso_derived, 0, &gso_headline, NULL, NULL },
	{ "qdisc", "Qdisc sojourn", "enqueue-to-dequeue time per device and qdisc",
	  "dev handle netns|dev handle", qdisc_tps, qdisc_opt_tps, qdisc_stats, NULL, 0, &qdisc_headline, &qdisc_views, NULL },
	{ "rx", "RX latency ladder", "where a received packet's time goes: GRO, backlog, stack, socket queue",
	  "stage dev|point|flow", rx_tps, rx_opt_tps, rx_stats, NULL, 0, &rx_headline, &rx_views, &rx_ladder },
	{ "tx", "TX latency ladder", "where a sent packet's time goes: send to device, qdisc, driver, completion",
	  "stage dev", tx_tps, tx_opt_tps, tx_stats, NULL, 0, &tx_headline, NULL, &tx_ladder },
	{ "tcp", "TCP handshakes, RTT, retransmits and flows",
	  "handshake time, smoothed RTT, retransmits, resets and top flows",
	  "side netns|side|netns|flow netns comm pid|flow comm pid", tcp_tps, tcp_opt_tps, tcp_stats, NULL, 0, &tcp_headline, &tcp_views, NULL },
	{ "drops", "Packet drops", "kfree_skb by reason and location",
	  "reason location netns|reason location", drops_tps, NULL, drops_stats, NULL, 0, &drops_headline, &drops_views, NULL },
	{ "copy", "Copy to/from user", "bytes per call and socket system call time per KiB",
	  "dir comm pid", copy_tps, copy_opt_tps, copy_stats, copy_derived, NL_SRC_MEMCPY_REF, &copy_headline, NULL, NULL },
	{ "ehash", "TCP established-hash lookups (function latency)",
	  "__inet_lookup_established/__inet6_lookup_established time per netns, table size",
	  "func netns|func|", NULL, NULL, ehash_stats, ehash_derived, 0, &ehash_headline, NULL, NULL },
	{ "copyfn", "Copy functions (function latency)",
	  "skb_copy_datagram_iter and _copy_from_iter time and ns per KiB, against memcpy",
	  "func|bench", NULL, NULL, copyfn_stats, copyfn_derived, NL_SRC_MEMCPY_REF, &copyfn_headline, NULL, NULL },
	{ "func", "Function latency (-F)", "any traceable function's time, like funclatency",
	  "func", NULL, NULL, func_stats, func_derived, 0, &func_headline, NULL, NULL },
};
const size_t nl_nmetrics = ARRAY_SIZE(nl_metrics);

const struct nl_metric_desc *nl_metric_find(const char *name)
{
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (!strcmp(nl_metrics[i].name, name))
			return &nl_metrics[i];
	return NULL;
}

const struct nl_stat_desc *nl_metric_stat(const struct nl_metric_desc *m, const char *stat)
{
	for (const struct nl_stat_desc *s = m->stats; s && s->name; s++)
		if (!strcmp(s->name, stat))
			return s;
	return NULL;
}

int nl_metric_list_check(const char *list, char *bad, size_t badlen)
{
	const char *p = list;

	if (!list || !strcmp(list, "all"))
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[NL_NAME_MAX];

		if (n == 0 || n >= sizeof(name)) {
			snprintf(bad, badlen, "%.*s", (int)(n ? n : 1), n ? p : ",");
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (!nl_metric_find(name)) {
			snprintf(bad, badlen, "%s", name);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int nl_metric_selected(const char *list, const char *name)
{
	if (!list || !strcmp(list, "all"))
		return 1;
	return nl_list_has(list, name);
}
