// SPDX-License-Identifier: GPL-2.0
/* netlat record: arm probes, aggregate, write one recording file. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/metric.h"
#include "netlat/privs.h"
#include "netlat/session.h"
#include "netlat/util.h"

static const char record_usage[] =
"\n usage: netlat record [<options>] [-- <command> [<args>]]\n\n"
"    -o, --output <file>     write the recording here (default netlat.data; an\n"
"                            existing file is kept as <file>.old)\n"
"    -a, --all-cpus          system-wide (the default)\n"
"    -C, --cpu <cpus>        only these CPUs, e.g. 0-3,6\n"
"    -d, --duration <time>   stop after this long: 10s, 500ms, 2m\n"
"    -I, --interval <time>   cut an interval this often (default 1s)\n"
"    -m, --metrics <list>    metrics to record (default all): %s\n"
"        --collector <c>     auto (default), bpf or tracefs\n"
"        --dev <iface>       only this network device\n"
"    -p, --pid <pid>         only this process (tcp/copy rows it moves data on)\n"
"        --comm <name>       only processes with this name (as in /proc/PID/comm)\n"
"        --port <port>       only sockets with this local or remote port\n"
"        --netns <inode>     only this network namespace: its inode, from\n"
"                            'ls -L -i /proc/PID/ns/net' or 'stat -L -c %%i /run/netns/NAME'\n"
"                            (bpf collector only)\n"
"        --buffer-kb <n>     tracefs per-CPU ring buffer size\n"
"    -F, --func <func>       time this kernel function (globs allowed, repeatable;\n"
"                            metric func, recorded alone unless -m says more)\n"
"        --probe <tier>      function metrics: auto (default), fentry, kprobe, graph,\n"
"                            kprobe-events or sample (fails if it cannot attach)\n"
"    -q, --quiet             no status line\n"
"    -v, --verbose           say which backend each metric got, and why\n"
"\n With a command, records until it exits and stores its exit code.\n"
" Without one, records until -d elapses or Ctrl-C.\n\n";

static void print_usage(FILE *f)
{
	char names[256] = "";

	for (size_t i = 0; i < nl_nmetrics; i++) {
		size_t n = strlen(names);

		snprintf(names + n, sizeof(names) - n, "%s%s", i ? "," : "", nl_metrics[i].name);
	}
	fprintf(f, record_usage, names);
}

enum { OPT_COLLECTOR = 256, OPT_DEV, OPT_BUFFER_KB, OPT_COMM, OPT_PORT, OPT_NETNS, OPT_PROBE };

static const struct option record_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "duration", required_argument, NULL, 'd' },
	{ "interval", required_argument, NULL, 'I' },
	{ "metrics", required_argument, NULL, 'm' },
	{ "collector", required_argument, NULL, OPT_COLLECTOR },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "func", required_argument, NULL, 'F' },
	{ "probe", required_argument, NULL, OPT_PROBE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct record_args {
	struct nl_session_cfg cfg;
	const char *output;
};

/* A decimal number in [1, max]; -EINVAL for anything else. */
static int parse_uint(const char *arg, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!arg[0] || arg[0] == '-' || arg[0] == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(arg, &end, 10);
	return errno || *end || *out == 0 || *out > max ? -EINVAL : 0;
}

/* -p, --comm, --port, --netns: the attribution filters. */
static int parse_filter(struct nl_record_opts *o, int c, const char *arg)
{
	unsigned long long v;

	switch (c) {
	case 'p':
		if (parse_uint(arg, 4194304, &v)) {
			nl_err("invalid pid '%s' (a process id, 1 to 4194304)", arg);
			return -EINVAL;
		}
		o->pid = (int)v;
		return 0;
	case OPT_COMM:
		if (!arg[0] || strlen(arg) >= sizeof(o->comm)) {
			nl_err("invalid process name '%s' (1 to %zu characters, as in /proc/PID/comm)",
			       arg, sizeof(o->comm) - 1);
			return -EINVAL;
		}
		snprintf(o->comm, sizeof(o->comm), "%s", arg);
		return 0;
	case OPT_PORT:
		if (parse_uint(arg, 65535, &v)) {
			nl_err("invalid port '%s' (1 to 65535)", arg);
			return -EINVAL;
		}
		o->port = (uint16_t)v;
		return 0;
	default:	/* OPT_NETNS */
		if (parse_uint(arg, 0xffffffffULL, &v)) {
			nl_err("invalid network namespace '%s': give its inode number, from "
			       "'ls -L -i /proc/PID/ns/net' or 'stat -L -c %%i /run/netns/NAME'", arg);
			return -EINVAL;
		}
		o->netns = v;
		return 0;
	}
}

static int parse_one(struct record_args *a, int c, const char *arg)
{
	struct nl_record_opts *o = &a->cfg.opts;
	char bad[NL_NAME_MAX];
	char *end;

	switch (c) {
	case 'o':
		a->output = arg;
		return 0;
	case 'a':
		return 0;
	case 'C':
		if (nl_parse_cpulist(arg, o->cpumask, NL_MAX_CPUS / 64)) {
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
	case 'I':
		if (nl_parse_duration_ns(arg, &o->interval_ns) || o->interval_ns < 10000000ULL) {
			nl_err("invalid interval '%s' (at least 10ms; examples: 1s, 250ms)", arg);
			return -EINVAL;
		}
		return 0;
	case 'm':
		if (nl_metric_list_check(arg, bad, sizeof(bad))) {
			nl_err("unknown metric '%s' (see 'netlat record --help')", bad);
			return -EINVAL;
		}
		a->cfg.metrics = arg;
		return 0;
	case OPT_COLLECTOR:
		if (strcmp(arg, "auto") && strcmp(arg, "bpf") && strcmp(arg, "tracefs")) {
			nl_err("invalid collector '%s' (auto, bpf or tracefs)", arg);
			return -EINVAL;
		}
		a->cfg.collector = arg;
		return 0;
	case OPT_DEV:
		if (!arg[0] || strlen(arg) >= sizeof(o->dev) || strpbrk(arg, " ,/")) {
			nl_err("invalid device name '%s'", arg);
			return -EINVAL;
		}
		snprintf(o->dev, sizeof(o->dev), "%s", arg);
		return 0;
	case OPT_BUFFER_KB:
		errno = 0;
		o->buffer_kb = strtoul(arg, &end, 10);
		if (errno || *end || !arg[0] || o->buffer_kb == 0 || o->buffer_kb > 4U << 20) {
			nl_err("invalid buffer size '%s' (KiB, 1 to 4194304)", arg);
			return -EINVAL;
		}
		return 0;
	case 'p':
	case OPT_COMM:
	case OPT_PORT:
	case OPT_NETNS:
		return parse_filter(o, c, arg);
	case 'q':
		nl_quiet = 1;
		return 0;
	case 'v':
		nl_verbose++;
		return 0;
	default:
		return -EINVAL;
	}
}

/* -F and --probe: the function metrics' options (include/netlat/func.h). */
static int parse_func(int c, const char *arg)
{
	if (c == OPT_PROBE) {
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

/* -F alone records only the func metric; with -m it is added to the list. */
static int func_metrics(struct record_args *a)
{
	static char list[512];

	if (!nl_func_npatterns())
		return 0;
	if (!a->cfg.metrics) {
		a->cfg.metrics = "func";
		return 0;
	}
	if (nl_metric_selected(a->cfg.metrics, "func"))
		return 0;
	snprintf(list, sizeof(list), "%s,func", a->cfg.metrics);
	a->cfg.metrics = list;
	return 0;
}

static int parse_args(struct record_args *a, int argc, char **argv)
{
	int c, err;

	a->output = "netlat.data";
	a->cfg.collector = "auto";
	a->cfg.opts.interval_ns = 1000000000ULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:aC:d:I:m:p:F:qvh", record_options, NULL)) != -1) {
		if (c == 'h') {
			print_usage(stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				nl_err("unknown or incomplete option '-%c' (see 'netlat record --help')", optopt);
			else
				nl_err("unknown or incomplete option '%s' (see 'netlat record --help')",
				       argv[optind - 1]);
			return -EINVAL;
		}
		err = c == 'F' || c == OPT_PROBE ? parse_func(c, optarg) : parse_one(a, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		a->cfg.command = argv + optind;
	err = func_metrics(a);
	if (err)
		return err;
	/* Said once here rather than once per metric by the collector. */
	if (a->cfg.opts.netns && !strcmp(a->cfg.collector, "tracefs")) {
		nl_err("--netns needs the bpf collector: tracefs events carry no network namespace");
		return -EINVAL;
	}
	return 0;
}

/* Fail before arming anything if the file could not be written afterwards. */
static int check_output(const char *path)
{
	char *copy = nl_xstrdup(path);
	const char *dir = dirname(copy);
	int ok = access(dir, W_OK) == 0;
	int err = ok ? 0 : -errno;

	if (!ok)
		nl_err("cannot write '%s': directory '%s': %s", path, dir, strerror(-err));
	free(copy);
	return err;
}

int cmd_record(int argc, char **argv)
{
	struct record_args a = { 0 };
	struct nl_recording *rec;
	char missing[256];
	int err, run_err, cmd_exit;

	err = parse_args(&a, argc, argv);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_privs_check(missing, sizeof(missing))) {
		nl_err("recording needs privileges this process lacks: %s", missing);
		return NL_EXIT_USAGE;
	}
	if (check_output(a.output))
		return NL_EXIT_USAGE;

	a.cfg.status_line = !nl_quiet && isatty(STDERR_FILENO);
	nl_signals_install();
	rec = nl_rec_new();
	run_err = nl_session_record(&a.cfg, rec, &cmd_exit);
	nl_cleanup_run_all();
	if (run_err && !rec->niv) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	/* even after an error mid-run, keep what was measured */
	err = nl_rec_backup_old(a.output);
	if (!err)
		err = nl_rec_write(rec, a.output);
	if (err) {
		nl_err("cannot write '%s': %s", a.output, strerror(-err));
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	if (!nl_quiet)
		fprintf(stderr, "netlat: wrote %s (%zu intervals)\n", a.output, rec->niv);
	if (cmd_exit >= 0 && !nl_quiet)
		fprintf(stderr, "netlat: command exited with %d\n", cmd_exit);
	nl_rec_free(rec);
	return run_err ? NL_EXIT_USAGE : NL_EXIT_OK;
}
