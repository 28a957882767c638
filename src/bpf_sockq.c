// SPDX-License-Identifier: GPL-2.0
/*
 * The sockq BPF family (src/bpf/sockq.bpf.c): TCP's socket-queue wait by
 * bytes. The collector arms it beside rx, whose rows it writes (rx's
 * metric description, rx's row keys); while it is loaded, rx pairs skbs
 * for UDP only, so no wait is counted twice.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "ladder.h"
#include "bpf/sockq.h"
#include "sockq.skel.h"

_Static_assert(sizeof(struct sockq_val) == 3 * 8 + 3 * sizeof(struct nl_bpf_hist), "sockq_val layout");

const char *const nlb_sockq_stats[] = { "packets", "sockq_bytes", "sockq_arrived", "latency",
					"sockq_wait", "sockq_wait_bytes" };

static bool sockq_loaded;

bool nlb_sockq_loaded(void)
{
	return sockq_loaded;
}

/* Does the running kernel have tracepoint tp (its BTF names btf_trace_<tp>)? */
static bool kernel_has_tp(const char *tp)
{
	struct btf *btf = btf__load_vmlinux_btf();
	char name[96];
	bool has;

	if (!btf)
		return false;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	has = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
	btf__free(btf);
	return has;
}

int nlb_sockq_open(struct nlb_skel *s)
{
	struct sockq_bpf *k = sockq_bpf__open();
	bool at_copy;

	if (!k)
		return errno ? -errno : -EINVAL;
	s->skel = k;
	s->obj = k->obj;
	s->filter = (struct nl_bpf_filter *)&k->rodata->nl_filter;
	s->enabled = NULL;
	/* a read is a receive call where sock_recv_length exists (6.3+), else an skb copy */
	at_copy = !kernel_has_tp("sock_recv_length");
	k->rodata->sockq_read_at_copy = at_copy;
	bpf_program__set_autoload(k->progs.nl_sockq_copy, at_copy);
	bpf_program__set_autoload(k->progs.nl_sockq_recv_length, !at_copy);
	return 0;
}

int nlb_sockq_load(struct nlb_skel *s)
{
	struct sockq_bpf *k = s->skel;
	int err = sockq_bpf__load(k);

	if (!err) {
		s->enabled = &k->bss->nl_enabled;
		sockq_loaded = true;
	}
	return err;
}

void nlb_sockq_destroy(struct nlb_skel *s)
{
	sockq_bpf__destroy(s->skel);
	s->skel = NULL;
	s->obj = NULL;
	sockq_loaded = false;
}

/* Stage rows: packets (reads), latency. Flow rows: the byte counters and both wait histograms. */
bool nlb_sockq_row_has(const void *key, unsigned int i)
{
	const struct rx_key *k = key;

	if (k->kind == RX_ROW_STAGE)
		return i == 0 || i == 3;
	return i != 0 && i != 3;
}
