/* SPDX-License-Identifier: GPL-2.0 */
/* gro: shared between gro.bpf.c and the collector. Rows keyed by struct nl_dev_key (skb->dev). */
#ifndef NETLAT_BPF_GRO_H
#define NETLAT_BPF_GRO_H

/* Counters only; the order is the metric table's stat order the collector reads them in. */
struct gro_val {
	unsigned long long gro_in;	/* napi_gro_receive_entry, napi_gro_frags_entry */
	unsigned long long direct_in;	/* netif_rx, netif_receive_skb_entry, netif_receive_skb_list_entry */
	unsigned long long skbs_out;	/* netif_receive_skb (__netif_receive_skb_core) */
};

enum gro_field {
	GRO_IN = 0,
	GRO_DIRECT_IN = 1,
	GRO_SKBS_OUT = 2,
};

#endif
