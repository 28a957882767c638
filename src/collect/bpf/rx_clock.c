// SPDX-License-Identifier: GPL-2.0
/*
 * What the rx ages need besides their programs: RX timestamping switched
 * on for the recording, and the clock offsets the ages are computed with.
 */
#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "collector.h"

/*
 * The socket that keeps RX timestamping on: SO_TIMESTAMPNS makes the kernel
 * call net_enable_timestamp(), after which every received skb gets
 * skb->tstamp on arrival; closing it drops that reference again (the
 * kernel counts them), so the system goes back to what it was.
 */
static int rx_tstamp_fd = -1;

int nlb_rx_tstamp_hold(void)
{
	int one = 1, fd;

	if (rx_tstamp_fd >= 0)
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one))) {
		int err = -errno;

		close(fd);
		return err;
	}
	rx_tstamp_fd = fd;
	return 0;
}

void nlb_rx_tstamp_release(void)
{
	if (rx_tstamp_fd >= 0)
		close(rx_tstamp_fd);
	rx_tstamp_fd = -1;
}

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
