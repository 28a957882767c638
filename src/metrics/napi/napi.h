/* SPDX-License-Identifier: GPL-2.0 */
/* napi: shared between napi.bpf.c and the collector. Rows keyed by struct nl_dev_key. */
#ifndef NETLAT_BPF_NAPI_H
#define NETLAT_BPF_NAPI_H

#include "common.h"
#include "hist_shared.h"

/* Counters first, then histograms: the collector's generic reader relies on that order. */
struct napi_val {
	unsigned long long polls;
	unsigned long long budget_exhausted;	/* work >= budget */
	struct nl_bpf_hist work;		/* packets per poll */
};

#endif
