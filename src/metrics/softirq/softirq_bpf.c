// SPDX-License-Identifier: GPL-2.0
/*
 * softirq's part in the BPF collector: without it nothing would notice
 * the runs the kernel kept from every BPF program, so it loads as a
 * witness when the session does not ask for it, its per-CPU counts read
 * against /proc/softirqs (src/collect/bpf/unseen.c).
 */
#include "metric_bpf_hooks.h"

const struct nl_bpf_hooks softirq_bpf_hooks = {
	.witness_map = "softirq_stats",
};
