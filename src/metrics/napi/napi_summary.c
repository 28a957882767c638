// SPDX-License-Identifier: GPL-2.0
/* napi's totals in the summary report: polls, the share at budget, softnet's squeezes and drops. */
#include "metric_summaries.h"
#include "report/text/summary_report.h"

void napi_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv)
{
	uint64_t polls = nl_sum_counter(iv, "napi", "dev", "polls");
	uint64_t full = nl_sum_counter(iv, "napi", "dev", "budget_exhausted");

	nl_sum_add(l, "%llu polls, %.2f%% at budget, %llu squeezes, %llu backlog drops",
		   (unsigned long long)polls, polls ? 100.0 * (double)full / (double)polls : 0.0,
		   (unsigned long long)nl_sum_counter(iv, "napi", "cpu", "time_squeeze"),
		   (unsigned long long)nl_sum_counter(iv, "napi", "cpu", "dropped"));
}
