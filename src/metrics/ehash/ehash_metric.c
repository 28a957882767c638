// SPDX-License-Identifier: GPL-2.0
/* The ehash metric's descriptor: TCP established-hash lookups (function latency). */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "metric_summaries.h"
#include "metric_views.h"

/*
 * Function metrics (collector_func.c, include/netlat/func.h): no
 * tracepoints; each function gets the best of five probe tiers. Under the
 * sample tier rows carry samples/cpu_samples (share of CPU time in the
 * function and its callees) instead of durations. ehash: rows "func=F
 * netns=N" ("func=F" where the tier sees no arguments) and a global row
 * with the table size and established sockets; copyfn: "func=F" rows with
 * bytes from the function's length argument or return value, and
 * "bench=memcpy" (this machine's memcpy, measured once); func: -F.
 */
static const struct nl_stat_desc ehash_stats[] = {
	{ "calls", NL_COUNTER, "", "lookups" },
	{ "ns", NL_COUNTER, "ns", "time in the lookups, summed" },
	{ "duration", NL_HIST, "ns", "one lookup, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ "table_size", NL_COUNTER, "", "established-hash buckets (net.ipv4.tcp_ehash_entries)" },
	{ "established", NL_COUNTER, "", "established TCP sockets in netlat's netns, at the first interval" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived ehash_derived[] = {
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ "avg_chain", "established", "table_size", "established sockets per bucket: the average chain length", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/* both lookups take the struct net * first: rows per network namespace */
static const struct nl_func_target ehash_functions[] = {
	{ "__inet_lookup_established", NL_FUNC_NETNS_ARG, false },
	{ "__inet6_lookup_established", NL_FUNC_NETNS_ARG, false },
	{ NULL, NL_FUNC_PLAIN, false },
};

/* table_size and established (ehash_counters.c) */
extern void ehash_counters(struct nl_interval *iv);

static const struct nl_headline ehash_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0, NULL };

const struct nl_metric_desc nl_metric_ehash = {
	"ehash", "TCP established-hash lookups (function latency)",
	"__inet_lookup_established/__inet6_lookup_established time per netns, table size",
	"func netns|func|", NULL, NULL, ehash_stats, ehash_derived, 0, &ehash_headline, NULL, NULL,
	NULL, NULL, false,
	{ 0, 0, NL_FILTER_PID | NL_FILTER_COMM | NL_FILTER_NETNS },
	.functions = ehash_functions,
	.func_counters = ehash_counters,
};
