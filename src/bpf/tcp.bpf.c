// SPDX-License-Identifier: GPL-2.0
/*
 * tcp: handshakes (inet_sock_set_state), smoothed RTT (tcp_probe),
 * retransmits and resets per netns, and bytes per flow and process
 * (sock_recv_length / sock_send_length, which run in the process that
 * moves the data, so it can be named there and nowhere else).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "common.bpf.h"
#include "tcp.h"

#define NL_AF_INET	2
#define NL_AF_INET6	10
#define NL_IPPROTO_TCP	6
#define NL_MSG_PEEK	2
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, TCP_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_tcp_key);
	__type(value, struct nl_tcp_val);
} tcp_stats SEC(".maps");

static const struct nl_tcp_val tcp_zero;

static __always_inline bool sk_is_tcp(const struct sock *sk)
{
	return sk && BPF_CORE_READ(sk, sk_protocol) == NL_IPPROTO_TCP;
}

/* Local and remote port of sk, host order. */
static __always_inline void sk_ports(const struct sock *sk, __u16 *lport, __u16 *rport)
{
	*lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
}

/* netns and --port of sk pass? */
static __always_inline bool sk_ok(const struct sock *sk, __u32 *netns)
{
	__u16 lport, rport;

	*netns = nl_sk_netns(sk);
	if (!nl_netns_ok(*netns))
		return false;
	sk_ports(sk, &lport, &rport);
	return nl_port_ok(lport, rport);
}

static __always_inline struct nl_tcp_val *tcp_row(__u32 kind, __u32 netns)
{
	struct nl_tcp_key key = {};

	key.kind = kind;
	key.netns = netns;
	return nl_row(&tcp_stats, &key, &tcp_zero);
}

static __always_inline void handshake_done(const struct sock *sk, __u32 kind, __u32 netns, __u64 now)
{
	__u64 addr = (__u64)sk, *t0 = bpf_map_lookup_elem(&tcp_pending, &addr);
	struct nl_tcp_val *v = tcp_row(kind, netns);
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
SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(nl_tcp_set_state, const struct sock *sk, int oldstate, int newstate)
{
	__u64 addr = (__u64)sk, now;
	__u32 netns;

	if (!nl_begin() || !sk_is_tcp(sk) || !sk_ok(sk, &netns))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	now = bpf_ktime_get_ns();
	if (newstate == NL_TCP_SYN_SENT || newstate == NL_TCP_SYN_RECV)
		bpf_map_update_elem(&tcp_pending, &addr, &now, BPF_ANY);
	else if (newstate == NL_TCP_ESTABLISHED && oldstate == NL_TCP_SYN_SENT)
		handshake_done(sk, TCP_ROW_CLIENT, netns, now);
	else if (newstate == NL_TCP_ESTABLISHED && oldstate == NL_TCP_SYN_RECV)
		handshake_done(sk, TCP_ROW_SERVER, netns, now);
	else if (newstate == NL_TCP_CLOSE)
		bpf_map_delete_elem(&tcp_pending, &addr);
	return 0;
}

/* trace_tcp_probe(sk, skb) in tcp_rcv_established: the tracepoint prints srtt_us >> 3, in us. */
SEC("raw_tp/tcp_probe")
int BPF_PROG(nl_tcp_probe, const struct sock *sk, const struct sk_buff *skb)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	struct nl_tcp_val *v;
	__u32 netns;

	if (!nl_begin() || !sk || !sk_ok(sk, &netns))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = tcp_row(TCP_ROW_NETNS, netns);
	if (v)
		nl_hist_put(&v->srtt, (__u64)(BPF_CORE_READ(tp, srtt_us) >> 3) * 1000);
	return 0;
}

/* trace_tcp_retransmit_skb(sk, skb[, err]) */
SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(nl_tcp_retransmit, const struct sock *sk)
{
	struct nl_tcp_val *v;
	__u32 netns;

	if (!nl_begin() || !sk || !sk_ok(sk, &netns))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = tcp_row(TCP_ROW_NETNS, netns);
	if (v)
		v->retransmits++;
	return 0;
}

/* Ports of the TCP header of skb (an incoming segment a reset answers), host order. */
static __always_inline void skb_ports(const struct sk_buff *skb, __u16 *sport, __u16 *dport)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 off = BPF_CORE_READ(skb, transport_header);
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
SEC("raw_tp/tcp_send_reset")
int BPF_PROG(nl_tcp_send_reset, const struct sock *sk, const struct sk_buff *skb)
{
	struct nl_tcp_val *v;
	__u16 sport = 0, dport = 0;
	__u32 netns;

	if (!nl_begin())
		return 0;
	if (sk) {
		if (!sk_ok(sk, &netns))
			return 0;
	} else if (skb) {
		netns = nl_dev_netns(BPF_CORE_READ(skb, dev));
		skb_ports(skb, &sport, &dport);
		if (!nl_netns_ok(netns) || !nl_port_ok(sport, dport))
			return 0;
	} else {
		return 0;
	}
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = tcp_row(TCP_ROW_NETNS, netns);
	if (v)
		v->resets_sent++;
	return 0;
}

/* trace_tcp_receive_reset(sk) in tcp_reset */
SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(nl_tcp_receive_reset, const struct sock *sk)
{
	struct nl_tcp_val *v;
	__u32 netns;

	if (!nl_begin() || !sk || !sk_ok(sk, &netns))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = tcp_row(TCP_ROW_NETNS, netns);
	if (v)
		v->resets_received++;
	return 0;
}

/* The flow row of sk for the current process (local end first). */
static __always_inline struct nl_tcp_val *flow_row(const struct sock *sk, __u32 netns)
{
	struct nl_tcp_key key = {};

	key.kind = TCP_ROW_FLOW;
	key.netns = netns;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	sk_ports(sk, &key.lport, &key.rport);
	if (key.family == NL_AF_INET6) {
		BPF_CORE_READ_INTO(&key.laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&key.raddr, sk, __sk_common.skc_v6_daddr);
	} else {
		BPF_CORE_READ_INTO((__u32 *)key.laddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)key.raddr, sk, __sk_common.skc_daddr);
	}
	return nl_row(&tcp_stats, &key, &tcp_zero);
}

static __always_inline void flow_bytes(const struct sock *sk, int ret, int flags, bool in)
{
	struct nl_tcp_val *v;
	__u32 netns;

	if (!nl_begin() || ret <= 0 || (flags & NL_MSG_PEEK) || !sk_is_tcp(sk) || !sk_ok(sk, &netns))
		return;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = flow_row(sk, netns);
	if (!v)
		return;
	if (in)
		v->bytes_in += ret;
	else
		v->bytes_out += ret;
}

/* trace_sock_recv_length(sk, ret, flags) in sock_recvmsg_nosec, process context. */
SEC("raw_tp/sock_recv_length")
int BPF_PROG(nl_tcp_recv_length, const struct sock *sk, int ret, int flags)
{
	flow_bytes(sk, ret, flags, true);
	return 0;
}

/* trace_sock_send_length(sk, ret, flags) in sock_sendmsg_nosec, process context. */
SEC("raw_tp/sock_send_length")
int BPF_PROG(nl_tcp_send_length, const struct sock *sk, int ret, int flags)
{
	flow_bytes(sk, ret, flags, false);
	return 0;
}
