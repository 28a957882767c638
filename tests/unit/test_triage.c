// SPDX-License-Identifier: GPL-2.0
/*
 * Triage rules on synthetic recordings: each rule fires on its fault and
 * names the right place, stays quiet below its threshold, ranks as the
 * score says, and a rule whose metric is missing is listed as not checked.
 */
#include <math.h>
#include <unistd.h>

#include "netlat/memcpy_bw.h"
#include "netlat/recording.h"
#include "netlat/top.h"
#include "netlat/triage.h"
#include "netlat/util.h"
#include "unit.h"

static struct nl_recording *rec_with(const char *const *metrics)
{
	struct nl_recording *rec = nl_rec_new();

	for (const char *const *m = metrics; *m; m++) {
		struct nl_metric_status *st = nl_rec_metric(rec, *m, true);

		st->state = NL_METRIC_OK;
		snprintf(st->backend, sizeof(st->backend), "bpf");
	}
	nl_rec_set_meta(rec, "duration_ns", "1000000000");
	nl_rec_add_interval(rec, 0, 0, 1000000000ULL);
	return rec;
}

static void hist_fill(struct nl_interval *iv, const char *metric, const char *key, const char *stat,
		      uint64_t v, int n)
{
	struct nl_hist *h = nl_iv_hist(iv, metric, key, stat, "ns");

	for (int i = 0; i < n; i++)
		nl_hist_add(h, v);
}

static void run(struct nl_recording *rec, struct nl_triage *t, const char *dev, uint64_t netns)
{
	struct nl_triage_in in = {
		.rec = rec, .iv = rec->iv[0], .seconds = 1.0, .memcpy_bytes_per_s = 10e9,
		.dev = dev, .netns = netns,
	};

	CHECK(nl_triage_run(&in, t) == 0);
}

static bool skipped(const struct nl_triage *t, const char *rule)
{
	for (size_t i = 0; i < t->nskipped; i++)
		if (!strcmp(t->skipped[i].rule, rule))
			return true;
	return false;
}

static void test_quiet(void)
{
	static const char *const m[] = { "napi", "softirq", "qdisc", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_interval *iv = rec->iv[0];
	struct nl_triage t;
	size_t nrules;

	nl_iv_add_counter(iv, "napi", "dev=eth0", "polls", "", 1000);
	nl_iv_add_counter(iv, "napi", "dev=eth0", "budget_exhausted", "", 10);	/* 1%: fine */
	hist_fill(iv, "softirq", "cpu=0 vec=NET_RX", "raise_delay", 2000, 500);
	hist_fill(iv, "qdisc", "dev=eth0 handle=0:", "sojourn", 20000, 100);
	run(rec, &t, NULL, 0);
	CHECK_EQ_U64(t.nf, 0);
	nl_rule_list(&nrules);
	CHECK_EQ_U64(t.nchecked + t.nskipped, nrules);
	CHECK(skipped(&t, "drops"));		/* not recorded */
	CHECK(skipped(&t, "sockq-wait"));
	nl_triage_free(&t);
	nl_rec_free(rec);
}

static void test_rank_and_where(void)
{
	static const char *const m[] = { "napi", "qdisc", "drops", "gro", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_interval *iv = rec->iv[0];
	struct nl_triage t;

	/* qdisc p99 ~200 ms: far above 1 ms */
	hist_fill(iv, "qdisc", "dev=veth0 handle=1:", "sojourn", 200000000, 100);
	/* napi at 10%: twice the threshold */
	nl_iv_add_counter(iv, "napi", "dev=eth1", "polls", "", 1000);
	nl_iv_add_counter(iv, "napi", "dev=eth1", "budget_exhausted", "", 100);
	nl_iv_add_counter(iv, "napi", "cpu=0", "processed", "pkts", 100);
	nl_iv_add_counter(iv, "napi", "cpu=3", "processed", "pkts", 900000);
	/* GRO off on veth1 at 200k pps (score 73); lo would be skipped */
	nl_iv_add_counter(iv, "gro", "dev=veth1", "direct_in", "pkts", 200000);
	nl_iv_add_counter(iv, "gro", "dev=veth1", "skbs_out", "pkts", 200000);
	nl_iv_add_counter(iv, "gro", "dev=lo", "direct_in", "pkts", 500000);
	nl_iv_add_counter(iv, "gro", "dev=lo", "skbs_out", "pkts", 500000);
	run(rec, &t, NULL, 0);
	CHECK_EQ_U64(t.nf, 3);
	if (t.nf == 3) {
		CHECK_STR(t.f[0].rule, "qdisc-sojourn");
		CHECK(strstr(t.f[0].where, "dev=veth0 qdisc handle=1:") != NULL);
		CHECK_STR(t.f[1].rule, "gro-ratio");
		CHECK_STR(t.f[1].where, "dev=veth1");
		CHECK(fabs(t.f[1].score - (40 + 10 * log2(10))) < 0.01);	/* 200k against 20k pps */
		CHECK_STR(t.f[2].rule, "napi-budget");
		CHECK(strstr(t.f[2].where, "cpu=3 does 100% of the receive work (concentrated") != NULL);
		CHECK(fabs(t.f[2].score - 50.0) < 0.01);	/* 40 + 10 * log2(0.10 / 0.05) */
		CHECK(t.f[0].score >= t.f[1].score && t.f[1].score >= t.f[2].score);
		CHECK(!t.f[0].qualified);
	}
	nl_triage_free(&t);

	/* --dev narrows to one device; rules whose rows have no device are not checked */
	run(rec, &t, "veth1", 0);
	CHECK_EQ_U64(t.nf, 1);
	if (t.nf)
		CHECK_STR(t.f[0].rule, "gro-ratio");
	CHECK(skipped(&t, "drops"));
	nl_triage_free(&t);
	nl_rec_free(rec);
}

static void test_drops_and_lost(void)
{
	static const char *const m[] = { "drops", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_interval *iv = rec->iv[0];
	struct nl_triage t;

	nl_iv_add_counter(iv, "drops", "reason=NO_SOCKET location=__udp6_lib_rcv+0xe1 netns=7", "drops",
			  "pkts", 2000);
	nl_iv_add_counter(iv, "drops", "reason=NOT_SPECIFIED location=x+0x1 netns=8", "drops", "pkts", 5);
	run(rec, &t, NULL, 0);
	CHECK_EQ_U64(t.nf, 1);
	if (t.nf)
		CHECK_STR(t.f[0].where, "reason=NO_SOCKET location=__udp6_lib_rcv+0xe1 netns=7");
	nl_triage_free(&t);

	/* scoped to another netns: nothing */
	run(rec, &t, NULL, 8);
	CHECK_EQ_U64(t.nf, 0);
	nl_triage_free(&t);

	/* a third of the events lost: lost-events first, the drop qualified */
	nl_iv_add_counter(iv, "session", "", "events", "", 2000);
	nl_iv_add_counter(iv, "session", "cpu=1", "lost_events", "", 1000);
	run(rec, &t, NULL, 0);
	CHECK_EQ_U64(t.nf, 2);
	if (t.nf == 2) {
		CHECK_STR(t.f[0].rule, "lost-events");
		CHECK(t.f[0].score == 100);
		CHECK(!t.f[0].qualified);
		CHECK(t.f[1].qualified);
		/* the smaller -m it suggests is chosen from what was recorded */
		CHECK(strstr(t.f[0].next, "fewer metrics than drops recorded: netlat record -m") != NULL);
	}
	nl_triage_free(&t);
	nl_rec_free(rec);
}

static void test_unavailable(void)
{
	static const char *const m[] = { NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_metric_status *st = nl_rec_metric(rec, "softirq", true);
	struct nl_triage t;

	st->state = NL_METRIC_UNAVAILABLE;
	snprintf(st->reason, sizeof(st->reason), "bpf: load failed: EPERM");
	run(rec, &t, NULL, 0);
	for (size_t i = 0; i < t.nskipped; i++)
		if (!strcmp(t.skipped[i].rule, "softirq-delay"))
			CHECK(strstr(t.skipped[i].why, "EPERM") != NULL);
	CHECK(skipped(&t, "softirq-delay"));
	nl_triage_free(&t);
	nl_rec_free(rec);
}

/* Why rule was not checked; "" when it was. */
static const char *skip_why(const struct nl_triage *t, const char *rule)
{
	for (size_t i = 0; i < t->nskipped; i++)
		if (!strcmp(t->skipped[i].rule, rule))
			return t->skipped[i].why;
	return "";
}

/* A copy row of calls x bytes_per_call, each call taking ns_per_call. */
static void copy_row(struct nl_interval *iv, const char *key, uint64_t calls, uint64_t bytes_per_call,
		     uint64_t ns_per_call)
{
	nl_iv_add_counter(iv, "copy", key, "calls", "", calls);
	nl_iv_add_counter(iv, "copy", key, "bytes", "bytes", calls * bytes_per_call);
	nl_iv_add_counter(iv, "copy", key, "syscall_ns", "ns", calls * ns_per_call);
	hist_fill(iv, "copy", key, "syscall_time", ns_per_call, (int)calls);
}

/* Triage a recording as `triage -i` does: written, read back, the reference from its meta. */
static void triage_file(struct nl_recording *rec, struct nl_triage *t)
{
	char path[] = "/tmp/netlat-test-triage-XXXXXX";
	int fd = mkstemp(path);
	struct nl_recording *back = NULL;
	char err[128];

	CHECK(fd >= 0);
	close(fd);
	CHECK(nl_rec_write(rec, path) == 0);
	CHECK(nl_rec_read(path, &back, err, sizeof(err)) == 0);
	unlink(path);
	if (!back)
		return;
	{
		struct nl_interval *total = nl_rec_total(back, -1);
		struct nl_triage_in in = {
			.rec = back, .iv = total, .seconds = 1.0,
			.memcpy_bytes_per_s = nl_memcpy_bw_of(back),
		};

		CHECK(nl_triage_run(&in, t) == 0);
		nl_iv_free(total);
	}
	nl_rec_free(back);
}

/*
 * copy-cost judges against the memcpy of the machine that recorded: 200
 * calls of 64 KiB at 64 us each are 1 us per KiB. Recorded where memcpy
 * does 1 ns per KiB, that is 1000x (a finding); where it does 100 ns per
 * KiB, 10x (none); with no reference stored, the rule is not checked.
 */
static void test_copy_reference(void)
{
	static const char *const m[] = { "copy", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_triage t;

	copy_row(rec->iv[0], "dir=tx comm=sender", 200, 65536, 64000);
	nl_rec_set_meta(rec, "memcpy_bytes_per_s", "1024000000000");	/* 1 ns per KiB */
	triage_file(rec, &t);
	CHECK_EQ_U64(t.nf, 1);
	if (t.nf) {
		CHECK_STR(t.f[0].rule, "copy-cost");
		CHECK(strstr(t.f[0].evidence, "against 1ns per KiB for memcpy") != NULL);
		CHECK(strstr(t.f[0].evidence, "(1000x;") != NULL);
	}
	nl_triage_free(&t);

	nl_rec_set_meta(rec, "memcpy_bytes_per_s", "10240000000");	/* 100 ns per KiB */
	triage_file(rec, &t);
	CHECK_EQ_U64(t.nf, 0);
	CHECK(!skipped(&t, "copy-cost"));
	nl_triage_free(&t);

	nl_rec_set_meta(rec, "memcpy_bytes_per_s", "");		/* an older netlat's file */
	triage_file(rec, &t);
	CHECK_EQ_U64(t.nf, 0);
	CHECK(strstr(skip_why(&t, "copy-cost"), "no memcpy reference") != NULL);
	nl_triage_free(&t);
	nl_rec_free(rec);

	/* copy recorded without --syscall-time: bytes and calls, no times to judge */
	rec = rec_with(m);
	nl_iv_add_counter(rec->iv[0], "copy", "dir=tx comm=sender", "calls", "", 200);
	nl_iv_add_counter(rec->iv[0], "copy", "dir=tx comm=sender", "bytes", "bytes", 200 * 65536);
	nl_rec_set_meta(rec, "memcpy_bytes_per_s", "1024000000000");
	triage_file(rec, &t);
	CHECK(strstr(skip_why(&t, "copy-cost"), "--syscall-time") != NULL);
	nl_triage_free(&t);
	nl_rec_free(rec);
}

static void test_scores_and_format(void)
{
	char b[32];

	CHECK(nl_triage_score(1, 1) == 40);
	CHECK(nl_triage_score(4, 1) == 60);
	CHECK(nl_triage_score(1e9, 1) == 95);
	CHECK(nl_triage_score(0, 1) == 1);
	nl_fmt_ns(b, sizeof(b), 20400000);
	CHECK_STR(b, "20.4ms");
	nl_fmt_ns(b, sizeof(b), 999.6);
	CHECK_STR(b, "1.00us");
	nl_triage_fmt_num(b, sizeof(b), 73300);
	CHECK_STR(b, "73.3k");
}

static void test_top_render(void)
{
	static const char *const m[] = { "qdisc", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_top_frame fr = { .rec = rec, .iv = rec->iv[0], .index = 1 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	hist_fill(rec->iv[0], "qdisc", "dev=veth0 handle=1:", "sojourn", 200000000, 100);
	nl_top_render(f, &fr, 5, 5);
	fclose(f);
	CHECK(strstr(text, "RX/TX STAGE") != NULL);
	CHECK(strstr(text, "qdisc 1:") != NULL);
	CHECK(strstr(text, "#1 [") != NULL && strstr(text, "qdisc-sojourn") != NULL);
	CHECK(strchr(text, '\033') == NULL);
	free(text);
	nl_rec_free(rec);
}

/*
 * sockq-wait: a reader taking 50 of every 300 bytes whose wait grows from
 * 100 ms to 1 s over four intervals, with retransmits in its namespace and
 * TCP_OLD_DATA drops (no namespace): it ranks first, names the process and
 * says the queue grows; the other two say they follow from it.
 */
#define SQ_FLOW	"flow=127.0.0.1:5000>127.0.0.1:6000 method=bytes"

static struct nl_recording *sockq_rec(uint64_t reads_per_iv, uint64_t bytes, uint64_t arrived,
				      bool grow)
{
	static const char *const m[] = { "rx", "tcp", "drops", NULL };
	struct nl_recording *rec = rec_with(m);

	for (int i = 0; i < 4; i++) {
		struct nl_interval *iv = i ? nl_rec_add_interval(rec, 0, i * 1000000000ULL,
								  (i + 1) * 1000000000ULL) : rec->iv[0];
		static const uint64_t waits[] = { 100000000, 300000000, 600000000, 1000000000 };

		hist_fill(iv, "rx", SQ_FLOW, "sockq_wait", grow ? waits[i] : 20000000, (int)reads_per_iv);
		nl_iv_add_counter(iv, "rx", SQ_FLOW, "sockq_bytes", "bytes", bytes / 4);
		nl_iv_add_counter(iv, "rx", SQ_FLOW, "sockq_arrived", "bytes", arrived / 4);
		hist_fill(iv, "rx", "stage=stack dev=lo", "latency", 10000, 10);
	}
	nl_iv_add_counter(rec->iv[0], "tcp", "flow=127.0.0.1:6000>127.0.0.1:5000 netns=7 comm=reader pid=42",
			  "bytes_in", "bytes", bytes);
	nl_iv_add_counter(rec->iv[0], "tcp", "flow=127.0.0.1:5000>127.0.0.1:6000 netns=7 comm=sender pid=41",
			  "bytes_out", "bytes", 14480);
	nl_iv_add_counter(rec->iv[0], "tcp", "netns=7", "retransmits", "", 50);
	nl_iv_add_counter(rec->iv[0], "drops", "reason=TCP_OLD_DATA location=tcp_data_queue+0x7a5", "drops",
			  "pkts", 50);
	return rec;
}

static void run_total(struct nl_recording *rec, struct nl_triage *t)
{
	struct nl_interval *total = nl_rec_total(rec, -1);
	struct nl_triage_in in = { .rec = rec, .iv = total, .seconds = 4.0, .memcpy_bytes_per_s = 10e9 };

	CHECK(nl_triage_run(&in, t) == 0);
	nl_iv_free(total);
}

static const struct nl_finding *finding_of(const struct nl_triage *t, const char *rule)
{
	for (size_t i = 0; i < t->nf; i++)
		if (!strcmp(t->f[i].rule, rule))
			return &t->f[i];
	return NULL;
}

static void test_sockq(void)
{
	struct nl_recording *rec = sockq_rec(30, 6000, 36000, true);
	const struct nl_finding *f;
	struct nl_triage t;

	run_total(rec, &t);
	CHECK(t.nf == 3);
	if (t.nf == 3) {
		CHECK_STR(t.f[0].rule, "sockq-wait");
		CHECK(strstr(t.f[0].what, "reader (pid 42)") && strstr(t.f[0].what, "growing"));
		CHECK(strstr(t.f[0].evidence, "by bytes") && strstr(t.f[0].evidence, "longest"));
		CHECK(strstr(t.f[0].where, SQ_FLOW) != NULL);
		CHECK_STR(t.f[1].caused_by, "caused by #1: receive queue full");
		CHECK_STR(t.f[2].caused_by, "caused by #1: receive queue full");
	}
	nl_triage_free(&t);
	nl_rec_free(rec);

	/* steady 20 ms, taking all that arrives 30 times a second: slow, not busy; nothing follows from it */
	rec = sockq_rec(30, 36000, 36000, false);
	run_total(rec, &t);
	f = finding_of(&t, "sockq-wait");
	CHECK(f && strstr(f->evidence, "steady") && !f->cause);
	f = finding_of(&t, "tcp-errors");
	CHECK(f && !f->caused_by[0]);
	nl_triage_free(&t);
	nl_rec_free(rec);

	/* 1500 reads a second taking all that arrives: busy, no finding */
	rec = sockq_rec(1500, 36000, 36000, false);
	run_total(rec, &t);
	CHECK(!finding_of(&t, "sockq-wait"));
	nl_triage_free(&t);
	nl_rec_free(rec);

	/* 1500 reads a second taking a sixth of what arrives: still a slow reader */
	rec = sockq_rec(1500, 6000, 36000, false);
	run_total(rec, &t);
	CHECK(finding_of(&t, "sockq-wait") != NULL);
	nl_triage_free(&t);
	nl_rec_free(rec);
}

/* No flow rows (skb->tstamp only): the arrival age at socket_read stands in, without a process. */
static void test_sockq_age(void)
{
	static const char *const m[] = { "rx", NULL };
	struct nl_recording *rec = rec_with(m);
	struct nl_triage t;

	hist_fill(rec->iv[0], "rx", "point=socket_read", "age", 2000000000, 50);
	run(rec, &t, NULL, 0);
	CHECK(t.nf == 1);
	if (t.nf == 1) {
		CHECK_STR(t.f[0].rule, "sockq-wait");
		CHECK(strstr(t.f[0].evidence, "arrival age at socket_read p50") != NULL);
	}
	nl_triage_free(&t);
	nl_rec_free(rec);
}

int main(void)
{
	test_quiet();
	test_rank_and_where();
	test_drops_and_lost();
	test_unavailable();
	test_copy_reference();
	test_scores_and_format();
	test_top_render();
	test_sockq();
	test_sockq_age();
	UNIT_DONE();
}
