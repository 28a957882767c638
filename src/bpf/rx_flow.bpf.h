/* SPDX-License-Identifier: GPL-2.0 */
/* The flow of a TCP socket as rx's flow rows spell it; shared by rx.bpf.c and sockq.bpf.h. */
#ifndef NETLAT_RX_FLOW_BPF_H
#define NETLAT_RX_FLOW_BPF_H

#include "rx.h"

#define RX_IPPROTO_TCP	6
#define RX_IPPROTO_UDP	17
#define RX_AF_INET	2
#define RX_AF_INET6	10

/* The flow of a TCP socket, local end first as tcp_probe prints it; false for other sockets. */
static __always_inline bool rx_flow_of(const struct sock *sk, struct rx_flow *f)
{
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != RX_IPPROTO_TCP)
		return false;
	f->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	f->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	f->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (f->family == RX_AF_INET) {
		bpf_core_read(f->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(f->daddr, 4, &sk->__sk_common.skc_daddr);
		return true;
	}
	if (f->family == RX_AF_INET6) {
		bpf_core_read(f->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(f->daddr, 16, &sk->__sk_common.skc_v6_daddr);
		return true;
	}
	return false;
}

#endif
