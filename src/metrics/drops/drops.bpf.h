/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drops, kernel side: skb:kfree_skb by reason and location. The kernel
 * passes __builtin_return_address(0) of kfree_skb_reason as location (what
 * the tracepoint's text prints as a symbol); user space names both.
 */
#ifndef NETLAT_DROPS_BPF_H
#define NETLAT_DROPS_BPF_H

#include "drops.h"

NL_KEYED_ROWS(drops_row, struct nl_drops_key, DROPS_MAX_ROWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROPS_MAX_ROWS);
	__type(key, __u32);
	__type(value, struct nl_drops_val);
} drops_rows SEC(".maps");

/* trace_kfree_skb(skb, location, reason[, rx_sk]); reason is 0 before Linux 5.17 (no such argument). */
static __always_inline bool drops_on_kfree(const struct sk_buff *skb, __u64 location, __u32 reason)
{
	struct nl_drops_key key = {};
	struct nl_drops_val *v;
	__u32 idx;

	key.netns = nl_dev_netns(NL_RD(skb, dev));
	if (!key.netns)
		key.netns = nl_sk_netns(NL_RD(skb, sk));
	if (!nl_netns_ok(key.netns))
		return false;
	key.location = location;
	key.reason = reason;
	idx = drops_row_index(&key);
	v = bpf_map_lookup_elem(&drops_rows, &idx);
	if (!v)
		return false;
	v->drops++;
	return true;
}

#endif
