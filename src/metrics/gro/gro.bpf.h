/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gro, kernel side: packets into the stack per device, through GRO or
 * around it, against skbs delivered up (netif_receive_skb).
 */
#ifndef NETLAT_GRO_BPF_H
#define NETLAT_GRO_BPF_H

#include "gro.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_BPF_MAX_DEVS);	/* indexed by device slot */
	__type(key, __u32);
	__type(value, struct gro_val);
} gro_rows SEC(".maps");

/* Count one skb of the device in slot (nl_dev_slot of skb->dev, resolved once per hit by the caller). */
static __always_inline bool gro_count(__u32 slot, enum gro_field f)
{
	struct gro_val *v = bpf_map_lookup_elem(&gro_rows, &slot);

	if (!v)
		return false;
	if (f == GRO_IN)
		v->gro_in++;
	else if (f == GRO_DIRECT_IN)
		v->direct_in++;
	else
		v->skbs_out++;
	return true;
}

#endif
