// SPDX-License-Identifier: GPL-2.0
/*
 * Rule qdisc-sojourn: packets wait in a qdisc (qdisc_enqueue to
 * qdisc_dequeue) long enough to dominate the transmit path: a shaper
 * (tbf, htb) at its rate, or a deep FIFO in front of a slow link
 * (bufferbloat). When the tx ladder was recorded too, the sojourn must also
 * be the larger part of the device's transmit latency.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"
#include "netlat/util.h"

#define RULE		"qdisc-sojourn"
#define SOJOURN_P99_NS	1000000.0	/* 1 ms */
#define MIN_PACKETS	10
#define DOMINANT_SHARE	0.5

/* Sum of the tx ladder's stage p50s on dev, qdisc stages excluded; 0 without a ladder. */
static double tx_ladder_other_ns(const struct nl_triage_in *in, const char *dev)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tx", "stage", &keys);
	double sum = 0;
	char d[NL_KEY_MAX], stage[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, "tx", keys[i], "latency");

		if (!h || !nl_key_get(keys[i], "dev", d, sizeof(d)) || strcmp(d, dev))
			continue;
		nl_key_get(keys[i], "stage", stage, sizeof(stage));
		/* total spans every stage; the qdisc stage is the sojourn itself */
		if (strcmp(stage, "qdisc") && strcmp(stage, "total"))
			sum += (double)nl_hist_percentile(h, 0.5);
	}
	free(keys);
	return sum;
}

static void check_row(const struct nl_triage_in *in, const char *key, struct nl_triage *out)
{
	const struct nl_hist *h = nl_triage_hist(in->iv, "qdisc", key, "sojourn");
	char dev[NL_KEY_MAX], handle[32], p50[32], p99[32], other_s[80] = "";
	double v50, v99, other;
	struct nl_finding *f;

	if (!h || h->count < MIN_PACKETS)
		return;
	v50 = (double)nl_hist_percentile(h, 0.5);
	v99 = (double)nl_hist_percentile(h, 0.99);
	nl_key_get(key, "dev", dev, sizeof(dev));
	nl_key_get(key, "handle", handle, sizeof(handle));
	other = tx_ladder_other_ns(in, dev);
	if (v99 < SOJOURN_P99_NS || (other > 0 && v50 / (v50 + other) < DOMINANT_SHARE))
		return;
	nl_fmt_ns(p50, sizeof(p50), v50);
	nl_fmt_ns(p99, sizeof(p99), v99);
	if (other > 0) {
		char o[32];

		nl_fmt_ns(o, sizeof(o), other);
		snprintf(other_s, sizeof(other_s), "; the rest of the tx path p50 %s", o);
	}
	f = nl_triage_add(out, RULE, nl_triage_score(v99, SOJOURN_P99_NS));
	snprintf(f->what, sizeof(f->what),
		 "packets wait in qdisc %s on %s: it dominates the transmit path (shaping or bufferbloat)",
		 handle, dev);
	snprintf(f->evidence, sizeof(f->evidence),
		 "sojourn p50 %s, p99 %s over %llu packets%s (normal: p99 below 1.00ms)",
		 p50, p99, (unsigned long long)h->count, other_s);
	snprintf(f->where, sizeof(f->where), "dev=%s qdisc handle=%s", dev, handle);
	snprintf(f->next, sizeof(f->next),
		 "tc -s qdisc show dev %s (in the device's netns); netlat record -m qdisc,tx --dev %s",
		 dev, dev);
}

static void check_qdisc(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "qdisc", "dev", &keys);

	for (size_t i = 0; i < n; i++)
		check_row(in, keys[i], out);
	free(keys);
}

const struct nl_rule nl_rule_qdisc_sojourn = {
	.name = RULE,
	.order = 30,
	.needs = "qdisc",
	.help = "qdisc sojourn p99 >= 1ms (>= 10 packets) and, with the tx ladder, >= 50% of its p50s",
	.scopes = NL_RULE_SCOPE_DEV,
	.check = check_qdisc,
};
