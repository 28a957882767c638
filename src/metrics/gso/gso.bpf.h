/* SPDX-License-Identifier: GPL-2.0 */
/* gso, kernel side: net:net_dev_start_xmit(skb, dev) per device: transmits, wire segments, bytes. */
#ifndef NETLAT_GSO_BPF_H
#define NETLAT_GSO_BPF_H

#include "gso.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_BPF_MAX_DEVS);	/* indexed by device slot */
	__type(key, __u32);
	__type(value, struct gso_val);
} gso_rows SEC(".maps");

/*
 * skb_shinfo(skb)->gso_segs. skb_shinfo() is skb->head + skb->end on 64-bit
 * (NET_SKBUFF_DATA_USES_OFFSET); a non-GSO skb says 0 and is one segment.
 */
static __always_inline __u64 gso_segs(const struct sk_buff *skb)
{
	unsigned char *head = NL_RD(skb, head);
	__u64 end = NL_RD(skb, end);
	struct skb_shared_info *shinfo = (void *)(head + end);
	__u16 segs = BPF_CORE_READ(shinfo, gso_segs);

	return segs ? segs : 1;
}

static __always_inline bool gso_on_start_xmit(const struct sk_buff *skb, __u32 slot)
{
	struct gso_val *v = bpf_map_lookup_elem(&gso_rows, &slot);
	__u64 segs;

	if (!v)
		return false;
	segs = gso_segs(skb);
	v->xmits++;
	v->segments += segs;
	v->bytes += NL_RD(skb, len);
	nl_hist_put(&v->segs, segs);
	return true;
}

#endif
