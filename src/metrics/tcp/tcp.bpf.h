/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp, kernel side: handshakes (inet_sock_set_state), smoothed RTT
 * (tcp_probe), retransmits and resets per netns, and bytes per flow and
 * process (sock_recv_length / sock_send_length, which run in the process
 * that moves the data, so it can be named there and nowhere else).
 */
#ifndef NETLAT_TCP_BPF_H
#define NETLAT_TCP_BPF_H

#include <bpf/bpf_endian.h>
#include "tcp.h"

/* enum tcp_state values the uapi fixed long ago */
#define NL_TCP_ESTABLISHED	1
#define NL_TCP_SYN_SENT		2
#define NL_TCP_SYN_RECV		3
#define NL_TCP_CLOSE		7

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TCP_MAX_PENDING);
	__type(key, __u64);		/* sock address */
	__type(value, __u64);		/* SYN_SENT / SYN_RECV time, ns */
} tcp_pending SEC(".maps");

NL_KEYED_ROWS(tcp_ns_row, struct nl_tcp_ns_key, TCP_MAX_NS_ROWS)
NL_KEYED_ROWS(tcp_flow_row, struct nl_tcp_key, TCP_MAX_ROWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCP_MAX_NS_ROWS);
	__type(key, __u32);
	__type(value, struct nl_tcp_val);
} tcp_ns_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCP_MAX_ROWS);
	__type(key, __u32);
	__type(value, struct nl_tcp_flow_val);
} tcp_flow_rows SEC(".maps");

static __always_inline bool sk_is_tcp(const struct sock *sk)
{
	return sk && NL_RD(sk, sk_protocol) == NL_IPPROTO_TCP;
}

/* Local and remote port of sk, host order. */
static __always_inline void sk_ports(const struct sock *sk, __u16 *lport, __u16 *rport)
{
	*lport = NL_RD(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(NL_RD(sk, __sk_common.skc_dport));
}

/* netns and --port of sk pass? */
static __always_inline bool sk_ok(const struct sock *sk, __u32 *netns)
{
	__u16 lport, rport;

	*netns = nl_sk_netns(sk);
	if (!nl_netns_ok(*netns))
		return false;
	if (!nl_filter.port)
		return true;
	sk_ports(sk, &lport, &rport);
	return nl_port_ok(lport, rport);
}

static __always_inline struct nl_tcp_val *tcp_ns_row(__u32 kind, __u32 netns)
{
	struct nl_tcp_ns_key key = { .kind = kind, .netns = netns };
	__u32 idx = tcp_ns_row_index(&key);

	return bpf_map_lookup_elem(&tcp_ns_rows, &idx);
}

static __always_inline void tcp_handshake_done(const struct sock *sk, __u32 kind, __u32 netns, __u64 now)
{
	__u64 addr = nl_addr(sk), *t0 = bpf_map_lookup_elem(&tcp_pending, &addr);
	struct nl_tcp_val *v = tcp_ns_row(kind, netns);
	__u64 start = t0 ? *t0 : 0;

	if (t0)
		bpf_map_delete_elem(&tcp_pending, &addr);
	if (!v)
		return;
	v->handshakes++;
	/* A socket that started before the recording still counts, without a time. */
	if (start && now >= start)
		nl_hist_put(&v->handshake, now - start);
}

/* trace_inet_sock_set_state(sk, oldstate, newstate) from inet_sk_set_state. */
static __always_inline bool tcp_on_set_state(const struct sock *sk, int oldstate, int newstate)
{
	__u64 addr = nl_addr(sk), now;
	__u32 netns;

	if (!sk_is_tcp(sk) || !sk_ok(sk, &netns))
		return false;
	now = bpf_ktime_get_ns();
	if (newstate == NL_TCP_SYN_SENT || newstate == NL_TCP_SYN_RECV)
		bpf_map_update_elem(&tcp_pending, &addr, &now, BPF_ANY);
	else if (newstate == NL_TCP_ESTABLISHED && oldstate == NL_TCP_SYN_SENT)
		tcp_handshake_done(sk, TCP_ROW_CLIENT, netns, now);
	else if (newstate == NL_TCP_ESTABLISHED && oldstate == NL_TCP_SYN_RECV)
		tcp_handshake_done(sk, TCP_ROW_SERVER, netns, now);
	else if (newstate == NL_TCP_CLOSE)
		bpf_map_delete_elem(&tcp_pending, &addr);
	return true;
}

/* trace_tcp_probe(sk, skb) in tcp_rcv_established: the tracepoint prints srtt_us >> 3, in us. */
static __always_inline bool tcp_on_probe(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	struct nl_tcp_val *v;
	__u32 netns;

	if (!sk || !sk_ok(sk, &netns))
		return false;
	v = tcp_ns_row(TCP_ROW_NETNS, netns);
	if (v)
		nl_hist_put(&v->srtt, (__u64)(BPF_CORE_READ(tp, srtt_us) >> 3) * 1000);
	return true;
}

/* The namespace row of sk, if the filters let it in: where retransmits and resets are counted. */
static __always_inline struct nl_tcp_val *tcp_sk_row(const struct sock *sk, bool *passed)
{
	__u32 netns;

	*passed = sk && sk_ok(sk, &netns);
	return *passed ? tcp_ns_row(TCP_ROW_NETNS, netns) : NULL;
}

/* trace_tcp_retransmit_skb(sk, skb[, err]) */
static __always_inline bool tcp_on_retransmit(const struct sock *sk)
{
	bool passed;
	struct nl_tcp_val *v = tcp_sk_row(sk, &passed);

	if (v)
		v->retransmits++;
	return passed;
}

/* Ports of the TCP header of skb (an incoming segment a reset answers), host order. */
static __always_inline void skb_tcp_ports(const struct sk_buff *skb, __u16 *sport, __u16 *dport)
{
	unsigned char *head = NL_RD(skb, head);
	__u16 off = NL_RD(skb, transport_header);
	__u16 p[2] = {};

	bpf_probe_read_kernel(p, sizeof(p), head + off);
	*sport = bpf_ntohs(p[0]);
	*dport = bpf_ntohs(p[1]);
}

/*
 * trace_tcp_send_reset(sk, skb[, reason]): sk is NULL for a reset sent with
 * no socket (a segment to a closed port); then the skb it answers tells
 * the namespace and ports.
 */
static __always_inline bool tcp_on_send_reset(const struct sock *sk, const struct sk_buff *skb)
{
	struct nl_tcp_val *v;
	__u16 sport = 0, dport = 0;
	__u32 netns;

	if (sk) {
		if (!sk_ok(sk, &netns))
			return false;
	} else if (skb) {
		netns = nl_dev_netns(NL_RD(skb, dev));
		skb_tcp_ports(skb, &sport, &dport);
		if (!nl_netns_ok(netns) || !nl_port_ok(sport, dport))
			return false;
	} else {
		return false;
	}
	v = tcp_ns_row(TCP_ROW_NETNS, netns);
	if (v)
		v->resets_sent++;
	return true;
}

/* trace_tcp_receive_reset(sk) in tcp_reset */
static __always_inline bool tcp_on_receive_reset(const struct sock *sk)
{
	bool passed;
	struct nl_tcp_val *v = tcp_sk_row(sk, &passed);

	if (v)
		v->resets_received++;
	return passed;
}

struct nl_row_cache_map tcp_flow_cache SEC(".maps");

/* The flow row of sk for the current process (local end first): from this CPU's cache, else built. */
static __always_inline struct nl_tcp_flow_val *tcp_flow_row(const struct sock *sk, __u32 netns)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 ports = NL_RD(sk, __sk_common.skc_portpair), idx;
	struct nl_row_cache_ent *ce;
	struct nl_tcp_key key = {};
	bool hit;

	ce = nl_row_cached(&tcp_flow_cache, ports ^ (__u32)pid_tgid, nl_addr(sk), pid_tgid, ports, &hit);
	if (hit)
		return bpf_map_lookup_elem(&tcp_flow_rows, &ce->idx);
	key.kind = TCP_ROW_FLOW;
	key.netns = netns;
	key.pid = pid_tgid >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.family = NL_RD(sk, __sk_common.skc_family);
	sk_ports(sk, &key.lport, &key.rport);
	if (key.family == NL_AF_INET6) {
		BPF_CORE_READ_INTO(&key.laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&key.raddr, sk, __sk_common.skc_v6_daddr);
	} else {
		BPF_CORE_READ_INTO((__u32 *)key.laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)key.raddr, sk, __sk_common.skc_daddr);
	}
	idx = tcp_flow_row_index(&key);
	nl_row_cache_fill(ce, nl_addr(sk), pid_tgid, ports, idx);
	return bpf_map_lookup_elem(&tcp_flow_rows, &idx);
}

/* sock_recv_length / sock_send_length (sk, ret, flags), in the process that moved the data. */
static __always_inline bool tcp_on_length(const struct sock *sk, int ret, int flags, bool in)
{
	struct nl_tcp_flow_val *v;
	__u32 netns;

	if (ret <= 0 || (flags & NL_MSG_PEEK) || !sk_is_tcp(sk) || !sk_ok(sk, &netns))
		return false;
	v = tcp_flow_row(sk, netns);
	if (!v)
		return false;
	if (in)
		v->bytes_in += ret;
	else
		v->bytes_out += ret;
	return true;
}

#endif
