/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metric table: every metric netlat knows, what it needs from the
 * kernel and which values it produces. record, report, probe, plots and
 * triage iterate this table instead of naming metrics one by one; the
 * collectors implement the table's contract (same metric, key and stat
 * names from either collector).
 */
#ifndef NETLAT_METRIC_H
#define NETLAT_METRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nl_stat_desc {
	const char *name;	/* "polls", "work", "sojourn" */
	uint8_t kind;		/* enum nl_kind */
	const char *unit;	/* "ns", "pkts", "segs", "bytes", "" */
	const char *help;
};

/*
 * A ratio computed at report time from counters of the same row: num is "a"
 * or "a+b"; the result is multiplied by scale (0 means 1), e.g. 1024 for
 * "ns per KiB" from a nanosecond and a byte counter.
 */
struct nl_derived {
	const char *name;
	const char *num;
	const char *den;
	const char *help;
	double scale;
};

struct nl_interval;
struct nl_netns;
struct nl_recording;
struct nl_sum_line;

/*
 * How the summary report sums a metric up in one line (src/report/text/summary_headlines.c).
 * Rows are the keys whose first field is row_field (and that start with row_prefix, if set);
 * each shows the p50/p99 of hist, the derived ratio (read as ratio_label; one ending in '%'
 * is a share), the counter and the total time of time_hist, whichever are set. totals
 * prints a prefix summed over rows; top is how many rows (0: the report's default).
 * ratio_why says, after the first row whose ratio shows "-" (its denominator counted,
 * its numerator not recorded), what the recording lacked.
 */
struct nl_headline {
	const char *row_field;
	const char *row_prefix;
	const char *hist;
	const char *ratio;
	const char *counter;
	void (*totals)(struct nl_sum_line *l, const struct nl_interval *iv);
	const char *ratio_label;
	const char *time_hist;
	unsigned int top;
	const char *ratio_why;
};

struct nl_plot_ctx;
struct nl_metric_desc;
struct nl_bpf_hooks;
struct nl_path_ladder;
struct nl_triage_in;
struct nl_rule;
struct nl_threshold;

/* What a metric shows beyond the generic tables and charts every metric gets. */
struct nl_metric_views {
	/* report --full, text: in place of the generic tables (NULL: the tables) */
	int (*text_body)(FILE *out, const struct nl_interval *iv);
	/* report --full, text: after the tables */
	int (*text_after)(FILE *out, const struct nl_interval *iv);
	/* report --full, text: lines under its ladder's stages (how they were measured) */
	void (*ladder_notes)(FILE *out, const struct nl_interval *iv);
	/* report --plot: a chart of its own beside the ladder, ratio and latency charts */
	int (*chart)(struct nl_plot_ctx *ctx, const struct nl_metric_desc *m);
	/*
	 * netlat top: rows of the stage table after the ladders' (nl_top_stage_row), shown
	 * only when the ladder of metric top_stands_in_for showed none; returns the rows shown
	 */
	size_t (*top_stage_rows)(FILE *out, const struct nl_triage_in *in);
	const char *top_stands_in_for;
	/* netlat top: a section of its own after the stage table (heading, at most max_rows rows) */
	void (*top_section)(FILE *out, const struct nl_triage_in *in, size_t max_rows);
};

/* What the session reads for a metric beside its collector. */
enum nl_metric_source {
	NL_SRC_SOFTNET = 1 << 0,	/* /proc/net/softnet_stat: per-CPU rows of the metric */
	NL_SRC_MEMCPY_REF = 1 << 1,	/* the machine's memcpy bandwidth, kept in the recording's meta */
};

/* Attribution filters of record (-p, --comm, --port, --netns), as bits of struct nl_metric_filters. */
enum nl_filter {
	NL_FILTER_PID = 1 << 0,
	NL_FILTER_COMM = 1 << 1,
	NL_FILTER_PORT = 1 << 2,
	NL_FILTER_NETNS = 1 << 3,
};

/*
 * The filters each collector applies to a metric's events (its handlers test
 * them); a filter not listed refuses the metric with a reason
 * (src/metrics/metric_filters.c) rather than being ignored.
 */
struct nl_metric_filters {
	unsigned int bpf;			/* enum nl_filter bits */
	unsigned int tracefs;
	unsigned int func;			/* the func collector (src/collect/func/collector_func.c) */
};

/*
 * A program of the BPF collector's object that runs a metric's handlers: one
 * of the programs netlat.bpf.c keeps for a tracepoint several metrics share,
 * or the metric's own in its <name>.bpf.h. The collector loads a program when
 * a metric of the session uses it, and requires it when that metric's
 * tracepoints (not its optional ones) name its tracepoint.
 */
struct nl_bpf_use {
	const char *tracepoint;			/* "napi_poll": the program nl_tp_napi_poll */
	bool syscall_time;			/* loaded only with record --syscall-time */
};

/*
 * How the func collector reads a kernel function a metric times, beside its
 * duration (src/collect/func/function_targets.c finds the arguments in BTF).
 */
enum nl_func_role {
	NL_FUNC_PLAIN,		/* its time only */
	NL_FUNC_NETNS_ARG,	/* its first argument is a struct net *: a row per network namespace */
	NL_FUNC_BYTES_ARG,	/* a length argument (BTF "len" or "size", else the 4th) holds its bytes */
	NL_FUNC_BYTES_RET,	/* its return value is the bytes it copied */
};

/*
 * A kernel function a metric times. A fallback is timed only when none of
 * the metric's functions of the same role got a tier that reads arguments
 * (one the others are inlined into, say): collector_func.c adds it then.
 */
struct nl_func_target {
	const char *name;			/* "__inet_lookup_established", as in the kernel's source */
	enum nl_func_role role;
	bool fallback;
};

/* What a backend measures less well for a metric than a better one: netlat probe says it up front. */
struct nl_backend_limit {
	const char *backend;			/* "tracefs", "raw_tp" */
	const char *limit;
};

struct nl_metric_desc {
	const char *name;			/* "napi": command line, JSON, file */
	const char *title;			/* report heading */
	const char *help;			/* one line for --help and probe */
	const char *key_fields;			/* "dev", "cpu vec": the row key fields, in order ("|" separates alternative row shapes) */
	const char *const *tracepoints;		/* "system:event" all required, NULL-terminated */
	const char *const *optional_tracepoints;/* used when present, NULL-terminated (may be NULL) */
	const struct nl_stat_desc *stats;	/* terminated by a NULL name */
	const struct nl_derived *derived;	/* terminated by a NULL name (may be NULL) */
	unsigned int sources;			/* enum nl_metric_source bits */
	const struct nl_headline *headline;	/* its line in the summary report (NULL: "no events") */
	const struct nl_metric_views *views;	/* NULL: the generic ones only */
	const struct nl_path_ladder *ladder;	/* its stages in path order (netlat/path_ladder.h); NULL: not a path metric */
	const struct nl_rule *const *rules;	/* its triage rules (netlat/triage.h), NULL-terminated (may be NULL) */
	const struct nl_threshold *diff_defaults; /* its default `diff` thresholds (netlat/diff.h), up to an empty pattern (may be NULL) */
	bool opt_in;				/* armed only when -m names it: not in the default set, nor in "all" */
	struct nl_metric_filters filters;	/* what -p, --comm, --port, --netns narrow, per collector */
	const struct nl_bpf_use *bpf_programs;	/* BPF programs it uses, up to a NULL tracepoint (NULL: no BPF) */
	const struct nl_backend_limit *limits;	/* up to a NULL backend (may be NULL) */
	/*
	 * diff and stat (src/gate/portable_keys.c): the portable spelling of a key field of
	 * its own that the kernel assigns afresh each run, as "field=value" pairs in out,
	 * from the row's whole key and the recording's meta; false keeps the field as it is
	 * (NULL: none of its fields needs one)
	 */
	bool (*portable_field)(const struct nl_recording *rec, const char *key, const char *field,
			       const char *val, char *out, size_t len);
	/*
	 * The BPF collector's part beyond its tables and programs
	 * (src/collect/bpf/bpf_hooks.h): its maps named otherwise, switches set
	 * from the kernel's BTF, a witness load, what it holds while loaded,
	 * what it lacks (NULL: none of these)
	 */
	const struct nl_bpf_hooks *bpf_hooks;
	/*
	 * record, at the end: meta of its own about namespace ns (nl_netns_read done),
	 * e.g. what portable_field reads back in another run (NULL: none)
	 */
	void (*netns_notes)(struct nl_recording *rec, const struct nl_netns *ns);

	/* func collector */
	const struct nl_func_target *functions;	/* the functions it times, up to a NULL name (NULL: none) */
	bool func_patterns;			/* made of -F patterns: armed only when patterns are given */
	/* counters of its own beside its functions' rows, added to the first interval (NULL: none) */
	void (*func_counters)(struct nl_interval *iv);
};

/* Every metric, in the order of src/metrics/metrics.def (report order). */
extern const struct nl_metric_desc *const nl_metrics[];
extern const size_t nl_nmetrics;

const struct nl_metric_desc *nl_metric_find(const char *name);
const struct nl_stat_desc *nl_metric_stat(const struct nl_metric_desc *m, const char *stat);
/*
 * Validate a -m list ("napi,qdisc" or "all"). Returns 0, or -EINVAL with
 * the first unknown name copied to bad.
 */
int nl_metric_list_check(const char *list, char *bad, size_t badlen);
/* Is metric name selected by list (NULL or "all" selects every metric)? */
int nl_metric_selected(const char *list, const char *name);

#endif
