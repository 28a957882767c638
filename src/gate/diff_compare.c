// SPDX-License-Identifier: GPL-2.0
/* `netlat diff`: match the statistics of two recordings, test each for noise, judge it. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/report.h"
#include "netlat/util.h"

#define Z_ONE_SIDED 1.6448536269514722	/* standard normal quantile at 1 - NL_DIFF_ALPHA */

static void add_warning(struct nl_diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_warning(struct nl_diff *d, const char *fmt, ...)
{
	char *s;
	va_list ap;
	char **p;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	p = realloc(d->warn, (d->nwarn + 1) * sizeof(*p));
	if (!p) {
		free(s);
		return;
	}
	d->warn = p;
	d->warn[d->nwarn++] = s;
}

/* A recording from elsewhere is still compared, with a line naming the difference. */
static void check_meta(struct nl_diff *d)
{
	static const char *const keys[] = { "host", "kernel", "netlat_version", "collector", "ncpus" };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *a = nl_rec_meta(d->base.rec, keys[i]);
		const char *b = nl_rec_meta(d->new.rec, keys[i]);

		if (strcmp(a ? a : "", b ? b : ""))
			add_warning(d, "BASE and NEW differ in %s: '%s' vs '%s'", keys[i],
				    a ? a : "(unknown)", b ? b : "(unknown)");
	}
	if (nl_report_lost_events(d->base.s.total))
		add_warning(d, "BASE lost %llu events: its counts undercount",
			    (unsigned long long)nl_report_lost_events(d->base.s.total));
	if (nl_report_lost_events(d->new.s.total))
		add_warning(d, "NEW lost %llu events: its counts undercount",
			    (unsigned long long)nl_report_lost_events(d->new.s.total));
}

static size_t present(const double *v, size_t n, double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			out[k++] = v[i];
	return k;
}

/* Rank test across runs, one-sided in the direction of the change. */
static void test_rank(struct nl_cmp *c, const struct nl_diff *d)
{
	double *x = nl_xcalloc(d->base.s.nruns, sizeof(double));
	double *y = nl_xcalloc(d->new.s.nruns, sizeof(double));
	size_t nx = present(c->b->v, d->base.s.nruns, x);
	size_t ny = present(c->n->v, d->new.s.nruns, y);

	c->test = NL_TEST_RANK;
	c->bound = NL_DIFF_ALPHA;
	c->score = c->vn >= c->vb ? nl_mwu_p_greater(x, nx, y, ny) : nl_mwu_p_greater(y, ny, x, nx);
	c->p = c->score;
	c->significant = c->vn != c->vb && c->score <= NL_DIFF_ALPHA;
	free(x);
	free(y);
}

/* Single recordings: a histogram percentile moves only if the whole distribution moved. */
static void test_ks(struct nl_cmp *c)
{
	const struct nl_hist *hb = c->b->hist, *hn = c->n->hist;
	double crit = nl_ks_critical(hb->count, hn->count);

	c->test = NL_TEST_KS;
	c->score = c->vn >= c->vb ? nl_ks_shift(hb, hn) : nl_ks_shift(hn, hb);
	c->bound = crit > NL_DIFF_KS_MIN ? crit : NL_DIFF_KS_MIN;
	/* one-sided asymptotic KS p-value, the inverse of nl_ks_critical */
	c->p = exp(-2.0 * c->score * c->score * (double)hb->count * (double)hn->count /
		   (double)(hb->count + hn->count));
	c->significant = c->vn != c->vb && c->score >= c->bound;
}

/* Single recordings: counts against the Poisson spread they would have as independent events. */
static void test_poisson(struct nl_cmp *c, const struct nl_diff *d)
{
	bool rate = !strcmp(c->b->statistic, "rate");
	double tb = rate ? d->base.s.total_dur_s : 1.0, tn = rate ? d->new.s.total_dur_s : 1.0;
	double z = nl_poisson_z((double)c->b->total_count, tb, (double)c->n->total_count, tn);

	c->test = NL_TEST_POISSON;
	c->score = fabs(z);
	c->p = 0.5 * erfc(c->score / sqrt(2.0));
	c->bound = Z_ONE_SIDED;
	c->significant = c->vn != c->vb && c->score >= Z_ONE_SIDED;
}

static bool rank_possible(const struct nl_cmp *c, const struct nl_diff *d)
{
	size_t nx = 0, ny = 0;

	for (uint32_t k = 0; k < d->base.s.nruns; k++)
		nx += !isnan(c->b->v[k]);
	for (uint32_t k = 0; k < d->new.s.nruns; k++)
		ny += !isnan(c->n->v[k]);
	return nx >= 2 && ny >= 2 && nl_mwu_min_p(nx, ny) <= NL_DIFF_ALPHA + 1e-12;
}

static void run_test(struct nl_cmp *c, const struct nl_diff *d)
{
	if (d->rank && rank_possible(c, d)) {
		test_rank(c, d);
	} else if (d->rank) {
		/*
		 * A row that shows up in one or two runs only (a flow, a device of
		 * another test) has no spread to judge it by: merging its few runs
		 * and testing them as one recording is what made it look significant.
		 */
		c->test = NL_TEST_FEW_RUNS;
		c->significant = false;
	} else if (c->b->kind == NL_ITEM_HIST && c->b->hist && c->n->hist &&
		 strcmp(c->b->statistic, "count") && strcmp(c->b->statistic, "rate"))
		test_ks(c);
	else if (c->b->kind != NL_ITEM_RATIO)
		test_poisson(c, d);
	else {
		c->test = NL_TEST_NONE;	/* one ratio per side: nothing to measure noise with */
		c->significant = c->vn != c->vb;
	}
}

static double effect(const struct nl_cmp *c, bool pct)
{
	double delta = c->vn - c->vb;

	if (!pct)
		return delta;
	if (c->vb == 0)
		return delta == 0 ? 0 : (delta > 0 ? INFINITY : -INFINITY);
	return delta / fabs(c->vb) * 100.0;
}

static enum nl_verdict judge(const struct nl_cmp *c)
{
	const struct nl_threshold *t = c->th;
	double e;

	if (!c->significant || (c->gated && !c->fdr_pass))
		return NL_VERDICT_NOISE;
	/* within what the same build showed against itself on this machine */
	if (c->floor_pct > 0 && !isnan(c->change_pct) && fabs(c->change_pct) <= c->floor_pct)
		return NL_VERDICT_NOISE;
	if (!t) {
		e = effect(c, true);
		return fabs(e) >= NL_DIFF_MIN_EFFECT_PCT ? NL_VERDICT_CHANGED : NL_VERDICT_NOISE;
	}
	e = effect(c, t->pct) * t->dir;
	if (e > t->limit)
		return t->report_only ? NL_VERDICT_WORSE : NL_VERDICT_REGRESSED;
	if (-e > t->limit)
		return NL_VERDICT_IMPROVED;
	return NL_VERDICT_NOISE;
}

static void compare_one(struct nl_diff *d, struct nl_cmp *c, const struct nl_diff_opts *o)
{
	const struct nl_thresholds *user = o ? o->user : NULL;

	nl_spread_of(c->b->v, d->base.s.nruns, &c->sb);
	nl_spread_of(c->n->v, d->new.s.nruns, &c->sn);
	c->vb = d->rank ? c->sb.median : c->b->total;
	c->vn = d->rank ? c->sn.median : c->n->total;
	if (c->vb == 0 && c->vn == 0)
		c->change_pct = 0;
	else
		c->change_pct = c->vb != 0 ? (c->vn - c->vb) / fabs(c->vb) * 100.0 : NAN;
	c->th = nl_threshold_for(user, c->b);
	c->p = NAN;
	run_test(c, d);
	c->gated = c->th && c->th->dir && !c->th->report_only && !isnan(c->p);
	c->floor_pct = o && o->noise ? nl_noise_floor_of(o->noise, c->b) : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Benjamini-Hochberg over the gated statistics: with m tests, sorted
 * p-values p(1) <= ... <= p(m), the largest k with p(k) <= k/m * q sets
 * the cut. Each test alone at alpha made a false alarm near certain when a
 * diff compares a hundred statistics; this keeps the expected share of
 * false ones among those flagged at q.
 */
static void fdr(struct nl_diff *d)
{
	double *p = nl_xcalloc(d->n ? d->n : 1, sizeof(double));
	size_t m = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].gated)
			p[m++] = d->c[i].p;
	qsort(p, m, sizeof(*p), cmp_double);
	d->fdr_family = m;
	d->fdr_cut = 0;
	for (size_t k = m; k > 0; k--)
		if (p[k - 1] <= (double)k / (double)m * NL_DIFF_FDR_Q + 1e-12) {
			d->fdr_cut = p[k - 1];
			break;
		}
	for (size_t i = 0; i < d->n; i++)
		d->c[i].fdr_pass = d->c[i].gated && d->fdr_cut > 0 && d->c[i].p <= d->fdr_cut + 1e-12;
	free(p);
}

static void push_only(const struct nl_item ***arr, size_t *n, const struct nl_item *it)
{
	const struct nl_item **p = realloc(*arr, (*n + 1) * sizeof(*p));

	if (!p)
		abort();
	*arr = p;
	(*arr)[(*n)++] = it;
}

static bool has_value(const struct nl_item *it, const struct nl_sampleset *s, bool rank)
{
	if (!rank)
		return !isnan(it->total);
	for (uint32_t k = 0; k < s->nruns; k++)
		if (!isnan(it->v[k]))
			return true;
	return false;
}

/* Pair the items; report unit mismatches; collect the one-sided ones. */
static int match_items(struct nl_diff *d, const struct nl_diff_opts *o, char *err, size_t errlen)
{
	const struct nl_sampleset *sb = &d->base.s, *sn = &d->new.s;
	const char *sel = o ? o->metrics : NULL;

	d->c = nl_xcalloc(sb->n ? sb->n : 1, sizeof(*d->c));
	for (size_t i = 0; i < sb->n; i++) {
		const struct nl_item *b = &sb->it[i];
		const struct nl_item *n;

		if (!nl_metric_selected(sel, b->metric))
			continue;
		n = nl_samples_find(sn, b->metric, b->key, b->stat, b->statistic);

		if (n && strcmp(b->unit, n->unit)) {
			snprintf(err, errlen, "%s %s %s.%s has different units: '%s' in BASE, '%s' in NEW",
				 b->metric, b->key, b->stat, b->statistic, b->unit, n->unit);
			return -EDOM;
		}
		if (!n || !has_value(n, sn, d->rank)) {
			if (has_value(b, sb, d->rank))
				push_only(&d->only_base, &d->n_only_base, b);
			continue;
		}
		if (!has_value(b, sb, d->rank)) {
			push_only(&d->only_new, &d->n_only_new, n);
			continue;
		}
		d->c[d->n] = (struct nl_cmp){ .b = b, .n = n };
		compare_one(d, &d->c[d->n], o);
		d->n++;
	}
	fdr(d);
	for (size_t i = 0; i < d->n; i++) {
		d->c[i].verdict = judge(&d->c[i]);
		d->count[d->c[i].verdict]++;
	}
	for (size_t i = 0; i < sn->n; i++) {
		const struct nl_item *n = &sn->it[i];

		if (nl_metric_selected(sel, n->metric) &&
		    !nl_samples_find(sb, n->metric, n->key, n->stat, n->statistic) &&
		    has_value(n, sn, d->rank))
			push_only(&d->only_new, &d->n_only_new, n);
	}
	return 0;
}

int nl_diff_compute(struct nl_diff *d, const char *base_path, const struct nl_recording *base,
		    const char *new_path, const struct nl_recording *new,
		    const struct nl_diff_opts *o, char *err, size_t errlen)
{
	int e;

	memset(d, 0, sizeof(*d));
	d->base.path = base_path;
	d->base.rec = base;
	d->new.path = new_path;
	d->new.rec = new;
	d->strict = o && o->strict;
	e = nl_samples_build_match(base, &d->base.s, o && o->strict);
	if (e) {
		snprintf(err, errlen, "'%s' holds no measurements", base_path);
		return e;
	}
	e = nl_samples_build_match(new, &d->new.s, o && o->strict);
	if (e) {
		snprintf(err, errlen, "'%s' holds no measurements", new_path);
		return e;
	}
	d->rank = d->base.s.nruns >= 2 && d->new.s.nruns >= 2 &&
		  nl_mwu_min_p(d->base.s.nruns, d->new.s.nruns) <= NL_DIFF_ALPHA + 1e-12;
	check_meta(d);
	e = match_items(d, o, err, errlen);
	if (e)
		return e;
	if (!d->n) {
		snprintf(err, errlen, "'%s' and '%s' have no metric in common: nothing to compare",
			 base_path, new_path);
		return -ENODATA;
	}
	return 0;
}

void nl_diff_free(struct nl_diff *d)
{
	nl_samples_free(&d->base.s);
	nl_samples_free(&d->new.s);
	free(d->c);
	free(d->only_base);
	free(d->only_new);
	for (size_t i = 0; i < d->nwarn; i++)
		free(d->warn[i]);
	free(d->warn);
	memset(d, 0, sizeof(*d));
}

const char *nl_verdict_name(enum nl_verdict v)
{
	switch (v) {
	case NL_VERDICT_REGRESSED: return "regressed";
	case NL_VERDICT_IMPROVED: return "improved";
	case NL_VERDICT_CHANGED: return "changed";
	case NL_VERDICT_WORSE: return "worse";
	default: return "within noise";
	}
}

const char *nl_diff_test_name(enum nl_diff_test t)
{
	switch (t) {
	case NL_TEST_RANK: return "rank";
	case NL_TEST_KS: return "ks";
	case NL_TEST_POISSON: return "poisson";
	case NL_TEST_FEW_RUNS: return "few-runs";
	default: return "none";
	}
}

void nl_diff_fmt_change(char *buf, size_t len, const struct nl_cmp *c)
{
	if (isnan(c->change_pct))
		snprintf(buf, len, "%s", c->vn > 0 ? "+inf%" : "-inf%");
	else
		snprintf(buf, len, "%+.1f%%", c->change_pct);
}

void nl_diff_fmt_test(char *buf, size_t len, const struct nl_cmp *c)
{
	switch (c->test) {
	case NL_TEST_RANK:
		snprintf(buf, len, "p=%.3f%s", c->score, c->significant ? "" : " (n.s.)");
		break;
	case NL_TEST_KS:
		snprintf(buf, len, "KS=%.2f%s", c->score, c->significant ? "" : " (n.s.)");
		break;
	case NL_TEST_POISSON:
		snprintf(buf, len, "z=%.1f%s", c->score, c->significant ? "" : " (n.s.)");
		break;
	case NL_TEST_FEW_RUNS:
		snprintf(buf, len, "in too few runs");
		break;
	default:
		snprintf(buf, len, "no spread");
		break;
	}
}
