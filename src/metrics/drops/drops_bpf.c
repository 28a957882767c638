// SPDX-License-Identifier: GPL-2.0
/*
 * drops' part in the BPF collector: kfree_skb's reason argument exists
 * since Linux 5.17; before, rows say reason=unavailable and the backend
 * says so.
 */
#include "metric_bpf_hooks.h"

/* Without BTF (raw_tp) the kernel cannot be asked: assume the reason is there. */
static bool kfree_skb_has_reason(const struct nlb_kernel *k)
{
	return k->vmlinux ? nlb_btf_tracepoint_nargs(k, "kfree_skb") >= 3 : true;
}

static void drops_setup(const struct nlb_kernel *k, struct nl_bpf_switches *on)
{
	on->kfree_skb_reason = kfree_skb_has_reason(k);
}

static const char *drops_note(const struct nlb_kernel *k)
{
	return kfree_skb_has_reason(k) ? "" : ", no kfree_skb reason";
}

const struct nl_bpf_hooks drops_bpf_hooks = {
	.setup = drops_setup,
	.note = drops_note,
};
