/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function latency on any kernel (metrics ehash, copyfn and func): each
 * function gets the best of five probe tiers the kernel allows for it,
 * tried in order, with every rejection written down:
 *   fentry (BPF fentry/fexit), kprobe (BPF kprobe/kretprobe), graph
 *   (function_graph limited to the function), kprobe-events (tracefs
 *   kprobe events paired per task in user space), sample (perf cpu-clock
 *   with kernel stacks: no latency, the function's share of CPU time).
 * The collector nl_collector_func arms these metrics; netlat record's
 * --probe forces a tier and -F adds functions to the func metric.
 */
#ifndef NETLAT_FUNC_H
#define NETLAT_FUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collector.h"

enum nl_func_tier {
	NL_FTIER_FENTRY,
	NL_FTIER_KPROBE,
	NL_FTIER_GRAPH,
	NL_FTIER_KPEV,
	NL_FTIER_SAMPLE,
	NL_FTIER_NR
};

/* "fentry", "kprobe", "graph", "kprobe-events", "sample". */
const char *nl_func_tier_name(int tier);
/* Tier from its name; "auto" gives -1; -EINVAL (below -1) for anything else. */
int nl_func_tier_parse(const char *s);

/* Is metric name one of the function-level metrics (armed by nl_collector_func)? */
bool nl_func_metric(const char *name);

/* record's options, kept until the process exits. */
int nl_func_set_probe(const char *tier);	/* --probe; -EINVAL for an unknown name */
int nl_func_add_pattern(const char *pattern);	/* -F FUNC (globs allowed); -EINVAL if malformed */
size_t nl_func_npatterns(void);

/*
 * The sample tier's rate, per CPU. The default is perf's always-on 99 Hz:
 * a cpu-clock interrupt with a kernel stack walk costs a few microseconds,
 * so at 4 kHz one in eight 33 us loopback round trips was hit on one of the
 * two CPUs (p99 +40-70%); at 99 Hz fewer than 1 in 100 are (docs/funclat.md).
 */
#define NL_FUNC_SAMPLE_HZ_DEFAULT	99
#define NL_FUNC_SAMPLE_HZ_MAX		100000	/* perf's default perf_event_max_sample_rate */
int nl_func_set_sample_hz(unsigned long long hz);	/* --sample-freq; -EINVAL outside 1..MAX */
unsigned int nl_func_sample_hz(void);
bool nl_func_sample_hz_default(void);	/* no --sample-freq given */
/*
 * After arming: "ehash,copyfn sampled at 99 Hz per CPU ..." when some
 * function metric fell to the sample tier, for record to print; else NULL.
 */
const char *nl_func_sample_note(void);

extern const struct nl_collector_ops nl_collector_func;

/* Remove kprobe events netlat_<pid>_* of pids that are gone (tracefs_session.c calls it). */
int nl_func_cleanup_stale(const char *tracefs_root);

/*
 * netlat probe's per-function section: which tier each built-in target
 * gets on this kernel and why better ones failed. nl_func_probe_run tries
 * for real (arms, then disarms everything; call it before the cleanup
 * list is run) and keeps the answers for the printers: kv 0 text, 1 kv.
 */
struct nl_json;
void nl_func_probe_run(void);
void nl_func_probe_print(FILE *out, int kv);
void nl_func_probe_json(struct nl_json *j);

#endif
