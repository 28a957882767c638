/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rx, kernel side: one skb followed up the receive path, stage by stage,
 * paired in the kernel by skb address, for the skbs the first stage admits
 * (all of them unless the budget governor samples: nl_admit).
 *
 * An skb's life starts at its first stage (napi_gro_*_entry, netif_rx,
 * netif_receive_skb*_entry), which overwrites whatever an earlier skb at the
 * same address left behind, and ends when it is freed (consume_skb,
 * kfree_skb). A segment that GRO merged into another skb is freed without a
 * tracepoint: its record stays until the LRU drops it or its address starts
 * a new life, and it never reaches netif_receive_skb, so it never yields an
 * interval; the merged skb's gro_hold counts from its own (first) segment.
 *
 * Beside the pairs, ages, which need no map and are never sampled: at each
 * point, now - skb->tstamp, the arrival stamp the kernel writes while RX
 * timestamping is on (user space holds an SO_TIMESTAMPNS socket for the
 * recording). skb->tstamp is CLOCK_REALTIME; BPF has no realtime clock, so
 * the age uses CLOCK_TAI minus the TAI-UTC offset user space measured (or,
 * before bpf_ktime_get_tai_ns, Linux 6.1, CLOCK_MONOTONIC plus the
 * realtime-monotonic offset).
 */
#ifndef NETLAT_RX_BPF_H
#define NETLAT_RX_BPF_H

#include "rx.h"
#include "sockq.h"

/* Set by user space before load. */
const volatile __s64 rx_tai_minus_real = 0;	/* CLOCK_TAI - CLOCK_REALTIME */
const volatile __s64 rx_real_minus_mono = 0;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */

/* The records of the skbs followed up the stack (rows.bpf.h: rx_skb_get, rx_skb_put). */
NL_SKB_TABLE(rx_skb, struct rx_skb, RX_SKB_BITS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RX_NSTAGES * NL_BPF_MAX_DEVS);
	__type(key, __u32);
	__type(value, struct rx_stage_val);
} rx_stage_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RX_NPOINTS);
	__type(key, __u32);
	__type(value, struct rx_point_val);
} rx_point_rows SEC(".maps");

NL_KEYED_ROWS(rx_flow_row, struct rx_flow, RX_MAX_FLOWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RX_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct rx_flow_val);
} rx_flow_rows SEC(".maps");

/*
 * The method=bytes flow rows of sockq.bpf.h, declared in both builds so the
 * two objects keep one layout (the raw_tp build never writes them).
 */
NL_KEYED_ROWS(sockq_flow_row, struct rx_flow, RX_MAX_FLOWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RX_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct sockq_flow_val);
} sockq_flow_rows SEC(".maps");

/* A stage interval; an end before its start (a reused address, a clock quirk) is no interval. */
static __always_inline void rx_stage(__u32 stage, __u32 dev_slot, __u64 start, __u64 end)
{
	__u32 idx = stage * NL_BPF_MAX_DEVS + dev_slot;
	struct rx_stage_val *v;

	if (!start || end < start || dev_slot >= NL_BPF_MAX_DEVS)
		return;
	v = bpf_map_lookup_elem(&rx_stage_rows, &idx);
	if (!v)
		return;
	v->packets++;
	nl_hist_put(&v->latency, end - start);
}

static __always_inline __u64 rx_realtime_ns(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_ktime_get_tai_ns))
		return bpf_ktime_get_tai_ns() - rx_tai_minus_real;
	return bpf_ktime_get_ns() + rx_real_minus_mono;
}

/* Age of skb at point: only a CLOCK_REALTIME arrival stamp counts (0: timestamping was off). */
static __always_inline void rx_age(__u32 point, const struct sk_buff *skb)
{
	__s64 ts = NL_RD(skb, tstamp);
	struct rx_point_val *v;
	__u64 now;

	if (ts <= 0)
		return;
	now = rx_realtime_ns();
	if ((__u64)ts > now || now - (__u64)ts > RX_AGE_MAX_NS)
		return;
	v = bpf_map_lookup_elem(&rx_point_rows, &point);
	if (v)
		nl_hist_put(&v->age, now - (__u64)ts);
}

/*
 * The record of skb, if it has one: not every free has a tracepoint
 * (__kfree_skb after TCP coalescing, a local deferred free), so a record
 * can outlive its skb; an skb at the same address with another data buffer
 * (an AF_UNIX one, read through skb_copy_datagram_iovec) does not match it.
 */
static __always_inline struct rx_skb *rx_find(const struct sk_buff *skb)
{
	return rx_skb_get(nl_addr(skb), (__u64)NL_RD(skb, head));
}

/*
 * A new life for skb, first seen now on the device in dev_slot: a record
 * if the admission draw follows it. false: the filters leave it out.
 */
static __always_inline bool rx_begin(const struct sk_buff *skb, __u32 stage, __u32 dev_slot, __u64 now)
{
	struct rx_skb *e;

	if (dev_slot == NL_DEV_NONE)
		return false;
	if (!nl_admit())
		return true;
	e = rx_skb_put(nl_addr(skb), (__u64)NL_RD(skb, head));
	if (!e)
		return true;
	e->t_first = now;
	e->dev_slot = dev_slot;
	if (stage == RX_GRO_HOLD)
		e->t_gro = now;
	else if (stage == RX_BACKLOG)
		e->t_backlog = now;
	return true;
}

/* __netif_receive_skb_core: the end of GRO hold and backlog wait, the start of the stack. */
static __always_inline bool rx_on_recv(const struct sk_buff *skb, __u32 dev_slot, __u64 now)
{
	struct rx_skb *e;

	e = rx_find(skb);
	if (!e && !nl_admit_shift) {
		/* First stage missed (before the start, or evicted): the stack on counts. */
		if (!rx_begin(skb, RX_NSTAGES, dev_slot, now))
			return false;
		e = rx_find(skb);
	}
	/* Sampling: an skb the first stage did not admit gets no second draw here (that would bias it). */
	rx_age(RX_IP_START, skb);
	if (!e || e->t_recv)		/* a second pass of the same life: keep the first */
		return true;
	rx_stage(RX_GRO_HOLD, e->dev_slot, e->t_gro, now);
	rx_stage(RX_BACKLOG, e->dev_slot, e->t_backlog, now);
	e->t_recv = now;
	return true;
}

/* Payload bytes of a TCP skb at tcp_rcv_established, as tcp_probe's data_len computes them. */
static __always_inline __u32 rx_tcp_payload(const struct sk_buff *skb)
{
	unsigned char *head = NL_RD(skb, head);
	__u16 th_off = NL_RD(skb, transport_header);
	__u8 doff = 0;

	bpf_probe_read_kernel(&doff, 1, head + th_off + 12);
	doff = (doff >> 4) * 4;
	return NL_RD(skb, len) - doff;
}

/* The transport took the skb: end of stack, start of the socket queue. */
static __always_inline void rx_transport(const struct sk_buff *skb, __u64 now)
{
	struct rx_skb *e = rx_find(skb);

	if (!e || !e->t_recv || e->t_transport)
		return;
	rx_stage(RX_STACK, e->dev_slot, e->t_recv, now);
	e->t_transport = now;
}

/* tcp_rcv_established: every segment, pure ACKs included; only data climbs the ladder. */
static __always_inline bool rx_on_tcp_probe(const struct sk_buff *skb, __u64 now)
{
	if (rx_tcp_payload(skb) == 0)
		return true;
	rx_transport(skb, now);
	rx_age(RX_TCP_START, skb);
	return true;
}

/*
 * The socket was told it has data (Linux 6.6+). The event names no skb, but
 * the one just queued is the tail of the receive queue: for UDP that ends
 * the stack stage, for every protocol it is the socket_enqueued point.
 */
static __always_inline bool rx_on_data_ready(const struct sock *sk, __u64 now)
{
	const struct sk_buff *tail;

	if (!NL_RD(sk, sk_receive_queue.qlen))
		return true;
	tail = (const struct sk_buff *)NL_RD(sk, sk_receive_queue.prev);
	if (!tail)
		return true;
	if (NL_RD(sk, sk_protocol) == NL_IPPROTO_UDP) {
		rx_transport(tail, now);
		rx_age(RX_UDP_START, tail);
	}
	rx_age(RX_SOCKET_ENQUEUED, tail);
	return true;
}

/* The flow of a TCP socket, local end first as tcp_probe prints it; false for other sockets. */
static __always_inline bool rx_flow_of(const struct sock *sk, struct rx_flow *f)
{
	if (!sk || NL_RD(sk, sk_protocol) != NL_IPPROTO_TCP)
		return false;
	f->family = NL_RD(sk, __sk_common.skc_family);
	f->sport = NL_RD(sk, __sk_common.skc_num);
	f->dport = __builtin_bswap16(NL_RD(sk, __sk_common.skc_dport));
	if (f->family == NL_AF_INET) {
		bpf_core_read(f->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(f->daddr, 4, &sk->__sk_common.skc_daddr);
		return true;
	}
	if (f->family == NL_AF_INET6) {
		bpf_core_read(f->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(f->daddr, 16, &sk->__sk_common.skc_v6_daddr);
		return true;
	}
	return false;
}

struct nl_row_cache_map rx_flow_cache SEC(".maps");

static __always_inline void rx_flow_wait(const struct sk_buff *skb, __u64 wait)
{
	const struct sock *sk = NL_RD(skb, sk);
	struct nl_row_cache_ent *ce;
	struct rx_flow key = {};
	struct rx_flow_val *v;
	__u32 idx, ports;
	bool hit;

	if (!sk)
		return;
	ports = NL_RD(sk, __sk_common.skc_portpair);
	ce = nl_row_cached(&rx_flow_cache, ports, nl_addr(sk), 0, ports, &hit);
	if (hit) {
		idx = ce->idx;
	} else {
		if (!rx_flow_of(sk, &key))
			return;
		idx = rx_flow_row_index(&key);
		nl_row_cache_fill(ce, nl_addr(sk), 0, ports, idx);
	}
	v = bpf_map_lookup_elem(&rx_flow_rows, &idx);
	if (v)
		nl_hist_put(&v->sockq_wait, wait);
}

/* The reader copies the skb's data: end of the socket queue and of the ladder (first copy only). */
static __always_inline bool rx_on_copy(const struct sk_buff *skb, __u64 now)
{
	struct rx_skb *e;

	/* an age needs no pairing: every read counts, as netstacklat's socket-read does */
	rx_age(RX_SOCKET_READ, skb);
	e = rx_find(skb);
	if (!e || e->copied)
		return true;
	e->copied = 1;
	/* TCP's socket queue by bytes (sockq.bpf.h) where it runs; skb pairing for the rest */
	if (e->t_transport && now >= e->t_transport &&
	    !(nl_on.sockq && BPF_CORE_READ(skb, sk, sk_protocol) == NL_IPPROTO_TCP)) {
		rx_stage(RX_SOCKET_QUEUE, e->dev_slot, e->t_transport, now);
		rx_flow_wait(skb, now - e->t_transport);
	}
	rx_stage(RX_TOTAL, e->dev_slot, e->t_first, now);
	return true;
}

/* The end of an skb's life: its address may come back as another skb. */
static __always_inline bool rx_on_free(const struct sk_buff *skb)
{
	struct rx_skb *e = rx_find(skb);

	if (!e)
		return false;
	e->head = 0;
	return true;
}

#endif
