// SPDX-License-Identifier: GPL-2.0
/* gro's row table in the BPF object: one row per device, "dev=eth0 netns=N". */
#include "collector.h"
#include "gro/gro.h"

NLB_LAYOUT_OK(struct gro_val, GRO_VAL);

static const char *const gro_names[] = NL_ROW_NAMES(GRO_VAL);
static const struct nlb_table gro_t = NLB_DEV_TABLE("gro", "gro_rows", struct gro_val, GRO_VAL, gro_names);

const struct nlb_table *const nlb_tables_gro[] = { &gro_t, NULL };
