// SPDX-License-Identifier: GPL-2.0
/* napi's row table in the BPF object: one row per device, "dev=eth0 netns=N". */
#include "collector.h"
#include "napi/napi.h"

NLB_LAYOUT_OK(struct napi_val, NAPI_VAL);

static const char *const napi_names[] = NL_ROW_NAMES(NAPI_VAL);
static const struct nlb_table napi_t = NLB_DEV_TABLE("napi", "napi_rows", struct napi_val, NAPI_VAL, napi_names);

const struct nlb_table *const nlb_tables_napi[] = { &napi_t, NULL };
