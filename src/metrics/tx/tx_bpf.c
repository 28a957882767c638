// SPDX-License-Identifier: GPL-2.0
/* tx's part in the BPF collector: the send_to_dev stage starts at tcp_sendmsg_locked (Linux 6.3+). */
#include "metric_bpf_hooks.h"

static void tx_setup(const struct nlb_kernel *k, struct nl_bpf_switches *on)
{
	/* raw_tp cannot tell: assume the newer kernels' shapes, the attach then says no */
	on->tx_send = on->tx && (k->raw_tp || nlb_btf_has_tracepoint(k, "tcp_sendmsg_locked"));
}

const struct nl_bpf_hooks tx_bpf_hooks = {
	.setup = tx_setup,
};
