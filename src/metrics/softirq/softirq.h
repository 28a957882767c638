/* SPDX-License-Identifier: GPL-2.0 */
/*
 * softirq: shared between softirq.bpf.c and the collector. Per-CPU arrays
 * indexed by slot (NET_TX, NET_RX): the CPU is the per-CPU map's own axis.
 */
#ifndef NETLAT_BPF_SOFTIRQ_H
#define NETLAT_BPF_SOFTIRQ_H

#include "hist_shared.h"

/* Kernel softirq numbers (enum in include/linux/interrupt.h, unchanged since 2.6). */
#define NL_NET_TX_SOFTIRQ	2
#define NL_NET_RX_SOFTIRQ	3

enum softirq_slot {
	SOFTIRQ_SLOT_NET_TX = 0,
	SOFTIRQ_SLOT_NET_RX = 1,
	SOFTIRQ_NSLOTS = 2,
};

/* Counters first, then histograms: the collector's generic reader relies on that order. */
struct softirq_val {
	unsigned long long entries;
	unsigned long long raises;
	struct nl_bpf_hist duration;		/* ns, entry -> exit */
	struct nl_bpf_hist raise_delay;		/* ns, first raise -> entry */
};

/* In-kernel only: where this CPU's vector stands. */
struct softirq_stamp {
	unsigned long long raised_ns;	/* first raise since the last entry, 0: not pending */
	unsigned long long entry_ns;	/* handler running since, 0: not running */
};

#endif
