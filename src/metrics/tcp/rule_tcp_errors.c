// SPDX-License-Identifier: GPL-2.0
/*
 * Rule tcp-errors: TCP retransmits (tcp:tcp_retransmit_skb) and resets
 * (tcp_send_reset, tcp_receive_reset). Retransmits mean loss or a
 * retransmission timer firing; resets mean connections refused or torn
 * down. Reported per row as the tcp metric keys them (per flow where the
 * collector could attribute them, else per netns with its busiest flow).
 * When the flows' bytes are known, the severity is the events' share of
 * the segments those bytes amount to (1% = 40), else their rate (1/s = 40).
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"

#define RULE		"tcp-errors"
#define EVENTS_PER_S	1.0
#define MIN_EVENTS	10
#define EVENT_SHARE	0.01	/* of the segments, when flow bytes are known */
#define TYPICAL_MSS	1448.0

/* The flow moving the most bytes in netns (or anywhere when netns is ""), for context. */
static void busiest_flow(const struct nl_triage_in *in, const char *netns, char *out, size_t len)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tcp", "flow", &keys);
	uint64_t best = 0;
	char ns[32];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		uint64_t b = nl_triage_counter(in->iv, "tcp", keys[i], "bytes_in") +
			     nl_triage_counter(in->iv, "tcp", keys[i], "bytes_out");

		if (netns[0] && (!nl_key_get(keys[i], "netns", ns, sizeof(ns)) || strcmp(ns, netns)))
			continue;
		if (b > best) {
			best = b;
			snprintf(out, len, "%s", keys[i]);
		}
	}
	free(keys);
}

/* Segments the row's traffic amounts to (flow bytes / MSS), 0 when unknown. */
static double segments_of(const struct nl_triage_in *in, const char *key)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tcp", "flow", &keys);
	char netns[32] = "", ns[32];
	uint64_t bytes = 0;

	if (!strncmp(key, "flow=", 5)) {
		bytes = nl_triage_counter(in->iv, "tcp", key, "bytes_in") +
			nl_triage_counter(in->iv, "tcp", key, "bytes_out");
		goto out;
	}
	nl_key_get(key, "netns", netns, sizeof(netns));
	for (size_t i = 0; i < n; i++)
		if (!netns[0] || (nl_key_get(keys[i], "netns", ns, sizeof(ns)) && !strcmp(ns, netns)))
			bytes += nl_triage_counter(in->iv, "tcp", keys[i], "bytes_out");
out:
	free(keys);
	return bytes / TYPICAL_MSS;
}

static void add(const struct nl_triage_in *in, const char *key, const char *kind, uint64_t n,
		const char *detail, struct nl_triage *out)
{
	double rate = in->seconds > 0 ? n / in->seconds : (double)n;
	double segs = segments_of(in, key), share = segs > 0 ? n / segs : 0;
	char netns[32] = "", flow[NL_KEY_MAX] = "", sh[48] = "";
	struct nl_finding *f;

	if (n < MIN_EVENTS || rate < EVENTS_PER_S || (segs > 0 && share < EVENT_SHARE))
		return;
	/* against the traffic when it is known: a few retransmits in a bulk transfer are normal */
	f = nl_triage_add(out, RULE, segs > 0 ? nl_triage_score(share, EVENT_SHARE) :
			  nl_triage_score(rate, EVENTS_PER_S));
	if (segs > 0)
		snprintf(sh, sizeof(sh), ", %.3g%% of ~%.0f segments", share * 100, segs);
	nl_key_get(key, "netns", netns, sizeof(netns));
	if (strncmp(key, "flow=", 5))
		busiest_flow(in, netns, flow, sizeof(flow));
	snprintf(f->what, sizeof(f->what), "TCP %s: %s", kind,
		 !strcmp(kind, "retransmits") ? "segments lost or acknowledged too late" :
		 "connections refused or torn down");
	snprintf(f->evidence, sizeof(f->evidence), "%llu %s, %.1f/s%s%s (normal: below %.0f/s or %.1f%%)",
		 (unsigned long long)n, kind, rate, sh, detail, EVENTS_PER_S, EVENT_SHARE * 100);
	snprintf(f->where, sizeof(f->where), "%s%s%s", key[0] ? key : "all namespaces",
		 flow[0] ? "; busiest flow there: " : "", flow);
	/* a receiver whose queue fills drops segments, which the sender then retransmits */
	if (!strcmp(kind, "retransmits") && netns[0]) {
		f->netns = strtoull(netns, NULL, 10);
		f->consequence_of = NL_CAUSE_RCVQ_FULL;
	}
	snprintf(f->next, sizeof(f->next), "ss -tin (per-socket retrans, rto, cwnd); nstat -az 'Tcp*'; "
		 "netlat record -m tcp,drops,qdisc");
}

static void check_row(const struct nl_triage_in *in, const char *key, struct nl_triage *out)
{
	uint64_t rt = nl_triage_counter(in->iv, "tcp", key, "retransmits");
	uint64_t rs = nl_triage_counter(in->iv, "tcp", key, "resets_sent");
	uint64_t rr = nl_triage_counter(in->iv, "tcp", key, "resets_received");
	char detail[64];

	add(in, key, "retransmits", rt, "", out);
	snprintf(detail, sizeof(detail), " (%llu sent, %llu received)",
		 (unsigned long long)rs, (unsigned long long)rr);
	add(in, key, "resets", rs + rr, detail, out);
}

static void check_tcp(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tcp", NULL, &keys);

	for (size_t i = 0; i < n; i++)
		if (strncmp(keys[i], "side=", 5))	/* handshake rows carry no errors */
			check_row(in, keys[i], out);
	free(keys);
}

const struct nl_rule nl_rule_tcp_errors = {
	.name = RULE,
	.order = 60,
	.needs = "tcp",
	.help = "TCP retransmits or resets >= 1/s (>= 10) and >= 1% of the segments, per flow or netns",
	.scopes = NL_RULE_SCOPE_NETNS,
	.check = check_tcp,
};
