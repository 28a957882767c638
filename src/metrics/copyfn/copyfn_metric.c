// SPDX-License-Identifier: GPL-2.0
/* The copyfn metric's descriptor: copy functions (function latency). */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "metric_summaries.h"
#include "metric_views.h"

static const struct nl_stat_desc copyfn_stats[] = {
	{ "calls", NL_COUNTER, "", "calls" },
	{ "bytes", NL_COUNTER, "bytes", "bytes copied (length argument or return value)" },
	{ "ns", NL_COUNTER, "ns", "time in the function, summed" },
	{ "duration", NL_HIST, "ns", "one call, entry to return" },
	{ "samples", NL_COUNTER, "", "sample tier: cpu-clock samples with the function on the kernel stack" },
	{ "cpu_samples", NL_COUNTER, "", "sample tier: every cpu-clock sample taken" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived copyfn_derived[] = {
	{ "ns_per_kib", "ns", "bytes", "nanoseconds per KiB copied (bench=memcpy: the memory limit)", 1024 },
	{ "cpu_share", "samples", "cpu_samples", "share of CPU time in the function and its callees (no latency)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/*
 * The receive copy, and TCP's send copy (skb_copy_to_page_nocache ->
 * copy_from_iter_full(_nocache)). The send helpers may be out of reach (6.1:
 * _copy_from_iter is neither ftrace-able nor kprobe-able, and
 * skb_do_copy_data_nocache is inlined): then the function they are inlined
 * into, tcp_sendmsg_locked, whose return value is the bytes it copied into skbs.
 */
static const struct nl_func_target copyfn_functions[] = {
	{ "skb_copy_datagram_iter", NL_FUNC_BYTES_ARG, false },
	{ "_copy_from_iter", NL_FUNC_BYTES_RET, false },
	{ "_copy_from_iter_nocache", NL_FUNC_BYTES_RET, false },
	{ "tcp_sendmsg_locked", NL_FUNC_BYTES_RET, true },
	{ NULL, NL_FUNC_PLAIN, false },
};

static const struct nl_headline copyfn_headline = { "func", NULL, "duration", "cpu_share", NULL, NULL, "CPU %", NULL, 0, NULL };

const struct nl_metric_desc nl_metric_copyfn = {
	"copyfn", "Copy functions (function latency)",
	"skb_copy_datagram_iter and _copy_from_iter time and ns per KiB, against memcpy",
	"func|bench", NULL, NULL, copyfn_stats, copyfn_derived, NL_SRC_MEMCPY_REF, &copyfn_headline, NULL, NULL,
	NULL, NULL, false,
	{ 0, 0, NL_FILTER_PID | NL_FILTER_COMM },
	.functions = copyfn_functions,
};
