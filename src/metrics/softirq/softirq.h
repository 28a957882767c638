/* SPDX-License-Identifier: GPL-2.0 */
/*
 * softirq: shared between softirq.bpf.c and the collector. Per-CPU arrays
 * indexed by slot (NET_TX, NET_RX): the CPU is the per-CPU map's own axis.
 */
#ifndef NETLAT_BPF_SOFTIRQ_H
#define NETLAT_BPF_SOFTIRQ_H

#include "row_value.h"

/* Kernel softirq numbers (enum in include/linux/interrupt.h, unchanged since 2.6). */
#define NL_NET_TX_SOFTIRQ	2
#define NL_NET_RX_SOFTIRQ	3

enum softirq_slot {
	SOFTIRQ_SLOT_NET_TX = 0,
	SOFTIRQ_SLOT_NET_RX = 1,
	SOFTIRQ_NSLOTS = 2,
};

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define SOFTIRQ_VAL(C, H) \
	C(entries) \
	C(raises) \
	H(duration)	/* ns, entry -> exit */ \
	H(raise_delay)	/* ns, first raise -> entry */
NL_ROW_VALUE(softirq_val, SOFTIRQ_VAL);

/* In-kernel only: where this CPU's vector stands. */
struct softirq_stamp {
	unsigned long long raised_ns;	/* first raise since the last entry, 0: not pending */
	unsigned long long entry_ns;	/* handler running since, 0: not running */
};

#endif
