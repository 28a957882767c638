// SPDX-License-Identifier: GPL-2.0
/*
 * rx: one skb followed up the receive path, stage by stage, paired in the
 * kernel by skb address.
 *
 * An skb's life starts at its first stage (napi_gro_*_entry, netif_rx,
 * netif_receive_skb*_entry), which overwrites whatever an earlier skb at the
 * same address left behind, and ends when it is freed (consume_skb,
 * kfree_skb). A segment that GRO merged into another skb is freed without a
 * tracepoint: its record stays until the LRU drops it or its address starts
 * a new life, and it never reaches netif_receive_skb, so it never yields an
 * interval; the merged skb's gro_hold counts from its own (first) segment.
 *
 * Beside the pairs, ages: at each point, now - skb->tstamp, the arrival
 * stamp the kernel writes while RX timestamping is on (user space holds an
 * SO_TIMESTAMPNS socket for the recording). skb->tstamp is CLOCK_REALTIME;
 * BPF has no realtime clock, so the age uses CLOCK_TAI minus the TAI-UTC
 * offset user space measured (or, before bpf_ktime_get_tai_ns, Linux 6.1,
 * CLOCK_MONOTONIC plus the realtime-monotonic offset).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "rx.h"
#include "rx_flow.bpf.h"

/* Set by user space before load. */
const volatile __s64 rx_tai_minus_real = 0;	/* CLOCK_TAI - CLOCK_REALTIME */
const volatile __s64 rx_real_minus_mono = 0;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
/* sockq.bpf.c measures TCP's socket queue by bytes: skb pairing keeps UDP only. */
const volatile bool rx_tcp_by_bytes = false;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, RX_MAX_SKBS);
	__type(key, __u64);		/* skb address */
	__type(value, struct rx_skb);
} rx_skbs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, RX_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rx_key);
	__type(value, struct rx_val);
} rx_stats SEC(".maps");

static const struct rx_val rx_zero;

static __always_inline void rx_put(struct rx_key *key, __u64 v)
{
	struct rx_val *row = nl_row(&rx_stats, key, &rx_zero);

	if (!row)
		return;
	if (key->kind == RX_ROW_STAGE) {
		row->packets++;
		nl_hist_put(&row->latency, v);
	} else if (key->kind == RX_ROW_POINT) {
		nl_hist_put(&row->age, v);
	} else {
		nl_hist_put(&row->sockq_wait, v);
	}
}

/* A stage interval; an end before its start (a reused address, a clock quirk) is no interval. */
static __always_inline void rx_stage(__u32 stage, const char *dev, __u64 start, __u64 end)
{
	struct rx_key key = { .kind = RX_ROW_STAGE, .id = stage };

	if (!start || end < start)
		return;
	__builtin_memcpy(key.dev, dev, NL_BPF_DEV_LEN);
	rx_put(&key, end - start);
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
	struct rx_key key = { .kind = RX_ROW_POINT, .id = point };
	__s64 ts = BPF_CORE_READ(skb, tstamp);
	__u64 now;

	if (ts <= 0)
		return;
	now = rx_realtime_ns();
	if ((__u64)ts > now || now - (__u64)ts > RX_AGE_MAX_NS)
		return;
	rx_put(&key, now - (__u64)ts);
}

/*
 * The record of skb, if it is this skb's: not every free has a tracepoint
 * (__kfree_skb after TCP coalescing, a local deferred free), so a record can
 * outlive its skb and meet another skb at the same address (an AF_UNIX one,
 * read through skb_copy_datagram_iovec). A different data buffer gives the
 * stranger away; its stale record is dropped without an interval.
 */
static __always_inline struct rx_skb *rx_find(const struct sk_buff *skb)
{
	__u64 addr = (__u64)skb;
	struct rx_skb *e = bpf_map_lookup_elem(&rx_skbs, &addr);

	if (e && e->head != (__u64)BPF_CORE_READ(skb, head)) {
		bpf_map_delete_elem(&rx_skbs, &addr);
		return NULL;
	}
	return e;
}

/* A new life for the skb at addr, first seen now on its device. */
static __always_inline void rx_begin(const struct sk_buff *skb, __u32 stage)
{
	struct rx_skb e = {};
	__u64 addr = (__u64)skb;

	nl_dev_name(BPF_CORE_READ(skb, dev), e.dev);
	if (!nl_dev_ok(e.dev))
		return;
	nl_session_inc(NL_BPF_EV_EVENTS);
	e.t_first = bpf_ktime_get_ns();
	e.head = (__u64)BPF_CORE_READ(skb, head);
	if (stage == RX_GRO_HOLD)
		e.t_gro = e.t_first;
	else if (stage == RX_BACKLOG)
		e.t_backlog = e.t_first;
	bpf_map_update_elem(&rx_skbs, &addr, &e, BPF_ANY);
}

SEC("raw_tp/napi_gro_receive_entry")
int BPF_PROG(nl_rx_gro, const struct sk_buff *skb)
{
	if (nl_begin())
		rx_begin(skb, RX_GRO_HOLD);
	return 0;
}

SEC("raw_tp/napi_gro_frags_entry")
int BPF_PROG(nl_rx_gro_frags, const struct sk_buff *skb)
{
	if (nl_begin())
		rx_begin(skb, RX_GRO_HOLD);
	return 0;
}

SEC("raw_tp/netif_rx")
int BPF_PROG(nl_rx_netif_rx, struct sk_buff *skb)
{
	if (nl_begin())
		rx_begin(skb, RX_BACKLOG);
	return 0;
}

/* Drivers that skip GRO: the skb starts here (no stage of its own). */
SEC("raw_tp/netif_receive_skb_entry")
int BPF_PROG(nl_rx_entry, const struct sk_buff *skb)
{
	if (nl_begin())
		rx_begin(skb, RX_NSTAGES);
	return 0;
}

SEC("raw_tp/netif_receive_skb_list_entry")
int BPF_PROG(nl_rx_list_entry, const struct sk_buff *skb)
{
	if (nl_begin())
		rx_begin(skb, RX_NSTAGES);
	return 0;
}

/* __netif_receive_skb_core: the end of GRO hold and backlog wait, the start of the stack. */
SEC("raw_tp/netif_receive_skb")
int BPF_PROG(nl_rx_recv, struct sk_buff *skb)
{
	__u64 addr = (__u64)skb, now;
	struct rx_skb *e;

	if (!nl_begin())
		return 0;
	e = rx_find(skb);
	if (!e) {
		/* first stage missed (before the start, or evicted): the stack on counts */
		rx_begin(skb, RX_NSTAGES);
		e = bpf_map_lookup_elem(&rx_skbs, &addr);
		if (!e)
			return 0;
	} else {
		nl_session_inc(NL_BPF_EV_EVENTS);
	}
	if (e->t_recv)		/* a second pass of the same life: keep the first */
		return 0;
	now = bpf_ktime_get_ns();
	rx_stage(RX_GRO_HOLD, e->dev, e->t_gro, now);
	rx_stage(RX_BACKLOG, e->dev, e->t_backlog, now);
	e->t_recv = now;
	rx_age(RX_IP_START, skb);
	return 0;
}

/* Payload bytes of a TCP skb at tcp_rcv_established, as tcp_probe's data_len computes them. */
static __always_inline __u32 rx_tcp_payload(const struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 th_off = BPF_CORE_READ(skb, transport_header);
	__u8 doff = 0;

	bpf_probe_read_kernel(&doff, 1, head + th_off + 12);
	doff = (doff >> 4) * 4;
	return BPF_CORE_READ(skb, len) - doff;
}

/* The transport took the skb: end of stack, start of the socket queue. */
static __always_inline void rx_transport(const struct sk_buff *skb, __u64 now)
{
	struct rx_skb *e = rx_find(skb);

	if (!e || !e->t_recv || e->t_transport)
		return;
	rx_stage(RX_STACK, e->dev, e->t_recv, now);
	e->t_transport = now;
}

/* tcp_rcv_established: every segment, pure ACKs included; only data climbs the ladder. */
SEC("raw_tp/tcp_probe")
int BPF_PROG(nl_rx_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	if (!nl_begin())
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	if (rx_tcp_payload(skb) == 0)
		return 0;
	rx_transport(skb, bpf_ktime_get_ns());
	rx_age(RX_TCP_START, skb);
	return 0;
}

/*
 * The socket was told it has data (Linux 6.6+). The event names no skb, but
 * the one just queued is the tail of the receive queue: for UDP that ends
 * the stack stage, for every protocol it is the socket_enqueued point.
 */
SEC("raw_tp/sk_data_ready")
int BPF_PROG(nl_rx_data_ready, const struct sock *sk)
{
	const struct sk_buff *tail;

	if (!nl_begin())
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	if (!BPF_CORE_READ(sk, sk_receive_queue.qlen))
		return 0;
	tail = (const struct sk_buff *)BPF_CORE_READ(sk, sk_receive_queue.prev);
	if (!tail)
		return 0;
	if (BPF_CORE_READ(sk, sk_protocol) == RX_IPPROTO_UDP) {
		rx_transport(tail, bpf_ktime_get_ns());
		rx_age(RX_UDP_START, tail);
	}
	rx_age(RX_SOCKET_ENQUEUED, tail);
	return 0;
}

static __always_inline void rx_flow_wait(const struct sk_buff *skb, __u64 wait)
{
	struct rx_key key = { .kind = RX_ROW_FLOW };

	if (rx_flow_of(BPF_CORE_READ(skb, sk), &key.flow))
		rx_put(&key, wait);
}

/* The reader copies the skb's data: end of the socket queue and of the ladder (first copy only). */
SEC("raw_tp/skb_copy_datagram_iovec")
int BPF_PROG(nl_rx_copy, const struct sk_buff *skb, int len)
{
	__u64 now;
	struct rx_skb *e;

	if (!nl_begin())
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	/* an age needs no pairing: every read counts, as netstacklat's socket-read does */
	rx_age(RX_SOCKET_READ, skb);
	e = rx_find(skb);
	if (!e || e->copied)
		return 0;
	now = bpf_ktime_get_ns();
	e->copied = 1;
	if (e->t_transport && now >= e->t_transport &&
	    !(rx_tcp_by_bytes && BPF_CORE_READ(skb, sk, sk_protocol) == RX_IPPROTO_TCP)) {
		rx_stage(RX_SOCKET_QUEUE, e->dev, e->t_transport, now);
		rx_flow_wait(skb, now - e->t_transport);
	}
	rx_stage(RX_TOTAL, e->dev, e->t_first, now);
	return 0;
}

/* The end of an skb's life: its address may come back as another skb. */
static __always_inline void rx_free(const struct sk_buff *skb)
{
	__u64 addr = (__u64)skb;

	if (nl_begin())
		bpf_map_delete_elem(&rx_skbs, &addr);
}

SEC("raw_tp/consume_skb")
int BPF_PROG(nl_rx_consume, struct sk_buff *skb)
{
	rx_free(skb);
	return 0;
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(nl_rx_kfree, struct sk_buff *skb)
{
	rx_free(skb);
	return 0;
}
