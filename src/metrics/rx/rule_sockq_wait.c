// SPDX-License-Identifier: GPL-2.0
/*
 * Rule sockq-wait: data waits in a socket's receive queue, from the moment
 * it became readable to the moment the process copied it out, for longer
 * than every other receive stage together: the application reads slowly
 * (busy, blocked elsewhere, or sleeping between reads). Named by flow and
 * process, since the fix is in that process, not in the kernel.
 *
 * The wait is the rx flow rows' sockq_wait: by bytes (method=bytes, each
 * read's oldest byte) where the bpf collector measured it, else by skb
 * pairing (a sample); with no flow row at all, the arrival age at
 * socket_read (no flow, no process: the age point has neither).
 *
 * A busy reader is not a slow one: one that spends half the time or more
 * in its receive calls (copy metric), or that comes back 1000 times a
 * second and takes what arrives (reads 90% or more of the bytes that
 * became readable), is the bottleneck of a transfer whose queue is full by
 * design, and other rules (copy-cost, gro-ratio) say why. Reads per second
 * alone decide nothing: a reader that wakes often but takes 50 bytes of
 * every 200 falls behind all the same; only rows without arrival counts
 * (skb pairing) are judged on it. Taking what arrives alone decides
 * nothing either: a reader that sleeps 20 ms before each read takes it all.
 *
 * A queue whose wait grows interval over interval is filling: a growing
 * one is the root cause of the retransmits and receive-side drops in its
 * namespace (a full receive buffer drops segments, the sender resends).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"
#include "netlat/util.h"

#define RULE		"sockq-wait"
#define WAIT_P50_NS	1000000.0	/* 1 ms */
#define MIN_SAMPLES	10
#define DOMINANT_SHARE	0.5
#define BUSY_SHARE	0.5	/* of the time in receive calls: a busy reader is not slow */
#define BUSY_READS_PER_S 1000.0	/* a reader back this often (and taking what arrives) is busy */
#define KEEPS_UP_SHARE	0.9	/* of the bytes arriving, read: a reader that keeps up */
#define GROWTH_FACTOR	2.0	/* last interval's p50 over the first's: the queue is filling */
#define GROWTH_MIN_IV	3

/* The largest p50 of the rx ladder's stages other than the socket queue; 0 without a ladder. */
static double rx_ladder_other_ns(const struct nl_triage_in *in)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "rx", "stage", &keys);
	double worst = 0;
	char stage[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, "rx", keys[i], "latency");
		double v;

		nl_key_get(keys[i], "stage", stage, sizeof(stage));
		/* total spans every stage; the socket queue is what is being judged */
		if (!h || !strcmp(stage, "total") || !strcmp(stage, "socket_queue"))
			continue;
		v = (double)nl_hist_percentile(h, 0.5);
		if (v > worst)
			worst = v;
	}
	free(keys);
	return worst;
}

/* "B:Q>A:P" for "A:P>B:Q" */
static void reverse_flow(const char *flow, char *out, size_t len)
{
	const char *gt = strchr(flow, '>');

	if (!gt)
		snprintf(out, len, "%s", flow);
	else
		snprintf(out, len, "%s>%.*s", gt + 1, (int)(gt - flow), flow);
}

/* "P>Q" for "A:P>B:Q" (IPv6 addresses hold colons too: the port follows the last one) */
static void flow_ports(const char *flow, char *out, size_t len)
{
	const char *gt = strchr(flow, '>'), *p1, *p2;

	out[0] = '\0';
	if (!gt)
		return;
	p2 = strrchr(gt, ':');
	for (p1 = gt; p1 > flow && p1[-1] != ':'; p1--)
		;
	if (p1 > flow && p2)
		snprintf(out, len, "%.*s>%s", (int)(gt - p1), p1, p2 + 1);
}

/* Same flow, either orientation; by ports alone when the addresses disagree in form. */
static bool same_flow(const char *a, const char *b)
{
	char ra[NL_KEY_MAX], pa[NL_KEY_MAX], pb[NL_KEY_MAX], rb[NL_KEY_MAX];

	reverse_flow(a, ra, sizeof(ra));
	if (!strcmp(a, b) || !strcmp(ra, b))
		return true;
	flow_ports(a, pa, sizeof(pa));
	flow_ports(b, pb, sizeof(pb));
	flow_ports(ra, rb, sizeof(rb));
	return pa[0] && (!strcmp(pa, pb) || !strcmp(rb, pb));
}

/*
 * The rx ladder keys flows by addresses only; the tcp metric's flow rows
 * (from sock_recv_length, in the reader's context) carry comm and pid.
 * Join on the flow, in either orientation, preferring the side that read
 * (ports alone decide when the two metrics print addresses differently).
 */
static void process_of(const struct nl_triage_in *in, const char *key, char *out, size_t len,
		       char *tcp_key, size_t klen)
{
	const char **keys = NULL;
	struct nl_triage_in any = *in;
	size_t n;
	char flow[NL_KEY_MAX], f[NL_KEY_MAX], comm[32], pid[16];
	uint64_t best = 0;

	snprintf(out, len, "the reading process");
	tcp_key[0] = '\0';
	any.netns = 0;
	any.dev = NULL;
	n = nl_triage_keys(&any, "tcp", "flow", &keys);
	if (!nl_key_get(key, "flow", flow, sizeof(flow)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint64_t in_bytes = nl_triage_counter(in->iv, "tcp", keys[i], "bytes_in") + 1;

		if (!nl_key_get(keys[i], "flow", f, sizeof(f)) || !same_flow(flow, f))
			continue;
		if (in_bytes <= best || !nl_key_get(keys[i], "comm", comm, sizeof(comm)))
			continue;
		best = in_bytes;
		snprintf(tcp_key, klen, "%s", keys[i]);
		if (nl_key_get(keys[i], "pid", pid, sizeof(pid)))
			snprintf(out, len, "%s (pid %s)", comm, pid);
		else
			snprintf(out, len, "%s", comm);
	}
out:
	free(keys);
}

/*
 * Share of the time the reader spent in its receive calls (copy metric,
 * when recorded). A reader busy most of the time is not slow: it is the
 * bottleneck of a bulk transfer, whose socket queue is full by design.
 */
static double reader_busy(const struct nl_triage_in *in, const char *tcp_key)
{
	char pid[16], comm[32], key[NL_KEY_MAX];
	uint64_t ns;

	if (!tcp_key[0] || in->seconds <= 0 || !nl_key_get(tcp_key, "pid", pid, sizeof(pid)) ||
	    !nl_key_get(tcp_key, "comm", comm, sizeof(comm)))
		return 0;
	snprintf(key, sizeof(key), "dir=rx comm=%s pid=%s", comm, pid);
	ns = nl_triage_counter(in->iv, "copy", key, "syscall_ns");
	return (double)ns / (in->seconds * 1e9);
}

/* Does the reader keep up with what arrives (method=bytes rows count both)? -1: unknown. */
static int keeps_up(const struct nl_triage_in *in, const char *key, char *out, size_t len)
{
	uint64_t got = nl_triage_counter(in->iv, "rx", key, "sockq_bytes");
	uint64_t arrived = nl_triage_counter(in->iv, "rx", key, "sockq_arrived");

	out[0] = '\0';
	if (!arrived)
		return -1;
	snprintf(out, len, "; reads took %llu of %llu bytes that arrived (%.0f%%)",
		 (unsigned long long)got, (unsigned long long)arrived, 100.0 * got / arrived);
	return got >= KEEPS_UP_SHARE * arrived;
}

/*
 * Growing or steady: the p50 of each interval with reads of this row. The
 * queue is filling when the last p50 is GROWTH_FACTOR times the first and
 * the p50 rose more often than it fell.
 */
static bool queue_grows(const struct nl_triage_in *in, const char *key, const char *stat,
			char *out, size_t len)
{
	double first = 0, last = 0, prev = 0;
	int n = 0, up = 0, down = 0;
	size_t o;

	o = (size_t)snprintf(out, len, "p50 per interval");
	for (size_t i = 0; in->rec && i < in->rec->niv; i++) {
		const struct nl_hist *h = nl_triage_hist(in->rec->iv[i], "rx", key, stat);
		char v[32];
		double p;

		if (!h)
			continue;
		p = (double)nl_hist_percentile(h, 0.5);
		if (!n++)
			first = p;
		else if (p > prev)
			up++;
		else if (p < prev)
			down++;
		prev = last = p;
		nl_fmt_ns(v, sizeof(v), p);
		if (o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s", n > 1 ? ", " : " ", v);
	}
	return n >= GROWTH_MIN_IV && last >= GROWTH_FACTOR * first && up > down;
}

/* The namespace of the joined tcp flow row, 0 when unknown. */
static uint64_t netns_of(const char *tcp_key)
{
	char ns[32];

	return tcp_key[0] && nl_key_get(tcp_key, "netns", ns, sizeof(ns)) ? strtoull(ns, NULL, 10) : 0;
}

static void check_flow(const struct nl_triage_in *in, const char *key, double other,
		       struct nl_triage *out)
{
	const struct nl_hist *h = nl_triage_hist(in->iv, "rx", key, "sockq_wait");
	char proc[64], p50[32], p99[32], mx[32], o[48] = "", tcp_key[NL_KEY_MAX];
	char method[16] = "skb", share[128], trend[160];
	struct nl_finding *f;
	double v50;
	int up;
	bool grows;

	if (!h || h->count < MIN_SAMPLES)
		return;
	v50 = (double)nl_hist_percentile(h, 0.5);
	if (v50 < WAIT_P50_NS || (other > 0 && v50 / (v50 + other) < DOMINANT_SHARE))
		return;
	process_of(in, key, proc, sizeof(proc), tcp_key, sizeof(tcp_key));
	/* rx flow rows carry no netns: the scope is judged on the joined tcp row */
	if (in->netns && (!tcp_key[0] || !nl_triage_in_scope(in, tcp_key)))
		return;
	nl_key_get(key, "method", method, sizeof(method));
	up = keeps_up(in, key, share, sizeof(share));
	/* busy: in receive calls half the time, or back for more so often that it takes what arrives */
	if (reader_busy(in, tcp_key) >= BUSY_SHARE ||
	    (up != 0 && in->seconds > 0 && h->count / in->seconds >= BUSY_READS_PER_S))
		return;
	grows = queue_grows(in, key, "sockq_wait", trend, sizeof(trend));
	nl_fmt_ns(p50, sizeof(p50), v50);
	nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	nl_fmt_ns(mx, sizeof(mx), (double)h->max);
	if (other > 0) {
		snprintf(o, sizeof(o), "; slowest other rx stage p50 ");
		nl_fmt_ns(o + strlen(o), sizeof(o) - strlen(o), other);
	}
	f = nl_triage_add(out, RULE, nl_triage_score(v50, WAIT_P50_NS));
	snprintf(f->what, sizeof(f->what),
		 "data waits in the socket queue for %s: the application reads slowly%s", proc,
		 grows ? ", and the queue is growing" : "");
	snprintf(f->evidence, sizeof(f->evidence),
		 "socket-queue wait (by %s) p50 %s, p99 %s, longest %s over %llu reads; %s (%s)%s%s "
		 "(normal: p50 below 1.00ms)", !strcmp(method, "bytes") ? "bytes" : "skb pairing, a sample",
		 p50, p99, mx, (unsigned long long)h->count, grows ? "growing" : "steady", trend, share, o);
	snprintf(f->where, sizeof(f->where), "%s process=%s", key, proc);
	snprintf(f->next, sizeof(f->next),
		 "perf trace -p PID or strace -T -p PID (what the reader does between reads); "
		 "ss -tmi (receive queue and buffer); netlat record -m rx,copy");
	f->netns = netns_of(tcp_key);
	if (grows)
		f->cause = NL_CAUSE_RCVQ_FULL;
}

/* No flow rows: the arrival age at socket_read is the only wait there is (no flow, no process). */
static void check_read_age(const struct nl_triage_in *in, double other, struct nl_triage *out)
{
	const struct nl_hist *h = nl_triage_hist(in->iv, "rx", "point=socket_read", "age");
	char p50[32], p99[32], mx[32], trend[160];
	struct nl_finding *f;
	double v50;
	bool grows;

	if (!h || h->count < MIN_SAMPLES || in->netns)
		return;
	v50 = (double)nl_hist_percentile(h, 0.5);
	if (v50 < WAIT_P50_NS || (other > 0 && v50 / (v50 + other) < DOMINANT_SHARE))
		return;
	grows = queue_grows(in, "point=socket_read", "age", trend, sizeof(trend));
	nl_fmt_ns(p50, sizeof(p50), v50);
	nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	nl_fmt_ns(mx, sizeof(mx), (double)h->max);
	f = nl_triage_add(out, RULE, nl_triage_score(v50, WAIT_P50_NS));
	snprintf(f->what, sizeof(f->what), "received data waits before an application reads it%s",
		 grows ? ", and the wait is growing" : "");
	snprintf(f->evidence, sizeof(f->evidence),
		 "arrival age at socket_read p50 %s, p99 %s, longest %s over %llu reads; %s (%s); no "
		 "socket-queue wait per flow in this recording, and the age understates it where TCP "
		 "coalesced segments (normal: p50 below 1.00ms)", p50, p99, mx,
		 (unsigned long long)h->count, grows ? "growing" : "steady", trend);
	snprintf(f->where, sizeof(f->where), "point=socket_read (every socket; the reader is not known)");
	snprintf(f->next, sizeof(f->next), "ss -tmi (which socket has a receive queue); "
		 "netlat record -m rx,tcp --collector bpf (the wait per flow and process)");
}

static void check_sockq(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	struct nl_triage_in any = *in;
	size_t n, sampled = 0;
	double other;

	any.netns = 0;	/* see check_flow */
	n = nl_triage_keys(&any, "rx", "flow", &keys);
	other = rx_ladder_other_ns(&any);

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, "rx", keys[i], "sockq_wait");

		sampled += h && h->count >= MIN_SAMPLES;
		check_flow(in, keys[i], other, out);
	}
	if (!sampled)
		check_read_age(in, other, out);
	free(keys);
}

const struct nl_rule nl_rule_sockq_wait = {
	.name = RULE,
	.order = 40,
	.needs = "rx",
	.help = "socket-queue wait p50 >= 1ms (>= 10 reads; else arrival age at read) and >= 50% of it plus the slowest other rx stage, reader in receive calls < 50% of the time not both >= 1000 reads/s and reading >= 90% of what arrives",
	.scopes = NL_RULE_SCOPE_NETNS,
	.check = check_sockq,
};
