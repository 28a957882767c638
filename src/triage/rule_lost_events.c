// SPDX-License-Identifier: GPL-2.0
/*
 * Rule lost-events: the recording itself is incomplete. Ring buffers that
 * overflowed (tracefs) or BPF programs the kernel skipped (recursion) lost
 * events, so every count may be low and every pairing may be missing
 * pieces. Below 0.1% of the events (a few BPF recursion misses among
 * millions) it raises nothing: no conclusion changes. It outranks everything once a tenth of the events is gone, and
 * the other findings carry a note.
 */
#include <string.h>

#include "netlat/report.h"
#include "netlat/triage.h"

#define RULE			"lost-events"
#define LOST_SHARE_THRESHOLD	0.001	/* 0.1% of the events */

static uint64_t session_events(const struct nl_interval *iv)
{
	return nl_triage_counter(iv, "session", "", "events");
}

/* The CPU that lost the most, for "where". */
static void worst_cpu(const struct nl_interval *iv, char *out, size_t len, uint64_t *n)
{
	*n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];

		if (!strcmp(v->metric, "session") && !strcmp(v->stat, "lost_events") &&
		    v->kind == NL_COUNTER && v->counter > *n) {
			*n = v->counter;
			snprintf(out, len, "%s", v->key);
		}
	}
}

/* "napi,softirq,qdisc": the metrics the recording measured, those a smaller -m would choose from. */
static void recorded_metrics(const struct nl_recording *rec, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < rec->nmetrics; i++)
		if (rec->metrics[i].state == NL_METRIC_OK && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "", rec->metrics[i].name);
}

static void check_lost(const struct nl_triage_in *in, struct nl_triage *out)
{
	uint64_t lost = nl_report_lost_events(in->iv), events = session_events(in->iv), worst;
	double share;
	struct nl_finding *f;
	char cpu[NL_KEY_MAX], metrics[256];

	if (!lost)
		return;
	share = (double)lost / (double)(lost + events);
	/* a handful of BPF recursion misses among millions changes no conclusion */
	if (share < LOST_SHARE_THRESHOLD)
		return;
	/* the only rule allowed above 95: at 10% lost, nothing else can be trusted first */
	f = nl_triage_add(out, RULE, share >= 0.1 ? 100 :
			  nl_triage_score(share, LOST_SHARE_THRESHOLD));
	worst_cpu(in->iv, cpu, sizeof(cpu), &worst);
	snprintf(f->what, sizeof(f->what),
		 "the recording is incomplete: events were lost, so every other finding is qualified");
	snprintf(f->evidence, sizeof(f->evidence),
		 "%llu events lost against %llu recorded (%.3g%%; normal: 0)",
		 (unsigned long long)lost, (unsigned long long)events, share * 100);
	snprintf(f->where, sizeof(f->where), "%s (%llu lost there); collector %s", cpu,
		 (unsigned long long)worst,
		 nl_rec_meta(in->rec, "collector") ? nl_rec_meta(in->rec, "collector") : "?");
	recorded_metrics(in->rec, metrics, sizeof(metrics));
	snprintf(f->next, sizeof(f->next),
		 "netlat triage --buffer-kb 16384 (a larger buffer), or fewer metrics%s%s%s: netlat record -m <those needed>",
		 metrics[0] ? " than " : "", metrics, metrics[0] ? " recorded" : "");
}

const struct nl_rule nl_rule_lost_events = {
	.name = RULE,
	.order = 0,
	.needs = "",
	.help = "events lost by the collector >= 0.1% of the events (>= 10% ranks first)",
	.scopes = NL_RULE_SCOPE_DEV | NL_RULE_SCOPE_NETNS,
	.check = check_lost,
};
