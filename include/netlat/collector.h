/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One interface, two implementations (BPF in-kernel aggregation, tracefs
 * raw ring buffer + libtraceevent). The record loop (src/record/session.c) asks a
 * collector to arm metrics one at a time, so each metric falls back on its
 * own and records why. Metric code never knows which collector fed it.
 */
#ifndef NETLAT_COLLECTOR_H
#define NETLAT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "metric.h"
#include "recording.h"

#define NL_MAX_CPUS 1024

struct nl_record_opts {
	uint64_t duration_ns;			/* 0: until stopped or the command exits */
	uint64_t interval_ns;			/* -I, default 1 s */
	uint64_t cpumask[NL_MAX_CPUS / 64];	/* -C; meaningful when cpus_set */
	bool cpus_set;
	char dev[16];				/* --dev IFACE, "" for all devices */
	unsigned int buffer_kb;			/* tracefs per-CPU buffer size, 0 = kernel default */
	/*
	 * Attribution filters (flow/process metrics). A collector that cannot
	 * apply one for a metric refuses to arm it with a clear why, rather
	 * than ignoring it.
	 */
	int pid;				/* -p PID (tgid), 0 = any */
	char comm[16];				/* --comm, "" = any */
	uint16_t port;				/* --port, local or remote, 0 = any */
	uint64_t netns;				/* --netns INODE, 0 = any */
	bool syscall_time;			/* copy --syscall-time: time data system calls (taxes every syscall) */
	unsigned int pair_one_in;		/* --pair-sample N: rx/tx pair 1 skb in N (power of two), 0 = all */
	/*
	 * record --raw: the tracefs collector also keeps the raw ring-buffer
	 * pages it reads and writes them as a trace.dat here (tracedat.h).
	 * NULL: none.
	 */
	const char *raw_path;
};

static inline bool nl_opts_cpu_ok(const struct nl_record_opts *o, int cpu)
{
	if (!o->cpus_set)
		return true;
	if (cpu < 0 || cpu >= NL_MAX_CPUS)
		return false;
	return (o->cpumask[cpu / 64] >> (cpu % 64)) & 1;
}

/* One BPF program a collector has loaded, for netlat's own cost (BPF_ENABLE_STATS run-time stats). */
struct nl_prog_ref {
	int fd;				/* owned by the collector: valid until close */
	char name[32];			/* the program's name, "nl_tp_napi_poll" */
	char attach[48];		/* what it runs on: "tp_btf/napi_poll" */
};

struct nl_collector_ops {
	const char *name;	/* "bpf", "tracefs" */
	/* Shared set-up (BTF, tracefs instance). <0 and a one-line reason in why on failure. */
	int (*open)(void **ctx, const struct nl_record_opts *o, char *why, size_t whylen);
	/*
	 * Optional: every metric the session will arm, before the first
	 * arm(), so a collector can load them at once (the BPF object).
	 */
	int (*prepare)(void *ctx, const struct nl_metric_desc *const *ms, int n);
	/*
	 * Arm one metric. On success, detail says how ("tp_btf", "tracepoint").
	 * On failure nothing of this metric stays armed and why says what the
	 * kernel answered ("napi_poll: load failed: EPERM").
	 */
	int (*arm)(void *ctx, const struct nl_metric_desc *m, char *detail, size_t dlen,
		   char *why, size_t whylen);
	/* Start counting: enable events, attach programs. */
	int (*start)(void *ctx);
	/* Drain buffers; called about every 100 ms. Returns <0 on a fatal error. */
	int (*poll)(void *ctx);
	/*
	 * Add everything counted since the previous snapshot to iv, including
	 * "session" values: "events" (tracepoint hits handled, key "") and
	 * "lost_events" (key "cpu=N", only where events can be lost).
	 */
	int (*snapshot)(void *ctx, struct nl_interval *iv);
	/* Disarm everything and free; safe on a partly opened ctx and on NULL. */
	void (*close)(void *ctx);
	/*
	 * Optional (NULL: none). The BPF programs loaded since start, for the
	 * overhead measurement; returns how many were written to out (<= max).
	 */
	int (*progs)(void *ctx, struct nl_prog_ref *out, int max);
	/*
	 * Optional (NULL: the collector pairs every skb). Admit one skb in
	 * one_in (a power of two, 1 = all) to the per-skb pairing stages; the
	 * budget governor calls it between intervals. Returns the rate now in
	 * force, or <0 when the collector cannot sample.
	 */
	int (*set_admission)(void *ctx, unsigned int one_in);
};

extern const struct nl_collector_ops nl_collector_bpf;

/*
 * The BPF collector's programs, one per tracepoint: the i-th tracepoint
 * ("napi_poll"; the program is nl_tp_<tracepoint>) and the metrics it serves
 * ("gro,rx"), or NULL past the last.
 */
const char *nl_bpf_program(size_t i, const char **metrics);
extern const struct nl_collector_ops nl_collector_tracefs;

#endif
