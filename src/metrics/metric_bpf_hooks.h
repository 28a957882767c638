/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF collector's part of the metrics that have one (struct
 * nl_bpf_hooks, src/collect/bpf/bpf_hooks.h), each in its metric's folder,
 * <name>/<name>_bpf.c, for its descriptor's bpf_hooks.
 */
#ifndef NETLAT_METRIC_BPF_HOOKS_H
#define NETLAT_METRIC_BPF_HOOKS_H

#include "bpf_hooks.h"

extern const struct nl_bpf_hooks softirq_bpf_hooks;
extern const struct nl_bpf_hooks rx_bpf_hooks;
extern const struct nl_bpf_hooks tx_bpf_hooks;
extern const struct nl_bpf_hooks drops_bpf_hooks;
extern const struct nl_bpf_hooks copy_bpf_hooks;

/* copy's row table (copy_tables.c) asks copy_bpf.c which statistics this recording measures. */
bool copy_row_has(const void *key, const char *stat, const struct nl_record_opts *o);

#endif
