// SPDX-License-Identifier: GPL-2.0
/*
 * The default thresholds of `netlat diff`, which are also its table of
 * directions: a statistic listed here has a worse direction (+ an increase
 * is worse, - a decrease is worse); one that is not listed (packet, byte and
 * poll counts and rates: they follow the workload) is reported as "changed"
 * when it moves, never as a regression. Rationale per line in docs/diff.md.
 * This is the only place in diff that names metrics. The gate is the
 * headline set (p50 and p99 of every time histogram, budget exhaustion,
 * squeezes, drops, coalescing); p999 is reported, not gated, unless -t names it.
 */
#include "netlat/diff.h"
#include "netlat/util.h"

/* An increase beyond l percent is worse (UP) or a decrease (DOWN). */
#define UP(p, u, l)	{ .pattern = p, .unit = u, .dir = +1, .limit = l, .pct = true, \
			  .spec = "+" #l "%", .origin = "default" }
/* Reported beyond l percent, but not in the gate: a tail too thin to fail a build on. */
#define UP_REPORT(p, u, l)	{ .pattern = p, .unit = u, .dir = +1, .limit = l, .pct = true, \
			  .spec = "+" #l "%", .origin = "default, report only", .report_only = true }
#define DOWN(p, u, l)	{ .pattern = p, .unit = u, .dir = -1, .limit = l, .pct = true, \
			  .spec = "-" #l "%", .origin = "default" }

static const struct nl_threshold defaults[] = {
	/*
	 * Every time histogram: higher is slower. Percentiles come from
	 * log-linear buckets at most 1/16 (6.25%) wide, so a one-bucket move
	 * stays under p50's 10%; tails are noisier and get more room.
	 */
	UP("*.*.p50", "ns", 10),
	UP("*.*.p99", "ns", 20),
	UP_REPORT("*.*.p999", "ns", 30),
	/* NAPI: more polls that hit their budget, more squeezes, more backlog drops */
	UP("napi.budget_exhausted_ratio.ratio", "", 10),
	UP("napi.time_squeeze.rate", "", 10),
	UP("napi.dropped.rate", "", 10),
	/* packets the kernel dropped, per reason */
	UP("drops.drops.rate", "", 10),
	/* coalescing: fewer packets per skb (GRO) or segments per transmit (GSO) is more per-packet work */
	DOWN("gro.ratio.ratio", "", 5),
	DOWN("gso.segs_per_xmit.ratio", "", 5),
};

const struct nl_threshold *nl_default_thresholds(size_t *n)
{
	*n = ARRAY_SIZE(defaults);
	return defaults;
}
