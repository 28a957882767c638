// SPDX-License-Identifier: GPL-2.0
/*
 * Rule napi-budget: NAPI polls that end because they hit their budget
 * (napi:napi_poll work >= budget), and softnet_stat's time_squeeze (NET_RX
 * stopped with work left, out of budget or out of time). Either means the
 * receive side cannot keep up on some CPU; when one CPU does most of the
 * receive work, interrupt affinity or RPS is the first thing to look at.
 * Backlog drops (softnet_stat) at the same time raise the severity as the
 * drops rule would score them: the budget problem is already losing packets.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"

#define RULE			"napi-budget"
#define EXHAUSTED_RATIO		0.05	/* of polls */
#define EXHAUSTED_MIN		50	/* polls, so a blip is no finding */
#define SQUEEZE_PER_S		10.0
#define CONCENTRATED_SHARE	0.8	/* of processed packets on one CPU */
#define DROPS_PER_S		1.0	/* backlog drops raise the severity like the drops rule */

struct cpu_load {
	char key[NL_KEY_MAX];
	uint64_t processed, squeeze, dropped;
	uint64_t total_processed, total_squeeze, total_dropped;
};

/* The CPU doing most of the receive work, and the totals, from the "cpu=N" rows. */
static void busiest_cpu(const struct nl_triage_in *in, struct cpu_load *c)
{
	const char **keys = NULL;
	size_t n = in->dev && in->dev[0] ? 0 : nl_triage_keys(in, "napi", "cpu", &keys);

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		uint64_t p = nl_triage_counter(in->iv, "napi", keys[i], "processed");
		uint64_t s = nl_triage_counter(in->iv, "napi", keys[i], "time_squeeze");

		c->total_processed += p;
		c->total_squeeze += s;
		c->total_dropped += nl_triage_counter(in->iv, "napi", keys[i], "dropped");
		if (p > c->processed || (p == c->processed && s > c->squeeze)) {
			c->processed = p;
			c->squeeze = s;
			c->dropped = nl_triage_counter(in->iv, "napi", keys[i], "dropped");
			snprintf(c->key, sizeof(c->key), "%s", keys[i]);
		}
	}
	free(keys);
}

static void where_cpu(char *buf, size_t len, const char *prefix, const struct cpu_load *c)
{
	double share = c->total_processed ? (double)c->processed / c->total_processed : 0;

	if (!c->key[0]) {
		snprintf(buf, len, "%s", prefix);
		return;
	}
	snprintf(buf, len, "%s; %s does %.0f%% of the receive work%s", prefix, c->key, share * 100,
		 share >= CONCENTRATED_SHARE && c->total_processed ?
		 " (concentrated: check IRQ affinity and RPS)" : "");
}

static void check_dev(const struct nl_triage_in *in, const char *key, const struct cpu_load *c,
		      struct nl_triage *out)
{
	uint64_t polls = nl_triage_counter(in->iv, "napi", key, "polls");
	uint64_t ex = nl_triage_counter(in->iv, "napi", key, "budget_exhausted");
	double ratio, score;
	struct nl_finding *f;
	char dev[NL_KEY_MAX];

	/* the share as the report shows it (the metric table's budget_exhausted_ratio) */
	nl_triage_derived(in->iv, "napi", key, "budget_exhausted_ratio", &ratio);
	if (ex < EXHAUSTED_MIN || ratio < EXHAUSTED_RATIO)
		return;
	score = nl_triage_score(ratio, EXHAUSTED_RATIO);
	/* backlog drops while the budget runs out: the same problem, already losing packets */
	if (in->seconds > 0 && nl_triage_score(c->total_dropped / in->seconds, DROPS_PER_S) > score)
		score = nl_triage_score(c->total_dropped / in->seconds, DROPS_PER_S);
	f = nl_triage_add(out, RULE, score);
	nl_key_get(key, "dev", dev, sizeof(dev));
	snprintf(f->what, sizeof(f->what),
		 "NAPI polls on %s hit their budget: the receive side cannot keep up", dev);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%llu of %llu polls exhausted the budget (%.1f%%; normal: below %.0f%%); "
		 "time_squeeze %llu, backlog drops %llu",
		 (unsigned long long)ex, (unsigned long long)polls, ratio * 100, EXHAUSTED_RATIO * 100,
		 (unsigned long long)c->total_squeeze, (unsigned long long)c->total_dropped);
	where_cpu(f->where, sizeof(f->where), key, c);
	snprintf(f->next, sizeof(f->next),
		 "netlat report -m napi,softirq; sysctl net.core.dev_weight net.core.netdev_budget; "
		 "grep . /sys/class/net/*/queues/rx-*/rps_cpus");
}

static void check_squeeze(const struct nl_triage_in *in, const struct cpu_load *c,
			  struct nl_triage *out)
{
	double rate = in->seconds > 0 ? c->total_squeeze / in->seconds : 0;
	struct nl_finding *f;

	if (rate < SQUEEZE_PER_S)
		return;
	f = nl_triage_add(out, RULE, nl_triage_score(rate, SQUEEZE_PER_S));
	snprintf(f->what, sizeof(f->what),
		 "NET_RX softirq ran out of budget or time (time_squeeze): packets wait for the next round");
	snprintf(f->evidence, sizeof(f->evidence),
		 "time_squeeze %.1f/s (normal: below %.0f/s), backlog drops %llu",
		 rate, SQUEEZE_PER_S, (unsigned long long)c->total_dropped);
	where_cpu(f->where, sizeof(f->where), "softnet_stat", c);
	snprintf(f->next, sizeof(f->next),
		 "netlat report -m napi,softirq; sysctl net.core.netdev_budget net.core.netdev_budget_usecs");
}

static void check_napi(const struct nl_triage_in *in, struct nl_triage *out)
{
	struct cpu_load c;
	const char **keys;
	size_t n, before = out->nf;

	busiest_cpu(in, &c);
	n = nl_triage_keys(in, "napi", "dev", &keys);
	for (size_t i = 0; i < n; i++)
		check_dev(in, keys[i], &c, out);
	free(keys);
	/* squeezes without an exhausting device (time limit, or a device not seen) */
	if (out->nf == before)
		check_squeeze(in, &c, out);
}

const struct nl_rule nl_rule_napi_budget = {
	.name = RULE,
	.order = 10,
	.needs = "napi",
	.help = "polls hitting their budget (>= 5% of polls, >= 50 polls) or time_squeeze >= 10/s",
	.scopes = NL_RULE_SCOPE_DEV,
	.check = check_napi,
};
