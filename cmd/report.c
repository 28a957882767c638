// SPDX-License-Identifier: GPL-2.0
/* netlat report: options only; reading is src/recfile.c, rendering src/report_*.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/metric.h"
#include "netlat/plot.h"
#include "netlat/recording.h"
#include "netlat/report.h"
#include "netlat/stat.h"
#include "netlat/util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"\n usage: netlat report [<options>]\n\n"
		"    -i, --input <file>     input file name (default: netlat.data)\n"
		"        --format <fmt>     text (default), json or csv\n"
		"    -m, --metrics <list>   only these metrics, comma-separated (default: all recorded)\n"
		"        --full             every table and histogram (text; the default is a one-screen\n"
		"                           summary: ladders, one line per metric, triage findings)\n"
		"    -v, --verbose          the same as --full\n"
		"        --sort <key>       summary rows by p99 (default), p50, count or name\n"
		"        --top <n>          summary: rows per metric and ladder devices (default 3)\n"
		"        --intervals        also show every interval, not only the totals (implies --full)\n"
		"        --run <k>          only run k (0-based) of a 'netlat stat' file\n"
		"        --plot <dir>       write charts into dir (gnuplot .gp + .dat, and the image)\n"
		"        --plot-format <f>  png (default) or svg\n"
		"        --html <file>      one self-contained HTML page: charts, tables, metadata\n"
		"    -h, --help             show this help\n\n"
		" metrics:");
	for (size_t i = 0; i < nl_nmetrics; i++)
		fprintf(f, "%s %s", i ? "," : "", nl_metrics[i].name);
	fprintf(f, "\n\n");
}

/* "napi, softirq, gro, ..." for the unknown-metric message. */
static void known_metrics(char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nl_nmetrics && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", nl_metrics[i].name);
}

static int check_metrics(const char *list)
{
	char bad[NL_NAME_MAX * 2], known[256];

	if (!nl_metric_list_check(list, bad, sizeof(bad)))
		return 0;
	known_metrics(known, sizeof(known));
	nl_err("unknown metric '%s' (known: %s)", bad, known);
	return -EINVAL;
}

enum { OPT_FORMAT = 256, OPT_INTERVALS, OPT_RUN, OPT_PLOT, OPT_PLOT_FORMAT, OPT_HTML, OPT_FULL, OPT_SORT,
       OPT_TOP };

/* Charts and the HTML page; text/JSON/CSV still go to stdout when --format is given too. */
static struct nl_plot_opts plot_opts;
static const char *html_out;
static bool format_given, plot_format_given;

/* --run K: -1 shows every run (stat files) */
static long report_run = -1;

static int parse_run(const char *arg)
{
	char *end;

	errno = 0;
	report_run = strtol(arg, &end, 10);
	if (errno || *end || !*arg || report_run < 0 || report_run > UINT32_MAX) {
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

static int parse_top(const char *arg, unsigned int *top)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || *arg == '-' || v < 1 || v > 1000) {
		nl_err("invalid --top '%s' (1 to 1000)", arg);
		return -EINVAL;
	}
	*top = (unsigned int)v;
	return 0;
}

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "metrics", required_argument, NULL, 'm' },
	{ "intervals", no_argument, NULL, OPT_INTERVALS },
	{ "run", required_argument, NULL, OPT_RUN },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "plot-format", required_argument, NULL, OPT_PLOT_FORMAT },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* 0 to go on, 1 for --help, -EINVAL on bad usage (already reported). */
static int parse_args(int argc, char **argv, const char **input, struct nl_report_opts *o)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:m:vh", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FULL:
		case 'v':
			o->full = true;
			break;
		case OPT_SORT:
			if (nl_report_sort_check(optarg)) {
				nl_err("unknown sort key '%s' (known: p99, p50, count, name)", optarg);
				return -EINVAL;
			}
			o->sort = optarg;
			break;
		case OPT_TOP:
			if (parse_top(optarg, &o->top))
				return -EINVAL;
			break;
		case 'i':
			*input = optarg;
			break;
		case OPT_FORMAT:
			if (nl_report_format_parse(optarg, &o->format)) {
				nl_err("unknown format '%s' (known: text, json, csv)", optarg);
				return -EINVAL;
			}
			format_given = true;
			break;
		case OPT_PLOT:
			plot_opts.dir = optarg;
			break;
		case OPT_PLOT_FORMAT:
			if (nl_plot_format_parse(optarg, &plot_opts.format)) {
				nl_err("unknown plot format '%s' (known: png, svg)", optarg);
				return -EINVAL;
			}
			plot_format_given = true;
			break;
		case OPT_HTML:
			html_out = optarg;
			break;
		case 'm':
			if (check_metrics(optarg))
				return -EINVAL;
			o->metrics = optarg;
			break;
		case OPT_INTERVALS:
			o->intervals = true;
			break;
		case OPT_RUN:
			if (parse_run(optarg))
				return -EINVAL;
			break;
		case 'h':
			return 1;
		case ':':
			nl_err("option '%s' needs a value. See 'netlat report --help'.", argv[optind - 1]);
			return -EINVAL;
		default:
			if (optopt)
				nl_err("unknown option '-%c'. See 'netlat report --help'.", optopt);
			else
				nl_err("unknown option '%s'. See 'netlat report --help'.", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		nl_err("unexpected argument '%s'. See 'netlat report --help'.", argv[optind]);
		return -EINVAL;
	}
	if (plot_format_given && !plot_opts.dir) {
		nl_err("--plot-format needs --plot <dir>. See 'netlat report --help'.");
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
	if (ret == 1) {
		usage(stdout);
		return NL_EXIT_OK;
	}
	if (ret)
		return NL_EXIT_USAGE;
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
