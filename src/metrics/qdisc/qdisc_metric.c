// SPDX-License-Identifier: GPL-2.0
/* The qdisc metric's descriptor: qdisc sojourn. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"

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

static const struct nl_headline qdisc_headline = { "dev", NULL, "sojourn", NULL, NULL, NULL, NULL, NULL, 0, NULL };
/* without the tx ladder, the qdisc metric is the one transmit stage top has */
static const struct nl_metric_views qdisc_views = { .top_stage_rows = qdisc_top_stage_rows, .top_stands_in_for = "tx" };

extern const struct nl_rule nl_rule_qdisc_sojourn;
static const struct nl_rule *const qdisc_rules[] = { &nl_rule_qdisc_sojourn, NULL };

/* net:net_dev_queue is the tracefs family's (device names); in BPF the qdisc handlers read the device */
static const struct nl_bpf_use qdisc_bpf[] = {
	{ "qdisc_enqueue", false },
	{ "qdisc_dequeue", false },
	{ NULL, false },
};

/*
 * diff and stat match qdisc rows by kind and parent, not by the handle of the run,
 * from the kind and parent record notes of every qdisc (qdisc_portable.c)
 */
extern bool qdisc_portable_field(const struct nl_recording *rec, const char *key, const char *field,
			  const char *val, char *out, size_t len);
extern void qdisc_netns_notes(struct nl_recording *rec, const struct nl_netns *ns);

const struct nl_metric_desc nl_metric_qdisc = {
	"qdisc", "Qdisc sojourn", "enqueue-to-dequeue time per device and qdisc",
	"dev handle netns|dev handle", qdisc_tps, qdisc_opt_tps, qdisc_stats, NULL, 0, &qdisc_headline, &qdisc_views, NULL,
	qdisc_rules, NULL, false,
	{ NL_FILTER_NETNS, 0, 0 },
	.bpf_programs = qdisc_bpf,
	.portable_field = qdisc_portable_field,
	.netns_notes = qdisc_netns_notes,
};
