/* SPDX-License-Identifier: GPL-2.0 */
/* gro: shared between gro.bpf.c and the collector. Rows keyed by struct nl_dev_key (skb->dev). */
#ifndef NETLAT_BPF_GRO_H
#define NETLAT_BPF_GRO_H

#include "row_value.h"

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define GRO_VAL(C, H) \
	C(gro_in)	/* napi_gro_receive_entry, napi_gro_frags_entry */ \
	C(direct_in)	/* netif_rx, netif_receive_skb_entry, netif_receive_skb_list_entry */ \
	C(skbs_out)	/* netif_receive_skb (__netif_receive_skb_core) */
NL_ROW_VALUE(gro_val, GRO_VAL);

enum gro_field {
	GRO_IN = 0,
	GRO_DIRECT_IN = 1,
	GRO_SKBS_OUT = 2,
};

#endif
