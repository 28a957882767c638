// SPDX-License-Identifier: GPL-2.0
/* copy's row table in the BPF object: a row per direction and process, "dir=rx comm=C pid=P". */
#include <stdio.h>

#include "collector.h"
#include "copy/copy.h"
#include "metric_bpf_hooks.h"
#include "metrics/flows.h"

NLB_LAYOUT_OK(struct nl_copy_val, COPY_VAL);

static void copy_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct nl_copy_key *k = key;
	char comm[NL_BPF_COMM_LEN + 1];

	(void)d;
	(void)idx;
	(void)cpu;
	nl_flow_comm(comm, sizeof(comm), k->comm);
	snprintf(out, len, "dir=%s comm=%s pid=%u", k->dir == COPY_TX ? "tx" : "rx", comm, k->pid);
}

static const char *const copy_names[] = NL_ROW_NAMES(COPY_VAL);
/* keyed like NLB_KEYED_TABLE, and its system-call statistics only with --syscall-time (copy_row_has) */
static const struct nlb_table copy_t = {
	.metric = "copy", .rows_map = "copy_rows", .index = NLB_BY_KEY, .keys_map = "copy_row_keys",
	.taken_var = "copy_row_taken", .key_size = sizeof(struct nl_copy_key), .val_size = sizeof(struct nl_copy_val),
	NLB_ROW_COUNTS(COPY_VAL), .stats = copy_names, .fmt_key = copy_key, .row_has = copy_row_has,
};

const struct nlb_table *const nlb_tables_copy[] = { &copy_t, NULL };
