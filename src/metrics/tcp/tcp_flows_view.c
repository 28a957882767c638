// SPDX-License-Identifier: GPL-2.0
/*
 * tcp's view after its tables in report --full: the top flows by bytes the
 * processes moved (sock_recv_length, sock_send_length), then rx's flows by
 * socket-queue wait.
 */
#include <errno.h>
#include <string.h>

#include "metric_views.h"
#include "netlat/recording.h"
#include "report/text/ranked_rows.h"

/* Every "flow=" row of tcp once, ranked by bytes in + out. */
static int top_by_bytes(FILE *out, const struct nl_interval *iv)
{
	struct nl_ranked t = { 0 };

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];
		const struct nl_value *in, *o;
		uint64_t b_in, b_out;

		if (strcmp(x->metric, "tcp") || strncmp(x->key, "flow=", 5) || nl_ranked_has(&t, x->key))
			continue;
		in = nl_iv_find(iv, "tcp", x->key, "bytes_in");
		o = nl_iv_find(iv, "tcp", x->key, "bytes_out");
		b_in = in ? in->counter : 0;
		b_out = o ? o->counter : 0;
		if (nl_ranked_put(&t, x->key, (double)(b_in + b_out), b_in, b_out)) {
			nl_ranked_free(&t);
			return -ENOMEM;
		}
	}
	if (!t.n)
		return 0;
	nl_ranked_sort(&t);
	nl_flow_table_head(out, "top flows by bytes", "bytes_in", "bytes_out");
	for (size_t i = 0; i < t.n && i < NL_FLOWS_TOP; i++) {
		nl_flow_cells(out, t.r[i].key);
		fprintf(out, " %14llu %14llu\n", (unsigned long long)t.r[i].a, (unsigned long long)t.r[i].b);
	}
	nl_ranked_free(&t);
	return 0;
}

/*
 * rx's flow table follows tcp's rather than rx's own tables: the flows are
 * TCP's (rx pairs tcp_probe with the reads), and the report has always put a
 * flow's wait beside its bytes.
 */
int tcp_flows_text(FILE *out, const struct nl_interval *iv)
{
	int err = top_by_bytes(out, iv);

	return err ? err : rx_sockq_flows_text(out, iv);
}
