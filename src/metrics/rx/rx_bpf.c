// SPDX-License-Identifier: GPL-2.0
/*
 * rx's part in the BPF collector: its socket-queue maps (sockq_*), the
 * byte-accurate socket queue where the kernel allows it, and RX
 * timestamping held on while loaded, for the arrival ages.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metric_bpf_hooks.h"
#include "netlat/util.h"

static const char *const rx_map_prefixes[] = { "sockq_", NULL };

static void rx_setup(const struct nlb_kernel *k, struct nl_bpf_switches *on)
{
	/* TCP's socket queue by bytes: socket storage and bpf_loop in tp_btf programs (Linux 5.17+) */
	on->sockq = on->rx && !k->raw_tp && !getenv("NETLAT_NO_SOCKQ") &&
		    nlb_btf_enum_has(k, "bpf_func_id", "BPF_FUNC_loop");
	on->sockq_read_at_copy = !nlb_btf_has_tracepoint(k, "sock_recv_length");
}

/*
 * The socket that keeps RX timestamping on: SO_TIMESTAMPNS makes the kernel
 * call net_enable_timestamp(), after which every received skb gets
 * skb->tstamp on arrival; closing it drops that reference again (the
 * kernel counts them), so the system goes back to what it was.
 */
static int rx_tstamp_fd = -1;

static int rx_tstamp_hold(void)
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

static void rx_hold(void)
{
	if (rx_tstamp_hold())
		nl_info("rx: cannot turn RX timestamping on: the arrival-age points stay empty");
}

static void rx_release(void)
{
	if (rx_tstamp_fd >= 0)
		close(rx_tstamp_fd);
	rx_tstamp_fd = -1;
}

const struct nl_bpf_hooks rx_bpf_hooks = {
	.map_prefixes = rx_map_prefixes,
	.setup = rx_setup,
	.hold = rx_hold,
	.release = rx_release,
};
