// SPDX-License-Identifier: GPL-2.0
/*
 * Which histogram boundaries a scraper sees. netlat's log-linear
 * histogram has 16 buckets per power of two (720 in all): too many series
 * per scrape. The exposition shows a fixed subset of its edges, chosen by
 * unit and --buckets (edges per octave), the same on every scrape and
 * every host so series line up; each exposed boundary is the lower edge
 * of a netlat bucket, so its cumulative count is exact, not interpolated.
 */
#include <math.h>
#include <string.h>

#include "netlat/expo.h"
#include "netlat/hist.h"

/* The exposed range per unit, as powers of two: [2^lo, 2^hi]. */
static void unit_range(const char *unit, unsigned int *lo, unsigned int *hi)
{
	if (!strcmp(unit, "ns")) {
		*lo = 8;	/* 256 ns: below that a latency is one bucket of noise here */
		*hi = 35;	/* 34.4 s */
	} else if (!strcmp(unit, "bytes")) {
		*lo = 6;	/* 64 B */
		*hi = 26;	/* 64 MiB */
	} else {
		*lo = 0;	/* packets, segments: 1 .. 65536 */
		*hi = 16;
	}
}

/* Is e a lower bound of a netlat bucket? (Below 16 every integer is.) */
static bool is_edge(uint64_t e)
{
	return nl_hist_bucket_lo(nl_hist_index(e)) == e;
}

size_t nl_expo_edges(const char *unit, unsigned int per_octave, uint64_t *edges, size_t max)
{
	unsigned int lo, hi;
	size_t n = 0;

	if (!per_octave)
		per_octave = 1;
	unit_range(unit, &lo, &hi);
	for (unsigned int e = lo; e <= hi && n < max; e++) {
		uint64_t base = 1ULL << e;

		for (unsigned int s = 0; s < per_octave && n < max; s++) {
			uint64_t step = base * s;

			/* in the exact region (< 16) only integers are edges */
			if (step % per_octave)
				continue;
			if (is_edge(base + step / per_octave))
				edges[n++] = base + step / per_octave;
			if (e == hi)
				break;	/* the range ends on its power of two */
		}
	}
	return n;
}

double nl_expo_le(const char *unit, uint64_t edge, double scale)
{
	/*
	 * netlat's buckets are [lo, hi): an edge E counts values < E. For the
	 * integer units `< E` is exactly `<= E - 1`, Prometheus's meaning of le.
	 * For time, E ns in seconds reads better than E - 1 and differs only
	 * for an observation of exactly E ns (docs/metrics.md).
	 */
	if (!strcmp(unit, "ns"))
		return (double)edge * scale;
	return (double)(edge - 1) * scale;
}

/*
 * Native histogram bucket of x > 0 at schema 4: index i holds
 * (2^((i-1)/16), 2^(i/16)]. log2 rounds, so the bound is checked both ways.
 */
int nl_expo_native_index(double x)
{
	int i = (int)ceil(log2(x) * NL_EXPO_NATIVE_PER_OCTAVE);

	if (x > exp2((double)i / NL_EXPO_NATIVE_PER_OCTAVE))
		i++;
	else if (x <= exp2((double)(i - 1) / NL_EXPO_NATIVE_PER_OCTAVE))
		i--;
	return i;
}

/*
 * Where a netlat bucket's count goes in the native histogram: the value
 * in the middle of the bucket (integer values lo .. hi-1), in base units.
 * 0 for bucket 0, the zero bucket. docs/metrics.md derives the error.
 */
double nl_expo_native_value(unsigned int idx, double scale)
{
	uint64_t lo = nl_hist_bucket_lo(idx), hi = nl_hist_bucket_hi(idx);

	return ((double)lo + (double)(hi - 1 - lo) / 2) * scale;
}
