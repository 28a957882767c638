/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the function-latency collector (src/collect/func/).
 * A target is one kernel function resolved on this kernel (kallsyms name,
 * address range, BTF facts); each tier arms targets and feeds their rows.
 */
#ifndef NETLAT_FUNC_INT_H
#define NETLAT_FUNC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlat/func.h"
#include "netlat/hist.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/trace_pages.h"

#define NLF_MAX_TARGETS	64
#define NLF_MAX_ROWS	8	/* network namespaces per function */
#define NLF_MAX_METRICS	16	/* function metrics of one session */
#define NLF_PROBE_MAX	8	/* functions netlat probe shows: the descriptors' (fallbacks too) */

/* One (function, netns) row: what was counted since the last snapshot. */
struct nlf_row {
	uint32_t netns;
	uint64_t calls, bytes, ns, samples, cpu_samples;
	struct nl_hist dur;
	bool active;
};

struct nlf_target {
	const struct nl_metric_desc *m;
	char want[64];			/* what was asked for ("tcp_sendmsg") */
	enum nl_func_role role;		/* what its arguments hold (netlat/metric.h) */
	char sym[128];			/* what /proc/kallsyms calls it ("foo.isra.0") */
	uint64_t start, end;		/* [start, end) in kallsyms; 0 when hidden */
	bool in_btf;			/* a BTF FUNC with exactly sym's name */
	int nargs;			/* from BTF; -1 unknown */
	unsigned int bytes_arg;		/* 1-based, 0 none */
	bool bytes_ret;
	unsigned int netns_arg;		/* 1-based, 0 none */
	unsigned int inum_off;		/* offsetof(struct net, ns.inum) */
	bool netns_rows;		/* this tier keys rows by netns */
	char unprobeable[NL_REASON_MAX];/* non-empty: no tier can take it, and why */
	int tier;			/* enum nl_func_tier, -1 not armed */
	char why[NL_REASON_MAX];	/* each better tier and why it failed */
	void *priv;			/* the tier's per-target state */
	struct nlf_row rows[NLF_MAX_ROWS];
	size_t nrows;
};

/* The collector's state (collector_func.c; probe_functions.c reads the targets back). */
struct nlf_ctx {
	struct nl_record_opts o;
	struct nlf_syms_job *syms;	/* read beside the BPF load: nlf_syms_wait() */
	struct nlf_target *t[NLF_MAX_TARGETS];
	int n;
	void *tier_ctx[NL_FTIER_NR];
	const struct nl_metric_desc *armed[NLF_MAX_METRICS];	/* in the order armed */
	int narmed;
	bool globals_done;
};

/*
 * Symbols of /proc/kallsyms sorted by address; names kept only for text
 * symbols matching want (exact names and their ".isra.0"-style clones, or
 * globs): what nlf_resolve and nlf_syms_glob can be asked for. want must
 * outlive the table.
 */
struct nlf_syms;
struct nlf_syms *nlf_syms_load(const char *const *want, size_t nwant);
void nlf_syms_free(struct nlf_syms *s);
/*
 * The same table read in a thread (symbols_prefetch.c): nlf_syms_wait
 * returns it once read (NULL if unreadable); job_free frees both.
 */
struct nlf_syms_job;
struct nlf_syms_job *nlf_syms_prefetch(const char *const *want, size_t nwant);
struct nlf_syms *nlf_syms_wait(struct nlf_syms_job *j);
void nlf_syms_job_free(struct nlf_syms_job *j);
/* Every text symbol matching glob (fnmatch), up to max names; how many, or -E2BIG. */
int nlf_syms_glob(const struct nlf_syms *s, const char *glob, char (*out)[128], int max);

/*
 * Fill t for function want: kallsyms name (exact, else a compiler suffix
 * like ".isra.0"), address range, BTF facts. On failure t->unprobeable says
 * why (inlined away, not in this kernel). The role gives the byte/netns args.
 */
void nlf_resolve(const struct nlf_syms *s, struct nlf_target *t, const char *want,
		 enum nl_func_role role);

/* The row of netns (0 for "no netns") in t, created on first use; NULL when full. */
struct nlf_row *nlf_row(struct nlf_target *t, uint32_t netns);
/* One call of duration ns (and bytes) into t's row of netns. */
void nlf_add_call(struct nlf_target *t, uint32_t netns, uint64_t ns, uint64_t bytes);
/* Emit every active row of t into iv and reset it. */
void nlf_emit(struct nlf_target *t, struct nl_interval *iv);

/* Does task tid (thread id) pass -p/--comm? Cached /proc lookups. */
bool nlf_task_ok(const struct nl_record_opts *o, int tid);

/* One tier's implementation: shared state in *ctx, one target per arm. */
struct nlf_tier {
	int id;
	int (*arm)(void **ctx, const struct nl_record_opts *o, struct nlf_target *t,
		   char *why, size_t len);
	int (*start)(void *ctx);
	int (*poll)(void *ctx);
	/* Add deltas of every target it armed into the targets' rows. */
	int (*collect)(void *ctx);
	void (*close)(void *ctx);
	/* Optional: perf samples read since the previous call, for netlat's own cost (self_cost.h). */
	uint64_t (*samples)(void *ctx);
	/* Events the kernel dropped before the tier saw them, since the previous call (session lost_events). */
	uint64_t (*lost)(void *ctx);
};

extern const struct nlf_tier nlf_tier_fentry, nlf_tier_kprobe, nlf_tier_graph,
	nlf_tier_kpev, nlf_tier_sample;

/* Shared by graph and kprobe-events: a tracefs buffer read raw. */
struct nlf_trace;
struct tep_event;
/* instance: true for a private instance "netlat-<pid>-func", false for the top level. */
struct nlf_trace *nlf_trace_open(bool instance, char *why, size_t len);
const char *nlf_trace_dir(const struct nlf_trace *tr);	/* the buffer's directory */
const char *nlf_trace_root(const struct nlf_trace *tr);	/* the tracefs mount */
/* Parse events/<sys>/<name>/format into the trace's tep; its id, or <0. */
int nlf_trace_event(struct nlf_trace *tr, const char *sys, const char *name, struct tep_event **ev);
typedef nl_trace_event_fn nlf_trace_fn;	/* one event of the buffer */
int nlf_trace_start(struct nlf_trace *tr, nlf_trace_fn fn, void *arg);
int nlf_trace_poll(struct nlf_trace *tr);
void nlf_trace_close(struct nlf_trace *tr);
/* Events the pages read since the previous call say were lost (ring buffer overwritten or full). */
uint64_t nlf_trace_lost(struct nlf_trace *tr);

/* Small file helpers. */
int nlf_write(const char *path, const char *s, bool append);
int nlf_read_line(const char *path, char *buf, size_t len);

#endif
