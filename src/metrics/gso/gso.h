/* SPDX-License-Identifier: GPL-2.0 */
/* gso: shared between gso.bpf.c and the collector. Rows keyed by struct nl_dev_key (the xmit dev). */
#ifndef NETLAT_BPF_GSO_H
#define NETLAT_BPF_GSO_H

#include "hist_shared.h"

/* Counters first, then histograms: the collector's generic reader relies on that order. */
struct gso_val {
	unsigned long long xmits;
	unsigned long long segments;	/* gso_segs, 0 (non-GSO skb) counted as 1 */
	unsigned long long bytes;	/* skb->len */
	struct nl_bpf_hist segs;	/* segments per transmit */
};

#endif
