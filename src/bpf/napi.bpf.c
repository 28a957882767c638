// SPDX-License-Identifier: GPL-2.0
/* napi: napi:napi_poll per device: polls, work per poll, budget exhaustion. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "napi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_dev_key);
	__type(value, struct napi_val);
} napi_stats SEC(".maps");

static const struct napi_val napi_zero;

/* trace_napi_poll(napi, work, budget) in __napi_poll/napi_threaded_poll; the backlog has napi->dev NULL. */
SEC("raw_tp/napi_poll")
int BPF_PROG(nl_napi_poll, struct napi_struct *napi, int work, int budget)
{
	struct nl_dev_key key;
	struct napi_val *v;

	if (!nl_begin())
		return 0;
	if (!nl_dev_key_of(BPF_CORE_READ(napi, dev), &key))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = nl_row(&napi_stats, &key, &napi_zero);
	if (!v)
		return 0;
	v->polls++;
	if (work >= budget)
		v->budget_exhausted++;
	nl_hist_put(&v->work, work > 0 ? work : 0);
	return 0;
}
