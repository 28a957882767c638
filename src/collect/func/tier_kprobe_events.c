// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 4: tracefs kprobe events. For each function a "p:" event (with the
 * byte-count or struct net * argument fetched from its x86-64 register) and
 * an "r:" event (with the return value), named netlat_<pid>_<n> and
 * netlat_<pid>_<n>r in group "netlat", enabled in the private instance and
 * paired per thread in user space. Every event is on the cleanup list while
 * it exists; nl_func_cleanup_stale() removes those of dead pids.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>

#include "metrics/flows.h"
#include "func_int.h"
#include "collect/tracefs/tracefs_int.h"
#include "netlat/cleanup.h"
#include "netlat/features.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"

#define NLFK_MAX	NLF_MAX_TARGETS
#define NLFK_SLOTS	4096	/* threads inside a probed function at once, per table */

/* x86-64 argument registers, for kernels without $argN fetch args. */
static const char *const arg_regs[] = { "", "%di", "%si", "%dx", "%cx", "%r8", "%r9" };

struct nlfk_one {
	struct nlf_target *t;
	char name[48];			/* entry event; the return event adds "r" */
	int entry_id, ret_id;
	struct tep_format_field *f_bytes, *f_netns, *f_ret;
	/* undo, preformatted so a signal-time cleanup allocates nothing */
	char kprobe_events[PATH_MAX];
	char enable[2][PATH_MAX];
	char del[2][64];
	int handle;
};

struct nlfk_slot {
	int tid;			/* 0: free */
	int idx;
	uint64_t ts, bytes;
	uint32_t netns;
};

struct nlfk_ctx {
	const struct nl_record_opts *o;
	struct nlf_trace *tr;
	char fail[NL_REASON_MAX];
	struct nlfk_one one[NLFK_MAX];
	int n, seq;
	struct nlfk_slot slots[NLFK_SLOTS];
};

static void one_undo_cb(void *arg)
{
	struct nlfk_one *k = arg;

	for (int i = 0; i < 2; i++) {
		if (!k->del[i][0])
			continue;
		nlf_write(k->enable[i], "0", false);
		nlf_write(k->kprobe_events, k->del[i], true);
	}
}

static int ctx_open(struct nlfk_ctx *c, char *why, size_t len)
{
	char path[PATH_MAX];
	const char *root = nl_tracefs_dir(why, len);

	if (!root)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/kprobe_events", root);
	if (access(path, W_OK) < 0) {
		snprintf(why, len, "kprobe-events: no kprobe_events file");
		return -EOPNOTSUPP;
	}
	c->tr = nlf_trace_open(true, why, len);
	return c->tr ? 0 : -ENOENT;
}

/* The "p:" and "r:" definitions of t. */
static void defs(const struct nlfk_one *k, const struct nlf_target *t, char *p, char *r, size_t len)
{
	size_t n = (size_t)snprintf(p, len, "p:netlat/%s %s", k->name, t->sym);

	if (t->bytes_arg && t->bytes_arg < ARRAY_SIZE(arg_regs))
		n += (size_t)snprintf(p + n, len - n, " bytes=%s:u64", arg_regs[t->bytes_arg]);
	if (t->netns_arg && t->netns_arg < ARRAY_SIZE(arg_regs))
		snprintf(p + n, len - n, " netns=+%u(%s):u32", t->inum_off, arg_regs[t->netns_arg]);
	snprintf(r, len, "r:netlat/%sr %s ret=$retval:s64", k->name, t->sym);
}

static int create(struct nlfk_ctx *c, struct nlfk_one *k, char *why, size_t len)
{
	char p[256], r[256], path[PATH_MAX];
	const char *root = nlf_trace_root(c->tr);
	struct tep_event *ev;
	int err;

	snprintf(k->kprobe_events, sizeof(k->kprobe_events), "%s/kprobe_events", root);
	defs(k, k->t, p, r, sizeof(p));
	/* registered before the write: a signal between create and delete must not leak */
	k->handle = nl_cleanup_push(one_undo_cb, k, "kprobe events netlat_<pid>_<n>");
	if (k->handle < 0)
		return snprintf(why, len, "kprobe-events: cleanup list full"), k->handle;
	snprintf(k->del[0], sizeof(k->del[0]), "-:netlat/%s", k->name);
	snprintf(k->enable[0], sizeof(k->enable[0]), "%s/events/netlat/%s/enable",
		 nlf_trace_dir(c->tr), k->name);
	err = nlf_write(k->kprobe_events, p, true);
	if (err)
		return snprintf(why, len, "kprobe-events: '%s' rejected: %s", p, nl_errname(err)), err;
	snprintf(k->del[1], sizeof(k->del[1]), "-:netlat/%sr", k->name);
	snprintf(k->enable[1], sizeof(k->enable[1]), "%s/events/netlat/%sr/enable",
		 nlf_trace_dir(c->tr), k->name);
	err = nlf_write(k->kprobe_events, r, true);
	if (err)
		return snprintf(why, len, "kprobe-events: '%s' rejected: %s", r, nl_errname(err)), err;
	k->entry_id = nlf_trace_event(c->tr, "netlat", k->name, &ev);
	if (k->entry_id >= 0) {
		k->f_bytes = tep_find_field(ev, "bytes");
		k->f_netns = tep_find_field(ev, "netns");
	}
	snprintf(path, sizeof(path), "%sr", k->name);
	k->ret_id = nlf_trace_event(c->tr, "netlat", path, &ev);
	if (k->ret_id >= 0)
		k->f_ret = tep_find_field(ev, "ret");
	if (k->entry_id < 0 || k->ret_id < 0 || !k->f_ret)
		return snprintf(why, len, "kprobe-events: cannot parse the events' formats"), -EINVAL;
	for (int i = 0; i < 2; i++) {
		err = nlf_write(k->enable[i], "1", false);
		if (err)
			return snprintf(why, len, "kprobe-events: enabling %s: %s", k->name, nl_errname(err)), err;
	}
	return 0;
}

static void one_remove(struct nlfk_one *k)
{
	if (k->handle >= 0)
		nl_cleanup_run_one(k->handle);
	k->handle = -1;
}

static int kpev_arm(void **ctxp, const struct nl_record_opts *o, struct nlf_target *t,
		    char *why, size_t len)
{
	struct nlfk_ctx *c = *ctxp;
	struct nlfk_one *k;
	int err;

	if (!c) {
		c = nl_xcalloc(1, sizeof(*c));
		c->o = o;
		*ctxp = c;
		if (ctx_open(c, c->fail, sizeof(c->fail)) && !c->fail[0])
			snprintf(c->fail, sizeof(c->fail), "kprobe-events: not available");
	}
	if (c->fail[0])
		return snprintf(why, len, "%s", c->fail), -EOPNOTSUPP;
	if (c->n == NLFK_MAX)
		return snprintf(why, len, "kprobe-events: too many functions"), -E2BIG;
	k = &c->one[c->n];
	memset(k, 0, sizeof(*k));
	k->t = t;
	k->handle = -1;
	snprintf(k->name, sizeof(k->name), "netlat_%d_%d", (int)getpid(), c->seq++);
	err = create(c, k, why, len);
	if (err) {
		one_remove(k);
		return err;
	}
	t->netns_rows = t->netns_arg != 0;
	c->n++;
	return 0;
}

/* The slot of (tid, idx): open addressing; NULL when the table is full. */
static struct nlfk_slot *slot_of(struct nlfk_ctx *c, int tid, int idx, bool create)
{
	unsigned int h = ((unsigned int)tid * 2654435761u) ^ (unsigned int)idx;

	for (int i = 0; i < NLFK_SLOTS; i++) {
		struct nlfk_slot *s = &c->slots[(h + (unsigned int)i) % NLFK_SLOTS];

		if (s->tid == tid && s->idx == idx)
			return s;
		if (!s->tid)
			return create ? s : NULL;
	}
	return NULL;
}

/* Remove s, moving later entries of its probe run back (linear probing deletion). */
static void slot_free(struct nlfk_ctx *c, struct nlfk_slot *s)
{
	unsigned int i = (unsigned int)(s - c->slots);

	c->slots[i].tid = 0;
	for (unsigned int j = (i + 1) % NLFK_SLOTS; c->slots[j].tid; j = (j + 1) % NLFK_SLOTS) {
		struct nlfk_slot tmp = c->slots[j];

		c->slots[j].tid = 0;
		*slot_of(c, tmp.tid, tmp.idx, true) = tmp;
	}
}

static void on_entry(struct nlfk_ctx *c, int idx, int tid, uint64_t ts, const void *data)
{
	struct nlfk_one *k = &c->one[idx];
	struct nlfk_slot *s = slot_of(c, tid, idx, true);
	uint32_t netns = k->f_netns ? (uint32_t)tfs_num(k->f_netns, data) : 0;

	if (!s || (c->o->netns && k->f_netns && netns != c->o->netns))
		return;
	s->tid = tid;
	s->idx = idx;
	s->ts = ts;
	s->netns = netns;
	s->bytes = k->f_bytes ? tfs_num(k->f_bytes, data) : 0;
}

static void on_return(struct nlfk_ctx *c, int idx, int tid, uint64_t ts, const void *data)
{
	struct nlfk_one *k = &c->one[idx];
	struct nlfk_slot *s = slot_of(c, tid, idx, false);
	uint64_t bytes;

	if (!s)
		return;
	bytes = s->bytes;
	if (k->t->bytes_ret) {
		int64_t ret = (int64_t)tfs_num(k->f_ret, data);

		bytes = ret > 0 ? (uint64_t)ret : 0;
	}
	if (ts >= s->ts)
		nlf_add_call(k->t, s->netns, ts - s->ts, bytes);
	slot_free(c, s);
}

static void on_record(void *arg, int cpu, uint64_t ts, const void *data, int size)
{
	struct nlfk_ctx *c = arg;
	uint16_t id;
	int tid;

	(void)cpu;
	if (size < 8)
		return;
	memcpy(&id, data, sizeof(id));
	tid = tfs_rec_tid(data, size);
	for (int i = 0; i < c->n; i++) {
		if (id == c->one[i].entry_id) {
			if (nlf_task_ok(c->o, tid))
				on_entry(c, i, tid, ts, data);
			return;
		}
		if (id == c->one[i].ret_id) {
			on_return(c, i, tid, ts, data);
			return;
		}
	}
}

static int kpev_start(void *ctx)
{
	struct nlfk_ctx *c = ctx;

	return c && c->n ? nlf_trace_start(c->tr, on_record, c) : 0;
}

static int kpev_poll(void *ctx)
{
	struct nlfk_ctx *c = ctx;

	return c && c->n ? nlf_trace_poll(c->tr) : 0;
}

static void kpev_close(void *ctx)
{
	struct nlfk_ctx *c = ctx;

	if (!c)
		return;
	/* events disabled in (and the instance removed) before they are deleted */
	nlf_trace_close(c->tr);
	for (int i = c->n - 1; i >= 0; i--)
		one_remove(&c->one[i]);
	free(c);
}

static uint64_t kpev_lost(void *ctx)
{
	struct nlfk_ctx *c = ctx;

	return c ? nlf_trace_lost(c->tr) : 0;
}

const struct nlf_tier nlf_tier_kpev = {
	.id = NL_FTIER_KPEV, .arm = kpev_arm, .start = kpev_start, .poll = kpev_poll,
	.collect = kpev_poll, .close = kpev_close, .lost = kpev_lost,
};

/* "netlat_<pid>_..." of a pid that no longer exists? */
static bool stale_name(const char *ev)
{
	long pid;
	char *end;

	if (strncmp(ev, "netlat_", 7))
		return false;
	pid = strtol(ev + 7, &end, 10);
	if (end == ev + 7 || *end != '_' || pid <= 0 || pid == getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

int nl_func_cleanup_stale(const char *root)
{
	char path[PATH_MAX], line[512], del[600];
	FILE *fp;
	int n = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", root);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		/* "p:netlat/netlat_123_0 __inet_lookup_established ..." */
		char *ev = strstr(line, ":netlat/");

		if (!ev || ev != line + 1)
			continue;
		ev += strlen(":netlat/");
		ev[strcspn(ev, " \n")] = '\0';
		if (!stale_name(ev))
			continue;
		snprintf(del, sizeof(del), "-:netlat/%s", ev);
		if (nlf_write(path, del, true) == 0)
			n++;
		else
			nl_warn("cannot remove stale kprobe event netlat/%s", ev);
	}
	fclose(fp);
	return n;
}
