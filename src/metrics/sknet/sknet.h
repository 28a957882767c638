/* SPDX-License-Identifier: GPL-2.0 */
/* sknet: shared between sknet.bpf.h and the collector. Rows keyed by (netns, socket type, protocol). */
#ifndef NETLAT_BPF_SKNET_H
#define NETLAT_BPF_SKNET_H

#include "common.h"

#define SKNET_MAX_ROWS	256

struct sknet_key {
	unsigned int netns;		/* the socket's network namespace (inode) */
	unsigned short type;		/* sk_type: SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_RAW 3, ... */
	unsigned short protocol;	/* sk_protocol: IPPROTO_ICMP 1, IPPROTO_UDP 17, IPPROTO_ICMPV6 58, ... */
};

struct sknet_val {
	unsigned long long overflows;	/* skbs refused: sk_rmem_alloc >= sk_rcvbuf */
	unsigned long long bytes;	/* their truesize, summed */
};

#endif
