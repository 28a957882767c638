// SPDX-License-Identifier: GPL-2.0
/* netlat diff: options only; the comparison is src/diff_*.c. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/util.h"

static const char diff_usage[] =
"\n usage: netlat diff [<options>] BASE NEW\n\n"
"    -t, --threshold <spec>    METRIC.STAT[.STATISTIC]=VALUE, repeatable; later ones win.\n"
"                              VALUE: +10% (an increase beyond 10% is a regression),\n"
"                              -5% (a decrease), +0 (any increase), off. '*' matches\n"
"                              within a part: '*.*.p99=+15%', 'napi.budget_exhausted=+0'\n"
"        --thresholds <file>   one spec per line, '#' comments\n"
"        --format <fmt>        text (default), json, junit or markdown\n"
"    -o, --output <file>       write the comparison here instead of stdout\n"
"    -m, --metrics <list>      compare only these metrics (default: all in both files)\n"
"        --match <how>         portable (default): rows match across namespaces and hosts\n"
"                              (netns by name, qdisc by device, kind and parent, no pids,\n"
"                              no client ports); strict: keys exactly as recorded\n"
"        --calibrate           BASE and NEW are the same build twice (A/A): write each\n"
"                              statistic's noise floor instead of a verdict\n"
"        --noise <file>        floors from --calibrate: a change within its floor is noise\n"
"\n Statistics: count, rate (per second of run), p50, p99, p999, ratio.\n"
" Default thresholds (used where no spec matches), the gate: every ns histogram\n"
" p50 +10%, p99 +20%; napi budget_exhausted_ratio +10%, time_squeeze and dropped\n"
" rates +10%; drops rate +10%; gro.ratio -5%; gso.segs_per_xmit -5%. p999 +30% is\n"
" reported ('worse'), not gated, unless -t names it. The gated statistics are tested\n"
" together at a false discovery rate of 5% (Benjamini-Hochberg). See docs/diff.md.\n"
"\n Exit status: 0 nothing regressed beyond a threshold, 1 at least one regression,\n"
" 2 an error (unreadable or corrupt file, nothing in common, different units).\n\n";

enum { OPT_THRESHOLDS = 256, OPT_FORMAT, OPT_MATCH, OPT_CALIBRATE, OPT_NOISE };

static const struct option diff_options[] = {
	{ "threshold", required_argument, NULL, 't' },
	{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "metrics", required_argument, NULL, 'm' },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ "calibrate", no_argument, NULL, OPT_CALIBRATE },
	{ "noise", required_argument, NULL, OPT_NOISE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct diff_args {
	struct nl_thresholds th;
	enum nl_diff_format fmt;
	const char *output;
	const char *metrics;
	const char *base, *new;
	bool strict, calibrate;
	struct nl_noise noise;
	bool have_noise;
};

static int parse_one(struct diff_args *a, int c, const char *arg)
{
	char why[256];

	switch (c) {
	case 't':
		if (nl_thresholds_add(&a->th, arg, "--threshold", why, sizeof(why))) {
			nl_err("%s", why);
			return -EINVAL;
		}
		return 0;
	case OPT_THRESHOLDS:
		if (nl_thresholds_load(&a->th, arg, why, sizeof(why))) {
			nl_err("%s", why);
			return -EINVAL;
		}
		return 0;
	case OPT_FORMAT:
		if (nl_diff_format_parse(arg, &a->fmt)) {
			nl_err("unknown format '%s' (known: text, json, junit, markdown)", arg);
			return -EINVAL;
		}
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case OPT_MATCH:
		if (strcmp(arg, "strict") && strcmp(arg, "portable")) {
			nl_err("unknown match '%s' (known: portable, strict)", arg);
			return -EINVAL;
		}
		a->strict = !strcmp(arg, "strict");
		return 0;
	case OPT_CALIBRATE:
		a->calibrate = true;
		return 0;
	case OPT_NOISE:
		nl_noise_free(&a->noise);
		if (nl_noise_load(&a->noise, arg, why, sizeof(why))) {
			nl_err("%s", why);
			return -EINVAL;
		}
		a->have_noise = true;
		return 0;
	case 'm':
		if (nl_metric_list_check(arg, why, sizeof(why))) {
			nl_err("unknown metric '%s' (see 'netlat record --help')", why);
			return -EINVAL;
		}
		a->metrics = arg;
		return 0;
	}
	return -EINVAL;
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct diff_args *a, int argc, char **argv)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:o:m:h", diff_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(diff_usage, stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			nl_err("unknown or incomplete option '%s'. See 'netlat diff --help'.",
			       argv[optind - 1]);
			return -EINVAL;
		}
		if (parse_one(a, c, optarg))
			return -EINVAL;
	}
	if (argc - optind != 2) {
		nl_err("netlat diff needs two recordings, BASE and NEW. See 'netlat diff --help'.");
		return -EINVAL;
	}
	a->base = argv[optind];
	a->new = argv[optind + 1];
	return 0;
}

static struct nl_recording *load(const char *path, const char *role)
{
	struct nl_recording *rec = NULL;
	char why[256] = "";
	int err = nl_rec_read(path, &rec, why, sizeof(why));

	if (err) {
		nl_err("cannot read %s '%s': %s", role, path, *why ? why : strerror(-err));
		return NULL;
	}
	return rec;
}

static int render(const struct diff_args *a, const struct nl_diff *d)
{
	FILE *out = a->output ? fopen(a->output, "w") : stdout;
	int err;

	if (!out) {
		nl_err("cannot write '%s': %s", a->output, strerror(errno));
		return -errno;
	}
	err = a->calibrate ? nl_noise_write(out, d) : nl_diff_render(out, d, a->fmt);
	if (a->output && fclose(out) && !err)
		err = -EIO;
	if (err)
		nl_err("cannot write the comparison: %s", strerror(-err));
	return err;
}

static int compare(const struct diff_args *a, struct nl_recording *b, struct nl_recording *n)
{
	struct nl_diff d;
	char why[256] = "";
	int ret;
	struct nl_diff_opts o = { .user = &a->th, .metrics = a->metrics, .strict = a->strict,
				  .noise = a->have_noise ? &a->noise : NULL };

	if (nl_diff_compute(&d, a->base, b, a->new, n, &o, why, sizeof(why))) {
		nl_err("%s", why);
		nl_diff_free(&d);
		return NL_EXIT_USAGE;
	}
	for (size_t i = 0; i < d.nwarn; i++)
		nl_warn("%s", d.warn[i]);
	if (!d.rank)
		nl_warn("no spread available (a side has too few runs for the rank test):"
			" comparing whole histograms and Poisson bounds instead");
	if (d.rank && d.fdr_family > 1 &&
	    nl_mwu_min_p(d.base.s.nruns, d.new.s.nruns) > NL_DIFF_FDR_Q / (double)d.fdr_family + 1e-12)
		nl_warn("with %u and %u runs the rank test's smallest p-value is %.3f: over %zu gated"
			" statistics only a change seen in many of them can pass the false discovery"
			" rate; use -r 5 or more", d.base.s.nruns, d.new.s.nruns,
			nl_mwu_min_p(d.base.s.nruns, d.new.s.nruns), d.fdr_family);
	/* a calibration compares a build with itself: its verdicts are the noise it measures */
	ret = d.count[NL_VERDICT_REGRESSED] && !a->calibrate ? NL_EXIT_HIT : NL_EXIT_OK;
	if (render(a, &d))
		ret = NL_EXIT_USAGE;
	nl_diff_free(&d);
	return ret;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { .fmt = NL_DIFF_TEXT };
	struct nl_recording *b = NULL, *n = NULL;
	int ret = NL_EXIT_USAGE, err;

	err = parse_args(&a, argc, argv);
	if (err) {
		nl_thresholds_free(&a.th);
		nl_noise_free(&a.noise);
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	}
	b = load(a.base, "BASE");
	if (b)
		n = load(a.new, "NEW");
	if (b && n)
		ret = compare(&a, b, n);
	nl_rec_free(b);
	nl_rec_free(n);
	nl_thresholds_free(&a.th);
	nl_noise_free(&a.noise);
	return ret;
}
