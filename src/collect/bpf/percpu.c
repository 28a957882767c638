// SPDX-License-Identifier: GPL-2.0
/* Sum a per-CPU map value's copies: counters added, histograms merged (CPUs that never ran skipped). */
#include <string.h>

#include "percpu.h"

void nl_percpu_sum(const void *vals, int ncpu, size_t stride, unsigned int ncounters, uint64_t *counters,
		   unsigned int nhists, struct nl_hist *hists)
{
	const char *base = vals;
	size_t hist_off = ncounters * sizeof(uint64_t);

	memset(counters, 0, ncounters * sizeof(uint64_t));
	for (int c = 0; c < ncpu; c++) {
		const uint64_t *v = (const void *)(base + (size_t)c * stride);

		for (unsigned int i = 0; i < ncounters; i++)
			counters[i] += v[i];
	}
	for (unsigned int h = 0; h < nhists; h++)
		nl_hist_from_bpf(&hists[h], (const void *)(base + hist_off + h * sizeof(struct nl_bpf_hist)),
				 ncpu, stride);
}
