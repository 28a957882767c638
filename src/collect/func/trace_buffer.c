// SPDX-License-Identifier: GPL-2.0
/*
 * A tracefs ring buffer read raw for the graph and kprobe-events tiers:
 * either a private instance "netlat-<pid>-func" (kprobe events, and
 * function_graph where instances can hold it) or the top level (6.1's
 * function_graph exists only there). The tracefs collector owns
 * "netlat-<pid>"; a second instance keeps the two from sharing buffers.
 * The instance and the open readers are on the cleanup list.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>

#include "func_int.h"
#include "netlat/cleanup.h"
#include "netlat/features.h"
#include "netlat/trace_pages.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"

#define NLFT_MAX_PAGES	1024

struct nlf_trace {
	char root[PATH_MAX];
	char dir[PATH_MAX];
	bool instance;
	int handle;			/* cleanup entry: readers closed, instance removed */
	struct tep_handle *tep;
	struct nl_trace_pages pages;
	int ncpu;
	int *fds;
	nlf_trace_fn fn;
	void *arg;
};

static void readers_close(struct nlf_trace *tr)
{
	for (int i = 0; tr->fds && i < tr->ncpu; i++) {
		if (tr->fds[i] >= 0)
			close(tr->fds[i]);
		tr->fds[i] = -1;
	}
}

/* Signal-safe undo: no allocation, only close, write and rmdir. */
static void trace_undo_cb(void *arg)
{
	struct nlf_trace *tr = arg;
	char path[PATH_MAX + 32];

	readers_close(tr);
	if (!tr->instance)
		return;
	snprintf(path, sizeof(path), "%s/tracing_on", tr->dir);
	nlf_write(path, "0", false);
	snprintf(path, sizeof(path), "%s/events/enable", tr->dir);
	nlf_write(path, "0", false);
	snprintf(path, sizeof(path), "%s/current_tracer", tr->dir);
	nlf_write(path, "nop", false);
	rmdir(tr->dir);
}

struct nlf_trace *nlf_trace_open(bool instance, char *why, size_t len)
{
	struct nlf_trace *tr;
	const char *root = nl_tracefs_dir(why, len);
	char path[PATH_MAX + 32];

	if (!root)
		return NULL;
	tr = nl_xcalloc(1, sizeof(*tr));
	tr->handle = -1;
	tr->instance = instance;
	snprintf(tr->root, sizeof(tr->root), "%s", root);
	if (instance) {
		snprintf(tr->dir, sizeof(tr->dir), "%s/instances/" NL_INSTANCE_PREFIX "%d-func",
			 root, (int)getpid());
		if (mkdir(tr->dir, 0700) < 0 && errno != EEXIST) {
			snprintf(why, len, "cannot create tracefs instance %s: %s", tr->dir, nl_errname(-errno));
			free(tr);
			return NULL;
		}
	} else {
		snprintf(tr->dir, sizeof(tr->dir), "%s", root);
	}
	tr->handle = nl_cleanup_push(trace_undo_cb, tr, "tracefs function-latency buffer");
	tr->ncpu = nl_ncpus();
	tr->tep = tep_alloc();
	if (tr->handle < 0 || !tr->tep || nl_trace_pages_init(&tr->pages, nl_trace_subbuf_size(tr->dir))) {
		snprintf(why, len, "out of memory");
		nlf_trace_close(tr);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/tracing_on", tr->dir);
	nlf_write(path, "0", false);
	if (instance) {
		/* entry and return of a sleeping function may be stamped on different CPUs */
		snprintf(path, sizeof(path), "%s/trace_clock", tr->dir);
		nlf_write(path, "mono", false);
	}
	return tr;
}

const char *nlf_trace_dir(const struct nlf_trace *tr)
{
	return tr->dir;
}

const char *nlf_trace_root(const struct nlf_trace *tr)
{
	return tr->root;
}

int nlf_trace_event(struct nlf_trace *tr, const char *sys, const char *name, struct tep_event **ev)
{
	char path[PATH_MAX + 128], *buf;
	size_t cap = 65536;
	ssize_t n;
	int fd;

	*ev = tep_find_event_by_name(tr->tep, sys, name);
	if (*ev)
		return (*ev)->id;
	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tr->root, sys, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = nl_xcalloc(1, cap);
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0 || tep_parse_event(tr->tep, buf, (unsigned long)n, sys)) {
		free(buf);
		return -EINVAL;
	}
	free(buf);
	*ev = tep_find_event_by_name(tr->tep, sys, name);
	return *ev ? (*ev)->id : -ENOENT;
}

int nlf_trace_start(struct nlf_trace *tr, nlf_trace_fn fn, void *arg)
{
	char path[PATH_MAX + 64];
	int opened = 0;

	tr->fn = fn;
	tr->arg = arg;
	tr->fds = nl_xcalloc((size_t)tr->ncpu, sizeof(int));
	for (int cpu = 0; cpu < tr->ncpu; cpu++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", tr->dir, cpu);
		tr->fds[cpu] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		opened += tr->fds[cpu] >= 0;
	}
	if (!opened)
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/tracing_on", tr->dir);
	return nlf_write(path, "1", false);
}

int nlf_trace_poll(struct nlf_trace *tr)
{
	for (int cpu = 0; tr->fds && cpu < tr->ncpu; cpu++) {
		int err;

		if (tr->fds[cpu] < 0)
			continue;
		err = nl_trace_pages_drain(&tr->pages, tr->fds[cpu], cpu, NLFT_MAX_PAGES, tr->fn, NULL, tr->arg);
		if (err)
			return err;
	}
	return 0;
}

uint64_t nlf_trace_lost(struct nlf_trace *tr)
{
	return tr ? nl_trace_pages_lost(&tr->pages) : 0;
}

void nlf_trace_close(struct nlf_trace *tr)
{
	if (!tr)
		return;
	if (tr->handle >= 0)
		nl_cleanup_run_one(tr->handle);
	else
		readers_close(tr);
	free(tr->fds);
	if (tr->tep)
		tep_free(tr->tep);
	nl_trace_pages_fini(&tr->pages);
	free(tr);
}
