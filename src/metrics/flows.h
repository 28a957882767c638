/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Row keys of the tcp, drops and copy metrics, spelt the same by both
 * collectors (src/collect/bpf/flow_keys.c formats the BPF map keys; the
 * tcp, drops and copy <metric>_tracefs.c the tracefs rows), and the
 * attribution filters each collector can apply.
 */
#ifndef NETLAT_FLOWS_H
#define NETLAT_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlat/collector.h"

/* A process name as a key value: no spaces, commas or '=' (CSV, awk, key parsing). */
void nl_flow_comm(char *out, size_t len, const char *comm);
/* "192.0.2.1:80" or "[fd00::1]:80"; addr holds 4 (AF_INET) or 16 bytes. */
void nl_flow_end(char *out, size_t len, int family, const void *addr, unsigned int port);
/* The drop location and reason names (kallsyms, kernel's reason enum), loaded once. */
void nl_flow_drop_names(uint64_t location, unsigned int reason, char *loc, size_t loclen,
			char *rsn, size_t rsnlen);

/*
 * Refuse a filter the collector ("bpf", "tracefs") cannot apply to metric:
 * 0 when every given filter is applied, else -EOPNOTSUPP and one line in why.
 */
int nl_filters_check(const char *collector, const char *metric, const struct nl_record_opts *o,
		     char *why, size_t whylen);

/* ---- tracefs side ---- */

/* common_pid of a raw tracefs record: the thread id (common header: type, flags, preempt, pid). */
int tfs_rec_tid(const void *data, int size);
/*
 * Process id (tgid) and sanitized name of thread tid, read from /proc once
 * and cached; a thread gone before the drain keeps tgid = tid and name "?".
 */
void tfs_proc_of(int tid, int *tgid, char *comm, size_t len);
/* A tracefs filter for -p and --comm ("common_pid == 5 && comm == \"x\""), "" for none. */
void tfs_task_filter(const struct nl_record_opts *o, char *out, size_t len);
/* Does thread tid pass -p / --comm (checked in user space where a shared event has no filter)? */
bool tfs_task_ok(const struct nl_record_opts *o, int tid);

#endif
