// SPDX-License-Identifier: GPL-2.0
/* tx's row table in the BPF object: a row per stage and device, "stage=qdisc dev=eth0". */
#include "collector.h"
#include "tx/tx.h"

NLB_LAYOUT_OK(struct tx_val, TX_VAL);

static const char *const tx_stage_names[TX_NSTAGES] = TX_STAGE_NAMES;

static void tx_stage_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)key;
	(void)cpu;
	nlb_stage_key(out, len, tx_stage_names, TX_NSTAGES, d, idx);
}

static const char *const tx_stats[] = NL_ROW_NAMES(TX_VAL);
static const struct nlb_table tx_t = {
	.metric = "tx", .rows_map = "tx_rows", .index = NLB_BY_STAGE_DEV, .nfixed = TX_NSTAGES,
	.val_size = sizeof(struct tx_val), NLB_ROW_COUNTS(TX_VAL), .stats = tx_stats,
	.fmt_key = tx_stage_key,
};

const struct nlb_table *const nlb_tables_tx[] = { &tx_t, NULL };
