// SPDX-License-Identifier: GPL-2.0
/*
 * qdisc: enqueue -> dequeue time of each skb through the root qdisc.
 * trace_qdisc_enqueue(q, txq, skb) fires in dev_qdisc_enqueue once the root
 * qdisc took the skb; trace_qdisc_dequeue(q, txq, packets, skb) fires in
 * dequeue_skb for every dequeue attempt, empty ones (packets 0, skb NULL)
 * included, and a bulk dequeue hands back a skb->next chain of packets skbs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "qdisc.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QDISC_MAX_PENDING);
	__type(key, __u64);		/* skb address */
	__type(value, __u64);		/* enqueue time, ns */
} qdisc_pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct qdisc_key);
	__type(value, struct qdisc_val);
} qdisc_stats SEC(".maps");

static const struct qdisc_val qdisc_zero;

/* Row key of q (its device through q->dev_queue), or false when --dev filters it out. */
static __always_inline bool qdisc_key_of(struct Qdisc *q, struct qdisc_key *key)
{
	struct net_device *dev = BPF_CORE_READ(q, dev_queue, dev);

	nl_dev_name(dev, key->dev);
	key->netns = nl_dev_netns(dev);
	if (!nl_dev_ok(key->dev) || !nl_netns_ok(key->netns))
		return false;
	key->handle = BPF_CORE_READ(q, handle);
	return true;
}

SEC("raw_tp/qdisc_enqueue")
int BPF_PROG(nl_qdisc_enqueue, struct Qdisc *q, const struct netdev_queue *txq, struct sk_buff *skb)
{
	struct qdisc_key key = {};
	__u64 addr = (__u64)skb, now;

	if (!nl_begin() || !qdisc_key_of(q, &key))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&qdisc_pending, &addr, &now, BPF_ANY);
	return 0;
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

SEC("raw_tp/qdisc_dequeue")
int BPF_PROG(nl_qdisc_dequeue, struct Qdisc *q, const struct netdev_queue *txq, int packets,
	     struct sk_buff *skb)
{
	struct qdisc_key key = {};
	struct qdisc_val *v;
	__u64 now, addr = (__u64)skb;

	if (packets <= 0 || !addr || !nl_begin() || !qdisc_key_of(q, &key))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = nl_row(&qdisc_stats, &key, &qdisc_zero);
	if (!v)
		return 0;
	now = bpf_ktime_get_ns();
	for (int i = 0; i < QDISC_MAX_BULK; i++) {
		if (i >= packets || !addr)
			return 0;
		qdisc_pair(v, addr, now);
		addr = (__u64)BPF_CORE_READ((struct sk_buff *)addr, next);
	}
	/* A chain longer than we follow: its tail cannot be paired, say so. */
	if (packets > QDISC_MAX_BULK)
		v->unpaired += packets - QDISC_MAX_BULK;
	return 0;
}
