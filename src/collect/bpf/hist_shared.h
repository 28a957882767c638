/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear histogram layout shared by the BPF programs and user space.
 *
 * Values below NL_HIST_SUB land in exact buckets. Above that, every power
 * of two [2^e, 2^(e+1)) is split into NL_HIST_SUB linear sub-buckets of
 * width 2^(e - NL_HIST_SUB_BITS), so a bucket is never wider than 1/16 of
 * its lower bound and any percentile read from it is within 1/16 of the
 * truth (plain log2 buckets can be off by 2x).
 *
 * This header is included from both sides: keep it free of libc and of
 * vmlinux.h so it compiles in either world.
 */
#ifndef NETLAT_HIST_SHARED_H
#define NETLAT_HIST_SHARED_H

#define NL_HIST_SUB_BITS	4
#define NL_HIST_SUB		(1 << NL_HIST_SUB_BITS)		/* 16 */
/* Values at or above 2^NL_HIST_MAX_BITS (~78 hours in ns) share the last bucket. */
#define NL_HIST_MAX_BITS	48
#define NL_HIST_BUCKETS		((NL_HIST_MAX_BITS - NL_HIST_SUB_BITS + 1) * NL_HIST_SUB)

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Index of the most significant set bit; v must be non-zero. Loop-free for the verifier. */
static __always_inline unsigned int nl_msb64(unsigned long long v)
{
	unsigned int r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8)  { v >>= 8;  r += 8; }
	if (v >> 4)  { v >>= 4;  r += 4; }
	if (v >> 2)  { v >>= 2;  r += 2; }
	if (v >> 1)  { r += 1; }
	return r;
}

/* Bucket index of value v, always < NL_HIST_BUCKETS. */
static __always_inline unsigned int nl_hist_index(unsigned long long v)
{
	unsigned int e, sub, idx;

	if (v < NL_HIST_SUB)
		return (unsigned int)v;
	e = nl_msb64(v);
	if (e >= NL_HIST_MAX_BITS)
		return NL_HIST_BUCKETS - 1;
	sub = (unsigned int)(v >> (e - NL_HIST_SUB_BITS)) & (NL_HIST_SUB - 1);
	idx = (e - NL_HIST_SUB_BITS + 1) * NL_HIST_SUB + sub;
	return idx & 1023;	/* provably < 1024 for the verifier; < NL_HIST_BUCKETS in fact */
}

/*
 * The in-kernel form of one histogram. Per-CPU maps hold these; user space
 * sums the CPUs. min is meaningful only when count > 0.
 */
struct nl_bpf_hist {
	unsigned long long count;
	unsigned long long sum;
	unsigned long long min;
	unsigned long long max;
	unsigned long long buckets[NL_HIST_BUCKETS];
};

#endif /* NETLAT_HIST_SHARED_H */
