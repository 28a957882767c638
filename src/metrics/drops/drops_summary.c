// SPDX-License-Identifier: GPL-2.0
/* drops' total in the summary report. */
#include "metric_summaries.h"
#include "report/text/summary_report.h"

void drops_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv)
{
	nl_sum_add(l, "%llu dropped", (unsigned long long)nl_sum_counter(iv, "drops", "reason", "drops"));
}
