// SPDX-License-Identifier: GPL-2.0
/* A tracefs ring buffer read page by page: see include/netlat/trace_pages.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kbuffer.h>

#include "netlat/trace_pages.h"

int nl_trace_subbuf_size(const char *dir)
{
	char path[PATH_MAX];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/buffer_subbuf_size_kb", dir);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%ld", &kb) != 1)
			kb = 0;
		fclose(f);
	}
	return kb > 0 ? (int)(kb * 1024) : (int)sysconf(_SC_PAGESIZE);
}

int nl_trace_pages_init(struct nl_trace_pages *p, int page_size)
{
	memset(p, 0, sizeof(*p));
	p->page_size = page_size;
	p->kbuf = kbuffer_alloc(KBUFFER_LSIZE_SAME_AS_HOST, KBUFFER_ENDIAN_SAME_AS_HOST);
	p->page = malloc((size_t)page_size);
	if (!p->kbuf || !p->page) {
		nl_trace_pages_fini(p);
		return -ENOMEM;
	}
	return 0;
}

void nl_trace_pages_fini(struct nl_trace_pages *p)
{
	if (p->kbuf)
		kbuffer_free(p->kbuf);
	free(p->page);
	p->kbuf = NULL;
	p->page = NULL;
}

static void parse_page(struct nl_trace_pages *p, int cpu, nl_trace_event_fn ev, void *arg)
{
	unsigned long long ts;
	void *data;
	int missed;

	if (kbuffer_load_subbuffer(p->kbuf, p->page) < 0)
		return;
	/* the events overwritten or refused before this page, when the kernel counted them */
	missed = kbuffer_missed_events(p->kbuf);
	if (missed > 0)
		p->missed += (uint64_t)missed;
	for (data = kbuffer_read_event(p->kbuf, &ts); data; data = kbuffer_next_event(p->kbuf, &ts))
		ev(arg, cpu, ts, data, kbuffer_event_size(p->kbuf));
}

int nl_trace_pages_drain(struct nl_trace_pages *p, int fd, int cpu, int max_pages,
			 nl_trace_event_fn ev, nl_trace_page_fn pg, void *arg)
{
	for (int pages = 0; pages < max_pages; pages++) {
		ssize_t n = read(fd, p->page, (size_t)p->page_size);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (n == 0)
			return 0;
		if (n < p->page_size)	/* never a whole page short; be safe with the header read */
			memset((char *)p->page + n, 0, (size_t)(p->page_size - n));
		parse_page(p, cpu, ev, arg);
		if (pg)
			pg(arg, cpu, p->page);
	}
	return 0;
}

uint64_t nl_trace_pages_lost(struct nl_trace_pages *p)
{
	uint64_t n = p->missed;

	p->missed = 0;
	return n;
}
