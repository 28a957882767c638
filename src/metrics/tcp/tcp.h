/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp: shared between tcp.bpf.c and the collector. One stats map holds three
 * row shapes told apart by kind: handshakes per side and netns, RTT,
 * retransmits and resets per netns, and bytes per flow and process.
 */
#ifndef NETLAT_BPF_TCP_H
#define NETLAT_BPF_TCP_H

#include "common.h"
#include "row_value.h"

/* Flows are many more than devices: room for them, allocated on use. */
#define TCP_MAX_ROWS		2048
/* Sockets between SYN_SENT/SYN_RECV and ESTABLISHED. */
#define TCP_MAX_PENDING		16384

enum nl_tcp_row {
	TCP_ROW_CLIENT = 1,	/* "side=client netns=N" */
	TCP_ROW_SERVER = 2,	/* "side=server netns=N" */
	TCP_ROW_NETNS = 3,	/* "netns=N" */
	TCP_ROW_FLOW = 4,	/* "flow=L:P>R:P netns=N comm=X pid=P", local end first */
};

struct nl_tcp_key {
	unsigned int kind;
	unsigned int netns;
	unsigned int pid;		/* tgid, flow rows */
	unsigned short family;		/* AF_INET 2, AF_INET6 10, flow rows */
	unsigned short lport, rport;	/* host order */
	unsigned short pad;
	unsigned char laddr[16], raddr[16];	/* IPv4 in the first 4 bytes */
	char comm[NL_BPF_COMM_LEN];
};

/* Per-namespace rows (client, server, netns kinds) hold these; flow rows only bytes. */
#define TCP_MAX_NS_ROWS		64

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define TCP_VAL(C, H) \
	C(handshakes) \
	C(retransmits) \
	C(resets_sent) \
	C(resets_received) \
	C(bytes_in) \
	C(bytes_out) \
	H(handshake)	/* ns */ \
	H(srtt)		/* ns */
NL_ROW_VALUE(nl_tcp_val, TCP_VAL);

/* A flow row: bytes the process moved through the socket. */
#define TCP_FLOW_VAL(C, H) \
	C(bytes_in) \
	C(bytes_out)
NL_ROW_VALUE(nl_tcp_flow_val, TCP_FLOW_VAL);

/* The per-namespace row shapes index a table of TCP_MAX_NS_ROWS; flows their own of TCP_MAX_ROWS. */
struct nl_tcp_ns_key {
	unsigned int kind;		/* TCP_ROW_CLIENT, TCP_ROW_SERVER, TCP_ROW_NETNS */
	unsigned int netns;
};

#endif
