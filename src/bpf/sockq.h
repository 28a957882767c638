/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockq: the byte-accurate socket-queue wait of TCP, shared between
 * sockq.bpf.h and the collector. Its rows are rx rows (struct rx_key): the
 * socket_queue stage per device and the flow rows, so the rx ladder and the
 * per-flow table show it without knowing where it came from.
 */
#ifndef NETLAT_BPF_SOCKQ_H
#define NETLAT_BPF_SOCKQ_H

#include "rx.h"

/*
 * Entries of a socket's ring of (end sequence, time readable in order).
 * 128 x 16 bytes per socket with unread data. When a slow reader lets more
 * segments pile up, the two newest-half neighbours closest in time merge
 * (keeping the earlier time), so a wait is overstated by at most the time
 * between the arrivals merged, never understated.
 */
#define SOCKQ_RING		128
#define SOCKQ_PROTECTED		(SOCKQ_RING / 4)	/* oldest entries the writer never merges: the reader's */

/* The id of an rx flow row says how its wait was measured ("method=" in the row key). */
#define RX_FLOW_BY_SKB		0	/* rx.bpf.c: enqueue paired with the skb's first copy */
#define RX_FLOW_BY_BYTES	1	/* sockq: sequence ring, per read */

/*
 * Counters first, then histograms (the collector's generic reader). Stage
 * rows carry packets (reads) and latency; flow rows sockq_bytes, sockq_wait
 * (per read: the wait of the oldest byte it took) and sockq_wait_bytes
 * (every byte read, weighted by bytes).
 */
struct sockq_val {
	unsigned long long packets;
	unsigned long long bytes;
	unsigned long long arrived;	/* bytes made readable, counted at the reads (busy vs slow reader) */
	struct nl_bpf_hist latency;
	struct nl_bpf_hist wait;
	struct nl_bpf_hist wait_bytes;
};

#endif
