// SPDX-License-Identifier: GPL-2.0
/* tcp in netlat top: the flows that moved the most bytes (in + out) in the interval. */
#include <stdlib.h>

#include "metric_views.h"
#include "netlat/report.h"
#include "netlat/top.h"
#include "netlat/util.h"

struct flow {
	const char *key;
	uint64_t bytes;
};

static int flow_cmp(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;

	return x->bytes == y->bytes ? 0 : x->bytes > y->bytes ? -1 : 1;
}

void tcp_top_flows(FILE *out, const struct nl_triage_in *in, size_t max_rows)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tcp", "flow", &keys);
	struct flow *f = nl_xcalloc(n ? n : 1, sizeof(*f));
	char rate[32], safe[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		f[i].key = keys[i];
		f[i].bytes = nl_triage_counter(in->iv, "tcp", keys[i], "bytes_in") +
			     nl_triage_counter(in->iv, "tcp", keys[i], "bytes_out");
	}
	qsort(f, n, sizeof(*f), flow_cmp);
	fprintf(out, "\n  TOP FLOWS%*s\n", 58, "bytes/s");
	for (size_t i = 0; i < n && i < max_rows && f[i].bytes; i++) {
		nl_report_safe_key(f[i].key, safe, sizeof(safe));
		nl_triage_fmt_num(rate, sizeof(rate), f[i].bytes / in->seconds);
		fprintf(out, "  %-58.58s %8s\n", safe, rate);
	}
	if (!n || !f[0].bytes)
		fprintf(out, "  (no flow moved data in this interval)\n");
	free(f);
	free(keys);
}
