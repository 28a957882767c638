// SPDX-License-Identifier: GPL-2.0
/*
 * The tracefs collector: tracepoints enabled in netlat's own instance,
 * raw ring-buffer pages read from per_cpu/cpuN/trace_pipe_raw without
 * blocking, records parsed with libtraceevent's kbuffer and handed to the
 * metric families (src/metrics/<metric>/<metric>_tracefs.c). Works where BPF does not load; costs a
 * copy of every event to user space, so events can be lost under load and
 * are counted per CPU from the instance's per-CPU stats.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "netlat/cleanup.h"
#include "netlat/collector.h"
#include "netlat/trace_pages.h"
#include "netlat/tracedat.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"
#include "metrics/flows.h"
#include "tracefs_int.h"

#define TFS_MAX_EVENTS		64
#define TFS_MAX_FAMILIES	16
/* Pages per CPU per drain: bounds one poll() when the kernel writes faster than we read. */
#define TFS_MAX_PAGES		2048

struct tfs_cpu {
	int cpu;
	int fd;				/* per_cpu/cpuN/trace_pipe_raw, O_NONBLOCK */
	uint64_t lost_stats;		/* overrun + commit overrun + dropped, at the last snapshot */
	uint64_t page_missed;		/* missed events flagged in pages since the last snapshot */
	bool have_stats;
};

struct tfs_armed {
	const struct tfs_family *fam;
	void *state;
};

struct tfs_ctx {
	struct nl_record_opts opts;
	int ncpus;
	const char *root;
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct nl_trace_pages pages;
	int page_size;
	struct tfs_event ev[TFS_MAX_EVENTS];
	size_t nev;
	struct tfs_armed fam[TFS_MAX_FAMILIES];
	size_t nfam;
	struct tfs_cpu *cpu;
	int nreaders;
	int readers_handle;		/* cleanup entry closing the reader fds */
	uint64_t events;		/* records parsed since the last snapshot */
	struct nl_tracedat *raw;	/* --raw: every page read is also kept for a trace.dat */
	/* --raw: timestamps of the records of each event id written, for the report */
	struct { int id; struct nl_hist ts; } raw_seen[TFS_MAX_EVENTS];
	size_t nraw_seen;
};

#define NL_METRIC(name, bpf, tracefs) NL_FAMILY_##tracefs(name)
#define NL_FAMILY_TRACEFS(name) &tfs_##name,
#define NL_FAMILY_NO_TRACEFS(name)
static const struct tfs_family *const families[] = {
#include "metrics.def"
};
#undef NL_FAMILY_NO_TRACEFS
#undef NL_FAMILY_TRACEFS
#undef NL_METRIC

const struct nl_record_opts *tfs_opts(const struct tfs_ctx *c)
{
	return &c->opts;
}

int tfs_ncpus(const struct tfs_ctx *c)
{
	return c->ncpus;
}

bool tfs_event_exists(struct tfs_ctx *c, const char *system, const char *name)
{
	return tep_find_event_by_name(c->tep, system, name) != NULL;
}

void tfs_dev_filter(const struct tfs_ctx *c, const char *field, char *out, size_t len)
{
	if (c->opts.dev[0])
		snprintf(out, len, "%s == \"%s\"", field, c->opts.dev);
	else
		out[0] = '\0';
}

/* Is ev's tracepoint also used by an event registered before index upto? */
static bool event_shared(const struct tfs_ctx *c, const struct tfs_event *ev, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		if (&c->ev[i] != ev && c->ev[i].id == ev->id)
			return true;
	return false;
}

static int cache_fields(struct tfs_event *ev, struct tep_event *te, const char *const *fields,
			char *why, size_t whylen)
{
	for (int i = 0; fields && fields[i]; i++) {
		if (i >= TFS_MAX_FIELDS) {
			snprintf(why, whylen, "too many fields for %s:%s", ev->system, ev->name);
			return -E2BIG;
		}
		ev->f[i] = tep_find_field(te, fields[i]);
		if (!ev->f[i]) {
			snprintf(why, whylen, "tracepoint %s:%s has no field %s", ev->system, ev->name, fields[i]);
			return -ENOENT;
		}
	}
	return 0;
}

/* Filter then enable (tracing_on is still 0, so nothing is recorded before start). */
static int event_switch_on(struct tfs_ctx *c, struct tfs_event *ev, char *why, size_t whylen)
{
	if (ev->filter[0] &&
	    tracefs_event_file_write(c->inst, ev->system, ev->name, "filter", ev->filter) < 0) {
		snprintf(why, whylen, "filter '%s' rejected by %s:%s: %s", ev->filter, ev->system,
			 ev->name, strerror(errno));
		return -EINVAL;
	}
	if (tracefs_event_file_write(c->inst, ev->system, ev->name, "enable", "1") < 0) {
		snprintf(why, whylen, "cannot enable tracepoint %s:%s: %s", ev->system, ev->name,
			 strerror(errno));
		return -errno ? -errno : -EIO;
	}
	return 0;
}

static void event_switch_off(struct tfs_ctx *c, struct tfs_event *ev)
{
	tracefs_event_file_write(c->inst, ev->system, ev->name, "enable", "0");
	if (ev->filter[0])
		tracefs_event_file_write(c->inst, ev->system, ev->name, "filter", "0");
}

struct tfs_event *tfs_event_add(struct tfs_ctx *c, const char *system, const char *name,
				const char *const *fields, tfs_handler fn, void *priv,
				const char *filter, char *why, size_t whylen)
{
	struct tep_event *te = tep_find_event_by_name(c->tep, system, name);
	struct tfs_event *ev;

	if (!te) {
		snprintf(why, whylen, "tracepoint %s:%s not found", system, name);
		return NULL;
	}
	if (c->nev >= TFS_MAX_EVENTS) {
		snprintf(why, whylen, "too many tracepoints");
		return NULL;
	}
	ev = &c->ev[c->nev];
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->system, sizeof(ev->system), "%s", system);
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	snprintf(ev->filter, sizeof(ev->filter), "%s", filter ? filter : "");
	ev->id = te->id;
	ev->fn = fn;
	ev->priv = priv;
	if (cache_fields(ev, te, fields, why, whylen))
		return NULL;
	/* A tracepoint two families share is switched on once, with the first one's filter. */
	if (!event_shared(c, ev, c->nev) && event_switch_on(c, ev, why, whylen)) {
		event_switch_off(c, ev);
		return NULL;
	}
	c->nev++;
	return ev;
}

/* Undo the events registered from index keep on (a family whose arm failed). */
static void events_rollback(struct tfs_ctx *c, size_t keep)
{
	while (c->nev > keep) {
		struct tfs_event *ev = &c->ev[--c->nev];

		if (!event_shared(c, ev, c->nev))
			event_switch_off(c, ev);
	}
}

/* "ffffffff,0000000f": tracing_cpumask wants 32-bit hex groups, most significant first. */
static void cpumask_str(const struct nl_record_opts *o, int ncpus, char *out, size_t len)
{
	int groups = (ncpus + 31) / 32;
	size_t used = 0;

	out[0] = '\0';
	for (int g = groups - 1; g >= 0 && used < len; g--) {
		uint32_t bits = (uint32_t)(o->cpumask[g / 2] >> (32 * (g % 2)));

		used += (size_t)snprintf(out + used, len - used, "%s%08x", used ? "," : "", bits);
	}
}

static int subbuf_size(struct tracefs_instance *inst)
{
	char *dir = tracefs_instance_get_dir(inst);
	int size = dir ? nl_trace_subbuf_size(dir) : (int)sysconf(_SC_PAGESIZE);

	free(dir);
	return size;
}

static int instance_setup(struct tfs_ctx *c, char *why, size_t whylen)
{
	char mask[NL_MAX_CPUS / 4 + NL_MAX_CPUS / 32 + 1];

	tracefs_trace_off(c->inst);
	/* CLOCK_MONOTONIC timestamps, comparable with the rest of netlat and with BPF's ktime. */
	if (tracefs_instance_file_write(c->inst, "trace_clock", "mono") < 0) {
		snprintf(why, whylen, "cannot set trace_clock mono: %s", strerror(errno));
		return -EINVAL;
	}
	if (c->opts.buffer_kb &&
	    tracefs_instance_set_buffer_size(c->inst, c->opts.buffer_kb, -1) < 0) {
		snprintf(why, whylen, "cannot set buffer_size_kb %u: %s", c->opts.buffer_kb, strerror(errno));
		return -EINVAL;
	}
	if (c->opts.cpus_set) {
		cpumask_str(&c->opts, c->ncpus, mask, sizeof(mask));
		if (tracefs_instance_file_write(c->inst, "tracing_cpumask", mask) < 0) {
			snprintf(why, whylen, "cannot set tracing_cpumask %s: %s", mask, strerror(errno));
			return -EINVAL;
		}
	}
	c->page_size = subbuf_size(c->inst);
	return 0;
}

#define TFS_MAX_SYSTEMS	16

/* Add the systems of list ("net:netif_rx", ...) not yet in sys[0..*n). */
static void add_systems(const char *const *list, char sys[][32], size_t *n)
{
	for (const char *const *tp = list; tp && *tp; tp++) {
		size_t len = strcspn(*tp, ":");
		size_t i;

		for (i = 0; i < *n; i++)
			if (strlen(sys[i]) == len && !strncmp(sys[i], *tp, len))
				break;
		if (i == *n && *n < TFS_MAX_SYSTEMS && len < sizeof(sys[0]))
			snprintf(sys[(*n)++], sizeof(sys[0]), "%.*s", (int)len, *tp);
	}
}

/*
 * A tep holding only the event formats of the systems netlat reads: those
 * of the tracepoints the metrics' descriptors name.
 * tracefs_local_events_system() would also load /proc/kallsyms, cmdlines
 * and printk formats: tens of thousands of allocations (seconds under
 * ASan) for symbol printing netlat never does.
 */
static struct tep_handle *load_formats(void)
{
	char systems[TFS_MAX_SYSTEMS][32];
	size_t nsystems = 0;
	struct tep_handle *tep = tep_alloc();

	if (!tep)
		return NULL;
	for (size_t m = 0; m < nl_nmetrics; m++) {
		add_systems(nl_metrics[m]->tracepoints, systems, &nsystems);
		add_systems(nl_metrics[m]->optional_tracepoints, systems, &nsystems);
	}
	for (size_t i = 0; i < nsystems; i++) {
		char **events = tracefs_system_events(NULL, systems[i]);

		for (int k = 0; events && events[k]; k++) {
			int size = 0;
			char *fmt = tracefs_event_file_read(NULL, systems[i], events[k], "format", &size);

			/* An event whose format libtraceevent cannot parse is simply not offered. */
			if (fmt && size > 0)
				tep_parse_event(tep, fmt, (unsigned long)size, systems[i]);
			free(fmt);
		}
		tracefs_list_free(events);
	}
	return tep;
}

static void tfs_close(void *ctx);
static void raw_finish(struct tfs_ctx *c);

static int tfs_open(void **ctxp, const struct nl_record_opts *o, char *why, size_t whylen)
{
	struct tfs_ctx *c = nl_xcalloc(1, sizeof(*c));
	int err = -ENOENT;

	*ctxp = c;
	c->opts = *o;
	c->ncpus = nl_ncpus();
	c->readers_handle = -1;
	c->root = nl_tracefs_dir(why, whylen);
	if (!c->root)
		goto out_fail;
	c->tep = load_formats();
	if (!c->tep) {
		snprintf(why, whylen, "cannot parse event formats under %s/events", c->root);
		goto out_fail;
	}
	c->inst = nl_tracefs_instance_create(why, whylen);
	if (!c->inst)
		goto out_fail;
	err = instance_setup(c, why, whylen);
	if (err)
		goto out_fail;
	err = nl_trace_pages_init(&c->pages, c->page_size);
	if (err) {
		snprintf(why, whylen, "out of memory");
		goto out_fail;
	}
	if (c->opts.raw_path) {
		err = nl_tracedat_open(&c->raw, c->opts.raw_path, c->ncpus, c->page_size, why, whylen);
		if (err)
			goto out_fail;
	}
	return 0;
out_fail:
	tfs_close(c);
	*ctxp = NULL;
	return err;
}

static const struct tfs_family *family_of(const char *metric)
{
	for (size_t i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcmp(families[i]->metric, metric))
			return families[i];
	return NULL;
}

const struct tfs_family *const *tfs_family_list(size_t *n)
{
	*n = ARRAY_SIZE(families);
	return families;
}

bool tfs_has_family(const char *metric)
{
	return family_of(metric) != NULL;
}

static int tfs_arm(void *ctx, const struct nl_metric_desc *m, char *detail, size_t dlen,
		   char *why, size_t whylen)
{
	struct tfs_ctx *c = ctx;
	const struct tfs_family *fam = family_of(m->name);
	size_t keep = c->nev;
	void *state = NULL;
	int err;

	if (!fam) {
		snprintf(why, whylen, "not implemented by the tracefs collector");
		return -EOPNOTSUPP;
	}
	err = nl_filters_check("tracefs", m->name, &c->opts, why, whylen);
	if (err)
		return err;
	for (size_t i = 0; i < c->nfam; i++)
		if (c->fam[i].fam == fam) {
			state = c->fam[i].state;
			goto out_ok;
		}
	if (c->nfam >= TFS_MAX_FAMILIES) {
		snprintf(why, whylen, "too many metrics");
		return -ENOSPC;
	}
	err = fam->arm(c, &state, why, whylen);
	if (err) {
		events_rollback(c, keep);
		return err;
	}
	c->fam[c->nfam].fam = fam;
	c->fam[c->nfam].state = state;
	c->nfam++;
out_ok:
	snprintf(detail, dlen, "%s", fam->detail && fam->detail(state) ? fam->detail(state) : "tracepoint");
	return 0;
}

/* Sum of the per-CPU "overrun", "commit overrun" and "dropped events" lines. */
static int read_lost(const struct tfs_ctx *c, int cpu, uint64_t *lost)
{
	char file[64], *buf, *line, *save = NULL;
	unsigned long long v;
	int size = 0;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	buf = tracefs_instance_file_read(c->inst, file, &size);
	if (!buf)
		return -ENOENT;
	*lost = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "overrun: %llu", &v) == 1 ||
		    sscanf(line, "commit overrun: %llu", &v) == 1 ||
		    sscanf(line, "dropped events: %llu", &v) == 1)
			*lost += v;
	}
	free(buf);
	return 0;
}

/* Cleanup-list entry: an open trace_pipe_raw keeps rmdir of the instance at EBUSY. */
static void readers_close_cb(void *arg)
{
	struct tfs_ctx *c = arg;

	for (int i = 0; i < c->nreaders; i++) {
		if (c->cpu[i].fd >= 0)
			close(c->cpu[i].fd);
		c->cpu[i].fd = -1;
	}
}

static int open_readers(struct tfs_ctx *c)
{
	c->cpu = nl_xcalloc((size_t)c->ncpus, sizeof(*c->cpu));
	for (int cpu = 0; cpu < c->ncpus; cpu++) {
		char file[64], *path;
		struct tfs_cpu *r;
		int fd;

		if (!nl_opts_cpu_ok(&c->opts, cpu))
			continue;
		snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", cpu);
		path = tracefs_instance_get_file(c->inst, file);
		if (!path)
			return -ENOMEM;
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		tracefs_put_tracing_file(path);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;	/* a possible CPU that is not present */
			return -errno;
		}
		r = &c->cpu[c->nreaders++];
		r->cpu = cpu;
		r->fd = fd;
		r->have_stats = read_lost(c, cpu, &r->lost_stats) == 0;
	}
	c->readers_handle = nl_cleanup_push(readers_close_cb, c, "tracefs readers");
	return c->nreaders ? 0 : -ENODEV;
}

static int tfs_start(void *ctx)
{
	struct tfs_ctx *c = ctx;
	int err;

	err = open_readers(c);
	if (err)
		return err;
	if (tracefs_trace_on(c->inst) < 0)
		return -errno ? -errno : -EIO;
	return 0;
}

static void dispatch(struct tfs_ctx *c, int cpu, uint64_t ts, const void *data, int size)
{
	uint16_t id;

	if (size < (int)sizeof(id))
		return;
	memcpy(&id, data, sizeof(id));	/* common_type leads every event */
	for (size_t i = 0; i < c->nev; i++)
		if (c->ev[i].id == id)
			c->ev[i].fn(&c->ev[i], cpu, ts, data, size);
	c->events++;
}

/*
 * --raw: what the file holds, per event: count, first and last timestamp
 * (the ring buffer's clock, as trace-cmd report prints it). Reported as the
 * session's "raw_records" histogram keyed "event=SYSTEM:NAME".
 */
static void raw_note(struct tfs_ctx *c, const void *data, uint64_t ts)
{
	uint16_t id;
	size_t i;

	memcpy(&id, data, sizeof(id));
	for (i = 0; i < c->nraw_seen && c->raw_seen[i].id != id; i++)
		;
	if (i == c->nraw_seen) {
		if (i == TFS_MAX_EVENTS)
			return;
		c->raw_seen[i].id = id;
		nl_hist_reset(&c->raw_seen[i].ts);
		c->nraw_seen++;
	}
	nl_hist_add(&c->raw_seen[i].ts, ts);
}

static void raw_snapshot(struct tfs_ctx *c, struct nl_interval *iv)
{
	for (size_t i = 0; i < c->nraw_seen; i++) {
		struct tep_event *te = tep_find_event(c->tep, c->raw_seen[i].id);
		char key[NL_KEY_MAX];

		if (!te || !c->raw_seen[i].ts.count)
			continue;
		snprintf(key, sizeof(key), "event=%s:%s", te->system, te->name);
		nl_hist_merge(nl_iv_hist(iv, "session", key, "raw_records", "ns"), &c->raw_seen[i].ts);
		nl_hist_reset(&c->raw_seen[i].ts);
	}
}

/* Each event of a page: to its handlers, and noted for --raw. */
static void on_event(void *arg, int cpu, uint64_t ts, const void *data, int size)
{
	struct tfs_ctx *c = arg;

	dispatch(c, cpu, ts, data, size);
	if (c->raw)
		raw_note(c, data, ts);
}

/* --raw: the page as read goes to the file (a write error is kept and reported when it is finished) */
static void on_page(void *arg, int cpu, const void *page)
{
	struct tfs_ctx *c = arg;

	nl_tracedat_page(c->raw, cpu, page);
}

/* Read every page one CPU has ready. */
static int drain_cpu(struct tfs_ctx *c, struct tfs_cpu *r)
{
	int err = nl_trace_pages_drain(&c->pages, r->fd, r->cpu, TFS_MAX_PAGES, on_event,
				       c->raw ? on_page : NULL, c);

	r->page_missed += nl_trace_pages_lost(&c->pages);
	return err;
}

static int tfs_poll(void *ctx)
{
	struct tfs_ctx *c = ctx;

	for (int i = 0; i < c->nreaders; i++) {
		int err;

		if (c->cpu[i].fd < 0)
			continue;
		err = drain_cpu(c, &c->cpu[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Lost events per CPU: the kernel's counters; page flags only where stats cannot be read. */
static void snapshot_lost(struct tfs_ctx *c, struct nl_interval *iv)
{
	for (int i = 0; i < c->nreaders; i++) {
		struct tfs_cpu *r = &c->cpu[i];
		uint64_t now = 0, delta = r->page_missed;
		char key[32];

		if (r->have_stats && read_lost(c, r->cpu, &now) == 0) {
			delta = now >= r->lost_stats ? now - r->lost_stats : 0;
			r->lost_stats = now;
		}
		r->page_missed = 0;
		snprintf(key, sizeof(key), "cpu=%d", r->cpu);
		nl_iv_add_counter(iv, "session", key, "lost_events", "", delta);
	}
}

static int tfs_snapshot(void *ctx, struct nl_interval *iv)
{
	struct tfs_ctx *c = ctx;
	int err = tfs_poll(c);

	if (err)
		return err;
	for (size_t i = 0; i < c->nfam; i++)
		c->fam[i].fam->snapshot(c->fam[i].state, iv);
	nl_iv_add_counter(iv, "session", "", "events", "", c->events);
	c->events = 0;
	snapshot_lost(c, iv);
	raw_snapshot(c, iv);
	return 0;
}

static void tfs_close(void *ctx)
{
	struct tfs_ctx *c = ctx;

	if (!c)
		return;
	if (c->inst)
		tracefs_trace_off(c->inst);
	raw_finish(c);
	if (c->cpu) {
		readers_close_cb(c);
		nl_cleanup_drop(c->readers_handle);
		free(c->cpu);
	}
	for (size_t i = 0; i < c->nfam; i++)
		c->fam[i].fam->free(c->fam[i].state);
	nl_tracefs_instance_destroy(c->inst);
	if (c->tep)
		tep_free(c->tep);
	nl_trace_pages_fini(&c->pages);
	free(c);
}

/* --raw: the pages read so far, with the formats of the events enabled, into the trace.dat. */
static void raw_finish(struct tfs_ctx *c)
{
	char why[NL_REASON_MAX] = "";
	uint64_t pages;

	if (!c->raw)
		return;
	for (size_t i = 0; i < c->nev; i++)
		nl_tracedat_event(c->raw, c->ev[i].system, c->ev[i].name);
	pages = nl_tracedat_pages(c->raw);
	if (nl_tracedat_finish(c->raw, why, sizeof(why)))
		nl_err("raw events: %s", why);
	else
		nl_info("raw events: %llu pages written to %s", (unsigned long long)pages, c->opts.raw_path);
	c->raw = NULL;
}

const struct nl_collector_ops nl_collector_tracefs = {
	.name = "tracefs",
	.open = tfs_open,
	.arm = tfs_arm,
	.start = tfs_start,
	.poll = tfs_poll,
	.snapshot = tfs_snapshot,
	.close = tfs_close,
};
