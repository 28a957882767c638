// SPDX-License-Identifier: GPL-2.0
/*
 * rx's row tables in the BPF object: stages per device ("stage=gro_hold
 * dev=lo"), age points ("point=socket"), and the socket queue per flow,
 * by skb pairing and by bytes ("flow=L>R method=skb|bytes").
 */
#include <stdio.h>
#include <sys/socket.h>

#include "collector.h"
#include "metrics/flows.h"
#include "rx/rx.h"
#include "rx/sockq.h"

NLB_LAYOUT_OK(struct rx_stage_val, RX_STAGE_VAL);
NLB_LAYOUT_OK(struct rx_point_val, RX_POINT_VAL);
NLB_LAYOUT_OK(struct rx_flow_val, RX_FLOW_VAL);
NLB_LAYOUT_OK(struct sockq_flow_val, SOCKQ_FLOW_VAL);

static const char *const rx_stage_names[RX_NSTAGES] = RX_STAGE_NAMES;
static const char *const rx_point_names[RX_NPOINTS] = RX_POINT_NAMES;

static void rx_stage_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)key;
	(void)cpu;
	nlb_stage_key(out, len, rx_stage_names, RX_NSTAGES, d, idx);
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

static const char *const rx_stage_stats[] = NL_ROW_NAMES(RX_STAGE_VAL);
static const char *const rx_point_stats[] = NL_ROW_NAMES(RX_POINT_VAL);
static const char *const rx_flow_stats[] = NL_ROW_NAMES(RX_FLOW_VAL);
/* the fields with rx's "sockq_" before them: rx_flow_val has a sockq_wait of its own */
#define SOCKQ_STAT_(n) "sockq_" #n,
static const char *const sockq_flow_stats[] = NL_ROW_NAMES_WITH(SOCKQ_FLOW_VAL, SOCKQ_STAT_);
#undef SOCKQ_STAT_

static const struct nlb_table rx_stage_t = {
	.metric = "rx", .rows_map = "rx_stage_rows", .index = NLB_BY_STAGE_DEV, .nfixed = RX_NSTAGES,
	.val_size = sizeof(struct rx_stage_val), NLB_ROW_COUNTS(RX_STAGE_VAL), .stats = rx_stage_stats,
	.fmt_key = rx_stage_key,
};
static const struct nlb_table rx_point_t = {
	.metric = "rx", .rows_map = "rx_point_rows", .index = NLB_BY_FIXED, .nfixed = RX_NPOINTS,
	.val_size = sizeof(struct rx_point_val), NLB_ROW_COUNTS(RX_POINT_VAL), .stats = rx_point_stats,
	.fmt_key = rx_point_key,
};
static const struct nlb_table rx_flow_t = NLB_KEYED_TABLE("rx", "rx_flow_rows", "rx_flow_row", struct rx_flow,
						      struct rx_flow_val, RX_FLOW_VAL, rx_flow_stats, rx_flow_key);
static const struct nlb_table sockq_flow_t = NLB_KEYED_TABLE("rx", "sockq_flow_rows", "sockq_flow_row", struct rx_flow,
							 struct sockq_flow_val, SOCKQ_FLOW_VAL, sockq_flow_stats, sockq_flow_key);

const struct nlb_table *const nlb_tables_rx[] = { &rx_stage_t, &rx_point_t, &rx_flow_t, &sockq_flow_t, NULL };
