// SPDX-License-Identifier: GPL-2.0
/* netlat stat: run a command N times, one recording per run in one file, and show the spread. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/metric.h"
#include "netlat/privs.h"
#include "netlat/session.h"
#include "netlat/stat.h"
#include "netlat/util.h"

#define STAT_MAX_RUNS 1000

static const char stat_usage[] =
"\n usage: netlat stat [<options>] [-- <command> [<args>]]\n"
"        netlat stat -i <file> [--csv]\n\n"
"    -r, --repeat <n>        run the command n times (default 5), each run recorded\n"
"                            separately into one file\n"
"    -o, --output <file>     write the runs here (default netlat.data; an existing\n"
"                            file is kept as <file>.old)\n"
"    -i, --input <file>      do not record: summarize the runs of an existing file\n"
"    -d, --duration <time>   stop each run after this long (needed without a command)\n"
"    -I, --interval <time>   cut an interval this often (default 1s)\n"
"    -m, --metrics <list>    metrics to record (default all)\n"
"    -C, --cpu <cpus>        only these CPUs, e.g. 0-3,6\n"
"        --collector <c>     auto (default), bpf or tracefs\n"
"        --dev <iface>       only this network device\n"
"    -x, --csv               summary as CSV: metric,key,stat,statistic,unit,runs,\n"
"                            median,min,max,mean,rsd_pct\n"
"    -q, --quiet             no progress lines\n"
"    -v, --verbose           say which backend each metric got\n"
"\n For every metric, key and statistic (count, rate, p50, p99, p999, ratio): the\n"
" median across runs, min .. max and the relative standard deviation.\n"
" Exit status: 0, or 2 on an error or when the command failed in some run.\n\n";

enum { OPT_COLLECTOR = 256, OPT_DEV };

static const struct option stat_options[] = {
	{ "repeat", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "input", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, 'd' },
	{ "interval", required_argument, NULL, 'I' },
	{ "metrics", required_argument, NULL, 'm' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "collector", required_argument, NULL, OPT_COLLECTOR },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "csv", no_argument, NULL, 'x' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct stat_args {
	struct nl_session_cfg cfg;
	const char *output, *input;
	unsigned int runs;
	enum nl_stat_format fmt;
};

/* One line naming the option and the value it did not take; -EINVAL. */
static int bad_value(const char *what, const char *arg, const char *hint)
{
	nl_err("invalid %s '%s'%s", what, arg, hint);
	return -EINVAL;
}

/* The options stat shares with record: they configure each run's session. */
static int parse_session_opt(struct stat_args *a, int c, const char *arg)
{
	struct nl_record_opts *o = &a->cfg.opts;
	char bad[NL_NAME_MAX];

	switch (c) {
	case 'd':
		if (nl_parse_duration_ns(arg, &o->duration_ns) || !o->duration_ns)
			return bad_value("duration", arg, " (examples: 10s, 500ms, 2m)");
		return 0;
	case 'I':
		if (nl_parse_duration_ns(arg, &o->interval_ns) || o->interval_ns < 10000000ULL)
			return bad_value("interval", arg, " (at least 10ms)");
		return 0;
	case 'm':
		if (nl_metric_list_check(arg, bad, sizeof(bad)))
			return bad_value("metric", bad, " (see 'netlat record --help')");
		a->cfg.metrics = arg;
		return 0;
	case 'C':
		if (nl_parse_cpulist(arg, o->cpumask, NL_MAX_CPUS / 64))
			return bad_value("CPU list", arg, "");
		o->cpus_set = true;
		return 0;
	case OPT_COLLECTOR:
		if (strcmp(arg, "auto") && strcmp(arg, "bpf") && strcmp(arg, "tracefs"))
			return bad_value("collector", arg, " (auto, bpf or tracefs)");
		a->cfg.collector = arg;
		return 0;
	case OPT_DEV:
		if (!arg[0] || strlen(arg) >= sizeof(o->dev) || strpbrk(arg, " ,/"))
			return bad_value("device name", arg, "");
		snprintf(o->dev, sizeof(o->dev), "%s", arg);
		return 0;
	}
	return -EINVAL;
}

static int parse_one(struct stat_args *a, int c, const char *arg)
{
	char *end;
	unsigned long n;

	switch (c) {
	case 'r':
		errno = 0;
		n = strtoul(arg, &end, 10);
		if (errno || *end || !arg[0] || n < 1 || n > STAT_MAX_RUNS)
			return bad_value("repeat count", arg, " (1 to 1000)");
		a->runs = (unsigned int)n;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case 'i':
		a->input = arg;
		return 0;
	case 'x':
		a->fmt = NL_STAT_CSV;
		return 0;
	case 'q':
		nl_quiet = 1;
		return 0;
	case 'v':
		nl_verbose++;
		return 0;
	}
	return parse_session_opt(a, c, arg);
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct stat_args *a, int argc, char **argv)
{
	int c, err;

	a->output = "netlat.data";
	a->runs = 5;
	a->cfg.collector = "auto";
	a->cfg.opts.interval_ns = 1000000000ULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:o:i:d:I:m:C:xqvh", stat_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(stat_usage, stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			nl_err("unknown or incomplete option '%s' (see 'netlat stat --help')",
			       argv[optind - 1]);
			return -EINVAL;
		}
		err = parse_one(a, c, optarg);
		if (err)
			return err;
	}
	if (optind < argc)
		a->cfg.command = argv + optind;
	if (!a->input && !a->cfg.command && !a->cfg.opts.duration_ns) {
		nl_err("netlat stat needs a command (-- CMD ...) or -d DURATION for each run");
		return -EINVAL;
	}
	return 0;
}

static int summarize(const struct nl_recording *rec, enum nl_stat_format fmt)
{
	struct nl_sampleset s;
	int err = nl_samples_build(rec, &s);

	if (err) {
		nl_err("the recording holds no run to summarize");
		return NL_EXIT_USAGE;
	}
	err = nl_stat_print(stdout, rec, &s, fmt);
	nl_samples_free(&s);
	if (err) {
		nl_err("cannot write the summary: %s", strerror(-err));
		return NL_EXIT_USAGE;
	}
	return NL_EXIT_OK;
}

static int summarize_file(const char *path, enum nl_stat_format fmt)
{
	struct nl_recording *rec = NULL;
	char why[256] = "";
	int err = nl_rec_read(path, &rec, why, sizeof(why));

	if (err) {
		nl_err("cannot read '%s': %s", path, *why ? why : strerror(-err));
		return NL_EXIT_USAGE;
	}
	err = summarize(rec, fmt);
	nl_rec_free(rec);
	return err;
}

/* Record the runs into dst; returns how many completed, or -1 when none could be. */
static int record_runs(struct stat_args *a, struct nl_recording *dst, bool *cmd_failed)
{
	unsigned int k;

	for (k = 0; k < a->runs && !nl_stop_requested; k++) {
		struct nl_recording *one = nl_rec_new();
		int err, cmd_exit;

		if (!nl_quiet)
			fprintf(stderr, "netlat: run %u of %u\n", k + 1, a->runs);
		a->cfg.run = k;
		err = nl_session_record(&a->cfg, one, &cmd_exit);
		nl_cleanup_run_all();
		if (err && !one->niv) {
			nl_rec_free(one);
			return k ? (int)k : -1;
		}
		nl_stat_add_run(dst, one, k);
		nl_rec_free(one);
		if (cmd_exit > 0) {
			nl_warn("run %u: the command exited with %d", k, cmd_exit);
			*cmd_failed = true;
		}
		if (err)
			return (int)k + 1;
	}
	return (int)k;
}

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

int cmd_stat(int argc, char **argv)
{
	struct stat_args a = { 0 };
	struct nl_recording *rec;
	bool cmd_failed = false;
	char missing[256];
	int done, err, ret;

	err = parse_args(&a, argc, argv);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (a.input)
		return summarize_file(a.input, a.fmt);
	if (nl_privs_check(missing, sizeof(missing))) {
		nl_err("recording needs privileges this process lacks: %s", missing);
		return NL_EXIT_USAGE;
	}
	if (check_output(a.output))
		return NL_EXIT_USAGE;
	a.cfg.status_line = !nl_quiet && isatty(STDERR_FILENO);
	nl_signals_install();
	rec = nl_rec_new();
	done = record_runs(&a, rec, &cmd_failed);
	if (done <= 0) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	nl_stat_finish(rec, (uint32_t)done);
	err = nl_rec_backup_old(a.output);
	if (!err)
		err = nl_rec_write(rec, a.output);
	if (err) {
		nl_err("cannot write '%s': %s", a.output, strerror(-err));
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	if (!nl_quiet)
		fprintf(stderr, "netlat: wrote %s (%d runs, %zu intervals)\n", a.output, done, rec->niv);
	ret = summarize(rec, a.fmt);
	nl_rec_free(rec);
	if (ret == NL_EXIT_OK && ((unsigned int)done < a.runs || cmd_failed)) {
		if ((unsigned int)done < a.runs)
			nl_err("only %d of %u runs completed", done, a.runs);
		else
			nl_err("the command failed in at least one run (see the warnings above)");
		ret = NL_EXIT_USAGE;
	}
	return ret;
}
