/* SPDX-License-Identifier: GPL-2.0 */
/* napi: shared between napi.bpf.c and the collector. Rows keyed by struct nl_dev_key. */
#ifndef NETLAT_BPF_NAPI_H
#define NETLAT_BPF_NAPI_H

#include "common.h"
#include "row_value.h"

/* Its statistics, once: the struct and the reported names (row_value.h). */
#define NAPI_VAL(C, H) \
	C(polls) \
	C(budget_exhausted)	/* work >= budget */ \
	H(work)		/* packets per poll */
NL_ROW_VALUE(napi_val, NAPI_VAL);

#endif
