// SPDX-License-Identifier: GPL-2.0
/*
 * copy metric from skb:skb_copy_datagram_iovec (bytes copied to user),
 * sock:sock_recv_length / sock_send_length (bytes per call) and
 * raw_syscalls:sys_enter/sys_exit (the time of the system call that moved
 * them), per direction and process. All run in the process's context, so
 * -p and --comm are event filters here; sock_*_length is shared with the
 * tcp metric under one filter, so they are checked again in user space.
 *
 * A call's enter, socket event and exit are paired per thread in read
 * order; a thread that migrated CPUs mid-call can be read out of order and
 * then that call's time is not counted (its bytes are).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy/copy.h"
#include "metrics/flows.h"
#include "netlat/util.h"
#include "collect/tracefs/tracefs_int.h"

#define CALL_SLOTS	4096
/* The system calls that move socket data (x86_64 numbers, as in bpf/copy.h). */
#define COPY_ID_FILTER	"(id <= 1 || id == 19 || id == 20 || (id >= 44 && id <= 47) || id == 299 || id == 307)"

enum { C_BYTES, C_CALLS, C_SYSCALL_NS };
enum { H_PER_CALL, H_SYSCALL_TIME };

struct call_slot {
	int tid;
	uint64_t start;
	unsigned int dirs;
};

struct copy_state {
	const struct nl_record_opts *opts;
	struct call_slot calls[CALL_SLOTS];
	struct tfs_rows rows;
};

static const struct tfs_row_layout copy_layout = {
	.metric = "copy",
	.ctr = NL_ROW_COUNTER_NAMES(COPY_VAL),
	.ctr_unit = { "bytes", "", "ns" },
	.hist = NL_ROW_HIST_NAMES(COPY_VAL),
	.hist_unit = { "bytes", "ns" },
};

/* Without --syscall-time the system-call statistics are not measured: not emitted, not zeros. */
static const struct tfs_row_layout copy_bytes_layout = {
	.metric = "copy",
	.ctr = { "bytes", "calls" },
	.ctr_unit = { "bytes", "" },
	.hist = { "per_call" },
	.hist_unit = { "bytes" },
};

/* Row name "rx:COMM" or "tx:COMM", aux the process id. */
static void copy_key(char *key, size_t len, const char *name, uint64_t aux)
{
	snprintf(key, len, "dir=%.2s comm=%s pid=%llu", name, name + 3, (unsigned long long)aux);
}

static struct tfs_row *copy_row(struct copy_state *s, const void *data, int size, unsigned int dir)
{
	char comm[20], name[TFS_NAME_MAX];
	int tgid;

	tfs_proc_of(tfs_rec_tid(data, size), &tgid, comm, sizeof(comm));
	snprintf(name, sizeof(name), "%s:%s", dir == COPY_TX ? "tx" : "rx", comm);
	return tfs_row_get(&s->rows, name, (uint64_t)tgid, copy_key);
}

static struct call_slot *call_of(struct copy_state *s, int tid)
{
	return &s->calls[(unsigned int)tid % CALL_SLOTS];
}

static void on_sys_enter(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct copy_state *s = ev->priv;
	int tid = tfs_rec_tid(data, size);
	struct call_slot *c = call_of(s, tid);

	(void)cpu;
	c->tid = tid;
	c->start = ts;
	c->dirs = 0;
}

static void on_sys_exit(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct copy_state *s = ev->priv;
	int tid = tfs_rec_tid(data, size);
	struct call_slot *c = call_of(s, tid);

	(void)cpu;
	if (c->tid != tid || !c->start || ts < c->start)
		return;
	for (unsigned int dir = COPY_RX; dir <= COPY_TX; dir++) {
		struct tfs_row *row;

		if (!(c->dirs & (1u << dir)))
			continue;
		row = copy_row(s, data, size, dir);
		row->active = true;
		row->c[C_SYSCALL_NS] += ts - c->start;
		tfs_row_hist_add(row, H_SYSCALL_TIME, ts - c->start);
	}
	c->tid = 0;
	c->start = 0;
}

enum { FL_RET, FL_FLAGS };

static void on_length(struct tfs_event *ev, const void *data, int size, unsigned int dir)
{
	struct copy_state *s = ev->priv;
	int tid = tfs_rec_tid(data, size);
	int64_t ret = (int32_t)tfs_num(ev->f[FL_RET], data);
	struct call_slot *c = call_of(s, tid);
	struct tfs_row *row;

	if (ret <= 0 || (tfs_num(ev->f[FL_FLAGS], data) & 2 /* MSG_PEEK */) ||
	    !tfs_task_ok(s->opts, tid))
		return;
	if (c->tid == tid)
		c->dirs |= 1u << dir;
	row = copy_row(s, data, size, dir);
	row->active = true;
	row->c[C_CALLS]++;
	if (dir == COPY_TX)
		row->c[C_BYTES] += (uint64_t)ret;	/* no copy tracepoint on the way out */
	tfs_row_hist_add(row, H_PER_CALL, (uint64_t)ret);
}

static void on_recv_length(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	on_length(ev, data, size, COPY_RX);
}

static void on_send_length(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	on_length(ev, data, size, COPY_TX);
}

static void on_copy_datagram(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct copy_state *s = ev->priv;
	int64_t len = (int32_t)tfs_num(ev->f[0], data);
	struct tfs_row *row;

	(void)cpu;
	(void)ts;
	if (len <= 0)
		return;
	row = copy_row(s, data, size, COPY_RX);
	row->active = true;
	row->c[C_BYTES] += (uint64_t)len;
}

static void copy_free(void *state)
{
	struct copy_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->rows);
	free(s);
}

static int copy_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const enter_fields[] = { "id", NULL };
	static const char *const len_fields[] = { "ret", "flags", NULL };
	static const char *const dgram_fields[] = { "len", NULL };
	struct copy_state *s = calloc(1, sizeof(*s));
	char task[128], sysf[256], dgf[160];

	if (!s)
		return -ENOMEM;
	s->opts = tfs_opts(c);
	tfs_task_filter(s->opts, task, sizeof(task));
	snprintf(sysf, sizeof(sysf), "%s%s%s", COPY_ID_FILTER, task[0] ? " && " : "", task);
	snprintf(dgf, sizeof(dgf), "len > 0%s%s", task[0] ? " && " : "", task);
	/* raw_syscalls fire on every system call of the machine: only with --syscall-time */
	if ((s->opts->syscall_time &&
	     (!tfs_event_add(c, "raw_syscalls", "sys_enter", enter_fields, on_sys_enter, s, sysf, why, whylen) ||
	      !tfs_event_add(c, "raw_syscalls", "sys_exit", enter_fields, on_sys_exit, s, sysf, why, whylen))) ||
	    !tfs_event_add(c, "skb", "skb_copy_datagram_iovec", dgram_fields, on_copy_datagram, s, dgf,
			   why, whylen) ||
	    (tfs_event_exists(c, "sock", "sock_recv_length") &&
	     !tfs_event_add(c, "sock", "sock_recv_length", len_fields, on_recv_length, s, "ret > 0",
			    why, whylen)) ||
	    (tfs_event_exists(c, "sock", "sock_send_length") &&
	     !tfs_event_add(c, "sock", "sock_send_length", len_fields, on_send_length, s, "ret > 0",
			    why, whylen))) {
		copy_free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

static void copy_snapshot(void *state, struct nl_interval *iv)
{
	struct copy_state *s = state;

	tfs_rows_emit(&s->rows, s->opts->syscall_time ? &copy_layout : &copy_bytes_layout, iv);
}

static const struct tfs_row_layout *const copy_layouts[] = { &copy_layout, &copy_bytes_layout, NULL };

const struct tfs_family tfs_copy = {
	.metric = "copy",
	.arm = copy_arm,
	.snapshot = copy_snapshot,
	.free = copy_free,
	.layouts = copy_layouts,
};
