// SPDX-License-Identifier: GPL-2.0
/*
 * The rx and tx BPF families: skeleton glue, row keys, and what rx needs
 * besides its programs: RX timestamping switched on for the recording and
 * the clock offsets its ages are computed with.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "flows.h"
#include "ladder.h"
#include "rx.skel.h"
#include "tx.skel.h"
#include "netlat/util.h"

/* The generic reader takes values as counters then histograms: hold the headers to it. */
_Static_assert(sizeof(struct rx_val) == 8 + 3 * sizeof(struct nl_bpf_hist), "rx_val layout");
_Static_assert(sizeof(struct tx_val) == 8 + sizeof(struct nl_bpf_hist), "tx_val layout");

const char *const nlb_rx_stats[] = { "packets", "latency", "age", "sockq_wait" };
const char *const nlb_tx_stats[] = { "packets", "latency" };

static const char *const rx_stage_names[RX_NSTAGES] = RX_STAGE_NAMES;
static const char *const rx_point_names[RX_NPOINTS] = RX_POINT_NAMES;
static const char *const tx_stage_names[TX_NSTAGES] = TX_STAGE_NAMES;

/*
 * The socket that keeps RX timestamping on: SO_TIMESTAMPNS makes the kernel
 * call net_enable_timestamp(), after which every received skb gets
 * skb->tstamp on arrival; closing it drops that reference again (the
 * kernel counts them), so the system goes back to what it was. One rx
 * family is armed at a time.
 */
static int rx_tstamp_fd = -1;

static int tstamp_hold(void)
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

static void tstamp_release(void)
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
static int64_t tai_minus_real(void)
{
	int64_t d = clock_ns(CLOCK_TAI) - clock_ns(CLOCK_REALTIME);

	return (d >= 0 ? d + 500000000LL : d - 500000000LL) / 1000000000LL * 1000000000LL;
}

/* REALTIME - MONOTONIC, the realtime read bracketed by two monotonic ones. */
static int64_t real_minus_mono(void)
{
	int64_t m0 = clock_ns(CLOCK_MONOTONIC), r = clock_ns(CLOCK_REALTIME);
	int64_t m1 = clock_ns(CLOCK_MONOTONIC);

	return r - (m0 + (m1 - m0) / 2);
}

int nlb_rx_open(struct nlb_skel *s)
{
	struct rx_bpf *k;
	int err = tstamp_hold();

	if (err)
		return err;
	k = rx_bpf__open();
	if (!k) {
		err = errno ? -errno : -EINVAL;
		tstamp_release();
		return err;
	}
	s->skel = k;
	s->obj = k->obj;
	/* the skeleton spells them const volatile: writable until load */
	s->filter = (struct nl_bpf_filter *)&k->rodata->nl_filter;
	k->rodata->rx_tai_minus_real = tai_minus_real();
	k->rodata->rx_real_minus_mono = real_minus_mono();
	k->rodata->rx_tcp_by_bytes = nlb_sockq_loaded();
	s->enabled = NULL;
	return 0;
}

int nlb_rx_load(struct nlb_skel *s)
{
	struct rx_bpf *k = s->skel;
	int err = rx_bpf__load(k);

	if (!err)
		s->enabled = &k->bss->nl_enabled;
	return err;
}

void nlb_rx_destroy(struct nlb_skel *s)
{
	rx_bpf__destroy(s->skel);
	s->skel = NULL;
	s->obj = NULL;
	tstamp_release();
}

int nlb_tx_open(struct nlb_skel *s)
{
	struct tx_bpf *k = tx_bpf__open();

	if (!k)
		return errno ? -errno : -EINVAL;
	s->skel = k;
	s->obj = k->obj;
	s->filter = (struct nl_bpf_filter *)&k->rodata->nl_filter;
	s->enabled = NULL;
	return 0;
}

int nlb_tx_load(struct nlb_skel *s)
{
	struct tx_bpf *k = s->skel;
	int err = tx_bpf__load(k);

	if (!err)
		s->enabled = &k->bss->nl_enabled;
	return err;
}

void nlb_tx_destroy(struct nlb_skel *s)
{
	tx_bpf__destroy(s->skel);
	s->skel = NULL;
	s->obj = NULL;
}

/* "stage=gro_hold dev=lo": the device name as a key value (no spaces, commas, '='). */
static void stage_key(char *out, size_t len, const char *stage, const char *dev)
{
	char name[NL_BPF_DEV_LEN + 1];

	memcpy(name, dev, NL_BPF_DEV_LEN);
	name[NL_BPF_DEV_LEN] = '\0';
	for (char *p = name; *p; p++)
		if (*p == ',' || *p == ' ' || *p == '=')
			*p = '_';
	snprintf(out, len, "stage=%s dev=%s", stage, name);
}

void nlb_rx_key(const void *key, int cpu, char *out, size_t len)
{
	const struct rx_key *k = key;
	char a[64], b[64];

	(void)cpu;
	if (k->kind == RX_ROW_STAGE && k->id < RX_NSTAGES) {
		stage_key(out, len, rx_stage_names[k->id], k->dev);
	} else if (k->kind == RX_ROW_POINT && k->id < RX_NPOINTS) {
		snprintf(out, len, "point=%s", rx_point_names[k->id]);
	} else if (k->kind == RX_ROW_FLOW) {
		nl_flow_end(a, sizeof(a), k->flow.family, k->flow.saddr, k->flow.sport);
		nl_flow_end(b, sizeof(b), k->flow.family, k->flow.daddr, k->flow.dport);
		snprintf(out, len, "flow=%s>%s method=%s", a, b,
			 k->id == RX_FLOW_BY_BYTES ? "bytes" : "skb");
	} else {
		snprintf(out, len, "row=unknown");
	}
}

/* Only stage rows count packets; every shape's histogram is emitted when it has data. */
bool nlb_rx_row_has(const void *key, unsigned int i)
{
	const struct rx_key *k = key;

	return i != 0 || k->kind == RX_ROW_STAGE;
}

void nlb_tx_key(const void *key, int cpu, char *out, size_t len)
{
	const struct tx_key *k = key;

	(void)cpu;
	stage_key(out, len, k->stage < TX_NSTAGES ? tx_stage_names[k->stage] : "unknown", k->dev);
}
