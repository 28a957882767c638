/* SPDX-License-Identifier: GPL-2.0 */
/* tx: shared between tx.bpf.h and the collectors. Rows keyed by (stage, device). */
#ifndef NETLAT_BPF_TX_H
#define NETLAT_BPF_TX_H

#include "common.h"
#include "row_value.h"

/* skbs in flight down the stack: 2^TX_SKB_BITS buckets of two; sends waiting: 2^TX_SEND_BITS slots. */
#define TX_SKB_BITS	15
#define TX_SEND_BITS	13
/* skbs of one bulk dequeue (skb->next chain) followed; as in qdisc.h. */
#define TX_MAX_BULK	16

/* Ladder order. */
enum tx_stage {
	TX_SEND_TO_DEV = 0,
	TX_QDISC,
	TX_DRIVER,
	TX_COMPLETION,
	TX_TOTAL,
	TX_NSTAGES,
};
/* Stage names in enum order: the metric's key values, for every collector and the report. */
#define TX_STAGE_NAMES	{ "send_to_dev", "qdisc", "driver", "completion", "total" }

/* A row is stage * NL_BPF_MAX_DEVS + device slot. Written once (row_value.h: the struct and the reported names). */
#define TX_VAL(C, H) \
	C(packets) \
	H(latency)
NL_ROW_VALUE(tx_val, TX_VAL);

/* Per skb: when each stage began, 0 for not seen. */
struct tx_skb {
	unsigned long long addr;	/* the skb */
	unsigned long long head;	/* skb->head: a reused address with a new buffer is another skb */
	unsigned long long t_first;	/* the send call when paired, else net_dev_queue */
	unsigned long long t_enq;
	unsigned long long t_start;
	unsigned long long t_xmit;
	unsigned int dev_slot;
	unsigned int pad;
};

/* Per socket: the oldest send not yet seen at the device (ts 0: none). */
struct tx_send {
	unsigned long long sk;		/* the socket's address: the slot is its while ts is set */
	unsigned long long ts;
	unsigned int seq;		/* tp->write_seq when the send began: its first byte */
	unsigned int pad;
};

#endif
