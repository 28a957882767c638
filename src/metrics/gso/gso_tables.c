// SPDX-License-Identifier: GPL-2.0
/* gso's row table in the BPF object: one row per device, "dev=eth0 netns=N". */
#include "collector.h"
#include "gso/gso.h"

NLB_LAYOUT_OK(struct gso_val, GSO_VAL);

static const char *const gso_names[] = NL_ROW_NAMES(GSO_VAL);
static const struct nlb_table gso_t = NLB_DEV_TABLE("gso", "gso_rows", struct gso_val, GSO_VAL, gso_names);

const struct nlb_table *const nlb_tables_gso[] = { &gso_t, NULL };
