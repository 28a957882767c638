// SPDX-License-Identifier: GPL-2.0
/* netlat record: arm probes, aggregate, write one recording file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/metric.h"
#include "netlat/netns.h"
#include "netlat/record_opts.h"
#include "netlat/session.h"
#include "netlat/util.h"

static const char *const record_usage[] = {
	"netlat record [<options>] [-- <command> [<args>]]",
	NULL,
};

struct record_args {
	struct nl_session_cfg cfg;
	const char *output;
};

static int raw_opt(const struct nl_opt *opt, const char *arg)
{
	*(const char **)opt->value = arg ? arg : "trace.dat";
	return 0;
}

static int raw_events_opt(const struct nl_opt *opt, const char *arg)
{
	char bad[64];

	if (nl_metric_list_check(arg, bad, sizeof(bad))) {
		nl_err("unknown metric '%s' in --raw-events", bad);
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static void print_epilog(FILE *f)
{
	fprintf(f, "\n metrics:");
	for (size_t i = 0; i < nl_nmetrics; i++)
		fprintf(f, "%s %s%s", i ? "," : "", nl_metrics[i]->name, nl_metrics[i]->opt_in ? " (only with -m)" : "");
	fprintf(f, "\n\n With a command, records until it exits and stores its exit code.\n"
		   " Without one, records until -d elapses or Ctrl-C.\n\n");
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct record_args *a, int argc, char **argv)
{
	struct nl_session_cfg *cfg = &a->cfg;
	const struct nl_opt opts[] = {
		NL_OPT_STRING_ROW('o', "output", &a->output, "<file>",
				  "write the recording here (default netlat.data; an\n"
				  "existing file is kept as <file>.old)"),
		NL_ROW_ALL_CPUS,
		NL_ROW_DURATION(cfg, "stop after this long: 10s, 500ms, 2m"),
		NL_ROW_INTERVAL(cfg, &nl_interval_file, "cut an interval this often (default 1s)"),
		NL_ROW_METRICS(&cfg->metrics, "metrics to record (default all, listed below)"),
		NL_ROW_COLLECTOR(cfg),
		NL_ROWS_FILTERS(cfg),
		NL_ROW_BUFFER_KB(cfg),
		NL_ROW_FUNC,
		NL_ROW_PROBE,
		NL_ROW_SYSCALL_TIME(cfg),
		NL_ROW_PAIR_SAMPLE(cfg),
		NL_ROW_SAMPLE_FREQ,
		{ .type = NL_OPT_CALLBACK, .long_name = "raw", .value = &cfg->opts.raw_path,
		  .argh = "<file>", .flags = NL_OPTF_OPTARG, .cb = raw_opt,
		  .help = "also write the raw tracepoint records as a trace.dat\n"
			  "for trace-cmd report / KernelShark (default trace.dat;\n"
			  "an existing file is kept as <file>.old)" },
		NL_OPT_CALLBACK_ROW(0, "raw-events", &cfg->raw_metrics, "<list>",
				    "metrics whose tracepoints go to the raw file (default\n"
				    "all armed); with bpf a tracefs instance runs beside it", raw_events_opt),
		NL_ROW_QUIET("no status line"),
		NL_ROW_OVERHEAD_BUDGET(cfg),
		NL_ROW_VERBOSE,
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "record", record_usage, opts, NL_OPT_STOP_AT_ARG };
	int err;

	a->output = "netlat.data";
	err = nl_record_parse(&cmd, cfg, argc, argv);
	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		print_epilog(stdout);
	}
	if (err)
		return err;
	if (cfg->raw_metrics && !cfg->opts.raw_path) {
		nl_err("--raw-events needs --raw");
		return -EINVAL;
	}
	return 0;
}

static const struct nl_session_cfg *record_cfg;

/* Each interval goes to the file as it is cut and leaves memory: a long recording stays small. */
static void stream_interval(struct nl_recording *rec, struct nl_interval *iv, void *arg)
{
	struct nl_rec_stream *s = arg;

	if (rec->niv == 0 || rec->iv[rec->niv - 1] != iv)
		return;		/* not the interval just cut: keep it for the final write */
	nl_notes_iv(record_cfg, iv);
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
	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_record_start(&a.cfg, a.output, "") || nl_notes_begin(&a.cfg))
		return NL_EXIT_USAGE;
	record_cfg = &a.cfg;
	err = nl_rec_stream_open(&stream, a.output);
	if (err) {
		nl_err("cannot write '%s': %s", a.output, strerror(-err));
		return NL_EXIT_USAGE;
	}
	a.cfg.on_interval = stream_interval;
	a.cfg.on_interval_arg = stream;
	rec = nl_rec_new();
	run_err = nl_session_record(&a.cfg, rec, &cmd_exit);
	nl_notes_end(&a.cfg, rec);
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
