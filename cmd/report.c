// SPDX-License-Identifier: GPL-2.0
/* netlat report: options only; reading is src/recfile.c, rendering src/report_*.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/report.h"
#include "netlat/util.h"

static void usage(FILE *f)
{
	fprintf(f,
		"\n usage: netlat report [<options>]\n\n"
		"    -i, --input <file>     input file name (default: netlat.data)\n"
		"        --format <fmt>     text (default), json or csv\n"
		"    -m, --metrics <list>   only these metrics, comma-separated (default: all recorded)\n"
		"        --intervals        also show every interval, not only the totals\n"
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

enum { OPT_FORMAT = 256, OPT_INTERVALS };

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "metrics", required_argument, NULL, 'm' },
	{ "intervals", no_argument, NULL, OPT_INTERVALS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* 0 to go on, 1 for --help, -EINVAL on bad usage (already reported). */
static int parse_args(int argc, char **argv, const char **input, struct nl_report_opts *o)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:m:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			*input = optarg;
			break;
		case OPT_FORMAT:
			if (nl_report_format_parse(optarg, &o->format)) {
				nl_err("unknown format '%s' (known: text, json, csv)", optarg);
				return -EINVAL;
			}
			break;
		case 'm':
			if (check_metrics(optarg))
				return -EINVAL;
			o->metrics = optarg;
			break;
		case OPT_INTERVALS:
			o->intervals = true;
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
	return 0;
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
	ret = nl_rec_read(input, &rec, err, sizeof(err));
	if (ret) {
		nl_err("cannot read '%s': %s", input, *err ? err : strerror(-ret));
		return NL_EXIT_USAGE;
	}
	ret = nl_report_render(stdout, rec, &o);
	nl_rec_free(rec);
	if (ret) {
		nl_err("cannot write the report: %s", strerror(-ret));
		return NL_EXIT_USAGE;
	}
	return NL_EXIT_OK;
}
