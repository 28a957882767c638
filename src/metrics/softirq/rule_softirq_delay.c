// SPDX-License-Identifier: GPL-2.0
/*
 * Rule softirq-delay: NET_RX raised but run late (irq:softirq_raise to
 * softirq_entry). Past a few hundred microseconds the softirq has usually
 * been pushed to ksoftirqd, which then competes with other work on that CPU
 * as an ordinary thread: every packet on the CPU waits that long.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"
#include "netlat/util.h"

#define RULE		"softirq-delay"
#define DELAY_P99_NS	1000000.0	/* 1 ms */
#define MIN_SAMPLES	100

static void check_cpu(const struct nl_triage_in *in, const char *key, struct nl_triage *out)
{
	const struct nl_hist *h = nl_triage_hist(in->iv, "softirq", key, "raise_delay");
	struct nl_finding *f;
	char cpu[16], p50[32], p99[32], max[32];
	double v99;

	if (!h || h->count < MIN_SAMPLES)
		return;
	v99 = (double)nl_hist_percentile(h, 0.99);
	if (v99 < DELAY_P99_NS)
		return;
	nl_key_get(key, "cpu", cpu, sizeof(cpu));
	nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h, 0.5));
	nl_fmt_ns(p99, sizeof(p99), v99);
	nl_fmt_ns(max, sizeof(max), (double)h->max);
	f = nl_triage_add(out, RULE, nl_triage_score(v99, DELAY_P99_NS));
	snprintf(f->what, sizeof(f->what),
		 "NET_RX softirq runs late on CPU %s (pushed to ksoftirqd or starved by other work)", cpu);
	snprintf(f->evidence, sizeof(f->evidence),
		 "raise-to-run delay p50 %s, p99 %s, max %s over %llu runs (normal: p99 below 1.00ms)",
		 p50, p99, max, (unsigned long long)h->count);
	snprintf(f->where, sizeof(f->where), "%s", key);
	snprintf(f->next, sizeof(f->next),
		 "top -H -p $(pgrep -d, ksoftirqd/%s); netlat record -m softirq,napi -C %s -d 10s", cpu, cpu);
}

static void check_softirq(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "softirq", "cpu", &keys);
	char vec[16];

	for (size_t i = 0; i < n; i++)
		if (nl_key_get(keys[i], "vec", vec, sizeof(vec)) && !strcmp(vec, "NET_RX"))
			check_cpu(in, keys[i], out);
	free(keys);
}

const struct nl_rule nl_rule_softirq_delay = {
	.name = RULE,
	.order = 20,
	.needs = "softirq",
	.help = "NET_RX raise-to-run delay p99 >= 1ms on a CPU (>= 100 runs)",
	.scopes = 0,
	.check = check_softirq,
};
