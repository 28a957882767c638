/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qdisc, kernel side: enqueue -> dequeue time of each skb through the root
 * qdisc. trace_qdisc_enqueue(q, txq, skb) fires in dev_qdisc_enqueue once
 * the root qdisc took the skb; trace_qdisc_dequeue(q, txq, packets, skb)
 * fires in dequeue_skb for every dequeue attempt, empty ones (packets 0,
 * skb NULL) included, and a bulk dequeue hands back a skb->next chain of
 * packets skbs.
 */
#ifndef NETLAT_QDISC_BPF_H
#define NETLAT_QDISC_BPF_H

#include "qdisc.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QDISC_MAX_PENDING);
	__type(key, __u64);		/* skb address */
	__type(value, __u64);		/* enqueue time, ns */
} qdisc_pending SEC(".maps");

NL_KEYED_ROWS(qdisc_row, struct qdisc_key, NL_BPF_MAX_KEYED_ROWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_BPF_MAX_KEYED_ROWS);
	__type(key, __u32);
	__type(value, struct qdisc_val);
} qdisc_rows SEC(".maps");

/* Device slot of q (through q->dev_queue), NL_DEV_NONE when --dev/--netns filter it out. */
static __always_inline __u32 qdisc_dev_slot(const struct Qdisc *q)
{
	return nl_dev_slot(NL_RD(q, dev_queue, dev));
}

static __always_inline bool qdisc_on_enqueue(const struct Qdisc *q, const struct sk_buff *skb, __u64 now)
{
	__u64 addr = nl_addr(skb);

	if (qdisc_dev_slot(q) == NL_DEV_NONE)
		return false;
	bpf_map_update_elem(&qdisc_pending, &addr, &now, BPF_ANY);
	return true;
}

/* One dequeued skb: its sojourn if its enqueue was stamped, else unpaired. */
static __always_inline void qdisc_pair(struct qdisc_val *v, __u64 addr, __u64 now)
{
	__u64 *stamp = bpf_map_lookup_elem(&qdisc_pending, &addr);
	__u64 t;

	if (!stamp) {
		v->unpaired++;
		return;
	}
	t = *stamp;	/* copy before the delete lets the LRU reuse the slot */
	bpf_map_delete_elem(&qdisc_pending, &addr);
	v->packets++;
	nl_hist_put(&v->sojourn, now > t ? now - t : 0);
}

/* The walk down a bulk dequeue's skb->next chain: the row, the skb at hand, how many are left. */
struct qdisc_walk {
	struct qdisc_val *v;
	__u64 addr;
	__u64 now;
	int left;
};

/* One skb of the chain; false at its end. */
static __always_inline bool qdisc_walk_step(struct qdisc_walk *w)
{
	__u64 addr = w->addr;	/* a local: inside BPF_CORE_READ, w->addr would be relocated too */

	if (w->left <= 0 || !addr)
		return false;
	qdisc_pair(w->v, addr, w->now);
	w->left--;
	w->addr = (__u64)BPF_CORE_READ((struct sk_buff *)addr, next);
	return true;
}

#if NL_BTF
static long qdisc_walk_cb(__u64 i, void *arg)
{
	(void)i;
	return qdisc_walk_step(arg) ? 0 : 1;
}
#endif

static __always_inline bool qdisc_on_dequeue(const struct Qdisc *q, int packets, const struct sk_buff *skb,
					     __u64 now)
{
	struct qdisc_key key = {};
	struct qdisc_walk w = { .addr = nl_addr(skb), .now = now, .left = packets };
	__u32 idx;

	key.dev_slot = qdisc_dev_slot(q);
	if (key.dev_slot == NL_DEV_NONE)
		return false;
	key.handle = NL_RD(q, handle);
	idx = qdisc_row_index(&key);
	w.v = bpf_map_lookup_elem(&qdisc_rows, &idx);
	if (!w.v)
		return false;
	/*
	 * The first skb inline: most dequeues hand back one. The rest of a bulk
	 * chain through bpf_loop in the tp_btf build (5.17+), which the verifier
	 * checks once instead of once per unrolled step: 16 inline steps took it
	 * about 50 ms, a sixth of the default set's arm time.
	 */
	qdisc_walk_step(&w);
#if NL_BTF
	if (w.left > 0)
		bpf_loop(QDISC_MAX_BULK - 1, qdisc_walk_cb, &w, 0);
#else
	for (int i = 1; i < QDISC_MAX_BULK; i++)
		if (!qdisc_walk_step(&w))
			break;
#endif
	/* A chain longer than we follow: its tail cannot be paired, say so. */
	if (packets > QDISC_MAX_BULK)
		w.v->unpaired += packets - QDISC_MAX_BULK;
	return true;
}

#endif
