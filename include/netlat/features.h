/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel feature detection that tries rather than guesses: every answer
 * comes from doing the thing once (load and attach a two-instruction BPF
 * program, set a tracer in a throwaway instance, create and delete a kprobe
 * event) and keeping what the kernel said ("load failed: EPERM"). Used by
 * `netlat probe`, by record's backend choice and by per-function tiers.
 *
 * Everything a try creates is undone before the function returns, and is on
 * the cleanup list (cleanup.h) while it exists, so a signal cannot leak it.
 */
#ifndef NETLAT_FEATURES_H
#define NETLAT_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include "metric.h"
#include "recording.h"

enum nl_feat_id {
	NL_FEAT_TRACEPOINTS,	/* tracefs events enabled in a private instance */
	NL_FEAT_TP_BTF,		/* BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP */
	NL_FEAT_RAW_TP,		/* BPF_PROG_TYPE_RAW_TRACEPOINT */
	NL_FEAT_BPF_TRACEPOINT,	/* BPF_PROG_TYPE_TRACEPOINT on a perf tracepoint event */
	NL_FEAT_FENTRY,		/* BPF_PROG_TYPE_TRACING fentry + fexit */
	NL_FEAT_KPROBE_BPF,	/* BPF_PROG_TYPE_KPROBE on kprobe + kretprobe PMU events */
	NL_FEAT_KPROBE_EVENTS,	/* tracefs kprobe_events */
	NL_FEAT_FUNCTION_GRAPH,	/* function_graph tracer */
	NL_FEAT_FUNCTION,	/* function tracer */
	NL_FEAT_HIST_TRIGGERS,	/* hist: triggers on tracefs events */
	NL_FEAT_BTF,		/* /sys/kernel/btf/vmlinux loads */
	NL_FEAT_PERF_CPU_CLOCK,	/* system-wide cpu-clock sampling with kernel callchains */
	NL_FEAT_COUNT
};

/* One answer: available or not, and what the kernel said either way. */
struct nl_feature {
	bool available;
	char reason[NL_REASON_MAX];
};

/*
 * BPF program types the BPF collector attaches to one tracepoint, best first. Perf
 * tracepoint programs (BPF_PROG_TYPE_TRACEPOINT) are not among them: the collector never
 * uses them, and trying one costs a tracepoint unregistration that waits for an RCU grace
 * period under event_mutex (about 45 ms each here, seconds in an emulated guest), so the
 * bpf_tracepoint feature is tried once, on the sample tracepoint.
 */
enum nl_tp_prog {
	NL_TP_BTF,
	NL_TP_RAW,
	NL_TP_NPROG
};

struct nl_tp_info {
	char name[64];			/* "napi:napi_poll" */
	bool available;			/* events/<sys>/<name>/format exists */
	char **fields;			/* non-common fields from the format file */
	size_t nfields;
	struct nl_feature prog[NL_TP_NPROG];	/* BPF load + attach on this tracepoint */
};

struct nl_features {
	char kernel[128];		/* uname -r */
	char tracefs[256];		/* "" when tracefs could not be found or mounted */
	bool tracefs_mounted_by_netlat;
	char tracers[256];		/* top-level available_tracers */
	bool function_graph_toplevel_only;	/* works, but not in an instance */
	int perf_event_paranoid;	/* -99 when unreadable */
	int kptr_restrict;
	struct nl_feature feat[NL_FEAT_COUNT];
	struct nl_tp_info *tps;		/* every tracepoint of the metric table */
	size_t ntps;
};

/* JSON/kv name of a feature: "tp_btf", "kprobe_events", ... */
const char *nl_feature_name(enum nl_feat_id id);
/* Name of a per-tracepoint program type: "tp_btf", "raw_tp", "tracepoint". */
const char *nl_tp_prog_name(enum nl_tp_prog p);

/*
 * Try everything and fill f. Needs the privileges nl_privs_check asks for.
 * Returns 0 (individual failures are in f), -EINTR if a signal asked to
 * stop, or -ENOMEM. Free with nl_features_free.
 */
int nl_features_probe(struct nl_features *f);
void nl_features_free(struct nl_features *f);
const struct nl_tp_info *nl_features_tp(const struct nl_features *f, const char *name);

/*
 * Per-function and per-tracepoint tries: 0 when the program loaded and
 * attached, else a negative errno and why ("fentry tcp_v4_rcv: load
 * failed: EPERM"). Nothing stays attached.
 */
int nl_feature_fentry(const char *func, char *why, size_t len);	/* fentry and fexit */
/*
 * fentry loaded on func, not attached: the func collector's quick "no"
 * before it builds a whole funclat object (attaching pokes kernel text).
 */
int nl_feature_fentry_load(const char *func, char *why, size_t len);
int nl_feature_kprobe(const char *func, char *why, size_t len);	/* kprobe and kretprobe */
int nl_feature_tp_btf(const char *tp, char *why, size_t len);	/* tp is "sys:name" */
int nl_feature_raw_tp(const char *tp, char *why, size_t len);
int nl_feature_bpf_tracepoint(const char *tracefs, const char *tp, char *why, size_t len);
int nl_feature_btf(char *why, size_t len);
int nl_feature_perf_cpu_clock(char *why, size_t len);

/* tracefs tries; dir is the tracefs mount, inst_dir a private instance. */
int nl_feature_kprobe_events(const char *dir, const char *func, char *why, size_t len);
int nl_feature_tracer(const char *dir, const char *inst_dir, const char *tracer,
		      bool *toplevel_only, char *why, size_t len);
int nl_feature_hist_trigger(const char *inst_dir, const char *tp, char *why, size_t len);
int nl_feature_tracepoint_enable(const char *inst_dir, const char *tp, char *why, size_t len);
/* Non-common field names of events/<sys>/<name>/format; -ENOENT if absent. */
int nl_tracepoint_fields(const char *dir, const char *tp, char ***fields, size_t *n);

/*
 * Which backend a metric gets on this kernel, by the preference order
 * bpf (tp_btf, raw_tp, tracepoint) then tracefs. rejected[] holds every
 * better choice that was turned down and why.
 */
#define NL_CHOICE_MAX_REJECTED 4
struct nl_backend_choice {
	char backend[16];		/* "bpf", "tracefs", "unavailable" */
	char detail[NL_REASON_MAX];	/* "tp_btf", "tracepoint", or the missing tracepoints */
	size_t nrejected;
	struct {
		char backend[16];	/* "bpf/tp_btf", "bpf/raw_tp", "bpf/tracepoint", "tracefs" */
		char reason[NL_REASON_MAX];
	} rejected[NL_CHOICE_MAX_REJECTED];
};
void nl_features_choose(const struct nl_features *f, const struct nl_metric_desc *m,
			struct nl_backend_choice *c);

/*
 * Can `netlat record --collector NAME` ("bpf" or "tracefs") arm metric m on
 * this kernel? true with how in why ("tp_btf", "raw_tp (tp_btf: ...)",
 * "tracepoint"), or false with the reason ("no BPF program for this metric",
 * "missing tracepoints: ...", what the kernel said to each program type).
 * The same tests the collectors' own arm makes, from the survey's answers:
 * tests use it to tell "cannot measure here" from "broken" (docs/probe.md).
 */
bool nl_features_collector(const struct nl_features *f, const struct nl_metric_desc *m,
			   const char *collector, char *why, size_t len);

/* "EPERM", "ENOTSUPP", or "errno N": how the kernel answered, for reasons. */
const char *nl_errname(int err);

#endif
