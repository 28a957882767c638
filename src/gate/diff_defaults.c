// SPDX-License-Identifier: GPL-2.0
/*
 * The default thresholds of `netlat diff`, which are also its table of
 * directions: a statistic listed here has a worse direction (+ an increase
 * is worse, - a decrease is worse); one that is not listed (packet, byte and
 * poll counts and rates: they follow the workload) is reported as "changed"
 * when it moves, never as a regression. Rationale per line in docs/diff.md.
 * The rows here name no metric: each metric's own rows are its descriptor's
 * diff_defaults (src/metrics/<name>/<name>_metric.c), appended after these.
 * The gate is the headline set (p50 and p99 of every time histogram, budget
 * exhaustion, squeezes, drops, coalescing); p999 is reported, not gated,
 * unless -t names it.
 */
#include "netlat/diff.h"
#include "netlat/metric.h"
#include "netlat/util.h"

/* Reported beyond l percent, but not in the gate: a tail too thin to fail a build on. */
#define UP_REPORT(p, u, l)	{ .pattern = p, .unit = u, .dir = +1, .limit = l, .pct = true, \
			  .spec = "+" #l "%", .origin = "default, report only", .report_only = true }

static const struct nl_threshold generic[] = {
	/*
	 * Every time histogram: higher is slower. Percentiles come from
	 * log-linear buckets at most 1/16 (6.25%) wide, so a one-bucket move
	 * stays under p50's 10%; tails are noisier and get more room.
	 */
	NL_THRESHOLD_UP("*.*.p50", "ns", 10),
	NL_THRESHOLD_UP("*.*.p99", "ns", 20),
	UP_REPORT("*.*.p999", "ns", 30),
};

#define NL_MAX_DEFAULT_THRESHOLDS	64

/* Made once, on first use: the patterns of different metrics never overlap, so their order is free. */
const struct nl_threshold *nl_default_thresholds(size_t *n)
{
	static struct nl_threshold all[NL_MAX_DEFAULT_THRESHOLDS];
	static size_t nall;

	if (!nall) {
		for (size_t i = 0; i < ARRAY_SIZE(generic); i++)
			all[nall++] = generic[i];
		for (size_t m = 0; m < nl_nmetrics; m++)
			for (const struct nl_threshold *t = nl_metrics[m]->diff_defaults; t && t->pattern[0]; t++)
				if (nall < NL_MAX_DEFAULT_THRESHOLDS)
					all[nall++] = *t;
	}
	*n = nall;
	return all;
}
