// SPDX-License-Identifier: GPL-2.0
/*
 * gro: packets into the stack per device, through GRO or around it, against
 * skbs delivered up. All six tracepoints take the skb as their only
 * argument; the three *_entry ones beyond napi_gro_receive_entry are
 * optional (the collector does not load what this kernel lacks).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "gro.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_dev_key);
	__type(value, struct gro_val);
} gro_stats SEC(".maps");

static const struct gro_val gro_zero;

static __always_inline int gro_count(const struct sk_buff *skb, enum gro_field f)
{
	struct nl_dev_key key;
	struct gro_val *v;

	if (!nl_begin())
		return 0;
	if (!nl_dev_key_of(BPF_CORE_READ(skb, dev), &key))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = nl_row(&gro_stats, &key, &gro_zero);
	if (!v)
		return 0;
	if (f == GRO_IN)
		v->gro_in++;
	else if (f == GRO_DIRECT_IN)
		v->direct_in++;
	else
		v->skbs_out++;
	return 0;
}

SEC("raw_tp/napi_gro_receive_entry")
int BPF_PROG(nl_gro_receive_entry, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_IN);
}

SEC("raw_tp/napi_gro_frags_entry")
int BPF_PROG(nl_gro_frags_entry, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_IN);
}

SEC("raw_tp/netif_rx")
int BPF_PROG(nl_netif_rx, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_DIRECT_IN);
}

SEC("raw_tp/netif_receive_skb_entry")
int BPF_PROG(nl_netif_receive_skb_entry, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_DIRECT_IN);
}

SEC("raw_tp/netif_receive_skb_list_entry")
int BPF_PROG(nl_netif_receive_skb_list_entry, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_DIRECT_IN);
}

SEC("raw_tp/netif_receive_skb")
int BPF_PROG(nl_netif_receive_skb, const struct sk_buff *skb)
{
	return gro_count(skb, GRO_SKBS_OUT);
}
