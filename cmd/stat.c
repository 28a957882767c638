// SPDX-License-Identifier: GPL-2.0
/* netlat stat: run a command N times, one recording per run in one file, and show the spread. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/record_opts.h"
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
"        --overhead-budget <pct>\n"
"                            netlat's BPF programs may take this % of the\n"
"                            recorded CPUs (default 1); over it, per-skb pairing\n"
"                            is sampled 1 in N (0 = no limit)\n"
"    -v, --verbose           say which backend each metric got\n"
"\n For every metric, key and statistic (count, rate, p50, p99, p999, ratio): the\n"
" median across runs, min .. max and the relative standard deviation.\n"
" Exit status: 0, or 2 on an error or when the command failed in some run.\n\n";

static const struct option stat_own_options[] = {
	{ "repeat", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "input", required_argument, NULL, 'i' },
	{ "csv", no_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 },
};

struct stat_args {
	struct nl_session_cfg cfg;
	const char *output, *input;
	unsigned int runs;
	enum nl_stat_format fmt;
};

static int parse_own(void *ctx, int c, const char *arg)
{
	struct stat_args *a = ctx;
	char *end;
	unsigned long n;

	switch (c) {
	case 'r':
		errno = 0;
		n = strtoul(arg, &end, 10);
		if (errno || *end || !arg[0] || n < 1 || n > STAT_MAX_RUNS) {
			nl_err("invalid repeat count '%s' (1 to 1000)", arg);
			return -EINVAL;
		}
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
	}
	return -EINVAL;
}

static const struct nl_record_cmd stat_cmd = {
	.name = "stat",
	.opts = NL_RO_DURATION | NL_RO_INTERVAL | NL_RO_METRICS | NL_RO_CPU | NL_RO_COLLECTOR |
		NL_RO_DEV | NL_RO_QUIET | NL_RO_VERBOSE | NL_RO_COMMAND | NL_RO_OVERHEAD_BUDGET,
	.style = NL_RS_STAT,
	.min_interval_ns = 10000000ULL,
	.interval_hint = " (at least 10ms)",
	.own_short = "r:o:i:x",
	.own_long = stat_own_options,
	.own = parse_own,
};

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct stat_args *a, int argc, char **argv)
{
	int err;

	a->output = "netlat.data";
	a->runs = 5;
	err = nl_record_parse(&stat_cmd, &a->cfg, a, argc, argv);
	if (err)
		return err;
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

int cmd_stat(int argc, char **argv)
{
	struct stat_args a = { 0 };
	struct nl_recording *rec;
	bool cmd_failed = false;
	int done, err, ret;

	err = parse_args(&a, argc, argv);
	if (err > 0)
		fputs(stat_usage, stdout);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (a.input)
		return summarize_file(a.input, a.fmt);
	if (nl_record_start(&a.cfg, a.output, ""))
		return NL_EXIT_USAGE;
	rec = nl_rec_new();
	done = record_runs(&a, rec, &cmd_failed);
	if (done <= 0) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	nl_stat_finish(rec, (uint32_t)done);
	if (nl_record_save(rec, a.output)) {
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
