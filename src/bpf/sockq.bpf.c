// SPDX-License-Identifier: GPL-2.0
/*
 * sockq stand-alone: one program per tracepoint, each calling the handler
 * of sockq.bpf.h (where the method is explained). Loaded beside rx, whose
 * rows these are, by tp_btf only.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "sockq.bpf.h"

SEC("raw_tp/tcp_probe")
int BPF_PROG(nl_sockq_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	if (nl_begin())
		sockq_on_tcp_probe(sk, skb);
	return 0;
}

SEC("raw_tp/sk_data_ready")
int BPF_PROG(nl_sockq_data_ready, const struct sock *sk)
{
	if (nl_begin())
		sockq_on_data_ready(sk);
	return 0;
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(nl_sockq_recv_length, struct sock *sk, int ret, int flags)
{
	if (nl_begin())
		sockq_on_recv_length(sk, ret, flags);
	return 0;
}

SEC("raw_tp/skb_copy_datagram_iovec")
int BPF_PROG(nl_sockq_copy, const struct sk_buff *skb, int len)
{
	if (nl_begin())
		sockq_on_copy(skb, len);
	return 0;
}
