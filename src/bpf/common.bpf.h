/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by every netlat BPF program: filters, session counters,
 * histogram update, device names. Each .bpf.c is its own skeleton, so these
 * globals exist once per metric; user space sets them the same way on each.
 */
#ifndef NETLAT_COMMON_BPF_H
#define NETLAT_COMMON_BPF_H

#include "common.h"
#include "hist_shared.h"

char LICENSE[] SEC("license") = "GPL";

const volatile struct nl_bpf_filter nl_filter = {};

/* Written by user space through the mmapped .bss at start(): arm loads and attaches, start opens the gate. */
volatile __u32 nl_enabled = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_BPF_EV_NR);
	__type(key, __u32);
	__type(value, __u64);
} nl_session SEC(".maps");

static __always_inline void nl_session_inc(__u32 slot)
{
	__u64 *c = bpf_map_lookup_elem(&nl_session, &slot);

	if (c)
		(*c)++;
}

/* Counting on, and this CPU selected by -C? */
static __always_inline bool nl_begin(void)
{
	__u32 cpu;

	if (!nl_enabled)
		return false;
	if (!nl_filter.cpus_set)
		return true;
	cpu = bpf_get_smp_processor_id();
	if (cpu >= NL_BPF_MAX_CPUS)
		return false;
	return (nl_filter.cpumask[(cpu / 64) & (NL_BPF_MAX_CPUS / 64 - 1)] >> (cpu % 64)) & 1;
}

/* Does name pass --dev? */
static __always_inline bool nl_dev_ok(const char *name)
{
	if (!nl_filter.dev[0])
		return true;
#pragma unroll
	for (int i = 0; i < NL_BPF_DEV_LEN; i++) {
		if (name[i] != nl_filter.dev[i])
			return false;
		if (!name[i])
			break;
	}
	return true;
}

/*
 * dev->name into out (zeroed first: it is a hash key). A NULL or nameless
 * device is the backlog or an skb not yet tied to a device; call it what
 * napi_poll's own output calls it.
 */
static __always_inline void nl_dev_name(const struct net_device *dev, char *out)
{
	__builtin_memset(out, 0, NL_BPF_DEV_LEN);
	if (dev)
		bpf_core_read_str(out, NL_BPF_DEV_LEN, &dev->name);
	if (!out[0])
		__builtin_memcpy(out, NL_BPF_NO_DEVICE, sizeof(NL_BPF_NO_DEVICE));
}

/* A device's network namespace inode (dev->nd_net.net->ns.inum); 0 for no device. */
static __always_inline __u32 nl_dev_netns(const struct net_device *dev)
{
	return dev ? BPF_CORE_READ(dev, nd_net.net, ns.inum) : 0;
}

/* A socket's network namespace inode (sk->sk_net); 0 for no socket. */
static __always_inline __u32 nl_sk_netns(const struct sock *sk)
{
	return sk ? BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) : 0;
}

/* Does namespace inode ns pass --netns? */
static __always_inline bool nl_netns_ok(__u32 ns)
{
	return !nl_filter.netns || ns == nl_filter.netns;
}

/* Does port pair (host order) pass --port (either end)? */
static __always_inline bool nl_port_ok(__u16 sport, __u16 dport)
{
	return !nl_filter.port || sport == nl_filter.port || dport == nl_filter.port;
}

/* Does the current task pass -p and --comm? Only meaningful in process context. */
static __always_inline bool nl_task_ok(void)
{
	char comm[NL_BPF_COMM_LEN];

	if (nl_filter.pid && (bpf_get_current_pid_tgid() >> 32) != nl_filter.pid)
		return false;
	if (!nl_filter.comm[0])
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
	for (int i = 0; i < NL_BPF_COMM_LEN; i++) {
		if (comm[i] != nl_filter.comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* Per-device row key: name and namespace, false when --dev or --netns filter it out. */
static __always_inline bool nl_dev_key_of(const struct net_device *dev, struct nl_dev_key *key)
{
	nl_dev_name(dev, key->dev);
	key->netns = nl_dev_netns(dev);
	return nl_dev_ok(key->dev) && nl_netns_ok(key->netns);
}

/*
 * min(i, NL_HIST_BUCKETS - 1) in the register the caller indexes with. In C,
 * clang knows i < 16 on the small-value path and drops the check, or
 * compares a copy of i against a constant held in a register, which the 6.1
 * verifier cannot use to prune the impossible branch (it only does so for
 * an immediate). An immediate compare on the very register keeps both happy.
 */
static __always_inline __u64 nl_bucket_clamp(__u64 i)
{
	asm volatile("if %[i] < %[n] goto +1\n\t"
		     "%[i] = %[last]\n\t"
		     : [i] "+r"(i)
		     : [n] "i"(NL_HIST_BUCKETS), [last] "i"(NL_HIST_BUCKETS - 1));
	return i;
}

static __always_inline void nl_hist_put(struct nl_bpf_hist *h, __u64 v)
{
	__u64 i = nl_bucket_clamp(nl_hist_index(v));

	h->buckets[i]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

/* This CPU's row for key, created from zero the first time; NULL (counted as lost) when the map is full. */
static __always_inline void *nl_row(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	v = bpf_map_lookup_elem(map, key);
	if (!v)
		nl_session_inc(NL_BPF_EV_LOST);
	return v;
}

#endif
