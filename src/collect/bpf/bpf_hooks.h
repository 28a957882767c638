/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a metric tells the BPF collector beyond its row tables
 * (nlb_tables_<name>) and its programs (the descriptor's bpf_programs):
 * which maps of the object are its own, the switches of its own it sets
 * from what this kernel has, whether it loads as a witness, what it holds
 * while loaded and what it lacks. A descriptor's bpf_hooks points at one,
 * defined in the metric's folder (<name>/<name>_bpf.c), so the collector
 * names no metric.
 */
#ifndef NETLAT_BPF_HOOKS_H
#define NETLAT_BPF_HOOKS_H

#include <stdbool.h>

#include "common.h"

struct btf;
struct nl_record_opts;
struct nl_metric_desc;

/* What a metric's hooks may ask of this kernel and of the recording (kernel_facts.c). */
struct nlb_kernel {
	const struct btf *vmlinux;		/* NULL: no vmlinux BTF */
	bool raw_tp;				/* the object loads as raw_tp, not tp_btf */
	const struct nl_record_opts *opts;
};

/* Has the kernel's BTF tracepoint tp ("napi_poll")? false without BTF. */
bool nlb_btf_has_tracepoint(const struct nlb_kernel *k, const char *tp);
/* Arguments of tracepoint tp in the kernel's BTF, -1 when unknown (no BTF, no such tracepoint). */
int nlb_btf_tracepoint_nargs(const struct nlb_kernel *k, const char *tp);
/* Has the kernel's enum type the value val ("BPF_FUNC_loop" in bpf_func_id)? false without BTF. */
bool nlb_btf_enum_has(const struct nlb_kernel *k, const char *type, const char *val);

struct nl_bpf_hooks {
	/*
	 * Prefixes of its maps' names besides "<name>_" (rx: "sockq_"),
	 * NULL-terminated (may be NULL): the maps of a metric that is off
	 * shrink to one entry before load.
	 */
	const char *const *map_prefixes;
	/* its maps used only with record --syscall-time (whole names), NULL-terminated (may be NULL) */
	const char *const *syscall_time_maps;
	/*
	 * Non-NULL: loaded even when the session does not ask for it, its
	 * rows unreported, so this map of it can be read against
	 * /proc/softirqs for the runs no program saw (unseen.c).
	 */
	const char *witness_map;
	/*
	 * Before each load, after nl_on.<name> is set (whether on or off):
	 * its other switches, from what this kernel has.
	 */
	void (*setup)(const struct nlb_kernel *k, struct nl_bpf_switches *on);
	/* Once the object is loaded with it on: what it holds for the recording (say why not: nl_info). */
	void (*hold)(void);
	/* At close, whether it held or not: let go of what hold took. */
	void (*release)(void);
	/* At arm: what it lacks on this kernel, appended to the backend ("tp_btf, ..."); "" for nothing. */
	const char *(*note)(const struct nlb_kernel *k);
};

/* Is map (a name in the BPF object) one of metric m's? */
bool nlb_map_of(const struct nl_metric_desc *m, const char *map);
/* Is map one of m's used only with --syscall-time? */
bool nlb_map_syscall_time_only(const struct nl_metric_desc *m, const char *map);

#endif
