// SPDX-License-Identifier: GPL-2.0
/* The noise tests of `netlat diff`: rank test across runs, KS on histograms, Poisson on counts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/diff.h"
#include "netlat/util.h"

/* Above this many arrangements the rank test uses the normal approximation. */
#define MWU_EXACT_MAX 200000.0

struct ranked {
	double v;
	int group;	/* 0 = x, 1 = y */
	double rank;	/* 1-based mid-rank */
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	return a->v < b->v ? -1 : a->v > b->v;
}

static double binom(size_t n, size_t k)
{
	double r = 1;

	for (size_t i = 1; i <= k; i++)
		r = r * (double)(n - k + i) / (double)i;
	return r;
}

double nl_mwu_min_p(size_t nx, size_t ny)
{
	return nx && ny ? 1.0 / binom(nx + ny, nx) : 1.0;
}

/* Pool x and y, sort, give tied values their mid-rank; returns the sum of tie (t^3 - t). */
static double pool_ranks(struct ranked *r, const double *x, size_t nx, const double *y, size_t ny)
{
	size_t n = nx + ny, i = 0;
	double ties = 0;

	for (size_t k = 0; k < nx; k++)
		r[k] = (struct ranked){ .v = x[k], .group = 0 };
	for (size_t k = 0; k < ny; k++)
		r[nx + k] = (struct ranked){ .v = y[k], .group = 1 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && r[j + 1].v == r[i].v)
			j++;
		for (size_t k = i; k <= j; k++)
			r[k].rank = (double)(i + j) / 2.0 + 1.0;
		ties += pow((double)(j - i + 1), 3) - (double)(j - i + 1);
		i = j + 1;
	}
	return ties;
}

/*
 * Exact permutation p-value: the share of ways to pick ny of the pooled
 * ranks whose sum is at least the observed y rank sum. Exact with ties too,
 * which the normal approximation is not for the 3-against-3 runs a CI job has.
 */
static double exact_p(const struct ranked *r, size_t n, size_t ny, double observed)
{
	size_t idx[64];
	double total = 0, hits = 0;

	for (size_t k = 0; k < ny; k++)
		idx[k] = k;
	for (;;) {
		double sum = 0;
		size_t k;

		for (k = 0; k < ny; k++)
			sum += r[idx[k]].rank;
		total++;
		if (sum >= observed - 1e-9)
			hits++;
		/* next combination in lexicographic order */
		for (k = ny; k > 0 && idx[k - 1] == n - ny + k - 1; k--)
			;
		if (k == 0)
			break;
		idx[k - 1]++;
		for (size_t m = k; m < ny; m++)
			idx[m] = idx[m - 1] + 1;
	}
	return hits / total;
}

static double normal_p(double u, size_t nx, size_t ny, double ties)
{
	double n = (double)(nx + ny), mean = (double)nx * (double)ny / 2.0;
	double var = (double)nx * (double)ny / 12.0 * ((n + 1) - ties / (n * (n - 1)));
	double z;

	if (var <= 0)
		return 1.0;
	z = (u - mean - 0.5) / sqrt(var);	/* continuity correction */
	return 0.5 * erfc(z / sqrt(2.0));
}

double nl_mwu_p_greater(const double *x, size_t nx, const double *y, size_t ny)
{
	size_t n = nx + ny;
	struct ranked *r;
	double ties, ry = 0, p;

	if (!nx || !ny)
		return 1.0;
	r = nl_xcalloc(n, sizeof(*r));
	ties = pool_ranks(r, x, nx, y, ny);
	for (size_t k = 0; k < n; k++)
		if (r[k].group == 1)
			ry += r[k].rank;
	if (binom(n, ny) <= MWU_EXACT_MAX && ny < 64)
		p = exact_p(r, n, ny, ry);
	else
		p = normal_p(ry - (double)ny * (double)(ny + 1) / 2.0, nx, ny, ties);
	free(r);
	return p;
}

double nl_ks_shift(const struct nl_hist *a, const struct nl_hist *b)
{
	double ca = 0, cb = 0, d = 0;

	if (!a || !b || !a->count || !b->count)
		return 0;
	for (unsigned int i = 0; i < NL_HIST_BUCKETS; i++) {
		ca += (double)a->buckets[i];
		cb += (double)b->buckets[i];
		if (ca / (double)a->count - cb / (double)b->count > d)
			d = ca / (double)a->count - cb / (double)b->count;
	}
	return d;
}

double nl_ks_critical(uint64_t na, uint64_t nb)
{
	if (!na || !nb)
		return INFINITY;
	return sqrt(-log(NL_DIFF_ALPHA) / 2.0) * sqrt((double)(na + nb) / ((double)na * (double)nb));
}

double nl_poisson_z(double ca, double ta, double cb, double tb)
{
	double var;

	if (ta <= 0 || tb <= 0 || ca + cb <= 0)
		return 0;
	var = ca / (ta * ta) + cb / (tb * tb);
	return (cb / tb - ca / ta) / sqrt(var);
}
