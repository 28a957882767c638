// SPDX-License-Identifier: GPL-2.0
/* The table of metrics: names, kernel events and the values each one yields. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/util.h"

/*
 * napi: napi:napi_poll per device, plus /proc/net/softnet_stat deltas per
 * CPU (rows keyed "cpu=N"). The backlog pseudo-device of loopback/RPS shows
 * up as dev "(no_device)"; its budget is dev_weight * dev_weight_rx_bias.
 */
static const char *const napi_tps[] = { "napi:napi_poll", NULL };
static const struct nl_stat_desc napi_stats[] = {
	{ "polls", NL_COUNTER, "", "napi_poll calls" },
	{ "work", NL_HIST, "pkts", "packets handled per poll" },
	{ "budget_exhausted", NL_COUNTER, "", "polls with work >= budget (wanted more)" },
	{ "processed", NL_COUNTER, "pkts", "softnet_stat: packets processed (per CPU)" },
	{ "dropped", NL_COUNTER, "pkts", "softnet_stat: backlog drops (per CPU)" },
	{ "time_squeeze", NL_COUNTER, "", "softnet_stat: NET_RX ran out of budget or time (per CPU)" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived napi_derived[] = {
	{ "budget_exhausted_ratio", "budget_exhausted", "polls", "share of polls that hit their budget", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/* softirq: irq:softirq_raise/entry/exit for NET_TX (2) and NET_RX (3), per CPU. */
static const char *const softirq_tps[] = {
	"irq:softirq_raise", "irq:softirq_entry", "irq:softirq_exit", NULL,
};
static const struct nl_stat_desc softirq_stats[] = {
	{ "entries", NL_COUNTER, "", "handler runs" },
	{ "raises", NL_COUNTER, "", "softirq_raise events" },
	{ "duration", NL_HIST, "ns", "handler time, entry to exit" },
	{ "raise_delay", NL_HIST, "ns", "first raise to handler entry" },
	{ NULL, 0, NULL, NULL },
};

/*
 * gro: packets entering the stack per device, through GRO
 * (napi_gro_receive_entry, napi_gro_frags_entry) or around it (netif_rx,
 * netif_receive_skb_entry, netif_receive_skb_list_entry), against skbs
 * delivered up (netif_receive_skb, once per skb in __netif_receive_skb_core).
 */
static const char *const gro_tps[] = {
	"net:napi_gro_receive_entry", "net:netif_rx", "net:netif_receive_skb", NULL,
};
static const char *const gro_opt_tps[] = {
	"net:napi_gro_frags_entry", "net:netif_receive_skb_entry",
	"net:netif_receive_skb_list_entry", NULL,
};
static const struct nl_stat_desc gro_stats[] = {
	{ "gro_in", NL_COUNTER, "pkts", "packets handed to GRO" },
	{ "direct_in", NL_COUNTER, "pkts", "packets that bypassed GRO (netif_rx, netif_receive_skb)" },
	{ "skbs_out", NL_COUNTER, "pkts", "skbs delivered up the stack" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived gro_derived[] = {
	{ "ratio", "gro_in+direct_in", "skbs_out", "packets in per skb out (1 = no coalescing)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/* gso: net:net_dev_start_xmit per device; gso_segs 0 means a non-GSO skb, one segment. */
static const char *const gso_tps[] = { "net:net_dev_start_xmit", NULL };
static const struct nl_stat_desc gso_stats[] = {
	{ "xmits", NL_COUNTER, "", "skbs handed to the driver" },
	{ "segments", NL_COUNTER, "segs", "wire segments those skbs become" },
	{ "bytes", NL_COUNTER, "bytes", "skb->len summed" },
	{ "segs", NL_HIST, "segs", "segments per transmit" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived gso_derived[] = {
	{ "segs_per_xmit", "segments", "xmits", "segments per transmit (1 = no GSO/TSO)", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/*
 * qdisc: qdisc_enqueue -> qdisc_dequeue of the same skb, per device and
 * qdisc handle ("handle=1:" as tc prints it). Empty dequeues (packets=0)
 * are skipped; enqueues never dequeued are evicted and counted as unpaired.
 */
static const char *const qdisc_tps[] = { "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue", NULL };
static const char *const qdisc_opt_tps[] = { "net:net_dev_queue", NULL };
static const struct nl_stat_desc qdisc_stats[] = {
	{ "packets", NL_COUNTER, "pkts", "skbs dequeued with a matching enqueue" },
	{ "sojourn", NL_HIST, "ns", "time from enqueue to dequeue" },
	{ "unpaired", NL_COUNTER, "", "dequeues whose enqueue was not seen or was evicted" },
	{ NULL, 0, NULL, NULL },
};

const struct nl_metric_desc nl_metrics[] = {
	{ "napi", "NAPI polls and softnet budget", "NAPI polls, work per poll, budget exhaustion, time_squeeze",
	  "dev|cpu", napi_tps, NULL, napi_stats, napi_derived },
	{ "softirq", "NET_RX / NET_TX softirqs", "softirq count, handler time, raise-to-run delay per CPU",
	  "cpu vec", softirq_tps, NULL, softirq_stats, NULL },
	{ "gro", "GRO coalescing", "packets into GRO against skbs out, per device",
	  "dev", gro_tps, gro_opt_tps, gro_stats, gro_derived },
	{ "gso", "GSO/TSO segmentation", "transmits, segments and bytes per device",
	  "dev", gso_tps, NULL, gso_stats, gso_derived },
	{ "qdisc", "Qdisc sojourn", "enqueue-to-dequeue time per device and qdisc",
	  "dev handle", qdisc_tps, qdisc_opt_tps, qdisc_stats, NULL },
};
const size_t nl_nmetrics = ARRAY_SIZE(nl_metrics);

const struct nl_metric_desc *nl_metric_find(const char *name)
{
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (!strcmp(nl_metrics[i].name, name))
			return &nl_metrics[i];
	return NULL;
}

const struct nl_stat_desc *nl_metric_stat(const struct nl_metric_desc *m, const char *stat)
{
	for (const struct nl_stat_desc *s = m->stats; s && s->name; s++)
		if (!strcmp(s->name, stat))
			return s;
	return NULL;
}

int nl_metric_list_check(const char *list, char *bad, size_t badlen)
{
	const char *p = list;

	if (!list || !strcmp(list, "all"))
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[NL_NAME_MAX];

		if (n == 0 || n >= sizeof(name)) {
			snprintf(bad, badlen, "%.*s", (int)(n ? n : 1), n ? p : ",");
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (!nl_metric_find(name)) {
			snprintf(bad, badlen, "%s", name);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int nl_metric_selected(const char *list, const char *name)
{
	if (!list || !strcmp(list, "all"))
		return 1;
	return nl_list_has(list, name);
}
