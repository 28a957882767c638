// SPDX-License-Identifier: GPL-2.0
/*
 * The clock offsets the rx ages are computed with, set in .rodata before
 * load (RX timestamping itself is rx's hold, src/metrics/rx/rx_bpf.c).
 */
#include <time.h>

#include "collector.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* TAI - REALTIME: whole seconds (leap seconds), so round away the skew between the two reads. */
int64_t nlb_tai_minus_real(void)
{
	int64_t d = clock_ns(CLOCK_TAI) - clock_ns(CLOCK_REALTIME);

	return (d >= 0 ? d + 500000000LL : d - 500000000LL) / 1000000000LL * 1000000000LL;
}

/* REALTIME - MONOTONIC, the realtime read bracketed by two monotonic ones. */
int64_t nlb_real_minus_mono(void)
{
	int64_t m0 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME);
	int64_t m1 = clock_ns(CLOCK_MONOTONIC);

	return r - (m0 + (m1 - m0) / 2);
}
