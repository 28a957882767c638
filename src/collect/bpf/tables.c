// SPDX-License-Identifier: GPL-2.0
/*
 * The row tables of the BPF object, per metric: which per-CPU array, how
 * its rows are indexed, their value layout and statistic names, and the
 * row key strings, spelt as the tracefs collector spells them.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "collector.h"
#include "metrics/flows.h"
#include "napi/napi.h"
#include "softirq/softirq.h"
#include "gro/gro.h"
#include "gso/gso.h"
#include "qdisc/qdisc.h"
#include "tcp/tcp.h"
#include "drops/drops.h"
#include "copy/copy.h"
#include "rx/rx.h"
#include "rx/sockq.h"
#include "tx/tx.h"
#include "netlat/util.h"

NLB_LAYOUT_OK(struct napi_val, 2, 1);
NLB_LAYOUT_OK(struct softirq_val, 2, 2);
NLB_LAYOUT_OK(struct gro_val, 3, 0);
NLB_LAYOUT_OK(struct gso_val, 3, 1);
NLB_LAYOUT_OK(struct qdisc_val, 2, 1);
NLB_LAYOUT_OK(struct nl_tcp_val, 6, 2);
NLB_LAYOUT_OK(struct nl_tcp_flow_val, 2, 0);
NLB_LAYOUT_OK(struct nl_drops_val, 1, 0);
NLB_LAYOUT_OK(struct nl_copy_val, 3, 2);
NLB_LAYOUT_OK(struct rx_stage_val, 1, 1);
NLB_LAYOUT_OK(struct rx_point_val, 0, 1);
NLB_LAYOUT_OK(struct rx_flow_val, 0, 1);
NLB_LAYOUT_OK(struct tx_val, 1, 1);
NLB_LAYOUT_OK(struct sockq_flow_val, 2, 2);

/*
 * A device name as a key value: kernel names may hold ',' (dev_valid_name
 * refuses only '/', ':' and whitespace) but keys must not, for CSV and awk.
 */
static void put_dev(char *out, size_t len, const struct nlb_devs *d, uint32_t slot)
{
	char name[NL_BPF_DEV_LEN + 1] = "?";

	if (slot < d->n) {
		memcpy(name, d->dev[slot].name, NL_BPF_DEV_LEN);
		name[NL_BPF_DEV_LEN] = '\0';
	}
	for (char *p = name; *p; p++)
		if (*p == ',' || *p == ' ' || *p == '=')
			*p = '_';
	snprintf(out, len, "dev=%s", name);
}

/* " netns=N" after a device; the backlog (no device) has none. */
static void put_netns(char *out, size_t len, const struct nlb_devs *d, uint32_t slot)
{
	size_t n = strlen(out);

	if (slot < d->n && d->dev[slot].netns && n < len)
		snprintf(out + n, len - n, " netns=%u", d->dev[slot].netns);
}

static void dev_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)key;
	(void)cpu;
	put_dev(out, len, d, idx);
	put_netns(out, len, d, idx);
}

/* "dev=eth0 handle=1: netns=N" -- tc prints "major:" when the minor is 0, else "major:minor", in hex. */
static void qdisc_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct qdisc_key *k = key;
	unsigned int major = k->handle >> 16, minor = k->handle & 0xffff;
	size_t n;

	(void)idx;
	(void)cpu;
	put_dev(out, len, d, k->dev_slot);
	n = strlen(out);
	if (minor)
		snprintf(out + n, len - n, " handle=%x:%x", major, minor);
	else
		snprintf(out + n, len - n, " handle=%x:", major);
	put_netns(out, len, d, k->dev_slot);
}

static void softirq_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)key;
	snprintf(out, len, "cpu=%d vec=%s", cpu, idx == SOFTIRQ_SLOT_NET_TX ? "NET_TX" : "NET_RX");
}

static const char *const rx_stage_names[RX_NSTAGES] = RX_STAGE_NAMES;
static const char *const rx_point_names[RX_NPOINTS] = RX_POINT_NAMES;
static const char *const tx_stage_names[TX_NSTAGES] = TX_STAGE_NAMES;

/* "stage=gro_hold dev=lo" */
static void stage_key(char *out, size_t len, const char *stage, const struct nlb_devs *d, uint32_t idx)
{
	char dev[64];

	put_dev(dev, sizeof(dev), d, idx % NL_BPF_MAX_DEVS);
	snprintf(out, len, "stage=%s %s", stage, dev);
}

static void rx_stage_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	uint32_t stage = idx / NL_BPF_MAX_DEVS;

	(void)key;
	(void)cpu;
	stage_key(out, len, stage < RX_NSTAGES ? rx_stage_names[stage] : "unknown", d, idx);
}

static void tx_stage_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	uint32_t stage = idx / NL_BPF_MAX_DEVS;

	(void)key;
	(void)cpu;
	stage_key(out, len, stage < TX_NSTAGES ? tx_stage_names[stage] : "unknown", d, idx);
}

static void rx_point_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)key;
	(void)cpu;
	snprintf(out, len, "point=%s", idx < RX_NPOINTS ? rx_point_names[idx] : "unknown");
}

/* "flow=L>R method=skb|bytes": how the socket queue of the flow was measured */
static void flow_key(const struct rx_flow *f, const char *method, char *out, size_t len)
{
	char a[64], b[64];

	nl_flow_end(a, sizeof(a), f->family == 10 ? AF_INET6 : AF_INET, f->saddr, f->sport);
	nl_flow_end(b, sizeof(b), f->family == 10 ? AF_INET6 : AF_INET, f->daddr, f->dport);
	snprintf(out, len, "flow=%s>%s method=%s", a, b, method);
}

static void rx_flow_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)idx;
	(void)cpu;
	flow_key(key, "skb", out, len);
}

static void sockq_flow_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)idx;
	(void)cpu;
	flow_key(key, "bytes", out, len);
}

static void tcp_ns_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	const struct nl_tcp_ns_key *k = key;

	(void)d;
	(void)idx;
	(void)cpu;
	if (k->kind == TCP_ROW_CLIENT || k->kind == TCP_ROW_SERVER)
		snprintf(out, len, "side=%s netns=%u", k->kind == TCP_ROW_CLIENT ? "client" : "server", k->netns);
	else
		snprintf(out, len, "netns=%u", k->netns);
}

/* Counters in struct nl_tcp_val order: handshakes, retransmits, resets_sent, resets_received, bytes_in, bytes_out. */
static bool tcp_ns_row_has(const void *key, unsigned int i)
{
	const struct nl_tcp_ns_key *k = key;

	if (k->kind == TCP_ROW_CLIENT || k->kind == TCP_ROW_SERVER)
		return i == 0 || i == 6;
	return (i >= 1 && i <= 3) || i == 7;
}

static void tcp_flow_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)idx;
	nlb_tcp_key(key, cpu, out, len);
}

static void drops_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)idx;
	nlb_drops_key(key, cpu, out, len);
}

static void copy_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)d;
	(void)idx;
	nlb_copy_key(key, cpu, out, len);
}

static const char *const napi_names[] = { "polls", "budget_exhausted", "work" };
static const char *const softirq_names[] = { "entries", "raises", "duration", "raise_delay" };
static const char *const gro_names[] = { "gro_in", "direct_in", "skbs_out" };
static const char *const gso_names[] = { "xmits", "segments", "bytes", "segs" };
static const char *const qdisc_names[] = { "packets", "unpaired", "sojourn" };
static const char *const tcp_names[] = { "handshakes", "retransmits", "resets_sent", "resets_received",
					"bytes_in", "bytes_out", "handshake", "srtt" };
static const char *const tcp_flow_names[] = { "bytes_in", "bytes_out" };
static const char *const drops_names[] = { "drops" };
static const char *const copy_names[] = { "bytes", "calls", "syscall_ns", "per_call", "syscall_time" };
static const char *const rx_stage_stats[] = { "packets", "latency" };
static const char *const rx_point_stats[] = { "age" };
static const char *const rx_flow_stats[] = { "sockq_wait" };
static const char *const sockq_flow_stats[] = { "sockq_bytes", "sockq_arrived", "sockq_wait", "sockq_wait_bytes" };
static const char *const tx_stats[] = { "packets", "latency" };

static const struct nlb_table napi_t = NLB_DEV_TABLE("napi", "napi_rows", struct napi_val, 2, 1, napi_names);
static const struct nlb_table gro_t = NLB_DEV_TABLE("gro", "gro_rows", struct gro_val, 3, 0, gro_names);
static const struct nlb_table gso_t = NLB_DEV_TABLE("gso", "gso_rows", struct gso_val, 3, 1, gso_names);
static const struct nlb_table softirq_t = {
	.metric = "softirq", .rows_map = "softirq_stats", .index = NLB_BY_FIXED, .nfixed = SOFTIRQ_NSLOTS,
	.val_size = sizeof(struct softirq_val), .ncounters = 2, .nhists = 2, .stats = softirq_names,
	.per_cpu_rows = true, .fmt_key = softirq_key,
};
static const struct nlb_table qdisc_t = NLB_KEYED_TABLE("qdisc", "qdisc_rows", "qdisc_row", struct qdisc_key,
						    struct qdisc_val, 2, 1, qdisc_names, qdisc_key);
static const struct nlb_table tcp_ns_t = {
	.metric = "tcp", .rows_map = "tcp_ns_rows", .index = NLB_BY_KEY, .keys_map = "tcp_ns_row_keys",
	.taken_var = "tcp_ns_row_taken", .key_size = sizeof(struct nl_tcp_ns_key),
	.val_size = sizeof(struct nl_tcp_val), .ncounters = 6, .nhists = 2, .stats = tcp_names,
	.fmt_key = tcp_ns_key, .row_has = tcp_ns_row_has,
};
static const struct nlb_table tcp_flow_t = NLB_KEYED_TABLE("tcp", "tcp_flow_rows", "tcp_flow_row", struct nl_tcp_key,
						       struct nl_tcp_flow_val, 2, 0, tcp_flow_names, tcp_flow_key);
static const struct nlb_table drops_t = NLB_KEYED_TABLE("drops", "drops_rows", "drops_row", struct nl_drops_key,
						    struct nl_drops_val, 1, 0, drops_names, drops_key);
static const struct nlb_table copy_t = NLB_KEYED_TABLE("copy", "copy_rows", "copy_row", struct nl_copy_key,
						   struct nl_copy_val, 3, 2, copy_names, copy_key);
static const struct nlb_table rx_stage_t = {
	.metric = "rx", .rows_map = "rx_stage_rows", .index = NLB_BY_STAGE_DEV, .nfixed = RX_NSTAGES,
	.val_size = sizeof(struct rx_stage_val), .ncounters = 1, .nhists = 1, .stats = rx_stage_stats,
	.fmt_key = rx_stage_key,
};
static const struct nlb_table rx_point_t = {
	.metric = "rx", .rows_map = "rx_point_rows", .index = NLB_BY_FIXED, .nfixed = RX_NPOINTS,
	.val_size = sizeof(struct rx_point_val), .ncounters = 0, .nhists = 1, .stats = rx_point_stats,
	.fmt_key = rx_point_key,
};
static const struct nlb_table rx_flow_t = NLB_KEYED_TABLE("rx", "rx_flow_rows", "rx_flow_row", struct rx_flow,
						      struct rx_flow_val, 0, 1, rx_flow_stats, rx_flow_key);
static const struct nlb_table sockq_flow_t = NLB_KEYED_TABLE("rx", "sockq_flow_rows", "sockq_flow_row", struct rx_flow,
							 struct sockq_flow_val, 2, 2, sockq_flow_stats, sockq_flow_key);
static const struct nlb_table tx_t = {
	.metric = "tx", .rows_map = "tx_rows", .index = NLB_BY_STAGE_DEV, .nfixed = TX_NSTAGES,
	.val_size = sizeof(struct tx_val), .ncounters = 1, .nhists = 1, .stats = tx_stats,
	.fmt_key = tx_stage_key,
};

/* Each BPF metric's row tables, NULL-terminated: nlb_tables_<name> (here, or in the metric's folder). */
const struct nlb_table *const nlb_tables_napi[] = { &napi_t, NULL };
const struct nlb_table *const nlb_tables_softirq[] = { &softirq_t, NULL };
const struct nlb_table *const nlb_tables_gro[] = { &gro_t, NULL };
const struct nlb_table *const nlb_tables_gso[] = { &gso_t, NULL };
const struct nlb_table *const nlb_tables_qdisc[] = { &qdisc_t, NULL };
const struct nlb_table *const nlb_tables_tcp[] = { &tcp_ns_t, &tcp_flow_t, NULL };
const struct nlb_table *const nlb_tables_drops[] = { &drops_t, NULL };
const struct nlb_table *const nlb_tables_copy[] = { &copy_t, NULL };
const struct nlb_table *const nlb_tables_rx[] = { &rx_stage_t, &rx_point_t, &rx_flow_t, &sockq_flow_t, NULL };
const struct nlb_table *const nlb_tables_tx[] = { &tx_t, NULL };

struct nlb_metric_tables {
	const char *metric;
	const struct nlb_table *const *tables;
};

/* Made from src/metrics/metrics.def: every metric with BPF. */
#define NL_METRIC(name, bpf, tracefs) NL_TABLES_##bpf(name)
#define NL_TABLES_BPF(name) { #name, nlb_tables_##name },
#define NL_TABLES_NO_BPF(name)
static const struct nlb_metric_tables all_tables[] = {
#include "metrics.def"
};
#undef NL_TABLES_NO_BPF
#undef NL_TABLES_BPF
#undef NL_METRIC

const struct nlb_table *const *nlb_tables_of(const char *metric)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++)
		if (!strcmp(all_tables[i].metric, metric))
			return all_tables[i].tables;
	return NULL;
}

bool nlb_metric_known(const char *metric)
{
	return nlb_tables_of(metric) != NULL;
}
