// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy bandwidth: 64 MiB (far beyond any cache here) copied three times,
 * best run kept, so a kernel copy's ns per KiB can be set against what
 * the memory system allows.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/memcpy_bw.h"
#include "netlat/util.h"

#define BW_BYTES	(64ULL << 20)
#define BW_RUNS		3

static uint64_t best_ns, best_bytes;

double nl_memcpy_bw(uint64_t *bytes, uint64_t *ns)
{
	if (!best_ns) {
		char *src = malloc(BW_BYTES), *dst = malloc(BW_BYTES);

		if (src && dst) {
			/* Touch both first: page faults are not part of a copy's cost. */
			memset(src, 0x5a, BW_BYTES);
			memset(dst, 0, BW_BYTES);
			for (int i = 0; i < BW_RUNS; i++) {
				uint64_t t0 = nl_now_ns(), d;

				memcpy(dst, src, BW_BYTES);
				/* keep the copy observable so it is not optimized away */
				__asm__ volatile("" : : "r"(dst) : "memory");
				d = nl_now_ns() - t0;
				if (d && (!best_ns || d < best_ns))
					best_ns = d;
			}
			best_bytes = BW_BYTES;
		}
		free(src);
		free(dst);
	}
	if (bytes)
		*bytes = best_bytes;
	if (ns)
		*ns = best_ns;
	return best_ns ? (double)best_bytes * 1e9 / (double)best_ns : 0;
}
