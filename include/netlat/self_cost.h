/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netlat's own cost while it records: what its BPF programs spend in the
 * kernel (run_cnt and run_time_ns of each program, kept by the kernel only
 * while run-time statistics are on) and the CPU time of netlat's own
 * process. Stored per interval as the pseudo-metric "overhead":
 *
 *   key ""                              bpf_runs, bpf_run_ns, stats_on_ns, process_cpu_ns
 *   key "prog=NAME id=ID at=ATTACH"     runs, run_ns
 *   key ""                              perf_samples (the function collector's
 *                                       sampling tier, src/collect/func/tier_sample.c)
 *
 * Run-time statistics cost two clock reads per program run, so they are
 * not left on: a BPF_ENABLE_STATS file descriptor is held for a slice at
 * a random point of each interval and the counts are scaled by interval length
 * over the time the statistics were on (stats_on_ns says how long). When
 * kernel.bpf_stats_enabled is already 1 the statistics run all the time
 * anyway: the counts are read as they are and not scaled. The sysctl is
 * never written.
 */
#ifndef NETLAT_SELF_COST_H
#define NETLAT_SELF_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "collector.h"
#include "recording.h"

/* How long the statistics stay on at the start of each interval. */
#define NL_SELF_COST_SLICE_NS	(100ULL * 1000 * 1000)

enum nl_self_cost_mode {
	NL_SC_SLICED,		/* our BPF_ENABLE_STATS fd, a slice of each interval, scaled */
	NL_SC_ALWAYS,		/* kernel.bpf_stats_enabled=1: read, not scaled */
	NL_SC_NO_PROGS,		/* no collector runs BPF programs: nothing to time */
	NL_SC_UNAVAILABLE,	/* the kernel refused: why says so */
};

struct nl_self_cost;

/* A measurement for programs progs[0..n) (copied); slice_ns of each interval_ns. */
struct nl_self_cost *nl_self_cost_new(const struct nl_prog_ref *progs, int n, uint64_t slice_ns,
				      uint64_t interval_ns);
void nl_self_cost_free(struct nl_self_cost *sc);

enum nl_self_cost_mode nl_self_cost_mode(const struct nl_self_cost *sc);
/* One phrase for the recording's metadata: "sampled: BPF stats on 100ms of each interval, scaled". */
void nl_self_cost_describe(const struct nl_self_cost *sc, char *buf, size_t len);

/* The recording starts at now (monotonic ns): baselines, and where the first slice goes. */
void nl_self_cost_begin(struct nl_self_cost *sc, uint64_t now);
/* Called on every turn of the record loop: starts the slice when due, ends it after slice_ns. */
void nl_self_cost_tick(struct nl_self_cost *sc, uint64_t now);
/*
 * The interval [start, now) is cut: add its "overhead" values to iv and
 * start the next slice. *bpf_run_ns gets the interval's (scaled) BPF run
 * time, for the budget governor. The next slice is planned from now.
 * Returns whether the interval's BPF cost was measured: false without
 * programs or statistics, and for an interval cut before its slice came
 * (then it has stats_on_ns 0 and no bpf_runs/bpf_run_ns).
 */
bool nl_self_cost_cut(struct nl_self_cost *sc, struct nl_interval *iv, uint64_t start, uint64_t now,
		      uint64_t *bpf_run_ns);

/* CLOCK_MONOTONIC when the process started (taken before main): for the time to armed. */
uint64_t nl_self_start_ns(void);

/* The process's CPU time so far, all threads, user + system (getrusage). */
uint64_t nl_self_cpu_ns(void);

#endif
