/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options the recording commands (record, stat, triage, top, serve)
 * share, as rows of their option tables (options.h): one definition and one
 * check each. Then the steps each of them takes between parsing and arming.
 */
#ifndef NETLAT_RECORD_OPTS_H
#define NETLAT_RECORD_OPTS_H

#include <stdint.h>
#include "options.h"
#include "recording.h"
#include "session.h"
#include "util.h"

/* The checks behind the shared rows below; value points into struct nl_session_cfg. */
int nl_opt_cpu(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_duration(const struct nl_opt *o, const char *arg);		/* value: uint64_t ns */
int nl_opt_interval(const struct nl_opt *o, const char *arg);		/* value: uint64_t ns */
int nl_opt_metrics(const struct nl_opt *o, const char *arg);		/* value: const char * */
int nl_opt_match(const struct nl_opt *o, const char *arg);		/* value: bool strict */
int nl_opt_collector(const struct nl_opt *o, const char *arg);		/* value: const char * */
int nl_opt_dev(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_buffer_kb(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_pid(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_comm(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_port(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_netns(const struct nl_opt *o, const char *arg);		/* value: struct nl_record_opts */
int nl_opt_func(const struct nl_opt *o, const char *arg);		/* value unused (func.h) */
int nl_opt_probe(const struct nl_opt *o, const char *arg);		/* value unused (func.h) */
int nl_opt_sample_freq(const struct nl_opt *o, const char *arg);	/* value unused (func.h) */
int nl_opt_pair_sample(const struct nl_opt *o, const char *arg);	/* value: struct nl_record_opts */
int nl_opt_budget(const struct nl_opt *o, const char *arg);		/* value: double percent */
int nl_opt_quiet(const struct nl_opt *o, const char *arg);		/* sets nl_quiet */
int nl_opt_ignore(const struct nl_opt *o, const char *arg);		/* -a: the default anyway */

/* -I's lower bound: a live view redraws, so it wants longer intervals than a file */
struct nl_interval_limit {
	uint64_t min_ns;
	const char *hint;		/* follows "invalid interval 'X'" */
};
extern const struct nl_interval_limit nl_interval_file, nl_interval_live;

/*
 * The rows of the options several commands take: one definition, one check,
 * one help text. cfg is the command's struct nl_session_cfg *. Where the
 * meaning is the command's own (how long -d records), the help is its own.
 */
#define NL_ROW_ALL_CPUS \
	NL_OPT_CALLBACK_ROW('a', "all-cpus", NULL, NULL, "system-wide (the default)", nl_opt_ignore)
#define NL_ROW_CPU(cfg) \
	NL_OPT_CALLBACK_ROW('C', "cpu", &(cfg)->opts, "<cpus>", "only these CPUs, e.g. 0-3,6", nl_opt_cpu)
#define NL_ROW_DURATION(cfg, help) \
	NL_OPT_CALLBACK_ROW('d', "duration", &(cfg)->opts.duration_ns, "<time>", help, nl_opt_duration)
#define NL_ROW_INTERVAL(cfg, limit, h) \
	{ .type = NL_OPT_CALLBACK, .short_name = 'I', .long_name = "interval", \
	  .value = &(cfg)->opts.interval_ns, .argh = "<time>", .help = (h), .cb = nl_opt_interval, \
	  .data = (limit) }
/* dst: the const char * that gets the checked list (record, report, diff, ...) */
#define NL_ROW_METRICS(dst, help) \
	NL_OPT_CALLBACK_ROW('m', "metrics", (dst), "<list>", help, nl_opt_metrics)
/* stat's and diff's row keys: dst is the bool "strict" */
#define NL_ROW_MATCH(dst, h) \
	NL_OPT_CALLBACK_ROW(0, "match", (dst), "<how>", h, nl_opt_match)
#define NL_ROW_COLLECTOR(cfg) \
	NL_OPT_CALLBACK_ROW(0, "collector", &(cfg)->collector, "<c>", "auto (default), bpf or tracefs", \
			    nl_opt_collector)
#define NL_ROW_DEV(cfg) \
	NL_OPT_CALLBACK_ROW(0, "dev", &(cfg)->opts, "<iface>", "only this network device", nl_opt_dev)
#define NL_ROW_BUFFER_KB(cfg) \
	NL_OPT_CALLBACK_ROW(0, "buffer-kb", &(cfg)->opts, "<n>", "tracefs per-CPU ring buffer size (KiB)", \
			    nl_opt_buffer_kb)
#define NL_ROW_PID(cfg) \
	NL_OPT_CALLBACK_ROW('p', "pid", &(cfg)->opts, "<pid>", \
			    "only this process (tcp/copy rows it moves data on)", nl_opt_pid)
#define NL_ROW_COMM(cfg) \
	NL_OPT_CALLBACK_ROW(0, "comm", &(cfg)->opts, "<name>", \
			    "only processes with this name (as in /proc/PID/comm)", nl_opt_comm)
#define NL_ROW_PORT(cfg) \
	NL_OPT_CALLBACK_ROW(0, "port", &(cfg)->opts, "<port>", \
			    "only sockets with this local or remote port", nl_opt_port)
#define NL_ROW_NETNS(cfg) \
	NL_OPT_CALLBACK_ROW(0, "netns", &(cfg)->opts, "<inode>", \
			    "only this network namespace, by inode: 'ls -L -i\n" \
			    "/proc/PID/ns/net' or 'stat -L -c %i /run/netns/NAME'\n" \
			    "(bpf collector only)", nl_opt_netns)
#define NL_ROW_FUNC \
	NL_OPT_CALLBACK_ROW('F', "func", NULL, "<func>", \
			    "time this kernel function (globs allowed, repeatable;\n" \
			    "metric func, recorded alone unless -m says more)", nl_opt_func)
#define NL_ROW_PROBE \
	NL_OPT_CALLBACK_ROW(0, "probe", NULL, "<tier>", \
			    "function metrics: auto (default), fentry, kprobe, graph,\n" \
			    "kprobe-events or sample (fails if it cannot attach)", nl_opt_probe)
#define NL_ROW_SAMPLE_FREQ \
	NL_OPT_CALLBACK_ROW(0, "sample-freq", NULL, "<hz>", \
			    "sample tier: samples per second per CPU (default 99,\n" \
			    "perf's always-on rate; 4000 gives finer shares at a\n" \
			    "latency cost, see docs/funclat.md)", nl_opt_sample_freq)
#define NL_ROW_SYSCALL_TIME(cfg) \
	NL_OPT_FLAG_ROW(0, "syscall-time", &(cfg)->opts.syscall_time, \
			"copy: also time each data system call (raw_syscalls:\n" \
			"a program on every system call of the machine)")
#define NL_ROW_PAIR_SAMPLE(cfg) \
	NL_OPT_CALLBACK_ROW(0, "pair-sample", &(cfg)->opts, "<n>", \
			    "rx/tx ladders (bpf): follow 1 skb in n (a power of two)\n" \
			    "stage by stage; ages and counters still see every skb", nl_opt_pair_sample)
#define NL_ROW_OVERHEAD_BUDGET(cfg) \
	NL_OPT_CALLBACK_ROW(0, "overhead-budget", &(cfg)->overhead_budget_pct, "<pct>", \
			    "netlat's BPF programs may take this % of the\n" \
			    "recorded CPUs (default 1); over it, per-skb pairing\n" \
			    "is sampled 1 in N (0 = no limit)", nl_opt_budget)
#define NL_ROW_QUIET(help) \
	NL_OPT_CALLBACK_ROW('q', "quiet", NULL, NULL, help, nl_opt_quiet)
#define NL_ROW_VERBOSE \
	NL_OPT_COUNT_ROW('v', "verbose", &nl_verbose, "say which backend each metric got, and why")
/* the filters, together: every command that records takes all of them */
#define NL_ROWS_FILTERS(cfg) \
	NL_ROW_CPU(cfg), NL_ROW_DEV(cfg), NL_ROW_PID(cfg), NL_ROW_COMM(cfg), NL_ROW_PORT(cfg), \
	NL_ROW_NETNS(cfg)

/*
 * Set cfg's defaults (collector auto, 1s intervals, the default overhead
 * budget), parse argv against cmd's table into it, then: the words left are
 * the command to run when cmd has NL_OPT_STOP_AT_ARG (an error otherwise);
 * -F alone selects the func metric (with -m it is added); --netns needs the
 * bpf collector. Returns 0, NL_OPT_HELP (the caller prints the usage), or
 * -EINVAL after one line on stderr.
 */
int nl_record_parse(const struct nl_opt_cmd *cmd, struct nl_session_cfg *cfg, int argc, char **argv);

/* "WHO needs privileges this process lacks: ...HINT": 0, or -EPERM after that line. */
int nl_record_privs(const char *who, const char *hint);

/*
 * Before arming: the privileges (message hint as for nl_record_privs),
 * that output (unless NULL) can be written afterwards, the status line
 * setting, and the signal handlers. 0, or a negative errno after one line.
 */
int nl_record_start(struct nl_session_cfg *cfg, const char *output, const char *privs_hint);

/* Write rec to path, keeping an existing file as path.old: 0, or a negative errno after one line. */
int nl_record_save(const struct nl_recording *rec, const char *path);

#endif
