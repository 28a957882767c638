/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sockq: TCP's socket-queue wait by bytes (sockq.bpf.h), part of the rx
 * metric: it writes rx's socket_queue stage rows and flow rows of its own
 * (method=bytes), shared with the collector here.
 */
#ifndef NETLAT_BPF_SOCKQ_H
#define NETLAT_BPF_SOCKQ_H

#include "rx.h"
#include "row_value.h"

/*
 * Entries of a socket's ring of (end sequence, time readable in order).
 * 128 x 16 bytes per socket with unread data. When a slow reader lets more
 * segments pile up, the two newest-half neighbours closest in time merge
 * (keeping the earlier time), so a wait is overstated by at most the time
 * between the arrivals merged, never understated.
 */
#define SOCKQ_RING		128
#define SOCKQ_PROTECTED		(SOCKQ_RING / 4)	/* oldest entries the writer never merges: the reader's */

/* How an rx flow row's wait was measured ("method=" in the row key). */
#define RX_FLOW_BY_SKB		0	/* rx.bpf.h: enqueue paired with the skb's first copy */
#define RX_FLOW_BY_BYTES	1	/* sockq: sequence ring, per read */

/*
 * A method=bytes flow row. Counters first, then histograms (the reader's
 * order): bytes read whose wait is known, bytes made readable (counted at
 * the reads: busy vs slow reader), the wait per read (of its oldest byte)
 * and per byte (byte-weighted).
 */
#define SOCKQ_FLOW_VAL(C, H) \
	C(bytes) \
	C(arrived) \
	H(wait) \
	H(wait_bytes)
NL_ROW_VALUE(sockq_flow_val, SOCKQ_FLOW_VAL);

#endif
