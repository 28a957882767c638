/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function latency (funclat.bpf.c <-> tier_bpf.c): one object per probed
 * function, loaded as fentry/fexit or kprobe/kretprobe. Rows are keyed by
 * the function's network namespace (struct net * argument) or 0.
 * Included from both worlds: no libc, no vmlinux.h.
 */
#ifndef NETLAT_BPF_FUNCLAT_H
#define NETLAT_BPF_FUNCLAT_H

#include "hist_shared.h"

/* Set by user space before load (.rodata), from the function's BTF or role. */
struct nl_funclat_cfg {
	unsigned int bytes_arg;		/* 1-based argument holding a byte count; 0: none */
	unsigned int bytes_ret;		/* 1: the return value is the byte count (when > 0) */
	unsigned int netns_arg;		/* 1-based argument that is a struct net *; 0: none */
	unsigned int net_inum_off;	/* offsetof(struct net, ns.inum), from BTF */
};

/* Per (netns, CPU): counters first, then the histogram (reader order). */
struct nl_funclat_val {
	unsigned long long calls;
	unsigned long long bytes;
	struct nl_bpf_hist duration;
};

/* Entry state of one thread inside the function. */
struct nl_funclat_start {
	unsigned long long ts;
	unsigned long long bytes;
	unsigned int netns;
	unsigned int pad;
};

#define NL_FUNCLAT_MAX_THREADS	16384

#endif
