// SPDX-License-Identifier: GPL-2.0
/*
 * Process names for the tracefs collector. Raw records carry only the
 * thread id (common_pid); the name and process id come from /proc, read
 * once per thread and cached, so a short-lived thread is usually named
 * while it still runs (the drain is 100 ms behind at most).
 */
#include <stdio.h>
#include <string.h>

#include "metrics/flows.h"
#include "netlat/tracefs_session.h"

#define PROC_SLOTS	1024

struct proc_slot {
	int tid, tgid;
	char comm[20];
};

static struct proc_slot slots[PROC_SLOTS];

int tfs_rec_tid(const void *data, int size)
{
	int tid;

	if (size < 8)
		return 0;
	memcpy(&tid, (const char *)data + 4, sizeof(tid));
	return tid;
}

/*
 * A thread that exited before the drain: the kernel's saved_cmdlines keeps
 * the names of tasks that recorded events (any instance), "PID COMM" lines.
 */
static void saved_cmdline(int tid, char *comm, size_t len)
{
	char why[128], path[512], line[128], name[64];
	const char *root = nl_tracefs_dir(why, sizeof(why));
	FILE *f;
	int pid;

	comm[0] = '\0';
	if (!root)
		return;
	snprintf(path, sizeof(path), "%s/saved_cmdlines", root);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %63s", &pid, name) == 2 && pid == tid) {
			snprintf(comm, len, "%s", name);
			break;
		}
	fclose(f);
}

static void proc_read(int tid, struct proc_slot *s)
{
	char path[64], line[160], comm[160] = "";
	FILE *f;

	s->tid = tid;
	s->tgid = tid;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "r");
	if (!f) {
		saved_cmdline(tid, comm, sizeof(comm));
		nl_flow_comm(s->comm, sizeof(s->comm), comm[0] ? comm : "?");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:\t", 6)) {
			snprintf(comm, sizeof(comm), "%s", line + 6);
			comm[strcspn(comm, "\n")] = '\0';
		} else if (sscanf(line, "Tgid: %d", &s->tgid) == 1) {
			break;
		}
	}
	fclose(f);
	nl_flow_comm(s->comm, sizeof(s->comm), comm);
}

void tfs_proc_of(int tid, int *tgid, char *comm, size_t len)
{
	struct proc_slot *s = &slots[(unsigned int)tid % PROC_SLOTS];

	if (s->tid != tid || !s->comm[0])
		proc_read(tid, s);
	*tgid = s->tgid;
	snprintf(comm, len, "%s", s->comm);
}

void tfs_task_filter(const struct nl_record_opts *o, char *out, size_t len)
{
	/* tracefs knows threads: -p matches the thread whose id is PID (the main thread) */
	if (o->pid && o->comm[0])
		snprintf(out, len, "common_pid == %d && comm == \"%s\"", o->pid, o->comm);
	else if (o->pid)
		snprintf(out, len, "common_pid == %d", o->pid);
	else if (o->comm[0])
		snprintf(out, len, "comm == \"%s\"", o->comm);
	else
		out[0] = '\0';
}

bool tfs_task_ok(const struct nl_record_opts *o, int tid)
{
	char comm[20];
	int tgid;

	if (o->pid && tid != o->pid)
		return false;
	if (!o->comm[0])
		return true;
	tfs_proc_of(tid, &tgid, comm, sizeof(comm));
	return !strcmp(comm, o->comm);
}
