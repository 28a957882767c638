// SPDX-License-Identifier: GPL-2.0
/*
 * rx's flows by p99 socket-queue wait (report --full, printed under tcp's
 * top flows: tcp/tcp_flows_view.c).
 */
#include <errno.h>
#include <string.h>

#include "metric_views.h"
#include "netlat/recording.h"
#include "report/text/ranked_rows.h"

/* The rx metric's "flow=..." rows with a sockq_wait histogram, by p99. */
int rx_sockq_flows_text(FILE *out, const struct nl_interval *iv)
{
	struct nl_ranked t = { 0 };

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];

		if (strcmp(x->metric, "rx") || strncmp(x->key, "flow=", 5) || strcmp(x->stat, "sockq_wait") ||
		    x->kind != NL_HIST || !x->hist || !x->hist->count)
			continue;
		if (nl_ranked_put(&t, x->key, (double)nl_hist_percentile(x->hist, 0.99), x->hist->count, 0)) {
			nl_ranked_free(&t);
			return -ENOMEM;
		}
	}
	if (!t.n)
		return 0;
	nl_ranked_sort(&t);
	nl_flow_table_head(out, "top flows by p99 socket-queue wait (rx)", "count", "p99_us");
	for (size_t i = 0; i < t.n && i < NL_FLOWS_TOP; i++) {
		nl_flow_cells(out, t.r[i].key);
		fprintf(out, " %14llu %14.1f\n", (unsigned long long)t.r[i].a, t.r[i].v / 1e3);
	}
	nl_ranked_free(&t);
	return 0;
}
