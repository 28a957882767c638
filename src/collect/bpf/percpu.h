/* SPDX-License-Identifier: GPL-2.0 */
/* The one reader of a per-CPU map value: the BPF collector's rows and the func collector's fentry/kprobe rows. */
#ifndef NETLAT_COLLECT_BPF_PERCPU_H
#define NETLAT_COLLECT_BPF_PERCPU_H

#include <stddef.h>
#include <stdint.h>

#include "netlat/hist.h"

/*
 * A value laid out as ncounters u64 counters, then nhists struct nl_bpf_hist,
 * as a per-CPU lookup returns it: ncpu copies, stride bytes apart. counters[]
 * and hists[] get the sums over those CPUs.
 */
void nl_percpu_sum(const void *vals, int ncpu, size_t stride, unsigned int ncounters, uint64_t *counters,
		   unsigned int nhists, struct nl_hist *hists);

#endif
