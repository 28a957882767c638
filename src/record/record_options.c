// SPDX-License-Identifier: GPL-2.0
/*
 * The options record, stat, triage, top and serve share, as option-table
 * rows (include/netlat/record_opts.h), and the steps between parsing and
 * arming. One check per option: the same word gets the same verdict, with
 * the same message, in every command.
 */
#include <errno.h>
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

const struct nl_interval_limit nl_interval_file = {
	10000000ULL, " (at least 10ms; examples: 1s, 250ms)"
};
const struct nl_interval_limit nl_interval_live = {
	100000000ULL, " (at least 100ms; examples: 1s, 500ms)"
};

/* A decimal number in [1, max]; -EINVAL for anything else ("+5", "-5", "5x", "0"). */
static int parse_num(const char *arg, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!arg[0] || arg[0] == '-' || arg[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* parse_num, or "invalid WHAT 'ARG' (HINT)" */
static int num_arg(const char *arg, unsigned long long max, unsigned long long *v,
		   const char *what, const char *hint)
{
	if (!parse_num(arg, max, v))
		return 0;
	nl_err("invalid %s '%s' (%s)", what, arg, hint);
	return -EINVAL;
}

/* A name for a char[size] field: not empty, fits, holds none of reject. */
static int name_arg(char *dst, size_t size, const char *arg, const char *reject)
{
	if (!arg[0] || strlen(arg) >= size || strpbrk(arg, reject))
		return -EINVAL;
	snprintf(dst, size, "%s", arg);
	return 0;
}

int nl_opt_pid(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;
	unsigned long long v;

	if (num_arg(arg, 4194304, &v, "pid", "a process id, 1 to 4194304"))
		return -EINVAL;
	o->pid = (int)v;
	return 0;
}

int nl_opt_comm(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;

	if (name_arg(o->comm, sizeof(o->comm), arg, "")) {
		nl_err("invalid process name '%s' (1 to %zu characters, as in /proc/PID/comm)",
		       arg, sizeof(o->comm) - 1);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_port(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;
	unsigned long long v;

	if (num_arg(arg, 65535, &v, "port", "1 to 65535"))
		return -EINVAL;
	o->port = (uint16_t)v;
	return 0;
}

/* The kernel numbers namespaces with 32-bit inodes (ns_common.inum): a larger one names none. */
int nl_opt_netns(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;
	unsigned long long v;

	if (parse_num(arg, 0xffffffffULL, &v)) {
		nl_err("invalid network namespace '%s': give its inode number, from "
		       "'ls -L -i /proc/PID/ns/net' or 'stat -L -c %%i /run/netns/NAME'", arg);
		return -EINVAL;
	}
	o->netns = v;
	return 0;
}

int nl_opt_cpu(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;

	if (nl_parse_cpulist(arg, o->cpumask, NL_MAX_CPUS / 64)) {
		nl_err("invalid CPU list '%s' (this machine has CPUs 0-%d)", arg, nl_ncpus() - 1);
		return -EINVAL;
	}
	o->cpus_set = true;
	return 0;
}

int nl_opt_duration(const struct nl_opt *opt, const char *arg)
{
	uint64_t *ns = opt->value;

	if (nl_parse_duration_ns(arg, ns) || !*ns) {
		nl_err("invalid duration '%s' (examples: 10s, 500ms, 2m)", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_interval(const struct nl_opt *opt, const char *arg)
{
	const struct nl_interval_limit *lim = opt->data ? opt->data : &nl_interval_file;
	uint64_t *ns = opt->value;

	if (nl_parse_duration_ns(arg, ns) || *ns < lim->min_ns) {
		nl_err("invalid interval '%s'%s", arg, lim->hint);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_metrics(const struct nl_opt *opt, const char *arg)
{
	char bad[NL_NAME_MAX * 2], known[256];
	size_t n = 0;

	if (nl_metric_list_check(arg, bad, sizeof(bad))) {
		known[0] = '\0';
		for (size_t i = 0; i < nl_nmetrics && n < sizeof(known); i++)
			n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
					      nl_metrics[i]->name);
		nl_err("unknown metric '%s' (known: %s)", bad, known);
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

int nl_opt_match(const struct nl_opt *opt, const char *arg)
{
	if (strcmp(arg, "strict") && strcmp(arg, "portable")) {
		nl_err("unknown match '%s' (known: portable, strict)", arg);
		return -EINVAL;
	}
	*(bool *)opt->value = !strcmp(arg, "strict");
	return 0;
}

int nl_opt_collector(const struct nl_opt *opt, const char *arg)
{
	if (strcmp(arg, "auto") && strcmp(arg, "bpf") && strcmp(arg, "tracefs")) {
		nl_err("invalid collector '%s' (auto, bpf or tracefs)", arg);
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

int nl_opt_dev(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;

	/* no interface name holds these, and '=' would break a "dev=X" key */
	if (name_arg(o->dev, sizeof(o->dev), arg, " ,/=")) {
		nl_err("invalid device name '%s'", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_buffer_kb(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;
	unsigned long long v;

	if (num_arg(arg, 4U << 20, &v, "buffer size", "KiB, 1 to 4194304"))
		return -EINVAL;
	o->buffer_kb = (unsigned int)v;
	return 0;
}

/* -F, --probe and --sample-freq: the function metrics keep them (include/netlat/func.h). */
int nl_opt_sample_freq(const struct nl_opt *opt, const char *arg)
{
	unsigned long long v;

	(void)opt;
	if (parse_num(arg, NL_FUNC_SAMPLE_HZ_MAX, &v) || nl_func_set_sample_hz(v)) {
		nl_err("invalid sample frequency '%s' (Hz per CPU, 1 to %d)", arg, NL_FUNC_SAMPLE_HZ_MAX);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_probe(const struct nl_opt *opt, const char *arg)
{
	(void)opt;
	if (nl_func_set_probe(arg)) {
		nl_err("invalid probe tier '%s' (auto, fentry, kprobe, graph, kprobe-events or sample)", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_func(const struct nl_opt *opt, const char *arg)
{
	(void)opt;
	if (nl_func_add_pattern(arg)) {
		nl_err("invalid function '%s' (a kernel function name or glob, at most 63 characters, "
		       "at most 64 of them)", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_pair_sample(const struct nl_opt *opt, const char *arg)
{
	struct nl_record_opts *o = opt->value;
	unsigned long long n;

	if (parse_num(arg, 32768, &n) || (n & (n - 1))) {
		nl_err("invalid pairing sample '%s' (1 skb in N, N a power of two from 1 to 32768)", arg);
		return -EINVAL;
	}
	o->pair_one_in = (unsigned int)n;
	return 0;
}

int nl_opt_budget(const struct nl_opt *opt, const char *arg)
{
	if (nl_budget_parse(arg, opt->value)) {
		nl_err("invalid overhead budget '%s' (percent of the recorded CPUs, 0 to 100; 0 = no limit)", arg);
		return -EINVAL;
	}
	return 0;
}

int nl_opt_quiet(const struct nl_opt *opt, const char *arg)
{
	(void)opt;
	(void)arg;
	nl_quiet = 1;
	return 0;
}

int nl_opt_ignore(const struct nl_opt *opt, const char *arg)
{
	(void)opt;
	(void)arg;
	return 0;
}

/*
 * -F alone records only the metrics made of -F patterns (a descriptor's
 * func_patterns); with -m they are added to the list.
 */
static void func_metrics(struct nl_session_cfg *cfg)
{
	static char list[512];
	size_t n;

	if (!nl_func_npatterns())
		return;
	snprintf(list, sizeof(list), "%s", cfg->metrics ? cfg->metrics : "");
	n = strlen(list);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];

		if (!m->func_patterns || (cfg->metrics && nl_metric_selected(cfg->metrics, m->name)))
			continue;
		snprintf(list + n, sizeof(list) - n, "%s%s", cfg->metrics ? "," : "", m->name);
		n = strlen(list);
		cfg->metrics = list;
	}
}

int nl_record_parse(const struct nl_opt_cmd *cmd, struct nl_session_cfg *cfg, int argc, char **argv)
{
	int next, err;

	cfg->collector = "auto";
	cfg->opts.interval_ns = 1000000000ULL;
	cfg->overhead_budget_pct = NL_BUDGET_DEFAULT_PCT;
	err = nl_opt_parse(cmd, argc, argv, &next);
	if (err)
		return err;
	if (next < argc && !(cmd->flags & NL_OPT_STOP_AT_ARG)) {
		nl_err("unexpected argument '%s' (see 'netlat %s --help')", argv[next], cmd->name);
		return -EINVAL;
	}
	if (next < argc)
		cfg->command = argv + next;
	func_metrics(cfg);
	/* said once here rather than once per metric by the collector */
	if (cfg->opts.netns && !strcmp(cfg->collector, "tracefs")) {
		nl_err("--netns needs the bpf collector: tracefs events carry no network namespace");
		return -EINVAL;
	}
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
