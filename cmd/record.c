// SPDX-License-Identifier: GPL-2.0
/* netlat record: arm probes, aggregate, write one recording file. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/metric.h"
#include "netlat/record_opts.h"
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
"        --syscall-time      copy: also time each data system call (raw_syscalls:\n"
"                            a program on every system call of the machine)\n"
"        --pair-sample <n>   rx/tx ladders (bpf): follow 1 skb in n (a power of two)\n"
"                            stage by stage; ages and counters still see every skb\n"
"        --sample-freq <hz>  sample tier: samples per second per CPU (default 99,\n"
"                            perf's always-on rate; 4000 gives finer shares at a\n"
"                            latency cost, see docs/funclat.md)\n"
"        --raw[=<file>]      also write the raw tracepoint records as a trace.dat\n"
"                            for trace-cmd report / KernelShark (default trace.dat;\n"
"                            an existing file is kept as <file>.old)\n"
"        --raw-events <list> metrics whose tracepoints go to the raw file (default\n"
"                            all armed); with bpf a tracefs instance runs beside it\n"
"    -q, --quiet             no status line\n"
"        --overhead-budget <pct>\n"
"                            netlat's BPF programs may take this %% of the\n"
"                            recorded CPUs (default 1); over it, per-skb pairing\n"
"                            is sampled 1 in N (0 = no limit)\n"
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

enum { OPT_RAW = NL_OPT_OWN, OPT_RAW_EVENTS };

static const struct option record_own_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "raw", optional_argument, NULL, OPT_RAW },
	{ "raw-events", required_argument, NULL, OPT_RAW_EVENTS },
	{ NULL, 0, NULL, 0 },
};

struct record_args {
	struct nl_session_cfg cfg;
	const char *output;
	int argc;
	char **argv;
};

static int parse_own(void *ctx, int c, const char *arg)
{
	struct record_args *a = ctx;
	char bad[64];

	switch (c) {
	case 'o':
		a->output = arg;
		return 0;
	case OPT_RAW:
		/* "--raw FILE" as well as "--raw=FILE": a following word that is no option is the file */
		if (!arg && optind < a->argc && a->argv[optind][0] != '-')
			arg = a->argv[optind++];
		a->cfg.opts.raw_path = arg ? arg : "trace.dat";
		return 0;
	case OPT_RAW_EVENTS:
		if (nl_metric_list_check(arg, bad, sizeof(bad))) {
			nl_err("unknown metric '%s' in --raw-events", bad);
			return -EINVAL;
		}
		a->cfg.raw_metrics = arg;
		return 0;
	}
	return -EINVAL;
}

static const struct nl_record_cmd record_cmd = {
	.name = "record",
	.opts = NL_RO_ALL_CPUS | NL_RO_CPU | NL_RO_DURATION | NL_RO_INTERVAL | NL_RO_METRICS |
		NL_RO_COLLECTOR | NL_RO_DEV | NL_RO_BUFFER_KB | NL_RO_PID | NL_RO_COMM |
		NL_RO_PORT | NL_RO_NETNS | NL_RO_FUNC | NL_RO_PROBE | NL_RO_SYSCALL_TIME | NL_RO_PAIR_SAMPLE |
		NL_RO_QUIET | NL_RO_VERBOSE | NL_RO_COMMAND | NL_RO_OVERHEAD_BUDGET,
	.min_interval_ns = 10000000ULL,
	.interval_hint = " (at least 10ms; examples: 1s, 250ms)",
	.own_short = "o:",
	.own_long = record_own_options,
	.own = parse_own,
};

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct record_args *a, int argc, char **argv)
{
	int err;

	a->output = "netlat.data";
	a->argc = argc;
	a->argv = argv;
	err = nl_record_parse(&record_cmd, &a->cfg, a, argc, argv);
	if (err)
		return err;
	if (a->cfg.raw_metrics && !a->cfg.opts.raw_path) {
		nl_err("--raw-events needs --raw");
		return -EINVAL;
	}
	/* Said once here rather than once per metric by the collector. */
	if (a->cfg.opts.netns && !strcmp(a->cfg.collector, "tracefs")) {
		nl_err("--netns needs the bpf collector: tracefs events carry no network namespace");
		return -EINVAL;
	}
	return 0;
}

/* Each interval goes to the file as it is cut and leaves memory: a long recording stays small. */
static void stream_interval(struct nl_recording *rec, struct nl_interval *iv, void *arg)
{
	struct nl_rec_stream *s = arg;

	if (rec->niv == 0 || rec->iv[rec->niv - 1] != iv)
		return;		/* not the interval just cut: keep it for the final write */
	nl_rec_stream_add(s, iv);	/* an error is kept and reported by finish */
	nl_iv_free(iv);
	rec->niv--;
}

int cmd_record(int argc, char **argv)
{
	struct record_args a = { 0 };
	struct nl_recording *rec;
	struct nl_rec_stream *stream;
	size_t niv;
	bool raw_written;
	int err, run_err, cmd_exit;

	err = parse_args(&a, argc, argv);
	if (err > 0)
		print_usage(stdout);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_record_start(&a.cfg, a.output, ""))
		return NL_EXIT_USAGE;
	err = nl_rec_stream_open(&stream, a.output);
	if (err) {
		nl_err("cannot write '%s': %s", a.output, strerror(-err));
		return NL_EXIT_USAGE;
	}
	a.cfg.on_interval = stream_interval;
	a.cfg.on_interval_arg = stream;
	rec = nl_rec_new();
	run_err = nl_session_record(&a.cfg, rec, &cmd_exit);
	niv = nl_rec_stream_nintervals(stream) + rec->niv;
	if (run_err && !niv) {
		nl_rec_stream_abort(stream);
		nl_cleanup_run_all();
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	raw_written = a.cfg.opts.raw_path && access(a.cfg.opts.raw_path, R_OK) == 0;
	if (raw_written)
		nl_rec_set_meta(rec, "raw_file", a.cfg.opts.raw_path);
	/* even after an error mid-run, keep what was measured */
	err = nl_rec_stream_finish(stream, rec, a.output);
	nl_cleanup_run_all();
	nl_rec_free(rec);
	if (err) {
		nl_err("cannot write '%s': %s", a.output, strerror(-err));
		return NL_EXIT_USAGE;
	}
	if (!nl_quiet && nl_func_sample_note())
		fprintf(stderr, "netlat: %s\n", nl_func_sample_note());
	if (!nl_quiet)
		fprintf(stderr, "netlat: wrote %s (%zu intervals)\n", a.output, niv);
	if (raw_written && !nl_quiet)
		fprintf(stderr, "netlat: wrote raw events to %s (trace-cmd report %s)\n",
			a.cfg.opts.raw_path, a.cfg.opts.raw_path);
	if (cmd_exit >= 0 && !nl_quiet)
		fprintf(stderr, "netlat: command exited with %d\n", cmd_exit);
	return run_err ? NL_EXIT_USAGE : NL_EXIT_OK;
}
