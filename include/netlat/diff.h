/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat diff`: compare two recordings statistic by statistic, tell noise
 * from change, and judge changes against thresholds (docs/diff.md).
 *
 * Items are the sample-set items of include/netlat/stat.h. With repeated
 * runs on both sides a change must pass a one-sided Mann-Whitney U test
 * across runs; with single recordings histograms are compared whole (a
 * directional Kolmogorov-Smirnov distance on the bucket CDFs), counts
 * against a Poisson bound, and ratios by threshold alone. Either way a
 * change counts only beyond its threshold (the minimum effect size).
 */
#ifndef NETLAT_DIFF_H
#define NETLAT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"
#include "recording.h"
#include "stat.h"

#define NL_DIFF_ALPHA		0.05	/* one-sided significance level of every test */
#define NL_DIFF_KS_MIN		0.10	/* single recordings: smallest KS distance that counts */
#define NL_DIFF_MIN_EFFECT_PCT	10.0	/* statistics without a threshold: smallest change reported */
#define NL_DIFF_FDR_Q		0.05	/* Benjamini-Hochberg false discovery rate over the gated statistics */

/* ---- thresholds (diff_thresholds.c; the default set in diff_defaults.c) ---- */

struct nl_threshold {
	char pattern[96];	/* metric.stat[.statistic]; '*' matches within a part */
	char unit[NL_UNIT_MAX];	/* only items with this unit ("" = any); the default set uses it */
	int dir;		/* +1: an increase is worse, -1: a decrease is worse, 0: off */
	double limit;		/* >= 0: how far beyond the base value counts */
	bool pct;		/* limit in percent of the base value, else absolute */
	char spec[40];		/* the value as written: "+10%", "-5%", "+0", "off" */
	char origin[64];	/* "default", "--threshold", "FILE:LINE" */
	bool report_only;	/* a default beyond the headline set: reported as "worse", never fails */
};

/* Default thresholds (a metric's diff_defaults): an increase beyond l percent is worse (UP) or a decrease (DOWN). */
#define NL_THRESHOLD_UP(p, u, l)	{ .pattern = p, .unit = u, .dir = +1, .limit = l, .pct = true, \
					  .spec = "+" #l "%", .origin = "default" }
#define NL_THRESHOLD_DOWN(p, u, l)	{ .pattern = p, .unit = u, .dir = -1, .limit = l, .pct = true, \
					  .spec = "-" #l "%", .origin = "default" }

struct nl_thresholds {
	struct nl_threshold *t;
	size_t n;
};

/* Parse "PATTERN=VALUE"; 0, or -EINVAL with a reason in err. */
int nl_threshold_parse(const char *spec, const char *origin, struct nl_threshold *out,
		       char *err, size_t errlen);
int nl_thresholds_add(struct nl_thresholds *ts, const char *spec, const char *origin,
		      char *err, size_t errlen);
/* One spec per line, '#' starts a comment. 0, or negative errno with "FILE:LINE: why" in err. */
int nl_thresholds_load(struct nl_thresholds *ts, const char *path, char *err, size_t errlen);
void nl_thresholds_free(struct nl_thresholds *ts);
/* The threshold for an item: the last matching user one, else the first matching default, else NULL. */
const struct nl_threshold *nl_threshold_for(const struct nl_thresholds *user, const struct nl_item *it);
bool nl_threshold_matches(const struct nl_threshold *t, const struct nl_item *it);

/* The default set: the generic rows of diff_defaults.c, then each metric's diff_defaults. */
const struct nl_threshold *nl_default_thresholds(size_t *n);

/* ---- noise tests (diff_noise.c) ---- */

/*
 * One-sided Mann-Whitney U p-value for "y tends to be larger than x"
 * (mid-ranks for ties): exact by enumeration when there are no ties and
 * nx*ny is small, else the normal approximation with tie correction.
 */
double nl_mwu_p_greater(const double *x, size_t nx, const double *y, size_t ny);
/* Smallest one-sided p-value the rank test can reach with these sizes: 1 / C(nx+ny, nx). */
double nl_mwu_min_p(size_t nx, size_t ny);
/* sup over bucket edges of F_a - F_b (how much b lies to the right of a), in [0, 1]. */
double nl_ks_shift(const struct nl_hist *a, const struct nl_hist *b);
/* One-sided KS critical distance for sample sizes na, nb at NL_DIFF_ALPHA. */
double nl_ks_critical(uint64_t na, uint64_t nb);
/* z of the difference of two Poisson rates (counts ca, cb over durations ta, tb); 0 if both 0. */
double nl_poisson_z(double ca, double ta, double cb, double tb);

/* ---- the comparison (diff_compare.c) ---- */

enum nl_verdict {
	NL_VERDICT_NOISE = 0,		/* "within noise": not beyond the spread, or below the minimum effect */
	NL_VERDICT_REGRESSED,		/* beyond the threshold in its worse direction, and significant */
	NL_VERDICT_IMPROVED,		/* as far the other way, and significant */
	NL_VERDICT_CHANGED,		/* significant and >= NL_DIFF_MIN_EFFECT_PCT, but no threshold says which way is worse */
	NL_VERDICT_WORSE,		/* beyond a report-only threshold in its worse direction: shown, not failed */
	NL_VERDICT_COUNT,
};

enum nl_diff_test {
	NL_TEST_RANK = 1,		/* Mann-Whitney U across runs */
	NL_TEST_KS,			/* histograms of single recordings */
	NL_TEST_POISSON,		/* counts of single recordings */
	NL_TEST_NONE,			/* ratios of single recordings: no noise model */
	NL_TEST_FEW_RUNS,		/* repeats, but this statistic has a value in too few runs to rank */
};

struct nl_cmp {
	const struct nl_item *b, *n;
	double vb, vn;			/* medians across runs (rank test) or whole-recording values */
	double change_pct;		/* NaN when vb is 0 and vn is not; 0 when both are */
	struct nl_spread sb, sn;
	const struct nl_threshold *th;	/* NULL: none applies */
	enum nl_diff_test test;
	double score;			/* p-value (rank), KS distance, or z (Poisson), in the change's direction */
	double bound;			/* what score had to reach: alpha, KS critical distance, z */
	double p;			/* one-sided p-value of the test (NaN: no test) */
	bool gated;			/* in the FDR family: its threshold can fail the gate */
	bool fdr_pass;			/* gated: p within the Benjamini-Hochberg cut */
	double floor_pct;		/* noise floor from --noise (0: none) */
	bool significant;
	enum nl_verdict verdict;
};

struct nl_diff_side {
	const char *path;
	const struct nl_recording *rec;
	struct nl_sampleset s;
};

struct nl_diff {
	struct nl_diff_side base, new;
	bool rank;			/* both sides have enough runs for the rank test */
	struct nl_cmp *c;
	size_t n;
	const struct nl_item **only_base, **only_new;
	size_t n_only_base, n_only_new;
	char **warn;
	size_t nwarn;
	size_t count[NL_VERDICT_COUNT];	/* per enum nl_verdict */
	size_t fdr_family;		/* gated statistics that were tested */
	double fdr_cut;			/* largest p-value Benjamini-Hochberg let through (0: none) */
	bool strict;			/* rows matched on recorded keys */
};

/*
 * Compare. 0, or -ENODATA (no statistic in common), -EDOM (a statistic
 * with different units; err names it), -ENOMEM. Warnings (other host,
 * kernel, netlat version, collector; lost events) are collected in d->warn.
 */
struct nl_diff_opts {
	const struct nl_thresholds *user;	/* NULL: defaults only */
	const char *metrics;			/* -m list; NULL or "all": every metric */
	bool strict;				/* --match strict: keys as recorded, not portable */
	const struct nl_noise *noise;		/* --noise: A/A floors, NULL: none */
};

/* ---- noise floors learnt from an A/A pair (diff_calibrate.c) ---- */

struct nl_noise_floor {
	char metric[NL_NAME_MAX];
	char key[NL_KEY_MAX];
	char name[2 * NL_NAME_MAX];	/* stat.statistic */
	double pct;
};

struct nl_noise {
	struct nl_noise_floor *f;
	size_t n;
};

/* Write the floors of an A/A comparison: one "METRIC STAT.STATISTIC PCT KEY" line per statistic. */
int nl_noise_write(FILE *out, const struct nl_diff *d);
/* Read such a file: 0, or a negative errno with "FILE:LINE: why" in err. */
int nl_noise_load(struct nl_noise *n, const char *path, char *err, size_t errlen);
void nl_noise_free(struct nl_noise *n);
/* The floor of one item in percent, 0 when the file has none. */
double nl_noise_floor_of(const struct nl_noise *n, const struct nl_item *it);

int nl_diff_compute(struct nl_diff *d, const char *base_path, const struct nl_recording *base,
		    const char *new_path, const struct nl_recording *new,
		    const struct nl_diff_opts *o, char *err, size_t errlen);
void nl_diff_free(struct nl_diff *d);

const char *nl_verdict_name(enum nl_verdict v);	/* "regressed", "improved", "changed", "worse", "within noise" */
const char *nl_diff_test_name(enum nl_diff_test t);
/* "+12.3%", "+inf%" (from 0), "0.0%" */
void nl_diff_fmt_change(char *buf, size_t len, const struct nl_cmp *c);
/* "p=0.050 (<= 0.05)", "KS 0.42 (>= 0.10)", "z=3.1 (>= 1.64)", "no spread" */
void nl_diff_fmt_test(char *buf, size_t len, const struct nl_cmp *c);

/* ---- output (diff_text.c, diff_json.c, diff_junit.c, diff_markdown.c) ---- */

enum nl_diff_format { NL_DIFF_TEXT = 0, NL_DIFF_JSON, NL_DIFF_JUNIT, NL_DIFF_MARKDOWN };

int nl_diff_format_parse(const char *s, enum nl_diff_format *out);
/* 0, or -EIO when out failed. */
int nl_diff_render(FILE *out, const struct nl_diff *d, enum nl_diff_format f);
int nl_diff_text(FILE *out, const struct nl_diff *d);
int nl_diff_json(FILE *out, const struct nl_diff *d);
int nl_diff_junit(FILE *out, const struct nl_diff *d);
int nl_diff_markdown(FILE *out, const struct nl_diff *d);

#endif
