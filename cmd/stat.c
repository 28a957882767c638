// SPDX-License-Identifier: GPL-2.0
/* netlat stat: run a command N times, one recording per run in one file, and show the spread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/netns.h"
#include "netlat/record_opts.h"
#include "netlat/session.h"
#include "netlat/stat.h"
#include "netlat/util.h"

#define STAT_MAX_RUNS 1000

static const char *const stat_usage[] = {
	"netlat stat [<options>] [-- <command> [<args>]]",
	"netlat stat -i <file> [--csv]",
	NULL,
};

struct stat_args {
	struct nl_session_cfg cfg;
	const char *output, *input;
	const char *base, *base_output;		/* --base: the interleaved baseline */
	unsigned int runs;
	bool csv;				/* -x */
	bool strict;				/* --match strict */
};

static int repeat_opt(const struct nl_opt *opt, const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || !arg[0] || arg[0] == '-' || n < 1 || n > STAT_MAX_RUNS) {
		nl_err("invalid repeat count '%s' (1 to 1000)", arg);
		return -EINVAL;
	}
	*(unsigned int *)opt->value = (unsigned int)n;
	return 0;
}

static int base_opt(const struct nl_opt *opt, const char *arg)
{
	if (!*arg) {
		nl_err("--base needs a command");
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static const char stat_epilog[] =
"\n For every metric, key and statistic (count, rate, p50, p99, p999, ratio): the\n"
" median across runs, min .. max and the relative standard deviation.\n"
" Exit status: 0, or 2 on an error or when the command failed in some run.\n\n";

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct stat_args *a, int argc, char **argv)
{
	struct nl_session_cfg *cfg = &a->cfg;
	const struct nl_opt opts[] = {
		NL_OPT_CALLBACK_ROW('r', "repeat", &a->runs, "<n>",
				    "run the command n times (default 5), each run recorded\n"
				    "separately into one file", repeat_opt),
		NL_OPT_STRING_ROW('o', "output", &a->output, "<file>",
				  "write the runs here (default netlat.data; an existing\n"
				  "file is kept as <file>.old)"),
		NL_OPT_STRING_ROW('i', "input", &a->input, "<file>",
				  "do not record: summarize the runs of an existing file"),
		NL_OPT_CALLBACK_ROW(0, "base", &a->base, "<cmd>",
				    "interleave: run this baseline command (through sh -c) before\n"
				    "each run of the command, A B A B ..., so drift of the machine\n"
				    "hits both alike; its runs go to --base-output", base_opt),
		NL_OPT_STRING_ROW(0, "base-output", &a->base_output, "<file>",
				  "where the baseline runs go (default base.data)"),
		NL_ROW_DURATION(cfg, "stop each run after this long (needed without a command)"),
		NL_ROW_INTERVAL(cfg, &nl_interval_file, "cut an interval this often (default 1s)"),
		NL_ROW_METRICS(&cfg->metrics, "metrics to record (default all)"),
		NL_ROW_COLLECTOR(cfg),
		NL_ROWS_FILTERS(cfg),
		NL_ROW_MATCH(&a->strict,
				    "summary rows keyed portable (default: netns by name,\n"
				    "qdisc by device+kind+parent, no pid, no client port)\n"
				    "or strict (keys exactly as recorded)"),
		NL_OPT_FLAG_ROW('x', "csv", &a->csv,
				"summary as CSV: metric,key,stat,statistic,unit,runs,\n"
				"median,min,max,mean,rsd_pct"),
		NL_ROW_QUIET("no progress lines"),
		NL_ROW_OVERHEAD_BUDGET(cfg),
		NL_ROW_VERBOSE,
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "stat", stat_usage, opts, NL_OPT_STOP_AT_ARG };
	int err;

	a->output = "netlat.data";
	a->base_output = "base.data";
	a->runs = 5;
	err = nl_record_parse(&cmd, cfg, argc, argv);
	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fputs(stat_epilog, stdout);
	}
	if (err)
		return err;
	if (a->base && (a->input || !cfg->command)) {
		nl_err("--base interleaves two commands: it needs -- CMD and no -i");
		return -EINVAL;
	}
	if (a->base && !strcmp(a->base_output, a->output)) {
		nl_err("--base-output and -o name the same file '%s'", a->output);
		return -EINVAL;
	}
	if (!a->input && !cfg->command && !cfg->opts.duration_ns) {
		nl_err("netlat stat needs a command (-- CMD ...) or -d DURATION for each run");
		return -EINVAL;
	}
	return 0;
}

static int summarize(const struct nl_recording *rec, enum nl_stat_format fmt, bool strict)
{
	struct nl_sampleset s;
	int err = nl_samples_build_match(rec, &s, strict);

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

static int summarize_file(const char *path, enum nl_stat_format fmt, bool strict)
{
	struct nl_recording *rec = NULL;
	char why[256] = "";
	int err = nl_rec_read(path, &rec, why, sizeof(why));

	if (err) {
		nl_err("cannot read '%s': %s", path, *why ? why : strerror(-err));
		return NL_EXIT_USAGE;
	}
	err = summarize(rec, fmt, strict);
	nl_rec_free(rec);
	return err;
}

/* One run of command into dst as run k: 0, 1 when it failed after measuring, -1 when nothing was. */
static int record_one(struct stat_args *a, char **command, struct nl_recording *dst, unsigned int k,
		      const char *what, bool *cmd_failed)
{
	struct nl_recording *one = nl_rec_new();
	char **saved = a->cfg.command;
	int err, cmd_exit;

	if (!nl_quiet)
		fprintf(stderr, "netlat: %srun %u of %u\n", what, k + 1, a->runs);
	a->cfg.run = k;
	a->cfg.command = command;
	err = nl_session_record(&a->cfg, one, &cmd_exit);
	a->cfg.command = saved;
	nl_notes_end(&a->cfg, one);
	nl_cleanup_run_all();
	if (err && !one->niv) {
		nl_rec_free(one);
		return -1;
	}
	nl_stat_add_run(dst, one, k);
	nl_rec_free(one);
	if (cmd_exit > 0) {
		nl_warn("%srun %u: the command exited with %d", what, k, cmd_exit);
		*cmd_failed = true;
	}
	return err ? 1 : 0;
}

/*
 * Record the runs into dst (and, with --base, the baseline's into base,
 * alternately: a shared machine's drift then lands on both sides alike).
 * Returns how many pairs or runs completed, or -1 when none could be.
 */
static int record_runs(struct stat_args *a, struct nl_recording *dst, struct nl_recording *base,
		       bool *cmd_failed)
{
	char *base_cmd[] = { "/bin/sh", "-c", (char *)a->base, NULL };
	unsigned int k;
	int e;

	for (k = 0; k < a->runs && !nl_stop_requested; k++) {
		if (base) {
			e = record_one(a, base_cmd, base, k, "base ", cmd_failed);
			if (e)
				return k ? (int)k : -1;
		}
		e = record_one(a, a->cfg.command, dst, k, base ? "new " : "", cmd_failed);
		if (e < 0)
			return k ? (int)k : -1;
		if (e)
			return (int)k + 1;
	}
	return (int)k;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args a = { 0 };
	struct nl_recording *rec, *base;
	bool cmd_failed = false;
	int done, err, ret;

	err = parse_args(&a, argc, argv);
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (a.input)
		return summarize_file(a.input, a.csv ? NL_STAT_CSV : NL_STAT_TEXT, a.strict);
	if (nl_record_start(&a.cfg, a.output, "") || nl_notes_begin(&a.cfg))
		return NL_EXIT_USAGE;
	rec = nl_rec_new();
	base = a.base ? nl_rec_new() : NULL;
	done = record_runs(&a, rec, base, &cmd_failed);
	if (done <= 0) {
		nl_rec_free(rec);
		nl_rec_free(base);
		return NL_EXIT_USAGE;
	}
	nl_stat_finish(rec, (uint32_t)done);
	if (base)
		nl_stat_finish(base, (uint32_t)done);
	if ((base && nl_record_save(base, a.base_output)) || nl_record_save(rec, a.output)) {
		nl_rec_free(rec);
		nl_rec_free(base);
		return NL_EXIT_USAGE;
	}
	if (base && !nl_quiet)
		fprintf(stderr, "netlat: wrote %s (the baseline, %d runs interleaved)\n", a.base_output, done);
	nl_rec_free(base);
	if (!nl_quiet)
		fprintf(stderr, "netlat: wrote %s (%d runs, %zu intervals)\n", a.output, done, rec->niv);
	ret = summarize(rec, a.csv ? NL_STAT_CSV : NL_STAT_TEXT, a.strict);
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
