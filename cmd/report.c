// SPDX-License-Identifier: GPL-2.0
/* netlat report: options only; reading is src/recfile.c, rendering src/report_*.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/metric.h"
#include "netlat/plot.h"
#include "netlat/record_opts.h"
#include "netlat/recording.h"
#include "netlat/report.h"
#include "netlat/stat.h"
#include "netlat/util.h"

static const char *const report_usage[] = { "netlat report [<options>]", NULL };

/* Charts and the HTML page; text/JSON/CSV still go to stdout when --format is given too. */
static struct nl_plot_opts plot_opts;
static const char *html_out;
static bool format_given, plot_format_given;

/* --run K: -1 shows every run (stat files) */
static long report_run = -1;

static int run_opt(const struct nl_opt *opt, const char *arg)
{
	long *run = opt->value;
	char *end;

	errno = 0;
	*run = strtol(arg, &end, 10);
	if (errno || *end || !*arg || *run < 0 || *run > UINT32_MAX) {
		nl_err("invalid run '%s' (a run index: 0, 1, ...)", arg);
		return -EINVAL;
	}
	return 0;
}

/* Drop every other run; the renderers then see a one-run recording. */
static int keep_run(struct nl_recording *rec, const char *input)
{
	if (report_run < 0)
		return 0;
	if (nl_stat_keep_run(rec, (uint32_t)report_run)) {
		nl_err("'%s' has no run %ld (it holds %u)", input, report_run, nl_rec_nruns(rec));
		return -ENOENT;
	}
	return 0;
}

static int top_opt(const struct nl_opt *opt, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || *arg == '-' || v < 1 || v > 1000) {
		nl_err("invalid --top '%s' (1 to 1000)", arg);
		return -EINVAL;
	}
	*(unsigned int *)opt->value = (unsigned int)v;
	return 0;
}

static int sort_opt(const struct nl_opt *opt, const char *arg)
{
	if (nl_report_sort_check(arg)) {
		nl_err("unknown sort key '%s' (known: p99, p50, count, name)", arg);
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static int format_opt(const struct nl_opt *opt, const char *arg)
{
	if (nl_report_format_parse(arg, opt->value)) {
		nl_err("unknown format '%s' (known: text, json, csv)", arg);
		return -EINVAL;
	}
	format_given = true;
	return 0;
}

static int plot_format_opt(const struct nl_opt *opt, const char *arg)
{
	if (nl_plot_format_parse(arg, opt->value)) {
		nl_err("unknown plot format '%s' (known: png, svg)", arg);
		return -EINVAL;
	}
	plot_format_given = true;
	return 0;
}

/* 0 to go on, 1 for --help, -EINVAL on bad usage (already reported). */
static int parse_args(int argc, char **argv, const char **input, struct nl_report_opts *o)
{
	const struct nl_opt opts[] = {
		NL_OPT_STRING_ROW('i', "input", input, "<file>", "input file name (default: netlat.data)"),
		NL_OPT_CALLBACK_ROW(0, "format", &o->format, "<fmt>", "text (default), json or csv", format_opt),
		NL_ROW_METRICS(&o->metrics, "only these metrics, comma-separated (default: all recorded)"),
		NL_OPT_FLAG_ROW(0, "full", &o->full,
				"every table and histogram (text; the default is a one-screen\n"
				"summary: ladders, one line per metric, triage findings)"),
		NL_OPT_FLAG_ROW('v', "verbose", &o->full, "the same as --full"),
		NL_OPT_CALLBACK_ROW(0, "sort", &o->sort, "<key>",
				    "summary rows by p99 (default), p50, count or name", sort_opt),
		NL_OPT_CALLBACK_ROW(0, "top", &o->top, "<n>",
				    "summary: rows per metric and ladder devices (default 3)", top_opt),
		NL_OPT_FLAG_ROW(0, "intervals", &o->intervals,
				"also show every interval, not only the totals (implies --full)"),
		NL_OPT_CALLBACK_ROW(0, "run", &report_run, "<k>",
				    "only run k (0-based) of a 'netlat stat' file", run_opt),
		NL_OPT_STRING_ROW(0, "plot", &plot_opts.dir, "<dir>",
				  "write charts into dir (gnuplot .gp + .dat, and the image)"),
		NL_OPT_CALLBACK_ROW(0, "plot-format", &plot_opts.format, "<f>", "png (default) or svg",
				    plot_format_opt),
		NL_OPT_STRING_ROW(0, "html", &html_out, "<file>",
				  "one self-contained HTML page: charts, tables, metadata"),
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "report", report_usage, opts, 0 };
	int next, err = nl_opt_parse(&cmd, argc, argv, &next);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fprintf(stdout, "\n metrics:");
		for (size_t i = 0; i < nl_nmetrics; i++)
			fprintf(stdout, "%s %s", i ? "," : "", nl_metrics[i]->name);
		fprintf(stdout, "\n\n");
	}
	if (err)
		return err;
	if (next < argc) {
		nl_err("unexpected argument '%s' (see 'netlat report --help')", argv[next]);
		return -EINVAL;
	}
	if (plot_format_given && !plot_opts.dir) {
		nl_err("--plot-format needs --plot <dir> (see 'netlat report --help')");
		return -EINVAL;
	}
	return 0;
}

/* --plot and --html (src/plot*.c, src/html_*.c); 0 or an exit code. */
static int write_charts(const struct nl_recording *rec, const struct nl_report_opts *o)
{
	char gnuplot[4096];
	bool have = !nl_plot_find_gnuplot(gnuplot, sizeof(gnuplot));
	FILE *f;
	int err;

	plot_opts.metrics = o->metrics;
	if (plot_opts.dir && nl_plot_write(rec, &plot_opts, NULL))
		return NL_EXIT_USAGE;
	if (!html_out)
		return NL_EXIT_OK;
	if (!have)
		nl_warn("the HTML page has no charts: %s", NL_PLOT_NO_GNUPLOT);
	f = fopen(html_out, "w");
	if (!f) {
		nl_err("cannot write '%s': %s", html_out, strerror(errno));
		return NL_EXIT_USAGE;
	}
	err = nl_html_write(f, rec, o, have);
	if (fclose(f) && !err)
		err = -EIO;
	if (err) {
		nl_err("cannot write the HTML page '%s': %s", html_out, strerror(-err));
		return NL_EXIT_USAGE;
	}
	return NL_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	struct nl_report_opts o = { .format = NL_REPORT_TEXT };
	const char *input = "netlat.data";
	struct nl_recording *rec = NULL;
	char err[256] = "";
	int ret;

	ret = parse_args(argc, argv, &input, &o);
	if (ret)
		return ret > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	/* No gnuplot, no charts: say so before reading anything. */
	if (plot_opts.dir && nl_plot_find_gnuplot(err, sizeof(err))) {
		nl_err("--plot: %s", NL_PLOT_NO_GNUPLOT);
		return NL_EXIT_USAGE;
	}
	o.input = input;
	ret = nl_rec_read(input, &rec, err, sizeof(err));
	if (ret) {
		nl_err("cannot read '%s': %s", input, *err ? err : strerror(-ret));
		return NL_EXIT_USAGE;
	}
	if (keep_run(rec, input)) {
		nl_rec_free(rec);
		return NL_EXIT_USAGE;
	}
	if (plot_opts.dir || html_out) {
		ret = write_charts(rec, &o);
		if (ret || !format_given) {
			nl_rec_free(rec);
			return ret;
		}
	}
	ret = nl_report_render(stdout, rec, &o);
	nl_rec_free(rec);
	if (ret) {
		nl_err("cannot write the report: %s", strerror(-ret));
		return NL_EXIT_USAGE;
	}
	return NL_EXIT_OK;
}
