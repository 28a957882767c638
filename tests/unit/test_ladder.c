// SPDX-License-Identifier: GPL-2.0
/*
 * The rx/tx ladder view of `netlat report` on a recording built in memory:
 * stages in path order whatever the storage order, p50 and p99 side by
 * side, the bar proportional to p50, the slowest stage (not the total,
 * nor a stage seen for a few packets of many) marked, an absent stage explained for the collector that recorded it, and
 * the age points shown or explained. Also the tracefs families' pairing
 * helpers: the skb table (deletion keeps colliding records findable) and
 * the event queue (CPUs' events replayed in time order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/recording.h"
#include "netlat/report.h"
#include "collect/tracefs/skb_table.h"
#include "unit.h"

/* n samples of value v into (metric, key, latency), with the packets counter. */
static void stage(struct nl_interval *iv, const char *metric, const char *key, uint64_t v, int n)
{
	struct nl_hist *h = nl_iv_hist(iv, metric, key, "latency", "ns");

	for (int i = 0; i < n; i++)
		nl_hist_add(h, v);
	nl_iv_add_counter(iv, metric, key, "packets", "pkts", (uint64_t)n);
}

static char *render(struct nl_recording *rec, const char *metrics)
{
	struct nl_report_opts o = { .format = NL_REPORT_TEXT, .metrics = metrics };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	CHECK(nl_report_text(f, rec, &o) == 0);
	fclose(f);
	return buf;
}

/* The ladder line of stage name under "  dev=DEV" in the ladder section of text. */
static const char *rung_of(const char *text, const char *ladder, const char *dev, const char *name)
{
	static char line[512];
	char want[64];
	const char *p = strstr(text, ladder);

	snprintf(want, sizeof(want), "  dev=%s\n", dev);
	p = p ? strstr(p, want) : NULL;
	while (p && (p = strchr(p, '\n'))) {
		const char *end;
		char head[64];

		p++;
		if (strncmp(p, "    ", 4))
			return NULL;		/* left the ladder block */
		end = strchr(p, '\n');
		snprintf(head, sizeof(head), "    %s ", name);
		if (!strncmp(p, head, strlen(head))) {
			snprintf(line, sizeof(line), "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
			return line;
		}
	}
	return NULL;
}

static size_t bar_len(const char *line)
{
	const char *b = strchr(line, '#');
	size_t n = 0;

	while (b && b[n] == '#')
		n++;
	return n;
}

static void test_rx_bpf(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_metric_status *st = nl_rec_metric(rec, "rx", true);
	struct nl_interval *iv = nl_rec_add_interval(rec, 0, 0, 1000000000ULL);
	const char *l[5];
	char *text;

	st->state = NL_METRIC_OK;
	snprintf(st->backend, sizeof(st->backend), "bpf");
	/* stored out of ladder order on purpose */
	stage(iv, "rx", "stage=total dev=lo", 20400000, 30);
	stage(iv, "rx", "stage=socket_queue dev=lo", 20000000, 30);
	stage(iv, "rx", "stage=backlog dev=lo", 1000, 60);
	stage(iv, "rx", "stage=stack dev=lo", 5000, 30);
	nl_hist_add(nl_iv_hist(iv, "rx", "point=socket_read", "age", "ns"), 20100000);
	text = render(rec, "rx");
	CHECK(text != NULL);
	if (!text)
		goto out;
	CHECK(strstr(text, "# rx ladder") != NULL);
	l[0] = strstr(text, "    gro_hold ");
	l[1] = strstr(text, "    backlog ");
	l[2] = strstr(text, "    stack ");
	l[3] = strstr(text, "    socket_queue ");
	l[4] = strstr(text, "    total ");
	for (int i = 0; i < 5; i++)
		CHECK(l[i] != NULL);
	for (int i = 1; i < 5; i++)
		CHECK(l[i - 1] && l[i] && l[i - 1] < l[i]);	/* path order */
	/* p50 and p99 side by side; the slow rung is the socket queue, not the total */
	CHECK(rung_of(text, "# rx ladder", "lo", "socket_queue") &&
	      strstr(rung_of(text, "# rx ladder", "lo", "socket_queue"), "<- slowest"));
	CHECK(rung_of(text, "# rx ladder", "lo", "total") &&
	      !strstr(rung_of(text, "# rx ladder", "lo", "total"), "<- slowest"));
	{
		const char *sq = rung_of(text, "# rx ladder", "lo", "socket_queue");
		char name[32], p50[16], p99[16];
		unsigned long long n = 0;

		CHECK(sq && sscanf(sq, "%31s %15s %15s %llu", name, p50, p99, &n) == 4);
		CHECK(n == 30);
		CHECK(sq && strstr(sq, "ms") != NULL);	/* ~20 ms printed in ms */
	}
	/* the bar follows p50: total (largest) full width, backlog (1 us) a sliver */
	CHECK(bar_len(rung_of(text, "# rx ladder", "lo", "total")) == 40);
	CHECK(bar_len(rung_of(text, "# rx ladder", "lo", "socket_queue")) >= 38);
	CHECK(bar_len(rung_of(text, "# rx ladder", "lo", "backlog")) == 1);
	/* an absent stage says why */
	CHECK(rung_of(text, "# rx ladder", "lo", "gro_hold") &&
	      strstr(rung_of(text, "# rx ladder", "lo", "gro_hold"), "GRO") != NULL);
	/* ages: shown, with the SO_TIMESTAMPNS note */
	CHECK(strstr(text, "SO_TIMESTAMPNS") != NULL);
	CHECK(strstr(text, "    socket_read ") != NULL);
out:
	free(text);
	nl_rec_free(rec);
}

static void test_tx_tracefs(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_interval *iv = nl_rec_add_interval(rec, 0, 0, 1000000000ULL);
	const char *const names[] = { "rx", "tx" };
	const char *q;
	char *text;

	/* one at a time: the status array may move when the next one is added */
	for (int i = 0; i < 2; i++) {
		struct nl_metric_status *st = nl_rec_metric(rec, names[i], true);

		st->state = NL_METRIC_OK;
		snprintf(st->backend, sizeof(st->backend), "tracefs");
	}
	stage(iv, "tx", "stage=driver dev=veth0", 900, 200);
	stage(iv, "tx", "stage=qdisc dev=veth0", 100000000, 200);
	/* one stray completion (a later skb freed at a transmitted skb's address), slower than the qdisc */
	stage(iv, "tx", "stage=completion dev=veth0", 158000000, 1);
	stage(iv, "tx", "stage=driver dev=lo", 700, 10);
	stage(iv, "rx", "stage=backlog dev=lo", 800, 10);
	text = render(rec, "rx,tx");
	CHECK(text != NULL);
	if (!text)
		goto out;
	q = rung_of(text, "# tx ladder", "veth0", "qdisc");
	CHECK(q && strstr(q, "<- slowest"));
	CHECK(q && strstr(q, "100ms") != NULL);
	/* shown, but 1 packet of 200 is not the slowest rung */
	q = rung_of(text, "# tx ladder", "veth0", "completion");
	CHECK(q && strstr(q, "158ms") && !strstr(q, "<- slowest"));
	/* send_to_dev: not measurable with tracefs, and the report says why */
	q = rung_of(text, "# tx ladder", "veth0", "send_to_dev");
	CHECK(q && strstr(q, "not measurable with tracefs") != NULL);
	/* one block per device */
	CHECK(rung_of(text, "# tx ladder", "lo", "driver") != NULL);
	/* rx ages: tracefs cannot, and says so */
	CHECK(strstr(text, "skb->tstamp is in no tracepoint's fields") != NULL);
out:
	free(text);
	nl_rec_free(rec);
}

/* Addresses that share their home slot stay findable when one in the middle goes. */
static void test_skbtab(void)
{
	struct nl_skbtab t;
	uint64_t a[64];
	bool fresh;

	CHECK(nl_skbtab_init(&t, 8, 1000) == 0);
	for (int i = 0; i < 64; i++) {
		a[i] = 0xffff888000000000ULL + (uint64_t)i * 256;
		CHECK(nl_skbtab_get(&t, a[i], 10, &fresh) && fresh);
	}
	CHECK(nl_skbtab_get(&t, a[5], 20, &fresh) && !fresh);
	for (int i = 0; i < 64; i += 2)
		nl_skbtab_del(&t, nl_skbtab_find(&t, a[i]));
	for (int i = 0; i < 64; i++)
		CHECK((nl_skbtab_find(&t, a[i]) != NULL) == (i % 2 == 1));
	CHECK_EQ_U64(t.live, 32);
	/* born at 10, max age 1000: gone at 1011 */
	nl_skbtab_age(&t, 1011);
	CHECK_EQ_U64(t.live, 0);
	CHECK(nl_skbtab_find(&t, a[1]) == NULL);
	/* half full is full: get refuses rather than probe forever */
	for (int i = 0; i < 128; i++)
		CHECK(nl_skbtab_get(&t, 0x1000 + (uint64_t)i * 64, 2000, &fresh) != NULL);
	CHECK(nl_skbtab_get(&t, 0x99999, 2000, &fresh) == NULL);
	nl_skbtab_free(&t);
}

static uint64_t replayed[16];
static size_t nreplayed;

static void record_ts(void *arg, const struct nl_evq_ev *ev)
{
	(void)arg;
	if (nreplayed < 16)
		replayed[nreplayed++] = ev->ts;
}

/* CPU 0's buffer is read before CPU 1's: replay puts them back in time order. */
static void test_evq(void)
{
	static const uint64_t cpu0[] = { 10, 30, 50 }, cpu1[] = { 20, 40, 45 };
	struct nl_evq q;

	CHECK(nl_evq_init(&q, 2, 100) == 0);
	for (int i = 0; i < 3; i++)
		nl_evq_push(&q, cpu0[i], 0, 0, record_ts, NULL);
	for (int i = 0; i < 3; i++)
		nl_evq_push(&q, cpu1[i], 1, 0, record_ts, NULL);
	/* partial: only what both CPUs have passed (45); 50 waits */
	nl_evq_replay(&q, true, record_ts, NULL);
	CHECK_EQ_U64(nreplayed, 5);
	for (size_t i = 1; i < nreplayed; i++)
		CHECK(replayed[i - 1] <= replayed[i]);
	CHECK_EQ_U64(q.n, 1);
	nl_evq_replay(&q, false, record_ts, NULL);
	CHECK_EQ_U64(nreplayed, 6);
	CHECK_EQ_U64(replayed[5], 50);
	nl_evq_free(&q);
}

int main(void)
{
	test_rx_bpf();
	test_tx_tracefs();
	test_skbtab();
	test_evq();
	UNIT_DONE();
}
