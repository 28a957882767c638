/* SPDX-License-Identifier: GPL-2.0 */
/*
 * softirq, kernel side: irq:softirq_raise/entry/exit for NET_TX and NET_RX,
 * per CPU. A raise only ever sets the pending bit of the CPU it runs on
 * (__raise_softirq_irqoff), and __do_softirq clears the pending bits before
 * running handlers, so per-CPU stamps pair raise -> entry -> exit exactly.
 * No filter beyond -C: src/collect/bpf/unseen.c holds every entry counted here against
 * /proc/softirqs to find runs the kernel ran no program for.
 */
#ifndef NETLAT_SOFTIRQ_BPF_H
#define NETLAT_SOFTIRQ_BPF_H

#include "softirq.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOFTIRQ_NSLOTS);
	__type(key, __u32);
	__type(value, struct softirq_val);
} softirq_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SOFTIRQ_NSLOTS);
	__type(key, __u32);
	__type(value, struct softirq_stamp);
} softirq_stamps SEC(".maps");

/* This CPU's stats and stamps for vec; false for the vectors netlat does not follow. */
static __always_inline bool softirq_lookup(unsigned int vec, struct softirq_val **v, struct softirq_stamp **st)
{
	__u32 key;

	if (vec == NL_NET_TX_SOFTIRQ)
		key = SOFTIRQ_SLOT_NET_TX;
	else if (vec == NL_NET_RX_SOFTIRQ)
		key = SOFTIRQ_SLOT_NET_RX;
	else
		return false;
	*v = bpf_map_lookup_elem(&softirq_stats, &key);
	*st = bpf_map_lookup_elem(&softirq_stamps, &key);
	return *v && *st;
}

static __always_inline bool softirq_on_raise(unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;

	if (!softirq_lookup(vec, &v, &st))
		return false;
	v->raises++;
	/* A raise while already pending does not move the stamp: the wait started at the first. */
	if (!st->raised_ns)
		st->raised_ns = bpf_ktime_get_ns();
	return true;
}

static __always_inline bool softirq_on_entry(unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;
	__u64 now;

	if (!softirq_lookup(vec, &v, &st))
		return false;
	now = bpf_ktime_get_ns();
	v->entries++;
	if (st->raised_ns && now >= st->raised_ns)
		nl_hist_put(&v->raise_delay, now - st->raised_ns);
	st->raised_ns = 0;
	st->entry_ns = now;
	return true;
}

static __always_inline bool softirq_on_exit(unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;
	__u64 now;

	if (!softirq_lookup(vec, &v, &st))
		return false;
	now = bpf_ktime_get_ns();
	/* An exit without its entry (counting began mid-handler) has nothing to measure. */
	if (st->entry_ns && now >= st->entry_ns)
		nl_hist_put(&v->duration, now - st->entry_ns);
	st->entry_ns = 0;
	return true;
}

#endif
