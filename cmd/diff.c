// SPDX-License-Identifier: GPL-2.0
/* netlat diff: options only; the comparison is src/diff_*.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/record_opts.h"
#include "netlat/recording.h"
#include "netlat/util.h"

static const char *const diff_usage[] = { "netlat diff [<options>] BASE NEW", NULL };

static const char diff_epilog[] =
"\n Statistics: count, rate (per second of run), p50, p99, p999, ratio.\n"
" Default thresholds (used where no spec matches), the gate: every ns histogram\n"
" p50 +10%, p99 +20%; napi budget_exhausted_ratio +10%, time_squeeze and dropped\n"
" rates +10%; drops rate +10%; gro.ratio -5%; gso.segs_per_xmit -5%. p999 +30% is\n"
" reported ('worse'), not gated, unless -t names it. The gated statistics are tested\n"
" together at a false discovery rate of 5% (Benjamini-Hochberg). See docs/diff.md.\n"
"\n Exit status: 0 nothing regressed beyond a threshold, 1 at least one regression,\n"
" 2 an error (unreadable or corrupt file, nothing in common, different units).\n\n";

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

static int threshold_opt(const struct nl_opt *opt, const char *arg)
{
	char why[256];

	if (nl_thresholds_add(opt->value, arg, "--threshold", why, sizeof(why))) {
		nl_err("%s", why);
		return -EINVAL;
	}
	return 0;
}

static int thresholds_opt(const struct nl_opt *opt, const char *arg)
{
	char why[256];

	if (nl_thresholds_load(opt->value, arg, why, sizeof(why))) {
		nl_err("%s", why);
		return -EINVAL;
	}
	return 0;
}

static int format_opt(const struct nl_opt *opt, const char *arg)
{
	if (nl_diff_format_parse(arg, opt->value)) {
		nl_err("unknown format '%s' (known: text, json, junit, markdown)", arg);
		return -EINVAL;
	}
	return 0;
}

static int noise_opt(const struct nl_opt *opt, const char *arg)
{
	struct diff_args *a = opt->value;
	char why[256];

	nl_noise_free(&a->noise);
	if (nl_noise_load(&a->noise, arg, why, sizeof(why))) {
		nl_err("%s", why);
		return -EINVAL;
	}
	a->have_noise = true;
	return 0;
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct diff_args *a, int argc, char **argv)
{
	const struct nl_opt opts[] = {
		NL_OPT_CALLBACK_ROW('t', "threshold", &a->th, "<spec>",
				    "METRIC.STAT[.STATISTIC]=VALUE, repeatable; later ones win.\n"
				    "VALUE: +10% (an increase beyond 10% is a regression),\n"
				    "-5% (a decrease), +0 (any increase), off. '*' matches\n"
				    "within a part: '*.*.p99=+15%', 'napi.budget_exhausted=+0'",
				    threshold_opt),
		NL_OPT_CALLBACK_ROW(0, "thresholds", &a->th, "<file>", "one spec per line, '#' comments",
				    thresholds_opt),
		NL_OPT_CALLBACK_ROW(0, "format", &a->fmt, "<fmt>", "text (default), json, junit or markdown",
				    format_opt),
		NL_OPT_STRING_ROW('o', "output", &a->output, "<file>",
				  "write the comparison here instead of stdout"),
		NL_ROW_METRICS(&a->metrics, "compare only these metrics (default: all in both files)"),
		NL_ROW_MATCH(&a->strict,
				    "portable (default): rows match across namespaces and hosts\n"
				    "(netns by name, qdisc by device, kind and parent, no pids,\n"
				    "no client ports); strict: keys exactly as recorded"),
		NL_OPT_FLAG_ROW(0, "calibrate", &a->calibrate,
				"BASE and NEW are the same build twice (A/A): write each\n"
				"statistic's noise floor instead of a verdict"),
		NL_OPT_CALLBACK_ROW(0, "noise", a, "<file>",
				    "floors from --calibrate: a change within its floor is noise", noise_opt),
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "diff", diff_usage, opts, 0 };
	int next, err = nl_opt_parse(&cmd, argc, argv, &next);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fputs(diff_epilog, stdout);
	}
	if (err)
		return err;
	if (argc - next != 2) {
		nl_err("netlat diff needs two recordings, BASE and NEW (see 'netlat diff --help')");
		return -EINVAL;
	}
	a->base = argv[next];
	a->new = argv[next + 1];
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
