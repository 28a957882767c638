// SPDX-License-Identifier: GPL-2.0
/*
 * softirq in netlat top: per CPU, NET_RX runs, the share of time in the
 * handler and the raise-to-run delay, beside napi's softnet_stat counters of
 * the same CPU (squeezes, packets processed), so that a CPU's receive work
 * reads on one line.
 */
#include <stdlib.h>
#include <string.h>

#include "metric_views.h"
#include "netlat/top.h"
#include "netlat/util.h"

static void cpu_row(FILE *out, const struct nl_triage_in *in, const char *key)
{
	const struct nl_hist *d = nl_triage_hist(in->iv, "softirq", key, "duration");
	const struct nl_hist *r = nl_triage_hist(in->iv, "softirq", key, "raise_delay");
	char cpu[16], nk[32], runs[32], p50[32] = "-", p99[32] = "-", sq[32], pk[32];
	double secs = in->seconds, busy = d ? (double)d->sum / (secs * 1e9) * 100 : 0;

	nl_key_get(key, "cpu", cpu, sizeof(cpu));
	snprintf(nk, sizeof(nk), "cpu=%s", cpu);
	nl_triage_fmt_num(runs, sizeof(runs), d ? d->count / secs : 0);
	if (r) {
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(r, 0.5));
		nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(r, 0.99));
	}
	nl_triage_fmt_num(sq, sizeof(sq), nl_triage_counter(in->iv, "napi", nk, "time_squeeze") / secs);
	nl_triage_fmt_num(pk, sizeof(pk), nl_triage_counter(in->iv, "napi", nk, "processed") / secs);
	fprintf(out, "  %-4s %9s/s %7.1f%% %9s %9s %9s/s %10s/s\n", cpu, runs, busy, p50, p99, sq, pk);
}

/* Every CPU that ran NET_RX: a machine has few enough to show them all (max_rows is for lists). */
void softirq_top_cpus(FILE *out, const struct nl_triage_in *in, size_t max_rows)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "softirq", "cpu", &keys), shown = 0;
	char vec[16];

	(void)max_rows;
	fprintf(out, "\n  CPU  NET_RX runs  softirq  delay p50 delay p99  squeezes   processed\n");
	for (size_t i = 0; i < n; i++)
		if (nl_key_get(keys[i], "vec", vec, sizeof(vec)) && !strcmp(vec, "NET_RX")) {
			cpu_row(out, in, keys[i]);
			shown++;
		}
	free(keys);
	if (!shown)
		fprintf(out, "  (no NET_RX softirq in this interval)\n");
}
