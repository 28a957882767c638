/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Groups of netlat.bpf.c's shared programs that serve the same metrics, for
 * their descriptors' bpf_programs (struct nl_bpf_use): one list where the
 * programs are one piece of code, so the metrics that share it cannot list
 * it differently.
 */
#ifndef NETLAT_BPF_SHARED_PROGRAMS_H
#define NETLAT_BPF_SHARED_PROGRAMS_H

/* An skb entering the stack (nl_rx_entry) and leaving GRO or the backlog: gro counts, rx pairs. */
#define NL_BPF_RX_ENTRY_PROGRAMS \
	{ "napi_gro_receive_entry", false }, \
	{ "napi_gro_frags_entry", false }, \
	{ "netif_rx", false }, \
	{ "netif_receive_skb_entry", false }, \
	{ "netif_receive_skb_list_entry", false }, \
	{ "netif_receive_skb", false }

#endif
