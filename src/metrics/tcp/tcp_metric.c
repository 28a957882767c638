// SPDX-License-Identifier: GPL-2.0
/* The tcp metric's descriptor: TCP handshakes, RTT, retransmits and flows. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"

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

static const struct nl_headline tcp_headline = { "side", "side=", NULL, NULL, NULL, tcp_summary_totals, NULL, NULL, 0, NULL };
static const struct nl_metric_views tcp_views = { .text_after = tcp_flows_text, .top_section = tcp_top_flows };

extern const struct nl_rule nl_rule_tcp_errors;
static const struct nl_rule *const tcp_rules[] = { &nl_rule_tcp_errors, NULL };

static const struct nl_bpf_use tcp_bpf[] = {
	{ "inet_sock_set_state", false },
	{ "tcp_probe", false },
	{ "tcp_retransmit_skb", false },
	{ "tcp_send_reset", false },
	{ "tcp_receive_reset", false },
	{ "sock_recv_length", false },
	{ "sock_send_length", false },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_tcp = {
	"tcp", "TCP handshakes, RTT, retransmits and flows",
	"handshake time, smoothed RTT, retransmits, resets and top flows",
	"side netns|side|netns|flow netns comm pid|flow comm pid", tcp_tps, tcp_opt_tps, tcp_stats, NULL, 0, &tcp_headline, &tcp_views, NULL,
	tcp_rules, NULL, false,
	{ NL_FILTER_NETNS | NL_FILTER_PORT, NL_FILTER_PORT, 0 },
	.bpf_programs = tcp_bpf,
};
