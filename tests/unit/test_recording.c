// SPDX-License-Identifier: GPL-2.0
/* The in-memory recording: values, lookup index, merges, totals, metadata and key helpers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/recording.h"
#include "unit.h"

static void test_values(void)
{
	struct nl_interval *iv = nl_iv_new(0, 10, 20);
	const struct nl_value *v;
	struct nl_hist *h, *h2;

	nl_iv_add_counter(iv, "napi", "dev=veth0", "polls", "", 5);
	nl_iv_add_counter(iv, "napi", "dev=veth0", "polls", "", 7);
	nl_iv_add_counter(iv, "napi", "dev=veth1", "polls", "", 1);
	nl_iv_add_counter(iv, "napi", "", "polls", "", 0);
	h = nl_iv_hist(iv, "napi", "dev=veth0", "work", "pkts");
	nl_hist_add(h, 64);
	h2 = nl_iv_hist(iv, "napi", "dev=veth0", "work", "pkts");
	CHECK(h == h2);
	CHECK_EQ_U64(iv->n, 4);

	v = nl_iv_find(iv, "napi", "dev=veth0", "polls");
	CHECK(v && v->kind == NL_COUNTER && v->counter == 12);
	v = nl_iv_find(iv, "napi", "", "polls");
	CHECK(v && v->counter == 0);
	v = nl_iv_find(iv, "napi", "dev=veth0", "work");
	CHECK(v && v->kind == NL_HIST && v->hist == h && v->hist->count == 1);
	CHECK_STR(v ? v->unit : NULL, "pkts");
	CHECK(!nl_iv_find(iv, "napi", "dev=veth2", "polls"));
	CHECK(!nl_iv_find(iv, "napi", "dev=veth0", "poll"));
	CHECK(!nl_iv_find(iv, "nap", "dev=veth0", "polls"));
	/* the separator matters: ("ab", "c") is not ("a", "bc") */
	nl_iv_add_counter(iv, "ab", "c", "x", "", 1);
	CHECK(!nl_iv_find(iv, "a", "bc", "x"));
	nl_iv_free(iv);
}

/* Thousands of values: the index is rebuilt many times and every value stays findable. */
static void test_many_values(void)
{
	struct nl_interval *iv = nl_iv_new(0, 0, 0);
	char key[NL_KEY_MAX];
	int i, bad = 0;

	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "cpu=%d vec=NET_RX", i);
		nl_iv_add_counter(iv, "softirq", key, "entries", "", (uint64_t)i);
		nl_hist_add(nl_iv_hist(iv, "softirq", key, "duration", "ns"), (uint64_t)i * 3);
	}
	CHECK_EQ_U64(iv->n, 10000);
	for (i = 4999; i >= 0; i--) {
		const struct nl_value *c, *h;

		snprintf(key, sizeof(key), "cpu=%d vec=NET_RX", i);
		c = nl_iv_find(iv, "softirq", key, "entries");
		h = nl_iv_find(iv, "softirq", key, "duration");
		if (!c || c->counter != (uint64_t)i || !h || h->hist->min != (uint64_t)i * 3)
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	nl_iv_free(iv);
}

/* Names longer than their fields are cut the same way on insert and on lookup. */
static void test_long_names(void)
{
	struct nl_interval *iv = nl_iv_new(0, 0, 0);
	char longkey[300];
	const struct nl_value *v;

	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	nl_iv_add_counter(iv, "a_metric_name_that_is_much_too_long_for_it", longkey, "s", "nanoseconds", 1);
	nl_iv_add_counter(iv, "a_metric_name_that_is_much_too_long_for_it", longkey, "s", "nanoseconds", 1);
	CHECK_EQ_U64(iv->n, 1);
	v = nl_iv_find(iv, "a_metric_name_that_is_much_too_long_for_it", longkey, "s");
	CHECK(v && v->counter == 2);
	CHECK(v && strlen(v->key) == NL_KEY_MAX - 1 && strlen(v->metric) == NL_NAME_MAX - 1);
	CHECK(v && strlen(v->unit) == NL_UNIT_MAX - 1);
	nl_iv_free(iv);
}

static void test_merge_total(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_interval *a, *b, *c, *tot;
	const struct nl_value *v;

	a = nl_rec_add_interval(rec, 0, 0, 1000);
	b = nl_rec_add_interval(rec, 0, 1000, 2000);
	c = nl_rec_add_interval(rec, 2, 0, 500);
	nl_iv_add_counter(a, "qdisc", "dev=lo handle=1:", "enqueues", "pkts", 10);
	nl_iv_add_counter(b, "qdisc", "dev=lo handle=1:", "enqueues", "pkts", 5);
	nl_iv_add_counter(b, "qdisc", "dev=lo handle=1:2", "enqueues", "pkts", 1);
	nl_iv_add_counter(c, "qdisc", "dev=lo handle=1:", "enqueues", "pkts", 100);
	nl_hist_add(nl_iv_hist(a, "qdisc", "dev=lo handle=1:", "sojourn", "ns"), 100);
	nl_hist_add(nl_iv_hist(b, "qdisc", "dev=lo handle=1:", "sojourn", "ns"), 5000);
	nl_hist_add(nl_iv_hist(c, "qdisc", "dev=lo handle=1:", "sojourn", "ns"), 7);
	CHECK_EQ_U64(nl_rec_nruns(rec), 3);

	tot = nl_rec_total(rec, 0);
	CHECK_EQ_U64(tot->run, 0);
	CHECK_EQ_U64(tot->start_ns, 0);
	CHECK_EQ_U64(tot->end_ns, 2000);
	v = nl_iv_find(tot, "qdisc", "dev=lo handle=1:", "enqueues");
	CHECK(v && v->counter == 15);
	CHECK_STR(v ? v->unit : NULL, "pkts");
	v = nl_iv_find(tot, "qdisc", "dev=lo handle=1:2", "enqueues");
	CHECK(v && v->counter == 1);
	v = nl_iv_find(tot, "qdisc", "dev=lo handle=1:", "sojourn");
	CHECK(v && v->hist->count == 2 && v->hist->min == 100 && v->hist->max == 5000);
	CHECK(v && v->hist->sum == 5100);
	nl_iv_free(tot);

	tot = nl_rec_total(rec, -1);
	v = nl_iv_find(tot, "qdisc", "dev=lo handle=1:", "enqueues");
	CHECK(v && v->counter == 115);
	v = nl_iv_find(tot, "qdisc", "dev=lo handle=1:", "sojourn");
	CHECK(v && v->hist->count == 3 && v->hist->min == 7);
	nl_iv_free(tot);

	tot = nl_rec_total(rec, 1);	/* a run without intervals: empty */
	CHECK_EQ_U64(tot->n, 0);
	nl_iv_free(tot);
	/* the sources are untouched */
	v = nl_iv_find(a, "qdisc", "dev=lo handle=1:", "enqueues");
	CHECK(v && v->counter == 10);
	nl_rec_free(rec);

	rec = nl_rec_new();
	CHECK_EQ_U64(nl_rec_nruns(rec), 0);
	nl_rec_free(rec);
}

static void test_meta_metrics(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_metric_status *m;

	CHECK(!nl_rec_meta(rec, "host"));
	nl_rec_set_meta(rec, "host", "box");
	nl_rec_set_metaf(rec, "ncpus", "%d", 2);
	nl_rec_set_meta(rec, "host", "other");		/* replaces */
	CHECK_STR(nl_rec_meta(rec, "host"), "other");
	CHECK_STR(nl_rec_meta(rec, "ncpus"), "2");
	CHECK_EQ_U64(rec->nmeta, 2);

	CHECK(!nl_rec_metric(rec, "napi", false));
	m = nl_rec_metric(rec, "napi", true);
	CHECK(m && m->state == NL_METRIC_OFF);
	CHECK_STR(m ? m->name : NULL, "napi");
	m->state = NL_METRIC_OK;
	snprintf(m->backend, sizeof(m->backend), "bpf");
	nl_rec_metric(rec, "qdisc", true);
	CHECK(nl_rec_metric(rec, "napi", true) == nl_rec_metric(rec, "napi", false));
	CHECK_EQ_U64(rec->nmetrics, 2);
	CHECK(nl_rec_metric_const(rec, "napi")->state == NL_METRIC_OK);
	CHECK(!nl_rec_metric_const(rec, "tcp"));
	nl_rec_free(rec);
	nl_rec_free(NULL);
}

static void test_key_get(void)
{
	char out[32];

	CHECK(nl_key_get("cpu=1 vec=NET_RX", "cpu", out, sizeof(out)));
	CHECK_STR(out, "1");
	CHECK(nl_key_get("cpu=1 vec=NET_RX", "vec", out, sizeof(out)));
	CHECK_STR(out, "NET_RX");
	CHECK(nl_key_get("dev=veth0 handle=1:", "handle", out, sizeof(out)));
	CHECK_STR(out, "1:");
	CHECK(nl_key_get("dev=", "dev", out, sizeof(out)));
	CHECK_STR(out, "");
	CHECK(!nl_key_get("cpu=1 vec=NET_RX", "ve", out, sizeof(out)));
	CHECK(!nl_key_get("cpu=1 vec=NET_RX", "vec=", out, sizeof(out)));
	CHECK(!nl_key_get("xcpu=1", "cpu", out, sizeof(out)));
	CHECK(!nl_key_get("cpu", "cpu", out, sizeof(out)));
	CHECK(!nl_key_get("", "cpu", out, sizeof(out)));
	CHECK(!nl_key_get(NULL, "cpu", out, sizeof(out)));
	CHECK(nl_key_get("dev=averyveryverylongname", "dev", out, 5));
	CHECK_STR(out, "aver");
	CHECK(nl_key_get("a=1 b=2", "b", NULL, 0));
}

int main(void)
{
	test_values();
	test_many_values();
	test_long_names();
	test_merge_total();
	test_meta_metrics();
	test_key_get();
	UNIT_DONE();
}
