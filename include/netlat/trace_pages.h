/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a tracefs ring buffer the way trace-cmd does: whole sub-buffers
 * from per_cpu/cpuN/trace_pipe_raw, without blocking, each parsed with
 * libtraceevent's kbuffer into events. One reader serves the tracefs
 * collector and the function collector's graph and kprobe-events tiers.
 */
#ifndef NETLAT_TRACE_PAGES_H
#define NETLAT_TRACE_PAGES_H

#include <stdint.h>

struct kbuffer;

struct nl_trace_pages {
	struct kbuffer *kbuf;
	void *page;
	int page_size;			/* the instance's sub-buffer size */
	uint64_t missed;		/* events the kernel flagged as lost, since the last nl_trace_pages_lost */
};

/* One event of a page: its CPU, ring-buffer timestamp, record and size. */
typedef void (*nl_trace_event_fn)(void *arg, int cpu, uint64_t ts, const void *data, int size);
/* A whole page, after its events (for a copy into a trace.dat); may be NULL. */
typedef void (*nl_trace_page_fn)(void *arg, int cpu, const void *page);

/* Sub-buffer size of the instance at dir: buffer_subbuf_size_kb since Linux 6.8, one page before. */
int nl_trace_subbuf_size(const char *dir);
/* 0, or -ENOMEM. */
int nl_trace_pages_init(struct nl_trace_pages *p, int page_size);
void nl_trace_pages_fini(struct nl_trace_pages *p);
/*
 * Read up to max_pages pages that cpu's reader fd (O_NONBLOCK) has ready,
 * handing each event to ev and each page to pg. 0 when the buffer is empty
 * (or max_pages were read), -errno on a read error.
 */
int nl_trace_pages_drain(struct nl_trace_pages *p, int fd, int cpu, int max_pages,
			 nl_trace_event_fn ev, nl_trace_page_fn pg, void *arg);
/* Events lost since the last call (pages that came with a missed-events count). */
uint64_t nl_trace_pages_lost(struct nl_trace_pages *p);

#endif
