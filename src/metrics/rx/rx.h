/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rx: shared between rx.bpf.h and the collectors. Three row tables: stage
 * per device, age point, TCP flow.
 */
#ifndef NETLAT_BPF_RX_H
#define NETLAT_BPF_RX_H

#include "common.h"
#include "row_value.h"

/* skbs in flight up the stack: 2^RX_SKB_BITS buckets of two (an evicted one loses its later stages). */
#define RX_SKB_BITS	15
/* An age beyond this is no CLOCK_REALTIME arrival stamp (TCP's departure stamps are monotonic). */
#define RX_AGE_MAX_NS	(60ULL * 1000 * 1000 * 1000)

/* Ladder order. */
enum rx_stage {
	RX_GRO_HOLD = 0,
	RX_BACKLOG,
	RX_STACK,
	RX_SOCKET_QUEUE,
	RX_TOTAL,
	RX_NSTAGES,
};
/* Stage and point names in enum order: the metric's key values, for every collector and the report. */
#define RX_STAGE_NAMES	{ "gro_hold", "backlog", "stack", "socket_queue", "total" }

enum rx_point {
	RX_IP_START = 0,	/* netif_receive_skb, just before the protocol handlers */
	RX_TCP_START,		/* tcp_probe: tcp_rcv_established */
	RX_UDP_START,		/* sk_data_ready of a UDP socket: the best UDP point there is */
	RX_SOCKET_ENQUEUED,	/* sk_data_ready: the tail of the receive queue */
	RX_SOCKET_READ,		/* skb_copy_datagram_iovec, every copy */
	RX_NPOINTS,
};
#define RX_POINT_NAMES	{ "ip_start", "tcp_start", "udp_start", "socket_enqueued", "socket_read" }

struct rx_flow {
	unsigned short family;		/* AF_INET or AF_INET6 */
	unsigned short sport, dport;	/* host order; s = the local end, as tcp_probe shows it */
	unsigned short pad;
	unsigned char saddr[16], daddr[16];	/* IPv4 in the first 4 bytes */
};

/* Flow rows (sockq_wait per TCP flow), keyed; stage rows are stage * NL_BPF_MAX_DEVS + device slot. */
#define RX_MAX_FLOWS	64

/* Row values, one shape per table, each written once (row_value.h: the struct and the reported names). */
#define RX_STAGE_VAL(C, H) \
	C(packets) \
	H(latency)
NL_ROW_VALUE(rx_stage_val, RX_STAGE_VAL);

#define RX_POINT_VAL(C, H) \
	H(age)
NL_ROW_VALUE(rx_point_val, RX_POINT_VAL);

#define RX_FLOW_VAL(C, H) \
	H(sockq_wait)
NL_ROW_VALUE(rx_flow_val, RX_FLOW_VAL);

/* The per-skb record: when each stage began, 0 for not seen. */
struct rx_skb {
	unsigned long long addr;	/* the skb */
	unsigned long long head;	/* skb->head: a reused address with a new buffer is another skb */
	unsigned long long t_first;	/* first stage of this life, for total */
	unsigned long long t_gro;
	unsigned long long t_backlog;
	unsigned long long t_recv;	/* netif_receive_skb */
	unsigned long long t_transport;	/* tcp_probe (data) / sk_data_ready (UDP) */
	unsigned int copied;		/* first copy seen */
	unsigned int dev_slot;
};

#endif
