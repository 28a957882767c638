/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockq: how long received TCP bytes wait in the socket before the
 * application reads them, byte by byte rather than skb by skb.
 *
 * Why not pair skbs: while a receive queue is non-empty, TCP merges new
 * segments into the tail skb (tcp_try_coalesce) and frees the merged one
 * with no tracepoint, and a read shorter than an skb leaves it queued, so
 * skb pairing sees almost nothing exactly when the queue matters.
 *
 * Instead, per socket (BPF_MAP_TYPE_SK_STORAGE, freed with the socket): a
 * ring of (end sequence, time) noted whenever tp->rcv_nxt moves, that is
 * when bytes become readable in order (out-of-order data counts from the
 * moment the hole before it is filled), and the copied_seq of the last
 * read. A read moves copied_seq: the bytes between the old and the new
 * value are matched against the ring, oldest first.
 *
 * Where rcv_nxt is read:
 *  - sock:sk_data_ready (6.6+), right after data was queued: exact.
 *  - tcp:tcp_probe, every segment into tcp_rcv_established, before it is
 *    processed: rcv_nxt then shows what the previous segment's processing
 *    made readable, which happened after the previous tcp_probe, whose
 *    time is used. This covers kernels without sk_data_ready, and what
 *    sk_data_ready did not announce (a reader with SO_RCVLOWAT).
 * Where copied_seq is read:
 *  - sock:sock_recv_length (6.3+), once per receive call, after it: one
 *    read is one call; MSG_PEEK consumes nothing and is skipped.
 *  - else skb_copy_datagram_iovec, whose copy starts at copied_seq: one
 *    read is one skb copied (sockq_read_at_copy).
 *
 * A socket is followed from a data segment that finds nothing unread, so
 * every later byte has a time. The ring is written from softirq and read
 * from the process without a lock (tracing programs of older kernels may
 * not take a bpf_spin_lock): the writer (softirq, or whoever processes the
 * socket's backlog; always under the socket's lock) owns tail, noted and
 * the entries it adds; the reader (after the receive call, without the
 * lock) owns head and copied and never writes an entry; the writer merges
 * only entries past the reader's SOCKQ_PROTECTED oldest.
 *
 * The handlers run in netlat.bpf.c's programs of those tracepoints, in its
 * tp_btf build only (bpf_sk_storage_get wants a BTF socket pointer, the
 * ring walk bpf_loop, Linux 5.17+); without them rx pairs TCP's skbs.
 * Rows: the socket_queue stage of rx (per read, its oldest byte's wait)
 * and flow rows of their own, method=bytes.
 */
#ifndef NETLAT_SOCKQ_BPF_H
#define NETLAT_SOCKQ_BPF_H

#include "sockq.h"

#define SOCKQ_MASK	(SOCKQ_RING - 1)
#define SOCKQ_MSG_PEEK	2


struct sockq_entry {
	__u32 end_seq;		/* bytes up to here became readable ... */
	__u32 pad;
	__u64 t;		/* ... at this time (bpf_ktime_get_ns) */
};

struct sockq_sock {
	__u32 head, tail;	/* ring entries [head, tail), counters taken mod SOCKQ_RING */
	__u32 noted;		/* end of the newest entry: rcv_nxt once caught up */
	__u32 copied;		/* copied_seq after the last read matched */
	__u32 arrived;		/* noted as of the last read: arrivals are counted by the reader */
	__u32 pad;
	__u64 t_probe;		/* this socket's last tcp_probe */
	__u32 dev_slot;		/* the device its data came in on, for the stage row */
	__u32 flow_idx1;	/* its flow row + 1 (0: not looked up yet): no key built per read */
	struct sockq_entry ring[SOCKQ_RING];
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sockq_sock);
} sockq_socks SEC(".maps");

/* Sequence a is before b, modulo 2^32 (RFC 1982 style, as the kernel's before()). */
static __always_inline bool sockq_before(__u32 a, __u32 b)
{
	return (__s32)(a - b) < 0;
}

static __always_inline __u32 sockq_rcv_nxt(const struct sock *sk)
{
	return BPF_CORE_READ((const struct tcp_sock *)sk, rcv_nxt);
}

static __always_inline __u32 sockq_copied_seq(const struct sock *sk)
{
	return BPF_CORE_READ((const struct tcp_sock *)sk, copied_seq);
}

static __always_inline bool sockq_is_tcp(const struct sock *sk)
{
	return sk && NL_RD(sk, sk_protocol) == NL_IPPROTO_TCP;
}

/*
 * Value v seen w times: a byte-weighted sample. A global function, checked
 * once by the verifier: inlined into the ring walk, its branches multiply
 * the walk's states past the verifier's limit.
 */
__noinline int sockq_hist_add(struct nl_bpf_hist *h, __u64 v, __u64 w)
{
	__u64 i = nl_bucket_clamp(nl_hist_index(v));

	if (!h)
		return 0;
	h->buckets[i] += w;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count += w;
	h->sum += v * w;
	return 0;
}

/* bpf_loop state of sockq_merge: a bounded loop with a data-dependent minimum is too much for the verifier. */
struct sockq_merge_ctx {
	struct sockq_sock *s;
	__u32 first, best;
	__u64 best_gap;
};

/* Step k: is the pair (first + k, first + k + 1) the closest in time so far? */
static long sockq_closest(__u64 k, void *arg)
{
	struct sockq_merge_ctx *c = arg;
	struct sockq_sock *s = c->s;
	__u32 i = c->first + (__u32)k;
	__u64 gap;

	if (s->tail - i <= 1)
		return 1;
	gap = s->ring[(i + 1) & SOCKQ_MASK].t - s->ring[i & SOCKQ_MASK].t;
	if (gap < c->best_gap) {
		c->best_gap = gap;
		c->best = i;
	}
	return 0;
}

/* Step k: move the entry after best + 1 + k down by one. */
static long sockq_shift(__u64 k, void *arg)
{
	struct sockq_merge_ctx *c = arg;
	struct sockq_sock *s = c->s;
	__u32 i = c->best + 1 + (__u32)k;

	if (s->tail - i <= 1)
		return 1;
	s->ring[i & SOCKQ_MASK] = s->ring[(i + 1) & SOCKQ_MASK];
	return 0;
}

/*
 * The ring is full: merge the two neighbours closest in time among the
 * entries the reader is not near, keeping the earlier time (a wait is then
 * overstated by at most that gap, never understated).
 */
static __always_inline void sockq_merge(struct sockq_sock *s)
{
	struct sockq_merge_ctx c = { .s = s, .first = s->head + SOCKQ_PROTECTED, .best_gap = ~0ULL };

	c.best = c.first;
	bpf_loop(SOCKQ_RING, sockq_closest, &c, 0);
	s->ring[c.best & SOCKQ_MASK].end_seq = s->ring[(c.best + 1) & SOCKQ_MASK].end_seq;
	bpf_loop(SOCKQ_RING, sockq_shift, &c, 0);
	s->tail--;
}

/* Bytes up to end became readable at t. */
static __always_inline void sockq_note(struct sockq_sock *s, __u32 end, __u64 t)
{
	struct sockq_entry *e;

	if (!sockq_before(s->noted, end))
		return;
	if (s->tail - s->head > SOCKQ_RING)	/* a race lost with the reader: start over */
		s->head = s->tail;
	if (s->tail - s->head == SOCKQ_RING)
		sockq_merge(s);
	e = &s->ring[s->tail & SOCKQ_MASK];
	e->end_seq = end;
	e->t = t;
	s->tail++;
	s->noted = end;
}

/* rcv_nxt moved with no sk_data_ready seen: readable since the last tcp_probe (see the top). Writer only. */
static __always_inline void sockq_catch_up(struct sockq_sock *s, const struct sock *sk)
{
	if (s->t_probe)
		sockq_note(s, sockq_rcv_nxt(sk), s->t_probe);
}

/* One read's flow row (method=bytes): looked up by key once per socket, then by the index kept in s. */
static __always_inline struct sockq_flow_val *sockq_flow_row(const struct sock *sk, struct sockq_sock *s)
{
	struct rx_flow key = {};
	__u32 idx;

	if (s->flow_idx1) {
		idx = s->flow_idx1 - 1;
		return bpf_map_lookup_elem(&sockq_flow_rows, &idx);
	}
	if (!rx_flow_of(sk, &key))
		return NULL;
	idx = sockq_flow_row_index(&key);
	if (idx != (__u32)-1)
		s->flow_idx1 = idx + 1;
	return bpf_map_lookup_elem(&sockq_flow_rows, &idx);
}

/* bpf_loop state of sockq_consume: the bytes [pos, upto) still to match. */
struct sockq_read_ctx {
	struct sockq_sock *s;
	struct sockq_flow_val *flow;
	__u64 now, oldest, bytes;
	__u32 pos, upto;
};

/* Step: match the head entry against what is left of the read; stop when nothing is. */
static long sockq_take(__u64 k, void *arg)
{
	struct sockq_read_ctx *c = arg;
	struct sockq_sock *s = c->s;
	struct sockq_entry *e;
	__u32 end, stop;
	__u64 wait;

	(void)k;
	if (s->head == s->tail || !sockq_before(c->pos, c->upto))
		return 1;
	e = &s->ring[s->head & SOCKQ_MASK];
	end = e->end_seq;
	if (!sockq_before(c->pos, end)) {	/* read before: done with */
		s->head++;
		return 0;
	}
	stop = sockq_before(c->upto, end) ? c->upto : end;
	wait = c->now > e->t ? c->now - e->t : 0;
	if (!c->bytes)
		c->oldest = wait;
	sockq_hist_add(&c->flow->wait_bytes, wait, stop - c->pos);
	c->bytes += stop - c->pos;
	c->pos = stop;
	if (stop == end)
		s->head++;
	return 0;
}

/*
 * The reader consumed the bytes up to upto (exclusive): match them against
 * the ring, oldest first. The read's sample is the wait of its first
 * (oldest) byte; every byte also goes into the byte-weighted histogram.
 */
static __always_inline void sockq_consume(const struct sock *sk, struct sockq_sock *s, __u32 upto)
{
	struct sockq_read_ctx c = { .s = s, .now = bpf_ktime_get_ns(), .pos = s->copied, .upto = upto };

	if (!sockq_before(c.pos, upto) || s->dev_slot == NL_DEV_NONE)
		goto out;
	c.flow = sockq_flow_row(sk, s);
	if (!c.flow)
		goto out;
	/* one step per entry the read reaches, plus the ones read before */
	bpf_loop(SOCKQ_RING + 1, sockq_take, &c, 0);
	/*
	 * Bytes past the newest entry: the segment being processed now made
	 * them readable, and its note is still to come (the reader never
	 * writes the ring, see the top): readable since its tcp_probe.
	 */
	if (sockq_before(c.pos, upto) && s->t_probe) {
		__u64 wait = c.now > s->t_probe ? c.now - s->t_probe : 0;

		if (!c.bytes)
			c.oldest = wait;
		sockq_hist_add(&c.flow->wait_bytes, wait, upto - c.pos);
		c.bytes += upto - c.pos;
	}
	c.flow->arrived += s->noted - s->arrived;
	s->arrived = s->noted;
	if (c.bytes) {
		c.flow->bytes += c.bytes;
		nl_hist_put(&c.flow->wait, c.oldest);
		rx_stage(RX_SOCKET_QUEUE, s->dev_slot, c.now - c.oldest, c.now);
	}
out:
	s->copied = upto;
}

/*
 * The slot of device ifindex in sk's namespace, for the stage row: by
 * tcp_probe, tcp_v4_rcv has cleared skb->dev, but skb_iif is left, and
 * net->dev_index_head hashes devices by ifindex & (NETDEV_HASHENTRIES - 1).
 * Looked up once per socket.
 */
#define SOCKQ_NETDEV_HASHENTRIES	256

static __always_inline __u32 sockq_dev_slot(const struct sock *sk, int ifindex)
{
	struct hlist_head *heads = BPF_CORE_READ(sk, __sk_common.skc_net.net, dev_index_head);
	const struct net_device *dev = NULL;
	struct hlist_node *node = NULL;

	if (heads)
		node = BPF_CORE_READ(heads + (ifindex & (SOCKQ_NETDEV_HASHENTRIES - 1)), first);
#pragma unroll
	for (int i = 0; i < 4; i++) {
		const struct net_device *d =
			(const void *)node - bpf_core_field_offset(struct net_device, index_hlist);

		if (!node)
			break;
		if (BPF_CORE_READ(d, ifindex) == ifindex) {
			dev = d;
			break;
		}
		node = BPF_CORE_READ(node, next);
	}
	return dev ? nl_dev_slot_at((__u64)dev, ifindex) : nl_no_dev_slot;
}

/* tcp:tcp_probe: start following a socket with nothing unread; note what the last segment made readable. */
static __always_inline bool sockq_on_tcp_probe(struct sock *sk, const struct sk_buff *skb, __u64 now)
{
	struct sockq_sock *s = bpf_sk_storage_get(&sockq_socks, sk, NULL, 0);
	__u32 rcv_nxt = sockq_rcv_nxt(sk), cb[2] = {};

	if (s) {
		sockq_catch_up(s, sk);
		s->t_probe = now;
		return true;
	}
	/* TCP_SKB_CB(skb): seq, end_seq first; a pure ACK starts nothing */
	bpf_core_read(cb, sizeof(cb), &skb->cb);
	if (cb[0] == cb[1] || rcv_nxt != sockq_copied_seq(sk))
		return true;
	s = bpf_sk_storage_get(&sockq_socks, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!s)
		return true;
	s->noted = rcv_nxt;
	s->copied = rcv_nxt;
	s->arrived = rcv_nxt;
	s->t_probe = now;
	s->dev_slot = sockq_dev_slot(sk, BPF_CORE_READ(skb, skb_iif));
	return true;
}

/* sock:sk_data_ready (6.6+): rcv_nxt is the end of what is readable now. */
static __always_inline bool sockq_on_data_ready(struct sock *sk, __u64 now)
{
	struct sockq_sock *s;

	if (!sockq_is_tcp(sk))
		return false;
	s = bpf_sk_storage_get(&sockq_socks, sk, NULL, 0);
	if (!s)
		return false;
	sockq_note(s, sockq_rcv_nxt(sk), now);
	return true;
}

/* sock:sock_recv_length (6.3+): a receive call returned; copied_seq is past what it took. */
static __always_inline bool sockq_on_recv_length(struct sock *sk, int ret, int flags)
{
	struct sockq_sock *s;

	if (nl_on.sockq_read_at_copy || ret <= 0 || (flags & SOCKQ_MSG_PEEK) || !sockq_is_tcp(sk))
		return false;
	s = bpf_sk_storage_get(&sockq_socks, sk, NULL, 0);
	if (!s)
		return false;
	sockq_consume(sk, s, sockq_copied_seq(sk));
	return true;
}

/* skb_copy_datagram_iovec, kernels without sock_recv_length: this copy takes len bytes from copied_seq. */
static __always_inline bool sockq_on_copy(const struct sk_buff *skb, int len)
{
	struct sock *sk;
	struct sockq_sock *s;

	if (!nl_on.sockq_read_at_copy || len <= 0)
		return false;
	sk = skb->sk;	/* a BTF pointer, as bpf_sk_storage_get wants */
	if (!sockq_is_tcp(sk))
		return false;
	s = bpf_sk_storage_get(&sockq_socks, sk, NULL, 0);
	if (!s)
		return false;
	sockq_consume(sk, s, sockq_copied_seq(sk) + (__u32)len);
	return true;
}

#endif
