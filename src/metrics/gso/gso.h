/* SPDX-License-Identifier: GPL-2.0 */
/* gso: shared between gso.bpf.c and the collector. Rows keyed by struct nl_dev_key (the xmit dev). */
#ifndef NETLAT_BPF_GSO_H
#define NETLAT_BPF_GSO_H

#include "row_value.h"

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define GSO_VAL(C, H) \
	C(xmits) \
	C(segments)	/* gso_segs, 0 (non-GSO skb) counted as 1 */ \
	C(bytes)		/* skb->len */ \
	H(segs)		/* segments per transmit */
NL_ROW_VALUE(gso_val, GSO_VAL);

#endif
