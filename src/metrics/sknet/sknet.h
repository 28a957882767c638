/* SPDX-License-Identifier: GPL-2.0 */
/* sknet: shared between sknet.bpf.h and the collector. Rows keyed by (netns, socket type, protocol). */
#ifndef NETLAT_BPF_SKNET_H
#define NETLAT_BPF_SKNET_H

#include "common.h"
#include "row_value.h"

#define SKNET_MAX_ROWS	256

struct sknet_key {
	unsigned int netns;		/* the socket's network namespace (inode) */
	unsigned short type;		/* sk_type: SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_RAW 3, ... */
	unsigned short protocol;	/* sk_protocol: IPPROTO_ICMP 1, IPPROTO_UDP 17, IPPROTO_ICMPV6 58, ... */
};

#define SKNET_VAL(C, H) \
	C(overflows)	/* skbs refused: sk_rmem_alloc >= sk_rcvbuf */ \
	C(bytes)		/* their truesize, summed */
NL_ROW_VALUE(sknet_val, SKNET_VAL);

#endif
