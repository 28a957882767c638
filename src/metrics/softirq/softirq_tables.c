// SPDX-License-Identifier: GPL-2.0
/* softirq's row table in the BPF object: a row per CPU and vector, "cpu=0 vec=NET_RX". */
#include <stdio.h>

#include "collector.h"
#include "softirq/softirq.h"

NLB_LAYOUT_OK(struct softirq_val, SOFTIRQ_VAL);

static void softirq_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)key;
	snprintf(out, len, "cpu=%d vec=%s", cpu, idx == SOFTIRQ_SLOT_NET_TX ? "NET_TX" : "NET_RX");
}

static const char *const softirq_names[] = NL_ROW_NAMES(SOFTIRQ_VAL);
static const struct nlb_table softirq_t = {
	.metric = "softirq", .rows_map = "softirq_stats", .index = NLB_BY_FIXED, .nfixed = SOFTIRQ_NSLOTS,
	.val_size = sizeof(struct softirq_val), NLB_ROW_COUNTS(SOFTIRQ_VAL), .stats = softirq_names,
	.per_cpu_rows = true, .fmt_key = softirq_key,
};

const struct nlb_table *const nlb_tables_softirq[] = { &softirq_t, NULL };
