// SPDX-License-Identifier: GPL-2.0
/*
 * The options record, stat, triage and top share, and the steps between
 * parsing and arming. The commands grew their parsers apart; the messages
 * and limits where they still differ are kept behind cmd->style so that no
 * command's behaviour changed when they were merged here.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/metric.h"
#include "netlat/overhead_budget.h"
#include "netlat/privs.h"
#include "netlat/record_opts.h"
#include "netlat/util.h"

/* Room for every common option, a command's own ones, --help and the end marker. */
#define MAX_LONG_OPTS	40
#define MAX_SHORT_OPTS	64

static const struct common_opt {
	struct option lo;
	unsigned int bit;
} common_opts[] = {
	{ { "all-cpus", no_argument, NULL, 'a' }, NL_RO_ALL_CPUS },
	{ { "cpu", required_argument, NULL, 'C' }, NL_RO_CPU },
	{ { "duration", required_argument, NULL, 'd' }, NL_RO_DURATION },
	{ { "interval", required_argument, NULL, 'I' }, NL_RO_INTERVAL },
	{ { "metrics", required_argument, NULL, 'm' }, NL_RO_METRICS },
	{ { "collector", required_argument, NULL, NL_OPT_COLLECTOR }, NL_RO_COLLECTOR },
	{ { "dev", required_argument, NULL, NL_OPT_DEV }, NL_RO_DEV },
	{ { "buffer-kb", required_argument, NULL, NL_OPT_BUFFER_KB }, NL_RO_BUFFER_KB },
	{ { "pid", required_argument, NULL, 'p' }, NL_RO_PID },
	{ { "comm", required_argument, NULL, NL_OPT_COMM }, NL_RO_COMM },
	{ { "port", required_argument, NULL, NL_OPT_PORT }, NL_RO_PORT },
	{ { "netns", required_argument, NULL, NL_OPT_NETNS }, NL_RO_NETNS },
	{ { "func", required_argument, NULL, 'F' }, NL_RO_FUNC },
	{ { "probe", required_argument, NULL, NL_OPT_PROBE }, NL_RO_PROBE },
	{ { "syscall-time", no_argument, NULL, NL_OPT_SYSCALL_TIME }, NL_RO_SYSCALL_TIME },
	{ { "pair-sample", required_argument, NULL, NL_OPT_PAIR_SAMPLE }, NL_RO_PAIR_SAMPLE },
	{ { "sample-freq", required_argument, NULL, NL_OPT_SAMPLE_FREQ }, NL_RO_PROBE },
	{ { "quiet", no_argument, NULL, 'q' }, NL_RO_QUIET },
	{ { "verbose", no_argument, NULL, 'v' }, NL_RO_VERBOSE },
	{ { "overhead-budget", required_argument, NULL, NL_OPT_OVERHEAD_BUDGET }, NL_RO_OVERHEAD_BUDGET },
};

static const struct option help_opt = { "help", no_argument, NULL, 'h' };

/*
 * A decimal number in [1, max]; -EINVAL for anything else. "+N" only where
 * a command always took it (strtoull would accept it, record never did).
 */
static int parse_num(const char *arg, bool plus_ok, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!arg[0] || arg[0] == '-' || (arg[0] == '+' && !plus_ok))
		return -EINVAL;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* -p, --comm, --port, --netns: the attribution filters. */
static int filter_opt(const struct nl_record_cmd *cmd, struct nl_record_opts *o, int opt, const char *arg)
{
	bool live = cmd->style & NL_RS_LIVE_VIEW;
	unsigned long long v;

	switch (opt) {
	case 'p':
		if (parse_num(arg, live, 4194304, &v)) {
			nl_err(live ? "invalid pid '%s'" : "invalid pid '%s' (a process id, 1 to 4194304)", arg);
			return -EINVAL;
		}
		o->pid = (int)v;
		return 0;
	case NL_OPT_COMM:
		if (!arg[0] || strlen(arg) >= sizeof(o->comm)) {
			nl_err("invalid process name '%s' (1 to %zu characters, as in /proc/PID/comm)",
			       arg, sizeof(o->comm) - 1);
			return -EINVAL;
		}
		snprintf(o->comm, sizeof(o->comm), "%s", arg);
		return 0;
	case NL_OPT_PORT:
		if (parse_num(arg, false, 65535, &v)) {
			nl_err("invalid port '%s' (1 to 65535)", arg);
			return -EINVAL;
		}
		o->port = (uint16_t)v;
		return 0;
	}
	/* NL_OPT_NETNS: record says how to find the inode; the live views keep it short */
	if (parse_num(arg, live, live ? UINT64_MAX : 0xffffffffULL, &v)) {
		if (live)
			nl_err("invalid netns '%s' (its inode number: ls -Li /proc/PID/ns/net)", arg);
		else
			nl_err("invalid network namespace '%s': give its inode number, from "
			       "'ls -L -i /proc/PID/ns/net' or 'stat -L -c %%i /run/netns/NAME'", arg);
		return -EINVAL;
	}
	o->netns = v;
	return 0;
}

/* -C, -d, -I: where and how long to record. */
static int time_cpu_opt(const struct nl_record_cmd *cmd, struct nl_record_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 'C':
		if (nl_parse_cpulist(arg, o->cpumask, NL_MAX_CPUS / 64)) {
			if (cmd->style & NL_RS_STAT)
				nl_err("invalid CPU list '%s'", arg);
			else
				nl_err("invalid CPU list '%s' (this machine has CPUs 0-%d)", arg, nl_ncpus() - 1);
			return -EINVAL;
		}
		o->cpus_set = true;
		return 0;
	case 'd':
		if (nl_parse_duration_ns(arg, &o->duration_ns) || !o->duration_ns) {
			nl_err("invalid duration '%s' (examples: 10s, 500ms, 2m)", arg);
			return -EINVAL;
		}
		return 0;
	}
	/* 'I' */
	if (nl_parse_duration_ns(arg, &o->interval_ns) || o->interval_ns < cmd->min_interval_ns) {
		nl_err("invalid interval '%s'%s", arg, cmd->interval_hint);
		return -EINVAL;
	}
	return 0;
}

/* -m, --collector, --dev, --buffer-kb: what to record and with which backend. */
static int source_opt(const struct nl_record_cmd *cmd, struct nl_session_cfg *cfg, int opt, const char *arg)
{
	struct nl_record_opts *o = &cfg->opts;
	char bad[NL_NAME_MAX];
	unsigned long long v;

	switch (opt) {
	case 'm':
		if (nl_metric_list_check(arg, bad, sizeof(bad))) {
			nl_err("%s metric '%s' (see 'netlat record --help')",
			       cmd->style & NL_RS_STAT ? "invalid" : "unknown", bad);
			return -EINVAL;
		}
		cfg->metrics = arg;
		return 0;
	case NL_OPT_COLLECTOR:
		if (strcmp(arg, "auto") && strcmp(arg, "bpf") && strcmp(arg, "tracefs")) {
			nl_err("invalid collector '%s' (auto, bpf or tracefs)", arg);
			return -EINVAL;
		}
		cfg->collector = arg;
		return 0;
	case NL_OPT_DEV:
		/* '=' would break a "dev=X" key; the live views have always refused it */
		if (!arg[0] || strlen(arg) >= sizeof(o->dev) ||
		    strpbrk(arg, cmd->style & NL_RS_LIVE_VIEW ? " ,/=" : " ,/")) {
			nl_err("invalid device name '%s'", arg);
			return -EINVAL;
		}
		snprintf(o->dev, sizeof(o->dev), "%s", arg);
		return 0;
	}
	/* NL_OPT_BUFFER_KB */
	if (parse_num(arg, true, 4U << 20, &v)) {
		nl_err("invalid buffer size '%s' (KiB, 1 to 4194304)", arg);
		return -EINVAL;
	}
	o->buffer_kb = (unsigned int)v;
	return 0;
}

/* -F, --probe and --sample-freq: the function metrics' options (include/netlat/func.h). */
static int func_opt(int opt, const char *arg)
{
	unsigned long long v;

	if (opt == NL_OPT_SAMPLE_FREQ) {
		if (parse_num(arg, false, NL_FUNC_SAMPLE_HZ_MAX, &v) || nl_func_set_sample_hz(v)) {
			nl_err("invalid sample frequency '%s' (Hz per CPU, 1 to %d)", arg, NL_FUNC_SAMPLE_HZ_MAX);
			return -EINVAL;
		}
		return 0;
	}
	if (opt == NL_OPT_PROBE) {
		if (nl_func_set_probe(arg)) {
			nl_err("invalid probe tier '%s' (auto, fentry, kprobe, graph, kprobe-events or sample)", arg);
			return -EINVAL;
		}
		return 0;
	}
	if (nl_func_add_pattern(arg)) {
		nl_err("invalid function '%s' (a kernel function name or glob, at most 63 characters, "
		       "at most 64 of them)", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_record_opt(const struct nl_record_cmd *cmd, struct nl_session_cfg *cfg, int opt, const char *arg)
{
	switch (opt) {
	case 'a':
		return 0;
	case 'q':
		nl_quiet = 1;
		return 0;
	case 'v':
		nl_verbose++;
		return 0;
	case NL_OPT_SYSCALL_TIME:
		cfg->opts.syscall_time = true;
		return 0;
	case NL_OPT_PAIR_SAMPLE: {
		unsigned long long n;

		if (parse_num(arg, false, 32768, &n) || (n & (n - 1))) {
			nl_err("invalid pairing sample '%s' (1 skb in N, N a power of two from 1 to 32768)", arg);
			return -EINVAL;
		}
		cfg->opts.pair_one_in = (unsigned int)n;
		return 0;
	}
	case 'C':
	case 'd':
	case 'I':
		return time_cpu_opt(cmd, &cfg->opts, opt, arg);
	case 'm':
	case NL_OPT_COLLECTOR:
	case NL_OPT_DEV:
	case NL_OPT_BUFFER_KB:
		return source_opt(cmd, cfg, opt, arg);
	case 'p':
	case NL_OPT_COMM:
	case NL_OPT_PORT:
	case NL_OPT_NETNS:
		return filter_opt(cmd, &cfg->opts, opt, arg);
	case 'F':
	case NL_OPT_PROBE:
	case NL_OPT_SAMPLE_FREQ:
		return func_opt(opt, arg);
	case NL_OPT_OVERHEAD_BUDGET:
		if (nl_budget_parse(arg, &cfg->overhead_budget_pct)) {
			nl_err("invalid overhead budget '%s' (percent of the recorded CPUs, 0 to 100; 0 = no limit)",
			       arg);
			return -EINVAL;
		}
		return 0;
	}
	return -EINVAL;
}

static bool is_common(const struct nl_record_cmd *cmd, int opt)
{
	for (size_t i = 0; i < ARRAY_SIZE(common_opts); i++)
		if ((cmd->opts & common_opts[i].bit) && common_opts[i].lo.val == opt)
			return true;
	return false;
}

static int add_short(char *s, size_t len, const struct option *lo)
{
	size_t n = strlen(s);
	int w;

	if (lo->val >= 256)
		return 0;
	w = snprintf(s + n, len - n, "%c%s", lo->val, lo->has_arg == required_argument ? ":" : "");
	return w < 0 || (size_t)w >= len - n ? -E2BIG : 0;
}

/* getopt's tables for cmd: "+", its own short options, the common ones it takes, -h. */
static int build_tables(const struct nl_record_cmd *cmd, char *shorts, size_t slen,
			struct option *longs, size_t nlong)
{
	size_t n = 0;
	int err = 0;

	snprintf(shorts, slen, "+%s", cmd->own_short ? cmd->own_short : "");
	for (const struct option *lo = cmd->own_long; lo && lo->name; lo++) {
		if (n >= nlong - 2)
			return -E2BIG;
		longs[n++] = *lo;
	}
	for (size_t i = 0; i < ARRAY_SIZE(common_opts) && !err; i++) {
		if (!(cmd->opts & common_opts[i].bit))
			continue;
		if (n >= nlong - 2)
			return -E2BIG;
		longs[n++] = common_opts[i].lo;
		err = add_short(shorts, slen, &common_opts[i].lo);
	}
	longs[n++] = help_opt;
	longs[n] = (struct option){ 0 };
	return err ? err : add_short(shorts, slen, &help_opt);
}

/* One line for an option getopt refused: unknown, or missing its argument. */
static void bad_option(const struct nl_record_cmd *cmd, char **argv)
{
	/* a short option names itself; argv[optind - 1] can be a cluster like -Zq or the command */
	if (optopt && optopt < 256)
		nl_err("unknown or incomplete option '-%c' (see 'netlat %s --help')", optopt, cmd->name);
	else
		nl_err("unknown or incomplete option '%s' (see 'netlat %s --help')",
		       argv[optind - 1], cmd->name);
}

/* -F alone records only the func metric; with -m it is added to the list. */
static void func_metrics(struct nl_session_cfg *cfg)
{
	static char list[512];

	if (!nl_func_npatterns())
		return;
	if (!cfg->metrics) {
		cfg->metrics = "func";
		return;
	}
	if (nl_metric_selected(cfg->metrics, "func"))
		return;
	snprintf(list, sizeof(list), "%s,func", cfg->metrics);
	cfg->metrics = list;
}

int nl_record_parse(const struct nl_record_cmd *cmd, struct nl_session_cfg *cfg, void *ctx,
		    int argc, char **argv)
{
	struct option longs[MAX_LONG_OPTS];
	char shorts[MAX_SHORT_OPTS];
	int c, err;

	err = build_tables(cmd, shorts, sizeof(shorts), longs, ARRAY_SIZE(longs));
	if (err) {
		nl_err("internal error: too many options for 'netlat %s'", cmd->name);
		return -EINVAL;
	}
	cfg->collector = "auto";
	cfg->opts.interval_ns = 1000000000ULL;
	cfg->overhead_budget_pct = NL_BUDGET_DEFAULT_PCT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':') {
			bad_option(cmd, argv);
			return -EINVAL;
		}
		if (is_common(cmd, c))
			err = nl_record_opt(cmd, cfg, c, optarg);
		else
			err = cmd->own ? cmd->own(ctx, c, optarg) : -EINVAL;
		if (err)
			return err;
	}
	if (optind < argc && !(cmd->opts & NL_RO_COMMAND)) {
		nl_err("unexpected argument '%s' (see 'netlat %s --help')", argv[optind], cmd->name);
		return -EINVAL;
	}
	if (optind < argc)
		cfg->command = argv + optind;
	func_metrics(cfg);
	return 0;
}

int nl_record_privs(const char *who, const char *hint)
{
	char missing[256];

	if (!nl_privs_check(missing, sizeof(missing)))
		return 0;
	nl_err("%s needs privileges this process lacks: %s%s", who, missing, hint);
	return -EPERM;
}

/* Fail before arming anything if the file could not be written afterwards. */
static int check_output(const char *path)
{
	char *copy = nl_xstrdup(path);
	const char *dir = dirname(copy);
	int err = access(dir, W_OK) ? -errno : 0;

	if (err)
		nl_err("cannot write '%s': directory '%s': %s", path, dir, strerror(-err));
	free(copy);
	return err;
}

int nl_record_start(struct nl_session_cfg *cfg, const char *output, const char *privs_hint)
{
	int err = nl_record_privs("recording", privs_hint);

	if (!err && output)
		err = check_output(output);
	if (err)
		return err;
	cfg->status_line = !nl_quiet && isatty(STDERR_FILENO);
	nl_signals_install();
	return 0;
}

int nl_record_save(const struct nl_recording *rec, const char *path)
{
	int err = nl_rec_backup_old(path);

	if (!err)
		err = nl_rec_write(rec, path);
	if (err)
		nl_err("cannot write '%s': %s", path, strerror(-err));
	return err;
}
