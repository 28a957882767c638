// SPDX-License-Identifier: GPL-2.0
/*
 * softirq: irq:softirq_raise/entry/exit for NET_TX and NET_RX, per CPU.
 * A raise only ever sets the pending bit of the CPU it runs on
 * (__raise_softirq_irqoff), and __do_softirq clears the pending bits before
 * running handlers, so per-CPU stamps pair raise -> entry -> exit exactly.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
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

/* Slot of vec, or -1 for the vectors netlat does not follow (timers, RCU, ...). */
static __always_inline int slot_of(unsigned int vec)
{
	if (vec == NL_NET_TX_SOFTIRQ)
		return SOFTIRQ_SLOT_NET_TX;
	if (vec == NL_NET_RX_SOFTIRQ)
		return SOFTIRQ_SLOT_NET_RX;
	return -1;
}

/*
 * Common start of the three programs: this CPU's stats and stamps for vec,
 * or false. No filter beyond -C: bpf_unseen.c holds every entry counted
 * here against /proc/softirqs to find runs the kernel ran no program for.
 */
static __always_inline bool lookup(unsigned int vec, struct softirq_val **v, struct softirq_stamp **st)
{
	int s = slot_of(vec);
	__u32 key;

	if (s < 0 || !nl_begin())
		return false;
	key = s;
	*v = bpf_map_lookup_elem(&softirq_stats, &key);
	*st = bpf_map_lookup_elem(&softirq_stamps, &key);
	if (!*v || !*st)
		return false;
	nl_session_inc(NL_BPF_EV_EVENTS);
	return true;
}

SEC("raw_tp/softirq_raise")
int BPF_PROG(nl_softirq_raise, unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;

	if (!lookup(vec, &v, &st))
		return 0;
	v->raises++;
	/* A raise while already pending does not move the stamp: the wait started at the first. */
	if (!st->raised_ns)
		st->raised_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(nl_softirq_entry, unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;
	__u64 now = bpf_ktime_get_ns();

	if (!lookup(vec, &v, &st))
		return 0;
	v->entries++;
	if (st->raised_ns && now >= st->raised_ns)
		nl_hist_put(&v->raise_delay, now - st->raised_ns);
	st->raised_ns = 0;
	st->entry_ns = now;
	return 0;
}

SEC("raw_tp/softirq_exit")
int BPF_PROG(nl_softirq_exit, unsigned int vec)
{
	struct softirq_stamp *st;
	struct softirq_val *v;
	__u64 now = bpf_ktime_get_ns();

	if (!lookup(vec, &v, &st))
		return 0;
	/* An exit without its entry (counting began mid-handler) has nothing to measure. */
	if (st->entry_ns && now >= st->entry_ns)
		nl_hist_put(&v->duration, now - st->entry_ns);
	st->entry_ns = 0;
	return 0;
}
