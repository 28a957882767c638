/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sknet, kernel side: sock:sock_rcvqueue_full, which __sock_queue_rcv_skb
 * fires when a socket's receive queue is full (sk_rmem_alloc >= sk_rcvbuf)
 * and the skb is dropped (raw, ping and other datagram sockets; UDP has its
 * own check). No other metric uses the tracepoint: its program is here.
 */
#ifndef NETLAT_SKNET_BPF_H
#define NETLAT_SKNET_BPF_H

#include "sknet.h"

NL_KEYED_ROWS(sknet_row, struct sknet_key, SKNET_MAX_ROWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SKNET_MAX_ROWS);
	__type(key, __u32);
	__type(value, struct sknet_val);
} sknet_rows SEC(".maps");

static __always_inline bool sknet_on_full(const struct sock *sk, const struct sk_buff *skb)
{
	struct sknet_key key = {};
	struct sknet_val *v;
	__u32 idx;

	key.netns = nl_sk_netns(sk);
	if (!nl_netns_ok(key.netns))
		return false;
	key.type = NL_RD(sk, sk_type);
	key.protocol = NL_RD(sk, sk_protocol);
	idx = sknet_row_index(&key);
	v = bpf_map_lookup_elem(&sknet_rows, &idx);
	if (!v)
		return false;
	v->overflows++;
	v->bytes += NL_RD(skb, truesize);
	return true;
}

/* trace_sock_rcvqueue_full(sk, skb) in __sock_queue_rcv_skb */
NL_SEC("sock_rcvqueue_full")
int BPF_PROG(nl_tp_sock_rcvqueue_full, const struct sock *sk, const struct sk_buff *skb)
{
	if (!nl_begin() || !nl_on.sknet)
		return 0;
	return nl_done(sknet_on_full(sk, skb));
}

#endif
