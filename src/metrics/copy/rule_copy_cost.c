// SPDX-License-Identifier: GPL-2.0
/*
 * Rule copy-cost: the socket system calls that moved data took far longer
 * per KiB than this machine's memcpy needs for a KiB. The copy metric's
 * time includes everything in the call (locking, waiting for data), so it
 * is an upper bound; far above memcpy means small calls (syscall overhead
 * per byte), contended socket locks, or page faults on the user buffer.
 * Only calls moving 16 KiB or more on average are judged: for smaller ones
 * the system call and the protocol work (on loopback, the whole receive
 * path runs inside the sender's call) rightly cost more than the copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"
#include "netlat/util.h"

#define RULE		"copy-cost"
#define TIMES_MEMCPY	100.0
#define MIN_BYTES	(1u << 20)
#define MIN_CALLS	100
#define MIN_PER_CALL	16384	/* bytes: below, the system call itself dominates */

static void check_row(const struct nl_triage_in *in, const char *key, double memcpy_ns_kib,
		      struct nl_triage *out)
{
	uint64_t bytes = nl_triage_counter(in->iv, "copy", key, "bytes");
	uint64_t ns = nl_triage_counter(in->iv, "copy", key, "syscall_ns");
	uint64_t calls = nl_triage_counter(in->iv, "copy", key, "calls");
	char dir[16] = "?", comm[NL_KEY_MAX] = "?", c[32], m[32];
	const struct nl_hist *h;
	double per_kib, times;
	struct nl_finding *f;

	if (bytes < MIN_BYTES || calls < MIN_CALLS || !ns || bytes / calls < MIN_PER_CALL)
		return;
	/*
	 * The quicker calls only (p25): a call that blocked for data or for
	 * send-buffer space would otherwise pass for a slow copy.
	 */
	h = nl_triage_hist(in->iv, "copy", key, "syscall_time");
	if (h)
		ns = nl_hist_percentile(h, 0.25) * calls;
	per_kib = (double)ns * 1024.0 / (double)bytes;
	times = per_kib / memcpy_ns_kib;
	if (times < TIMES_MEMCPY)
		return;
	nl_key_get(key, "dir", dir, sizeof(dir));
	nl_key_get(key, "comm", comm, sizeof(comm));
	nl_fmt_ns(c, sizeof(c), per_kib);
	nl_fmt_ns(m, sizeof(m), memcpy_ns_kib);
	f = nl_triage_add(out, RULE, nl_triage_score(times, TIMES_MEMCPY));
	snprintf(f->what, sizeof(f->what), "%s data costs %s far more than a memory copy",
		 !strcmp(dir, "tx") ? "sending" : "receiving", comm);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%s per KiB in the quicker socket calls (p25) against %s per KiB for memcpy here (%.0fx; normal: below %.0fx), "
		 "%llu calls, %llu bytes per call", c, m, times, TIMES_MEMCPY, (unsigned long long)calls,
		 (unsigned long long)(bytes / calls));
	snprintf(f->where, sizeof(f->where), "%s", key);
	snprintf(f->next, sizeof(f->next),
		 "netlat report -m copy (bytes per call); perf top -p PID (where the call time goes)");
}

static void check_copy(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n;
	double memcpy_ns_kib;

	memcpy_ns_kib = 1024.0 / in->memcpy_bytes_per_s * 1e9;
	n = nl_triage_keys(in, "copy", "dir", &keys);
	for (size_t i = 0; i < n; i++)
		check_row(in, keys[i], memcpy_ns_kib, out);
	free(keys);
}

/* Does some copy row carry system call times? Only `record --syscall-time` takes them. */
static bool have_syscall_times(const struct nl_triage_in *in)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "copy", "dir", &keys);
	bool any = false;

	for (size_t i = 0; i < n && !any; i++)
		any = nl_triage_counter(in->iv, "copy", keys[i], "syscall_ns") > 0;
	free(keys);
	return any;
}

/*
 * Both references must be there: the recording machine's memcpy
 * (memcpy_bw.h; never this machine's stand-in) and the calls' times.
 */
static bool ready(const struct nl_triage_in *in, char *why, size_t len)
{
	if (in->memcpy_bytes_per_s <= 0) {
		snprintf(why, len, "the recording holds no memcpy reference (memcpy_bytes_per_s: made by an older "
			 "netlat); record it again to judge copies");
		return false;
	}
	if (!have_syscall_times(in)) {
		snprintf(why, len, "no system call times in the copy rows (record -m copy --syscall-time)");
		return false;
	}
	return true;
}

const struct nl_rule nl_rule_copy_cost = {
	.name = RULE,
	.order = 80,
	.needs = "copy",
	.help = "socket call time (p25) per KiB >= 100x this machine's memcpy time per KiB (>= 1 MiB, >= 100 calls of >= 16 KiB on average)",
	.scopes = 0,
	.check = check_copy,
	.ready = ready,
};
