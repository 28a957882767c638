// SPDX-License-Identifier: GPL-2.0
/* The func metric's descriptor: any function's latency (-F). */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "metric_summaries.h"
#include "metric_views.h"

static const struct nl_stat_desc func_stats[] = {
	{ "calls", NL_COUNTER, "", "calls" },
	{ "ns", NL_COUNTER, "ns", "time in the function, summed" },
	{ "duration", NL_HIST, "ns", "one call, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived func_derived[] = {
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

static const struct nl_headline func_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0, NULL };

const struct nl_metric_desc nl_metric_func = {
	"func", "Function latency (-F)", "any traceable function's time, like funclatency",
	"func", NULL, NULL, func_stats, func_derived, 0, &func_headline, NULL, NULL,
	NULL, NULL, false,
	{ 0, 0, NL_FILTER_PID | NL_FILTER_COMM },
	.func_patterns = true,
};
