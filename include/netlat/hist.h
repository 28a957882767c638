/* SPDX-License-Identifier: GPL-2.0 */
/* One histogram type for every metric and both collectors (layout in src/collect/bpf/hist_shared.h). */
#ifndef NETLAT_HIST_H
#define NETLAT_HIST_H

#include <stdint.h>
#include <stdio.h>
#include "../../src/collect/bpf/hist_shared.h"

struct nl_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;		/* valid when count > 0 */
	uint64_t max;
	uint64_t buckets[NL_HIST_BUCKETS];
};

void nl_hist_reset(struct nl_hist *h);
void nl_hist_add(struct nl_hist *h, uint64_t v);
/* dst += src */
void nl_hist_merge(struct nl_hist *dst, const struct nl_hist *src);
/* dst = sum over the CPUs of a per-CPU BPF map value (ncpu entries, stride bytes apart). */
void nl_hist_from_bpf(struct nl_hist *dst, const struct nl_bpf_hist *percpu, int ncpu, size_t stride);
/*
 * dst = cur - prev, bucket by bucket, for cumulative in-kernel histograms.
 * min/max of the difference come from the edges of its lowest and highest
 * non-empty buckets (exact min/max exist only for the whole run).
 */
void nl_hist_delta(struct nl_hist *dst, const struct nl_hist *cur, const struct nl_hist *prev);

/* Inclusive lower bound and exclusive upper bound of bucket idx. */
uint64_t nl_hist_bucket_lo(unsigned int idx);
uint64_t nl_hist_bucket_hi(unsigned int idx);
/* Value at quantile q (0..1): midpoint of the bucket holding it, clamped to [min, max]. */
uint64_t nl_hist_percentile(const struct nl_hist *h, double q);
double nl_hist_mean(const struct nl_hist *h);

#endif
