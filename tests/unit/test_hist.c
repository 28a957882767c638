// SPDX-License-Identifier: GPL-2.0
/*
 * Histogram: bucket layout, percentile accuracy against exact sorted values
 * (the ground truth), merge, per-CPU BPF sums and interval deltas.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/hist.h"
#include "percpu.h"
#include "unit.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: fixed seed, so a failure reproduces. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_bucket_layout(void)
{
	unsigned int i;

	CHECK_EQ_U64(nl_hist_bucket_lo(0), 0);
	for (i = 0; i < NL_HIST_BUCKETS; i++) {
		uint64_t lo = nl_hist_bucket_lo(i), hi = nl_hist_bucket_hi(i);

		CHECK(hi > lo);
		CHECK_EQ_U64(nl_hist_index(lo), i);
		if (i + 1 < NL_HIST_BUCKETS) {
			/* contiguous: no value falls between two buckets */
			CHECK_EQ_U64(hi, nl_hist_bucket_lo(i + 1));
			CHECK_EQ_U64(nl_hist_index(hi - 1), i);
			/* the 1/16 promise of hist_shared.h */
			if (lo >= NL_HIST_SUB)
				CHECK(hi - lo <= lo / 16);
			else
				CHECK_EQ_U64(hi - lo, 1);
		}
	}
	CHECK_EQ_U64(nl_hist_bucket_lo(NL_HIST_BUCKETS - 1), (1ULL << 47) + 15 * (1ULL << 43));
	CHECK_EQ_U64(nl_hist_bucket_hi(NL_HIST_BUCKETS - 1), UINT64_MAX);
	CHECK_EQ_U64(nl_hist_index(1ULL << 48), NL_HIST_BUCKETS - 1);
	CHECK_EQ_U64(nl_hist_index(UINT64_MAX), NL_HIST_BUCKETS - 1);
	/* a few by hand: 1000 has msb 9, sub-bucket width 32, so [992, 1024) */
	CHECK_EQ_U64(nl_hist_index(1000), nl_hist_index(992));
	CHECK_EQ_U64(nl_hist_bucket_lo(nl_hist_index(1000)), 992);
	CHECK_EQ_U64(nl_hist_bucket_hi(nl_hist_index(1000)), 1024);
	CHECK_EQ_U64(nl_hist_bucket_lo(nl_hist_index(16)), 16);
	CHECK_EQ_U64(nl_hist_bucket_hi(nl_hist_index(16)), 17);
	CHECK_EQ_U64(nl_hist_bucket_hi(nl_hist_index(32)), 34);
}

/* Nearest rank of num/den among n values, in integer arithmetic (independent of the library). */
static uint64_t exact_quantile(const uint64_t *sorted, uint64_t n, uint64_t num, uint64_t den)
{
	uint64_t rank = (num * n + den - 1) / den;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

enum dist { D_SMALL, D_UNIFORM, D_LOGUNIFORM, D_CONST, D_BIMODAL, D_HUGE };

static uint64_t draw(enum dist d)
{
	switch (d) {
	case D_SMALL:
		return rng() % 40;
	case D_UNIFORM:
		return 1000 + rng() % 1000000;
	case D_LOGUNIFORM:
		return (rng() >> 20) >> (rng() % 44);	/* 1 .. 2^44, every decade */
	case D_CONST:
		return 123457;
	case D_BIMODAL:
		return (rng() & 1) ? 20000000 + rng() % 300000 : 50000 + rng() % 2000;
	case D_HUGE:
		return (1ULL << 47) + (rng() >> 17);	/* the top of the precise range, [2^47, 2^48) */
	}
	return 0;
}

static void check_quantiles(const struct nl_hist *h, const uint64_t *sorted, uint64_t n)
{
	static const uint64_t q[][2] = {
		{ 0, 1 }, { 1, 100 }, { 1, 10 }, { 1, 4 }, { 1, 2 }, { 9, 10 },
		{ 99, 100 }, { 999, 1000 }, { 9999, 10000 }, { 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		uint64_t truth = exact_quantile(sorted, n, q[i][0], q[i][1]);
		uint64_t got = nl_hist_percentile(h, (double)q[i][0] / (double)q[i][1]);
		uint64_t err = got > truth ? got - truth : truth - got;

		if (err > truth / 16) {
			fprintf(stderr, "  n=%llu q=%llu/%llu truth=%llu got=%llu\n",
				(unsigned long long)n, (unsigned long long)q[i][0],
				(unsigned long long)q[i][1], (unsigned long long)truth,
				(unsigned long long)got);
			unit_failures++;
		}
		CHECK(got >= sorted[0] && got <= sorted[n - 1]);
	}
}

static void test_percentile_random(void)
{
	static const uint64_t sizes[] = { 1, 2, 3, 17, 100, 1000, 10007, 100000 };
	enum dist d;
	size_t si;

	for (d = D_SMALL; d <= D_HUGE; d++) {
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			uint64_t n = sizes[si], i, sum = 0;
			uint64_t *vals = malloc(n * sizeof(*vals));
			struct nl_hist *h = calloc(1, sizeof(*h));

			for (i = 0; i < n; i++) {
				vals[i] = draw(d);
				sum += vals[i];
				nl_hist_add(h, vals[i]);
			}
			qsort(vals, n, sizeof(*vals), cmp_u64);
			CHECK_EQ_U64(h->count, n);
			CHECK_EQ_U64(h->sum, sum);
			CHECK_EQ_U64(h->min, vals[0]);
			CHECK_EQ_U64(h->max, vals[n - 1]);
			check_quantiles(h, vals, n);
			free(vals);
			free(h);
		}
	}
}

static void test_percentile_definition(void)
{
	struct nl_hist *h = calloc(1, sizeof(*h));

	CHECK_EQ_U64(nl_hist_percentile(h, 0.5), 0);		/* empty */
	CHECK(nl_hist_mean(h) == 0.0);
	/* {500, 1000, 2000}: the median's bucket is [992, 1024), midpoint 1008 */
	nl_hist_add(h, 500);
	nl_hist_add(h, 1000);
	nl_hist_add(h, 2000);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.5), 1008);
	/* the extremes clamp to the exact min and max, not to bucket midpoints */
	CHECK_EQ_U64(nl_hist_percentile(h, 0.0), 500);
	CHECK_EQ_U64(nl_hist_percentile(h, 1.0), 2000);
	CHECK_EQ_U64(nl_hist_percentile(h, -3), 500);
	CHECK_EQ_U64(nl_hist_percentile(h, 7), 2000);
	CHECK(nl_hist_mean(h) > 1166.66 && nl_hist_mean(h) < 1166.67);
	/* rank 2 of 3 is the 0.34..0.66 quantile */
	CHECK_EQ_U64(nl_hist_percentile(h, 0.34), 1008);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.33), 500);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.67), 2000);

	/* a single value is its own percentile, whatever its bucket */
	nl_hist_reset(h);
	nl_hist_add(h, 987654321);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.5), 987654321);
	CHECK_EQ_U64(h->min, 987654321);

	/* beyond 2^48 everything shares the last bucket: the answer stays within [min, max] */
	nl_hist_reset(h);
	nl_hist_add(h, 1ULL << 50);
	nl_hist_add(h, 1ULL << 52);
	nl_hist_add(h, 1ULL << 53);
	CHECK(nl_hist_percentile(h, 0.5) >= (1ULL << 50) && nl_hist_percentile(h, 0.5) <= (1ULL << 53));

	/* exact buckets below 16 */
	nl_hist_reset(h);
	nl_hist_add(h, 0);
	nl_hist_add(h, 3);
	nl_hist_add(h, 7);
	nl_hist_add(h, 15);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.5), 3);
	CHECK_EQ_U64(nl_hist_percentile(h, 0.75), 7);
	CHECK_EQ_U64(h->min, 0);
	free(h);
}

static void fill(struct nl_hist *h, const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nl_hist_add(h, v[i]);
}

static void check_same(const struct nl_hist *a, const struct nl_hist *b)
{
	CHECK_EQ_U64(a->count, b->count);
	CHECK_EQ_U64(a->sum, b->sum);
	CHECK_EQ_U64(a->min, b->min);
	CHECK_EQ_U64(a->max, b->max);
	CHECK(!memcmp(a->buckets, b->buckets, sizeof(a->buckets)));
}

static void test_merge(void)
{
	struct nl_hist *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct nl_hist *all = calloc(1, sizeof(*all)), *e = calloc(1, sizeof(*e));
	uint64_t v[3000];
	size_t i;

	for (i = 0; i < 3000; i++)
		v[i] = draw(D_LOGUNIFORM);
	v[1234] = 5;		/* min lives in b */
	v[10] = 1ULL << 50;	/* max lives in a */
	fill(a, v, 1000);
	fill(b, v + 1000, 2000);
	fill(all, v, 3000);
	nl_hist_merge(a, b);
	check_same(a, all);

	/* merging an empty histogram changes nothing; merging into one copies */
	nl_hist_merge(a, e);
	check_same(a, all);
	nl_hist_merge(e, all);
	check_same(e, all);
	free(a);
	free(b);
	free(all);
	free(e);
}

static void test_from_bpf(void)
{
	/* a stride larger than the struct, as with per-CPU values rounded up to 8 bytes */
	size_t stride = sizeof(struct nl_bpf_hist) + 24;
	unsigned char *raw = calloc(4, stride);
	struct nl_hist *got = calloc(1, sizeof(*got)), *want = calloc(1, sizeof(*want));
	int cpu;
	size_t i;

	for (cpu = 0; cpu < 4; cpu++) {
		struct nl_bpf_hist *c = (struct nl_bpf_hist *)(raw + (size_t)cpu * stride);

		if (cpu == 1)
			continue;	/* idle CPU: count 0, min 0 must not become the min */
		for (i = 0; i < 500; i++) {
			uint64_t v = 100 + draw(D_UNIFORM) * (uint64_t)(cpu + 1);

			if (!c->count || v < c->min)
				c->min = v;
			if (v > c->max)
				c->max = v;
			c->count++;
			c->sum += v;
			c->buckets[nl_hist_index(v)]++;
			nl_hist_add(want, v);
		}
	}
	memset(got, 0xab, sizeof(*got));	/* from_bpf must not depend on dst's old content */
	nl_hist_from_bpf(got, (const struct nl_bpf_hist *)raw, 4, stride);
	check_same(got, want);
	CHECK(got->min >= 100);
	free(raw);
	free(got);
	free(want);
}

static void test_delta(void)
{
	struct nl_hist *prev = calloc(1, sizeof(*prev)), *cur = calloc(1, sizeof(*cur));
	struct nl_hist *truth = calloc(1, sizeof(*truth)), *d = calloc(1, sizeof(*d));
	uint64_t v[2000], tmin = UINT64_MAX, tmax = 0;
	size_t i;

	for (i = 0; i < 2000; i++)
		v[i] = draw(D_BIMODAL);
	fill(prev, v, 800);
	*cur = *prev;
	fill(cur, v + 800, 1200);
	fill(truth, v + 800, 1200);
	for (i = 800; i < 2000; i++) {
		tmin = v[i] < tmin ? v[i] : tmin;
		tmax = v[i] > tmax ? v[i] : tmax;
	}
	nl_hist_delta(d, cur, prev);
	CHECK_EQ_U64(d->count, truth->count);
	CHECK_EQ_U64(d->sum, truth->sum);
	CHECK(!memcmp(d->buckets, truth->buckets, sizeof(d->buckets)));
	/* min/max are only known to the bucket: the edges of the true extremes' buckets */
	CHECK(d->min <= tmin && d->min >= nl_hist_bucket_lo(nl_hist_index(tmin)));
	CHECK(d->max >= tmax && d->max < nl_hist_bucket_hi(nl_hist_index(tmax)));
	/* same buckets, so inner percentiles agree with a histogram of the new values alone */
	CHECK_EQ_U64(nl_hist_percentile(d, 0.5), nl_hist_percentile(truth, 0.5));
	CHECK_EQ_U64(nl_hist_percentile(d, 0.9), nl_hist_percentile(truth, 0.9));

	/* against an empty start the delta is cur itself, exact min and max included */
	nl_hist_reset(d);
	nl_hist_delta(d, cur, d);
	check_same(d, cur);

	/* no change: an empty delta */
	nl_hist_delta(d, cur, cur);
	CHECK_EQ_U64(d->count, 0);
	CHECK_EQ_U64(d->sum, 0);
	CHECK_EQ_U64(nl_hist_percentile(d, 0.99), 0);

	/* dst aliasing cur is allowed */
	nl_hist_delta(cur, cur, prev);
	CHECK_EQ_U64(cur->count, 1200);
	CHECK(!memcmp(cur->buckets, truth->buckets, sizeof(cur->buckets)));

	/* a counter that went backwards (map re-created) never wraps */
	nl_hist_reset(d);
	nl_hist_delta(d, prev, truth);
	CHECK(d->count <= prev->count);
	free(prev);
	free(cur);
	free(truth);
	free(d);
}

/* A per-CPU value of two counters and two histograms: every CPU's counters added, histograms merged. */
static void test_percpu_sum(void)
{
	struct val { uint64_t calls, bytes; struct nl_bpf_hist h[2]; };
	size_t stride = (sizeof(struct val) + 7) & ~(size_t)7;
	unsigned char *raw = calloc(3, stride);
	struct nl_hist *got = calloc(2, sizeof(*got)), *want = calloc(2, sizeof(*want));
	uint64_t sum[2];

	for (int cpu = 0; cpu < 3; cpu++) {
		struct val *v = (struct val *)(raw + (size_t)cpu * stride);

		v->calls = 10u << cpu;		/* 10 + 20 + 40 */
		v->bytes = 1000u * (cpu + 1);	/* 1000 + 2000 + 3000 */
		for (int k = 0; k < 2; k++) {
			uint64_t x = 100 * (uint64_t)(cpu + 1) + (uint64_t)k;

			v->h[k].count = 1;
			v->h[k].sum = v->h[k].min = v->h[k].max = x;
			v->h[k].buckets[nl_hist_index(x)] = 1;
			nl_hist_add(&want[k], x);
		}
	}
	nl_percpu_sum(raw, 3, stride, 2, sum, 2, got);
	CHECK_EQ_U64(sum[0], 70);
	CHECK_EQ_U64(sum[1], 6000);
	check_same(&got[0], &want[0]);
	check_same(&got[1], &want[1]);
	free(raw);
	free(got);
	free(want);
}

int main(void)
{
	test_bucket_layout();
	test_percentile_definition();
	test_percentile_random();
	test_merge();
	test_from_bpf();
	test_percpu_sum();
	test_delta();
	UNIT_DONE();
}
