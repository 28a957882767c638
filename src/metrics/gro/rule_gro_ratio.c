// SPDX-License-Identifier: GPL-2.0
/*
 * Rule gro-ratio: a device receives many packets but hands about as many
 * skbs up the stack: GRO is off (packets bypass it through netif_rx or
 * netif_receive_skb) or defeated (it sees them but merges nothing: mixed
 * flows, options, encapsulation it cannot parse). Every packet then pays
 * the whole protocol stack alone. Loopback is skipped: its senders hand over
 * whole TSO-sized skbs, there is nothing to coalesce.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"

#define RULE		"gro-ratio"
#define RATIO_MAX	1.1		/* packets in per skb out */
#define PPS_MIN		20000.0

static void check_dev(const struct nl_triage_in *in, const char *key, struct nl_triage *out)
{
	uint64_t gro = nl_triage_counter(in->iv, "gro", key, "gro_in");
	uint64_t direct = nl_triage_counter(in->iv, "gro", key, "direct_in");
	uint64_t skbs = nl_triage_counter(in->iv, "gro", key, "skbs_out");
	double pps = in->seconds > 0 ? (gro + direct) / in->seconds : 0, ratio;
	char dev[NL_KEY_MAX], rate[32];
	struct nl_finding *f;

	nl_key_get(key, "dev", dev, sizeof(dev));
	if (!skbs || pps < PPS_MIN || !strcmp(dev, "lo"))
		return;
	if (!nl_triage_derived(in->iv, "gro", key, "ratio", &ratio) || ratio >= RATIO_MAX)
		return;
	nl_triage_fmt_num(rate, sizeof(rate), pps);
	f = nl_triage_add(out, RULE, nl_triage_score(pps, PPS_MIN));
	snprintf(f->what, sizeof(f->what), "GRO does not coalesce on %s: %s", dev,
		 gro * 2 < direct ? "packets bypass GRO (off on this device)" :
		 "GRO sees the packets but merges nothing (defeated)");
	snprintf(f->evidence, sizeof(f->evidence),
		 "%s packets/s in, %.2f packets per skb out (%llu through GRO, %llu around it); "
		 "normal for bulk TCP: well above %.1f", rate, ratio, (unsigned long long)gro,
		 (unsigned long long)direct, RATIO_MAX);
	snprintf(f->where, sizeof(f->where), "dev=%s", dev);
	snprintf(f->next, sizeof(f->next), "ethtool -k %s | grep receive-offload; ethtool -K %s gro on",
		 dev, dev);
}

static void check_gro(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "gro", "dev", &keys);

	for (size_t i = 0; i < n; i++)
		check_dev(in, keys[i], out);
	free(keys);
}

const struct nl_rule nl_rule_gro_ratio = {
	.name = RULE,
	.order = 70,
	.needs = "gro",
	.help = "a device (not lo) taking >= 20k packets/s with < 1.1 packets per skb out",
	.scopes = NL_RULE_SCOPE_DEV,
	.check = check_gro,
};
