/* SPDX-License-Identifier: GPL-2.0 */
/* qdisc: shared between qdisc.bpf.h and the collector. Rows keyed by (device, qdisc handle). */
#ifndef NETLAT_BPF_QDISC_H
#define NETLAT_BPF_QDISC_H

#include "common.h"
#include "row_value.h"

/* skbs waiting for their dequeue; LRU so it never fills (an evicted one shows up as unpaired). */
#define QDISC_MAX_PENDING	65536
/* skbs of one bulk dequeue (skb->next chain) that get their own sojourn; the rest count as unpaired. */
#define QDISC_MAX_BULK		16

/* A row: the qdisc's device (slot in nl_devs, which names it and its namespace) and handle. */
struct qdisc_key {
	unsigned int dev_slot;
	unsigned int handle;		/* major << 16 | minor, as tc shows "major:minor" in hex */
};

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define QDISC_VAL(C, H) \
	C(packets)	/* dequeued skbs whose enqueue was seen */ \
	C(unpaired)	/* dequeued skbs without a stamp */ \
	H(sojourn)	/* ns, enqueue -> dequeue */
NL_ROW_VALUE(qdisc_val, QDISC_VAL);

#endif
