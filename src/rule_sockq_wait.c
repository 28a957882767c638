// SPDX-License-Identifier: GPL-2.0
/*
 * Rule sockq-wait: data waits in a socket's receive queue, from the moment
 * the stack queued it to the moment the process copied it out, for longer
 * than every other receive stage together: the application reads slowly
 * (busy, blocked elsewhere, or sleeping between reads). Named by flow and
 * process, since the fix is in that process, not in the kernel. A reader
 * that spends half the time or more in its receive calls (copy metric), or
 * reads 1000 times a second or more, is busy, not slow: the queue of a bulk
 * transfer it cannot keep up with is full by design (the wait is the queue's
 * depth over the drain rate), and other rules (copy-cost, gro-ratio) say why.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/triage.h"

#define RULE		"sockq-wait"
#define WAIT_P50_NS	1000000.0	/* 1 ms */
#define MIN_SAMPLES	10
#define DOMINANT_SHARE	0.5
#define BUSY_SHARE	0.5	/* of the time in receive calls: a busy reader is not slow */
#define BUSY_READS_PER_S 1000.0	/* nor is one that comes back this often */

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

static void check_flow(const struct nl_triage_in *in, const char *key, double other,
		       struct nl_triage *out)
{
	const struct nl_hist *h = nl_triage_hist(in->iv, "rx", key, "sockq_wait");
	char proc[64], p50[32], p99[32], o[32] = "", tcp_key[NL_KEY_MAX];
	struct nl_finding *f;
	double v50;

	if (!h || h->count < MIN_SAMPLES)
		return;
	v50 = (double)nl_hist_percentile(h, 0.5);
	if (v50 < WAIT_P50_NS || (other > 0 && v50 / (v50 + other) < DOMINANT_SHARE))
		return;
	process_of(in, key, proc, sizeof(proc), tcp_key, sizeof(tcp_key));
	/* rx flow rows carry no netns: the scope is judged on the joined tcp row */
	if (in->netns && (!tcp_key[0] || !nl_triage_in_scope(in, tcp_key)))
		return;
	if (reader_busy(in, tcp_key) >= BUSY_SHARE ||
	    (in->seconds > 0 && h->count / in->seconds >= BUSY_READS_PER_S))
		return;
	nl_triage_fmt_ns(p50, sizeof(p50), v50);
	nl_triage_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	if (other > 0)
		nl_triage_fmt_ns(o, sizeof(o), other);
	f = nl_triage_add(out, RULE, nl_triage_score(v50, WAIT_P50_NS));
	snprintf(f->what, sizeof(f->what),
		 "data waits in the socket queue for %s: the application reads slowly", proc);
	snprintf(f->evidence, sizeof(f->evidence),
		 "socket-queue wait p50 %s, p99 %s over %llu reads%s%s (normal: p50 below 1.00ms)",
		 p50, p99, (unsigned long long)h->count, o[0] ? "; slowest other rx stage p50 " : "", o);
	snprintf(f->where, sizeof(f->where), "%s process=%s", key, proc);
	snprintf(f->next, sizeof(f->next),
		 "perf trace -p PID or strace -T -p PID (what the reader does between reads); "
		 "netlat record -m rx,copy");
}

static void check_sockq(const struct nl_triage_in *in, struct nl_triage *out)
{
	const char **keys = NULL;
	struct nl_triage_in any = *in;
	size_t n;
	double other;

	any.netns = 0;	/* see check_flow */
	n = nl_triage_keys(&any, "rx", "flow", &keys);
	other = n ? rx_ladder_other_ns(&any) : 0;

	for (size_t i = 0; i < n; i++)
		check_flow(in, keys[i], other, out);
	free(keys);
}

const struct nl_rule nl_rule_sockq_wait = {
	.name = RULE,
	.needs = "rx",
	.help = "socket-queue wait p50 >= 1ms (>= 10 reads) and >= 50% of it plus the slowest other rx stage, reader busy < 50% and < 1000 reads/s",
	.scopes = NL_RULE_SCOPE_NETNS,
	.check = check_sockq,
};
