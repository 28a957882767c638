// SPDX-License-Identifier: GPL-2.0
/*
 * drops: skb:kfree_skb by reason and location. The kernel passes
 * __builtin_return_address(0) of kfree_skb_reason as location (what the
 * tracepoint's text prints as a symbol); user space names both.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "drops.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, DROPS_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_drops_key);
	__type(value, struct nl_drops_val);
} drops_stats SEC(".maps");

static const struct nl_drops_val drops_zero;

/* trace_kfree_skb(skb, location, reason[, rx_sk]) */
SEC("raw_tp/kfree_skb")
int BPF_PROG(nl_kfree_skb, struct sk_buff *skb, void *location, int reason)
{
	struct nl_drops_key key = {};
	struct nl_drops_val *v;

	if (!nl_begin())
		return 0;
	key.netns = nl_dev_netns(BPF_CORE_READ(skb, dev));
	if (!key.netns)
		key.netns = nl_sk_netns(BPF_CORE_READ(skb, sk));
	if (!nl_netns_ok(key.netns))
		return 0;
	key.location = (__u64)location;
	key.reason = (__u32)reason;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = nl_row(&drops_stats, &key, &drops_zero);
	if (v)
		v->drops++;
	return 0;
}
