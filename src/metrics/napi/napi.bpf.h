/* SPDX-License-Identifier: GPL-2.0 */
/* napi, kernel side: napi:napi_poll per device: polls, work per poll, budget exhaustion. */
#ifndef NETLAT_NAPI_BPF_H
#define NETLAT_NAPI_BPF_H

#include "napi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_BPF_MAX_DEVS);	/* indexed by device slot */
	__type(key, __u32);
	__type(value, struct napi_val);
} napi_rows SEC(".maps");

/* trace_napi_poll(napi, work, budget) in __napi_poll/napi_threaded_poll; the backlog has napi->dev NULL. */
static __always_inline bool napi_on_poll(struct napi_struct *napi, int work, int budget)
{
	__u32 slot = nl_dev_slot(NL_RD(napi, dev));
	struct napi_val *v = bpf_map_lookup_elem(&napi_rows, &slot);

	if (!v)
		return false;	/* filtered out (NL_DEV_NONE is no index) */
	v->polls++;
	if (work >= budget)
		v->budget_exhausted++;
	nl_hist_put(&v->work, work > 0 ? work : 0);
	return true;
}

#endif
