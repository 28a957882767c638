/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every netlat BPF program shares: the gate, the filters, session
 * counters and the histogram update (rows.bpf.h adds device slots, keyed
 * rows and sampled admission for the one object of the BPF collector).
 * That object is built twice from one text: NL_BTF=1 for tp_btf programs,
 * which read kernel memory with plain loads (the verifier turns them into
 * guarded loads, a few ns), and NL_BTF=0 for raw_tp, where every read is a
 * bpf_probe_read_kernel call (tens of ns). NL_RD() hides which.
 */
#ifndef NETLAT_COMMON_BPF_H
#define NETLAT_COMMON_BPF_H

#include "common.h"
#include "hist_shared.h"

#ifndef NL_BTF
#error "build with -DNL_BTF=0 or -DNL_BTF=1"
#endif

#if NL_BTF
#define NL_RD(...)	___arrow(__VA_ARGS__)
#define NL_SEC(tp)	SEC("tp_btf/" tp)
#else
#define NL_RD(...)	BPF_CORE_READ(__VA_ARGS__)
#define NL_SEC(tp)	SEC("raw_tp/" tp)
#endif

char LICENSE[] SEC("license") = "GPL";

/*
 * A kernel pointer as a number, to key a map or store in one. No
 * arithmetic on it: the verifier refuses arithmetic on tp_btf's typed
 * pointers (storing and comparing them is allowed to root). Where a hash
 * is needed, hash a scalar (skb->head, an ifindex).
 */
/* uapi values every metric may test (no vmlinux.h macros for them) */
#define NL_AF_INET	2
#define NL_AF_INET6	10
#define NL_IPPROTO_TCP	6
#define NL_IPPROTO_UDP	17
#define NL_MSG_PEEK	2
#define nl_addr(p)	((__u64)(p))

const volatile struct nl_bpf_filter nl_filter = {};
const volatile struct nl_bpf_switches nl_on = {};

/* Written by user space through the mmapped .bss: start opens the gate. */
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

/* Counting on, and this CPU selected by -C? The first thing every program asks. */
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

/* A device's network namespace inode (dev->nd_net.net->ns.inum); 0 for no device. */
static __always_inline __u32 nl_dev_netns(const struct net_device *dev)
{
	return dev ? NL_RD(dev, nd_net.net, ns.inum) : 0;
}

/* A socket's network namespace inode (sk->sk_net); 0 for no socket. */
static __always_inline __u32 nl_sk_netns(const struct sock *sk)
{
	return sk ? NL_RD(sk, __sk_common.skc_net.net, ns.inum) : 0;
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

/*
 * One histogram update. In the tp_btf build a global function: the verifier
 * checks it once, not at every call site of every program, so a loop over a
 * bulk dequeue that updates two histograms per skb stays far from the
 * complexity limit. The raw_tp build, the fallback for old kernels, inlines
 * it: a global function taking a pointer to memory needs Linux 5.12.
 */
#if NL_BTF
__noinline int nl_hist_add(struct nl_bpf_hist *h, __u64 v)
#else
static __always_inline int nl_hist_add(struct nl_bpf_hist *h, __u64 v)
#endif
{
	__u64 i;

	if (!h)
		return 0;
	i = nl_bucket_clamp(nl_hist_index(v));
	h->buckets[i]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	return 0;
}

static __always_inline void nl_hist_put(struct nl_bpf_hist *h, __u64 v)
{
	nl_hist_add(h, v);
}

#endif
