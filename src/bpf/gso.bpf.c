// SPDX-License-Identifier: GPL-2.0
/* gso: net:net_dev_start_xmit(skb, dev) per device: transmits, wire segments, bytes. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "gso.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_dev_key);
	__type(value, struct gso_val);
} gso_stats SEC(".maps");

static const struct gso_val gso_zero;

/*
 * skb_shinfo(skb)->gso_segs. skb_shinfo() is skb->head + skb->end on 64-bit
 * (NET_SKBUFF_DATA_USES_OFFSET); a non-GSO skb says 0 and is one segment.
 */
static __always_inline __u64 gso_segs(const struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u64 end = BPF_CORE_READ(skb, end);
	struct skb_shared_info *shinfo = (void *)(head + end);
	__u16 segs = BPF_CORE_READ(shinfo, gso_segs);

	return segs ? segs : 1;
}

SEC("raw_tp/net_dev_start_xmit")
int BPF_PROG(nl_net_dev_start_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	struct nl_dev_key key;
	struct gso_val *v;
	__u64 segs;

	if (!nl_begin())
		return 0;
	if (!nl_dev_key_of(dev, &key))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = nl_row(&gso_stats, &key, &gso_zero);
	if (!v)
		return 0;
	segs = gso_segs(skb);
	v->xmits++;
	v->segments += segs;
	v->bytes += BPF_CORE_READ(skb, len);
	nl_hist_put(&v->segs, segs);
	return 0;
}
