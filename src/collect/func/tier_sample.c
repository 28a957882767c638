// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 5: perf cpu-clock sampling with kernel callchains, per CPU, at
 * nl_func_sample_hz() (99 Hz unless --sample-freq says otherwise). No
 * latency: a sample counts for a function when any frame of its kernel
 * stack lies in the function's [start, end) from /proc/kallsyms, so
 * samples / cpu_samples is the share of CPU time spent in the function
 * and its callees. Works wherever perf cpu-clock does (no kprobes, no
 * function tracer, no fentry needed). File descriptors only: nothing for
 * the cleanup list.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "func_int.h"
#include "netlat/features.h"
#include "netlat/util.h"

#define NLFS_MAX	NLF_MAX_TARGETS
#define NLFS_PAGES	16			/* ring data pages per CPU (power of two) */

struct nlfs_cpu {
	int fd;
	void *ring;
	size_t len;
};

struct nlfs_ctx {
	const struct nl_record_opts *o;
	char fail[NL_REASON_MAX];
	struct nlfs_cpu *cpu;
	int ncpu;
	size_t page;
	struct nlf_target *t[NLFS_MAX];
	int n;
	uint64_t lost;
	uint64_t taken;		/* samples read or lost, any task: what the sampling cost */
};

static int open_cpu(struct nlfs_ctx *c, int cpu, char *why, size_t len)
{
	struct perf_event_attr a = {
		.size = sizeof(a),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		/* a period in ns, not attr.freq: the rate asked is the rate taken, unadjusted */
		.sample_period = 1000000000ULL / nl_func_sample_hz(),
		.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_CALLCHAIN,
		.exclude_callchain_user = 1,
		.disabled = 1,
		.wakeup_events = 1,
	};
	struct nlfs_cpu *pc = &c->cpu[cpu];
	int fd = (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0) {
		int err = -errno;

		/* an offline CPU has nothing to sample */
		if (err == -ENODEV || err == -EINVAL)
			return 0;
		snprintf(why, len, "sample: perf_event_open cpu-clock on cpu %d: %s", cpu, nl_errname(err));
		return err;
	}
	pc->len = (NLFS_PAGES + 1) * c->page;
	pc->ring = mmap(NULL, pc->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (pc->ring == MAP_FAILED) {
		int err = -errno;

		close(fd);
		pc->ring = NULL;
		snprintf(why, len, "sample: mmap of the perf ring on cpu %d: %s", cpu, nl_errname(err));
		return err;
	}
	pc->fd = fd;
	return 0;
}

static int ctx_open(struct nlfs_ctx *c, char *why, size_t len)
{
	c->page = (size_t)sysconf(_SC_PAGESIZE);
	c->ncpu = nl_ncpus();
	c->cpu = nl_xcalloc((size_t)c->ncpu, sizeof(*c->cpu));
	for (int i = 0; i < c->ncpu; i++)
		c->cpu[i].fd = -1;
	for (int i = 0; i < c->ncpu; i++) {
		int err;

		if (!nl_opts_cpu_ok(c->o, i))
			continue;
		err = open_cpu(c, i, why, len);
		if (err)
			return err;
	}
	return 0;
}

static int sample_arm(void **ctxp, const struct nl_record_opts *o, struct nlf_target *t,
		      char *why, size_t len)
{
	struct nlfs_ctx *c = *ctxp;

	if (o->netns && t->netns_arg)
		return snprintf(why, len, "sample: --netns: a stack sample has no namespace"), -EOPNOTSUPP;
	if (!t->start)
		return snprintf(why, len, "sample: %s has no address in /proc/kallsyms (kptr_restrict?)",
				t->sym), -EPERM;
	if (!c) {
		c = nl_xcalloc(1, sizeof(*c));
		c->o = o;
		*ctxp = c;
		if (ctx_open(c, c->fail, sizeof(c->fail)) && !c->fail[0])
			snprintf(c->fail, sizeof(c->fail), "sample: cpu-clock not available");
	}
	if (c->fail[0])
		return snprintf(why, len, "%s", c->fail), -EOPNOTSUPP;
	if (c->n == NLFS_MAX)
		return snprintf(why, len, "sample: too many functions"), -E2BIG;
	t->netns_rows = false;
	c->t[c->n++] = t;
	return 0;
}

static int sample_start(void *ctx)
{
	struct nlfs_ctx *c = ctx;

	for (int i = 0; c && c->n && i < c->ncpu; i++)
		if (c->cpu[i].fd >= 0 && ioctl(c->cpu[i].fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
			return -errno;
	return 0;
}

/* Copy len bytes at ring offset off (data area wraps) into out. */
static void ring_copy(const struct nlfs_ctx *c, const struct nlfs_cpu *pc, uint64_t off,
		      void *out, size_t len)
{
	const char *data = (const char *)pc->ring + c->page;
	size_t size = NLFS_PAGES * c->page;

	for (size_t i = 0; i < len; i++)
		((char *)out)[i] = data[(off + i) % size];
}

/* One PERF_RECORD_SAMPLE body: u32 pid, tid; u64 nr; u64 ips[nr]. */
static void on_sample(struct nlfs_ctx *c, const struct nlfs_cpu *pc, uint64_t off, size_t size)
{
	uint32_t ids[2];
	uint64_t nr, ip;
	bool hit[NLFS_MAX] = { false };

	if (size < sizeof(ids) + sizeof(nr))
		return;
	ring_copy(c, pc, off, ids, sizeof(ids));
	ring_copy(c, pc, off + sizeof(ids), &nr, sizeof(nr));
	if (!nlf_task_ok(c->o, (int)ids[1]))
		return;
	if (nr > (size - sizeof(ids) - sizeof(nr)) / sizeof(ip))
		nr = (size - sizeof(ids) - sizeof(nr)) / sizeof(ip);
	for (uint64_t i = 0; i < nr; i++) {
		ring_copy(c, pc, off + sizeof(ids) + sizeof(nr) + i * sizeof(ip), &ip, sizeof(ip));
		if (ip >= (uint64_t)PERF_CONTEXT_MAX)
			continue;	/* a context marker, not a frame */
		for (int k = 0; k < c->n; k++)
			if (ip >= c->t[k]->start && ip < c->t[k]->end)
				hit[k] = true;
	}
	for (int k = 0; k < c->n; k++) {
		struct nlf_row *r = nlf_row(c->t[k], 0);

		if (!r)
			continue;
		r->cpu_samples++;
		r->samples += hit[k];
		r->active = true;
	}
}

static void drain_cpu(struct nlfs_ctx *c, struct nlfs_cpu *pc)
{
	struct perf_event_mmap_page *meta = pc->ring;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;

	while (tail + sizeof(struct perf_event_header) <= head) {
		struct perf_event_header h;

		ring_copy(c, pc, tail, &h, sizeof(h));
		if (h.size < sizeof(h))
			break;
		if (h.type == PERF_RECORD_SAMPLE) {
			c->taken++;
			on_sample(c, pc, tail + sizeof(h), h.size - sizeof(h));
		}
		else if (h.type == PERF_RECORD_LOST && h.size >= sizeof(h) + 16) {
			/*
			 * { u64 id; u64 lost; }: samples the kernel took and could not
			 * store, the ring being full. Their interrupts ran all the
			 * same: they are part of what the sampling cost.
			 */
			uint64_t rec[2];

			ring_copy(c, pc, tail + sizeof(h), rec, sizeof(rec));
			c->lost += rec[1];
			c->taken += rec[1];
		}
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

static int sample_poll(void *ctx)
{
	struct nlfs_ctx *c = ctx;

	for (int i = 0; c && c->n && i < c->ncpu; i++)
		if (c->cpu[i].ring)
			drain_cpu(c, &c->cpu[i]);
	return 0;
}

static void sample_close(void *ctx)
{
	struct nlfs_ctx *c = ctx;

	if (!c)
		return;
	for (int i = 0; c->cpu && i < c->ncpu; i++) {
		if (c->cpu[i].ring)
			munmap(c->cpu[i].ring, c->cpu[i].len);
		if (c->cpu[i].fd >= 0)
			close(c->cpu[i].fd);
	}
	free(c->cpu);
	free(c);
}

/* A count since the previous call: its value, then zero. */
static uint64_t take(uint64_t *count)
{
	uint64_t n = *count;

	*count = 0;
	return n;
}

static uint64_t sample_taken(void *ctx)
{
	return ctx ? take(&((struct nlfs_ctx *)ctx)->taken) : 0;
}

/* PERF_RECORD_LOST's counts since the previous call: samples the full ring could not hold. */
static uint64_t sample_lost(void *ctx)
{
	return ctx ? take(&((struct nlfs_ctx *)ctx)->lost) : 0;
}

const struct nlf_tier nlf_tier_sample = {
	.id = NL_FTIER_SAMPLE, .arm = sample_arm, .start = sample_start, .poll = sample_poll,
	.collect = sample_poll, .close = sample_close, .samples = sample_taken, .lost = sample_lost,
};
