// SPDX-License-Identifier: GPL-2.0
/* tcp's totals in the summary report: handshake and srtt percentiles, retransmits and resets. */
#include <stdlib.h>

#include "metric_summaries.h"
#include "netlat/util.h"
#include "report/text/summary_report.h"

void tcp_summary_totals(struct nl_sum_line *l, const struct nl_interval *iv)
{
	struct nl_hist *h = nl_xcalloc(1, sizeof(*h));
	char p50[16], p99[16];

	nl_sum_hists(iv, "tcp", "side", "handshake", h);
	if (h->count) {
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h, 0.50));
		nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
		nl_sum_add(l, "handshake p50 %s p99 %s (%llu)", p50, p99, (unsigned long long)h->count);
	} else {
		nl_sum_add(l, "no handshake seen");
	}
	nl_sum_hists(iv, "tcp", "netns", "srtt", h);
	if (h->count) {
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h, 0.50));
		nl_sum_add(l, "srtt p50 %s", p50);
	}
	nl_sum_add(l, "%llu retransmits, resets %llu sent %llu received",
		   (unsigned long long)nl_sum_counter(iv, "tcp", "netns", "retransmits"),
		   (unsigned long long)nl_sum_counter(iv, "tcp", "netns", "resets_sent"),
		   (unsigned long long)nl_sum_counter(iv, "tcp", "netns", "resets_received"));
	free(h);
}
