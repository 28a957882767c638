// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF metric families: each one's skeleton glue, stats map layout and
 * row key format. Adding a BPF metric means a .bpf.c, its shared header and
 * one entry here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bpf_collector.h"
#include "bpf/napi.h"
#include "bpf/softirq.h"
#include "bpf/gro.h"
#include "bpf/gso.h"
#include "bpf/qdisc.h"
#include "napi.skel.h"
#include "softirq.skel.h"
#include "gro.skel.h"
#include "gso.skel.h"
#include "qdisc.skel.h"
#include "bpf/tcp.h"
#include "bpf/drops.h"
#include "bpf/copy.h"
#include "tcp.skel.h"
#include "drops.skel.h"
#include "copy.skel.h"
#include "flows.h"
#include "ladder.h"
#include "netlat/util.h"

/* Skeleton glue: the skeleton types differ per family, the steps do not. */
#define NLB_SKEL_GLUE(fam)							\
static int fam##_open(struct nlb_skel *s)					\
{										\
	struct fam##_bpf *k = fam##_bpf__open();				\
										\
	if (!k)									\
		return errno ? -errno : -EINVAL;				\
	s->skel = k;								\
	s->obj = k->obj;							\
	/* the skeleton spells it const volatile: writable until load */	\
	s->filter = (struct nl_bpf_filter *)&k->rodata->nl_filter;		\
	s->enabled = NULL;							\
	return 0;								\
}										\
static int fam##_load(struct nlb_skel *s)					\
{										\
	struct fam##_bpf *k = s->skel;						\
	int err = fam##_bpf__load(k);						\
										\
	if (!err)								\
		s->enabled = &k->bss->nl_enabled;				\
	return err;								\
}										\
static void fam##_destroy(struct nlb_skel *s)					\
{										\
	fam##_bpf__destroy(s->skel);						\
	s->skel = NULL;								\
	s->obj = NULL;								\
}

NLB_SKEL_GLUE(napi)
NLB_SKEL_GLUE(softirq)
NLB_SKEL_GLUE(gro)
NLB_SKEL_GLUE(gso)
NLB_SKEL_GLUE(qdisc)
NLB_SKEL_GLUE(tcp)
NLB_SKEL_GLUE(drops)
NLB_SKEL_GLUE(copy)

/* The generic reader takes values as counters then histograms, 8-byte aligned: hold the headers to it. */
#define NLB_LAYOUT_OK(type, ncnt, nh)						\
	_Static_assert(sizeof(type) == (ncnt) * 8 + (nh) * sizeof(struct nl_bpf_hist),	\
		       #type " is not counters then histograms")
NLB_LAYOUT_OK(struct napi_val, 2, 1);
NLB_LAYOUT_OK(struct softirq_val, 2, 2);
NLB_LAYOUT_OK(struct gro_val, 3, 0);
NLB_LAYOUT_OK(struct gso_val, 3, 1);
NLB_LAYOUT_OK(struct qdisc_val, 2, 1);
NLB_LAYOUT_OK(struct nl_tcp_val, 6, 2);
NLB_LAYOUT_OK(struct nl_drops_val, 1, 0);
NLB_LAYOUT_OK(struct nl_copy_val, 3, 2);

/*
 * A device name as a key value: kernel names may hold ',' (dev_valid_name
 * refuses only '/', ':' and whitespace) but keys must not, for CSV and awk.
 */
static void put_dev(char *out, size_t len, const char *dev)
{
	char name[NL_BPF_DEV_LEN + 1];

	memcpy(name, dev, NL_BPF_DEV_LEN);
	name[NL_BPF_DEV_LEN] = '\0';
	for (char *p = name; *p; p++)
		if (*p == ',' || *p == ' ' || *p == '=')
			*p = '_';
	snprintf(out, len, "dev=%s", name);
}

/* " netns=N" after a device; the backlog (no device) has none. */
static void put_netns(char *out, size_t len, unsigned int netns)
{
	size_t n = strlen(out);

	if (netns && n < len)
		snprintf(out + n, len - n, " netns=%u", netns);
}

static void dev_key(const void *key, int cpu, char *out, size_t len)
{
	const struct nl_dev_key *k = key;

	(void)cpu;
	put_dev(out, len, k->dev);
	put_netns(out, len, k->netns);
}

/* "dev=eth0 handle=1:" -- tc prints "major:" when the minor is 0, else "major:minor", in hex. */
static void qdisc_key(const void *key, int cpu, char *out, size_t len)
{
	const struct qdisc_key *k = key;
	unsigned int major = k->handle >> 16, minor = k->handle & 0xffff;
	size_t n;

	(void)cpu;
	put_dev(out, len, k->dev);
	n = strlen(out);
	if (minor)
		snprintf(out + n, len - n, " handle=%x:%x", major, minor);
	else
		snprintf(out + n, len - n, " handle=%x:", major);
	put_netns(out, len, k->netns);
}

static void softirq_key(const void *key, int cpu, char *out, size_t len)
{
	unsigned int slot = *(const unsigned int *)key;

	snprintf(out, len, "cpu=%d vec=%s", cpu, slot == SOFTIRQ_SLOT_NET_TX ? "NET_TX" : "NET_RX");
}

static const char *const napi_names[] = { "polls", "budget_exhausted", "work" };
static const char *const softirq_names[] = { "entries", "raises", "duration", "raise_delay" };
static const char *const gro_names[] = { "gro_in", "direct_in", "skbs_out" };
static const char *const gso_names[] = { "xmits", "segments", "bytes", "segs" };
static const char *const qdisc_names[] = { "packets", "unpaired", "sojourn" };
static const char *const tcp_names[] = { "handshakes", "retransmits", "resets_sent", "resets_received",
					"bytes_in", "bytes_out", "handshake", "srtt" };
static const char *const drops_names[] = { "drops" };
static const char *const copy_names[] = { "bytes", "calls", "syscall_ns", "per_call", "syscall_time" };

#define NLB_GLUE(fam) .open = fam##_open, .load = fam##_load, .destroy = fam##_destroy

static const struct nlb_family families[] = {
	{ "napi", NLB_GLUE(napi), "napi_stats", sizeof(struct nl_dev_key), sizeof(struct napi_val),
	  2, 1, napi_names, false, dev_key },
	{ "softirq", NLB_GLUE(softirq), "softirq_stats", sizeof(unsigned int), sizeof(struct softirq_val),
	  2, 2, softirq_names, true, softirq_key },
	{ "gro", NLB_GLUE(gro), "gro_stats", sizeof(struct nl_dev_key), sizeof(struct gro_val),
	  3, 0, gro_names, false, dev_key },
	{ "gso", NLB_GLUE(gso), "gso_stats", sizeof(struct nl_dev_key), sizeof(struct gso_val),
	  3, 1, gso_names, false, dev_key },
	{ "qdisc", NLB_GLUE(qdisc), "qdisc_stats", sizeof(struct qdisc_key), sizeof(struct qdisc_val),
	  2, 1, qdisc_names, false, qdisc_key },
	{ "tcp", NLB_GLUE(tcp), "tcp_stats", sizeof(struct nl_tcp_key), sizeof(struct nl_tcp_val),
	  6, 2, tcp_names, false, nlb_tcp_key, nlb_tcp_row_has },
	{ "drops", NLB_GLUE(drops), "drops_stats", sizeof(struct nl_drops_key), sizeof(struct nl_drops_val),
	  1, 0, drops_names, false, nlb_drops_key },
	{ "copy", NLB_GLUE(copy), "copy_stats", sizeof(struct nl_copy_key), sizeof(struct nl_copy_val),
	  3, 2, copy_names, false, nlb_copy_key },
	NLB_RX_FAMILY,
	NLB_SOCKQ_FAMILY,
	NLB_TX_FAMILY,
};

const struct nlb_family *nlb_family_find(const char *metric)
{
	for (size_t i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcmp(families[i].metric, metric))
			return &families[i];
	return NULL;
}
