// SPDX-License-Identifier: GPL-2.0
/*
 * Rule drops: packets freed with a drop reason (skb:kfree_skb), by reason
 * and kernel location. NOT_SPECIFIED is kept: on older kernels every drop
 * has that reason, and the location still says where it happened.
 * With the napi metric the severity is the drops' share of the packets the
 * CPUs received (0.1% = 40), else their rate (1/s = 40).
 * CPU_BACKLOG (netdev_max_backlog overflow) ranks at most 90, below the
 * rules that find why the CPU fell behind.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"

#define RULE		"drops"
#define DROPS_PER_S	1.0
#define MIN_DROPS	10
#define DROP_SHARE	0.001	/* of the packets received, when napi was recorded */
#define SYMPTOM_SCORE_MAX 90

/* Next command by reason: where to look for the usual causes. */
static const char *next_for(const char *reason)
{
	if (!strcmp(reason, "NO_SOCKET"))
		return "ss -lunt (nothing listens on the port the packets go to); netlat record -m drops,tcp";
	if (strstr(reason, "RCVBUFF") || strstr(reason, "SOCKET_BACKLOG"))
		return "ss -m (receive buffers full: the reader is slow); netlat record -m rx,copy";
	if (strstr(reason, "QDISC"))
		return "tc -s qdisc (queue limit reached); netlat record -m qdisc";
	if (strstr(reason, "BACKLOG") || strstr(reason, "CPU"))
		return "sysctl net.core.netdev_max_backlog; netlat record -m napi,softirq";
	return "perf record -e skb:kfree_skb -g (who drops, with call chains)";
}

/*
 * Drops a receiver with a full queue causes (tcp_data_queue, tcp_prune_queue,
 * tcp_rcv_established): data past the window, already-seen data the
 * sender retransmitted, memory refused to the socket.
 */
static bool rcvq_reason(const char *reason)
{
	static const char *const names[] = {
		"TCP_OLD_DATA", "TCP_ZEROWINDOW", "TCP_OVERWINDOW", "TCP_OFO_QUEUE_PRUNE", "TCP_OFO_DROP",
		"PROTO_MEM", "SOCKET_RCVBUFF", "TCP_RCVQ_FULL",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(reason, names[i]))
			return true;
	return false;
}

/* Packets the CPUs received (softnet processed, napi metric), 0 when not recorded. */
static uint64_t packets_received(const struct nl_triage_in *in)
{
	struct nl_triage_in any = *in;
	const char **keys = NULL;
	size_t n;
	uint64_t sum = 0;

	any.dev = NULL;
	any.netns = 0;
	n = nl_triage_keys(&any, "napi", "cpu", &keys);
	for (size_t i = 0; i < n; i++)
		sum += nl_triage_counter(in->iv, "napi", keys[i], "processed");
	free(keys);
	return sum;
}

static void check_row(const struct nl_triage_in *in, const char *key, uint64_t total,
		      uint64_t received, struct nl_triage *out)
{
	uint64_t n = nl_triage_counter(in->iv, "drops", key, "drops");
	double rate = in->seconds > 0 ? n / in->seconds : (double)n;
	double share = received ? (double)n / (double)(received + n) : 0;
	double score;
	char reason[NL_KEY_MAX] = "?", loc[NL_KEY_MAX] = "?", netns[32] = "";
	struct nl_finding *f;

	if (n < MIN_DROPS || rate < DROPS_PER_S || (received && share < DROP_SHARE))
		return;
	nl_key_get(key, "reason", reason, sizeof(reason));
	nl_key_get(key, "location", loc, sizeof(loc));
	nl_key_get(key, "netns", netns, sizeof(netns));
	/* against the traffic when it is known: 20 drops/s matter on an idle host, not at 100k pps */
	score = received ? nl_triage_score(share, DROP_SHARE) : nl_triage_score(rate, DROPS_PER_S);
	f = nl_triage_add(out, RULE, score);
	/*
	 * A full backlog is the symptom of a receiving CPU that falls behind;
	 * napi-budget and softirq-delay name the cause and should rank above it.
	 */
	if (!strcmp(reason, "CPU_BACKLOG") && f->score > SYMPTOM_SCORE_MAX)
		f->score = SYMPTOM_SCORE_MAX;
	snprintf(f->what, sizeof(f->what), "packets dropped: reason %s at %s", reason, loc);
	snprintf(f->evidence, sizeof(f->evidence),
		 "%llu drops, %.1f/s, %.3g%% of the packets received, %.0f%% of all drops seen "
		 "(normal: below %.0f/s or %.1f%%)", (unsigned long long)n, rate, share * 100,
		 total ? 100.0 * n / total : 0, DROPS_PER_S, DROP_SHARE * 100);
	snprintf(f->where, sizeof(f->where), "reason=%s location=%s%s%s", reason, loc,
		 netns[0] ? " netns=" : "", netns);
	snprintf(f->next, sizeof(f->next), "%s", next_for(reason));
	if (rcvq_reason(reason)) {
		f->netns = netns[0] ? strtoull(netns, NULL, 10) : 0;
		f->consequence_of = NL_CAUSE_RCVQ_FULL;
	}
}

static void check_drops(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "drops", "reason", &keys);
	uint64_t total = 0, received = packets_received(in);

	for (size_t i = 0; i < n; i++)
		total += nl_triage_counter(in->iv, "drops", keys[i], "drops");
	for (size_t i = 0; i < n; i++)
		check_row(in, keys[i], total, received, out);
	free(keys);
}

const struct nl_rule nl_rule_drops = {
	.name = RULE,
	.order = 50,
	.needs = "drops",
	.help = "drops of one reason and location >= 1/s (>= 10) and >= 0.1% of the packets received",
	.scopes = NL_RULE_SCOPE_NETNS,
	.check = check_drops,
};
