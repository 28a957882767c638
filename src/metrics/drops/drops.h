/* SPDX-License-Identifier: GPL-2.0 */
/* drops: shared between drops.bpf.c and the collector. Rows keyed by (reason, location, netns). */
#ifndef NETLAT_BPF_DROPS_H
#define NETLAT_BPF_DROPS_H

#include "common.h"
#include "row_value.h"

#define DROPS_MAX_ROWS	1024
/* The reason of a drop on a kernel whose kfree_skb has none (before 5.17): named "unavailable". */
#define DROPS_NO_REASON	0xffffffffu

struct nl_drops_key {
	unsigned long long location;	/* return address in the kernel, symbolized in user space */
	unsigned int reason;		/* enum skb_drop_reason, named from the running kernel's BTF */
	unsigned int netns;		/* skb->dev's namespace, else skb->sk's, 0 if neither */
};

#define DROPS_VAL(C, H) \
	C(drops)
NL_ROW_VALUE(nl_drops_val, DROPS_VAL);

#endif
