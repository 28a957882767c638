// SPDX-License-Identifier: GPL-2.0
/* drops' row table in the BPF object: a row per drop site, "reason=R location=L netns=N". */
#include <stdio.h>

#include "collector.h"
#include "drops/drops.h"
#include "metrics/flows.h"

NLB_LAYOUT_OK(struct nl_drops_val, DROPS_VAL);

static void drops_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct nl_drops_key *k = key;
	char loc[128], rsn[64];

	(void)d;
	(void)idx;
	(void)cpu;
	nl_flow_drop_names(k->location, k->reason, loc, sizeof(loc), rsn, sizeof(rsn));
	if (k->netns)
		snprintf(out, len, "reason=%s location=%s netns=%u", rsn, loc, k->netns);
	else
		snprintf(out, len, "reason=%s location=%s", rsn, loc);
}

static const char *const drops_names[] = NL_ROW_NAMES(DROPS_VAL);
static const struct nlb_table drops_t = NLB_KEYED_TABLE("drops", "drops_rows", "drops_row", struct nl_drops_key,
						    struct nl_drops_val, DROPS_VAL, drops_names, drops_key);

const struct nlb_table *const nlb_tables_drops[] = { &drops_t, NULL };
