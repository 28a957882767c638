// SPDX-License-Identifier: GPL-2.0
/*
 * The one histogram: log-linear buckets (layout in src/collect/bpf/hist_shared.h),
 * shared by both collectors and every metric.
 */
#include <math.h>
#include <string.h>

#include "netlat/hist.h"

void nl_hist_reset(struct nl_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void nl_hist_add(struct nl_hist *h, uint64_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (!h->count || v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->buckets[nl_hist_index(v)]++;
}

/* Fold one (count, sum, min, max) summary into dst; buckets are done by the caller. */
static void fold_summary(struct nl_hist *dst, uint64_t count, uint64_t sum,
			 uint64_t min, uint64_t max)
{
	if (!count)
		return;
	if (!dst->count || min < dst->min)
		dst->min = min;
	if (!dst->count || max > dst->max)
		dst->max = max;
	dst->count += count;
	dst->sum += sum;
}

void nl_hist_merge(struct nl_hist *dst, const struct nl_hist *src)
{
	unsigned int i;

	if (dst == src || !src->count)
		return;
	for (i = 0; i < NL_HIST_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	fold_summary(dst, src->count, src->sum, src->min, src->max);
}

void nl_hist_from_bpf(struct nl_hist *dst, const struct nl_bpf_hist *percpu, int ncpu, size_t stride)
{
	const char *base = (const char *)percpu;
	unsigned int i;
	int cpu;

	nl_hist_reset(dst);
	for (cpu = 0; cpu < ncpu; cpu++) {
		const struct nl_bpf_hist *c = (const void *)(base + (size_t)cpu * stride);

		/* A CPU that never ran the program has min == 0 and count == 0: skip it. */
		if (!c->count)
			continue;
		for (i = 0; i < NL_HIST_BUCKETS; i++)
			dst->buckets[i] += c->buckets[i];
		fold_summary(dst, c->count, c->sum, c->min, c->max);
	}
}

void nl_hist_delta(struct nl_hist *dst, const struct nl_hist *cur, const struct nl_hist *prev)
{
	uint64_t cur_min = cur->min, cur_max = cur->max, cur_count = cur->count;
	uint64_t sum = cur->sum >= prev->sum ? cur->sum - prev->sum : 0;
	int lo = -1, hi = -1;
	uint64_t count = 0;
	unsigned int i;

	/* Reads of cur[i]/prev[i] happen before the write of dst[i], so dst may alias either. */
	for (i = 0; i < NL_HIST_BUCKETS; i++) {
		uint64_t c = cur->buckets[i], p = prev->buckets[i];
		uint64_t d = c >= p ? c - p : 0;	/* a map reset must not wrap */

		dst->buckets[i] = d;
		if (d) {
			if (lo < 0)
				lo = (int)i;
			hi = (int)i;
			count += d;
		}
	}
	dst->count = count;
	dst->sum = count ? sum : 0;
	if (!count) {
		dst->min = dst->max = 0;
		return;
	}
	dst->min = nl_hist_bucket_lo((unsigned int)lo);
	dst->max = nl_hist_bucket_hi((unsigned int)hi) - 1;
	/* Every value of the difference is also a value of cur: tighten to its exact range. */
	if (cur_count && dst->min < cur_min)
		dst->min = cur_min;
	if (cur_count && dst->max > cur_max)
		dst->max = cur_max;
	if (dst->max < dst->min)
		dst->max = dst->min;
}

uint64_t nl_hist_bucket_lo(unsigned int idx)
{
	unsigned int group, sub, e;

	if (idx < NL_HIST_SUB)
		return idx;
	if (idx >= NL_HIST_BUCKETS)
		idx = NL_HIST_BUCKETS - 1;
	group = idx / NL_HIST_SUB;
	sub = idx % NL_HIST_SUB;
	e = group - 1 + NL_HIST_SUB_BITS;	/* inverse of nl_hist_index() */
	return (1ULL << e) + ((uint64_t)sub << (e - NL_HIST_SUB_BITS));
}

uint64_t nl_hist_bucket_hi(unsigned int idx)
{
	unsigned int e;

	/* The last bucket also takes everything >= 2^NL_HIST_MAX_BITS. */
	if (idx >= NL_HIST_BUCKETS - 1)
		return UINT64_MAX;
	if (idx < NL_HIST_SUB)
		return idx + 1;
	e = idx / NL_HIST_SUB - 1 + NL_HIST_SUB_BITS;
	return nl_hist_bucket_lo(idx) + (1ULL << (e - NL_HIST_SUB_BITS));
}

/* Nearest-rank (1-based) of quantile q among count values. */
static uint64_t quantile_rank(uint64_t count, double q)
{
	double r;

	if (!(q > 0))		/* also catches NaN */
		return 1;
	if (q >= 1)
		return count;
	/* The epsilon keeps 0.99 * 1000 (= 989.999...) at rank 990, not 991. */
	r = ceil(q * (double)count - 1e-9);
	if (r < 1)
		return 1;
	if (r > (double)count)
		return count;
	return (uint64_t)r;
}

uint64_t nl_hist_percentile(const struct nl_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, hi, mid;
	unsigned int i;

	if (!h->count)
		return 0;
	rank = quantile_rank(h->count, q);
	/* The first and last values are known exactly: no bucket estimate for them. */
	if (rank == 1)
		return h->min;
	if (rank == h->count)
		return h->max;
	for (i = 0; i < NL_HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	if (i == NL_HIST_BUCKETS)	/* count larger than the buckets: inconsistent input */
		return h->max;
	lo = nl_hist_bucket_lo(i);
	hi = nl_hist_bucket_hi(i);
	mid = lo + (hi - lo) / 2;
	if (mid < h->min)
		mid = h->min;
	if (mid > h->max)
		mid = h->max;
	return mid;
}

double nl_hist_mean(const struct nl_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}
