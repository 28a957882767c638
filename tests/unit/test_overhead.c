// SPDX-License-Identifier: GPL-2.0
/*
 * netlat's own cost: the budget governor's decisions (worked out by hand
 * from the rules in include/netlat/overhead_budget.h), --overhead-budget
 * parsing, and the report of the "overhead" values: a file without them
 * (every file written before netlat measured itself) says "not measured",
 * one with them gives the numbers computed here by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/overhead_budget.h"
#include "netlat/recording.h"
#include "netlat/report.h"
#include "unit.h"

/* One decision from a state (budget, one_in, calm) and a cost; returns the new one_in. */
static unsigned int decide(struct nl_budget *b, double cost, char *why)
{
	unsigned int next;

	why[0] = '\0';
	next = nl_budget_decide(b, cost, why, 64);
	b->one_in = next;	/* the collector put it in force as asked */
	return next;
}

static void test_governor(void)
{
	struct nl_budget b = { .budget_pct = 1.0, .one_in = 1 };
	char why[64];

	/* under budget at full admission: nothing to do */
	CHECK_EQ_U64(decide(&b, 0.9, why), 1);
	CHECK_STR(why, "");
	/* 2.3% at 1/1: 1/2 would still be 1.15% > 1%, 1/4 is 0.575%: lower to 1/4 at once */
	CHECK_EQ_U64(decide(&b, 2.3, why), 4);
	CHECK_STR(why, "over budget: 2.3%");
	/* just over: one step */
	CHECK_EQ_U64(decide(&b, 1.2, why), 8);
	CHECK_STR(why, "over budget: 1.2%");
	/* 0.4%: twice that is 0.8% > 0.7 x 1%: no room to raise, and calm resets */
	CHECK_EQ_U64(decide(&b, 0.4, why), 8);
	CHECK_EQ_U64(b.calm, 0);
	/* 0.3%: twice is 0.6% <= 0.7%: raise only after three such intervals in a row */
	CHECK_EQ_U64(decide(&b, 0.3, why), 8);
	CHECK_EQ_U64(decide(&b, 0.3, why), 8);
	CHECK_STR(why, "");
	CHECK_EQ_U64(decide(&b, 0.3, why), 4);
	CHECK_STR(why, "under budget: 0.3%");
	/* an interval without room in between starts the count again */
	CHECK_EQ_U64(decide(&b, 0.3, why), 4);
	CHECK_EQ_U64(decide(&b, 0.5, why), 4);
	CHECK_EQ_U64(decide(&b, 0.3, why), 4);
	CHECK_EQ_U64(decide(&b, 0.3, why), 4);
	CHECK_EQ_U64(decide(&b, 0.3, why), 2);
	/* over budget while counting: lower, and the count is gone */
	CHECK_EQ_U64(decide(&b, 0.1, why), 2);
	CHECK_EQ_U64(decide(&b, 3.0, why), 8);
	CHECK_EQ_U64(b.calm, 0);
	/* idle: back to every skb, one step per three intervals */
	for (int i = 0; i < 9; i++)
		decide(&b, 0.0, why);
	CHECK_EQ_U64(b.one_in, 1);
	/* never below 1 in NL_ADMIT_MAX, and no change (no event) once there */
	CHECK_EQ_U64(decide(&b, 5000.0, why), NL_ADMIT_MAX);
	CHECK_EQ_U64(decide(&b, 5000.0, why), NL_ADMIT_MAX);
	CHECK_STR(why, "");

	/* --overhead-budget 0: no limit, whatever the cost */
	b = (struct nl_budget){ .budget_pct = 0, .one_in = 1 };
	CHECK_EQ_U64(decide(&b, 80.0, why), 1);
	CHECK_STR(why, "");
}

static void test_parse(void)
{
	static const char *const bad[] = { "", "-1", "+1", "abc", "1x", "101", "nan", "inf", "1e999",
					   " 1", "%", NULL };
	double v = -1;

	CHECK(nl_budget_parse("0.5", &v) == 0 && v == 0.5);
	CHECK(nl_budget_parse("2%", &v) == 0 && v == 2.0);
	CHECK(nl_budget_parse("0", &v) == 0 && v == 0.0);
	CHECK(nl_budget_parse("100", &v) == 0 && v == 100.0);
	for (int i = 0; bad[i]; i++) {
		v = 7;
		if (nl_budget_parse(bad[i], &v) == 0)
			fprintf(stderr, "accepted bad budget '%s'\n", bad[i]);
		CHECK(nl_budget_parse(bad[i], &v) != 0 && v == 7);
	}
}

/* Render rec in fmt into a string (caller frees). */
static char *render(const struct nl_recording *rec, enum nl_report_format fmt)
{
	struct nl_report_opts o = { .format = fmt };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	CHECK(nl_report_render(f, rec, &o) == 0);
	fclose(f);
	return buf;
}

/* A recording as netlat 0.1 wrote it before its own cost was measured: one napi row. */
static struct nl_recording *old_recording(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_metric_status *st = nl_rec_metric(rec, "napi", true);
	struct nl_interval *iv;

	st->state = NL_METRIC_OK;
	snprintf(st->backend, sizeof(st->backend), "bpf");
	nl_rec_set_meta(rec, "ncpus", "2");
	nl_rec_set_meta(rec, "interval_ns", "1000000000");
	iv = nl_rec_add_interval(rec, 0, 0, 1000000000ULL);
	nl_iv_add_counter(iv, "napi", "dev=lo", "polls", "", 10);
	nl_iv_add_counter(iv, "session", "", "events", "", 10);
	return rec;
}

static void test_not_measured(void)
{
	struct nl_recording *rec = old_recording(), *back = NULL;
	char path[] = "/tmp/netlat-unit-overhead-XXXXXX", err[128];
	char *text, *json;
	int fd = mkstemp(path);

	/* through the file format, as `netlat report` reads an old file */
	CHECK(fd >= 0);
	close(fd);
	CHECK(nl_rec_write(rec, path) == 0);
	CHECK(nl_rec_read(path, &back, err, sizeof(err)) == 0);
	unlink(path);
	if (!back) {
		nl_rec_free(rec);
		return;
	}
	text = render(back, NL_REPORT_TEXT);
	CHECK(strstr(text, "\n# overhead:    not measured") != NULL);
	CHECK(strstr(text, "# budget:") == NULL);	/* no budget was in force */
	json = render(back, NL_REPORT_JSON);
	CHECK(strstr(json, "\"overhead\":{\"measured\":false}") != NULL);
	free(text);
	free(json);
	nl_rec_free(back);
	nl_rec_free(rec);
}

static void add_prog(struct nl_interval *iv, const char *key, uint64_t runs, uint64_t ns)
{
	nl_iv_add_counter(iv, "overhead", key, "runs", "", runs);
	nl_iv_add_counter(iv, "overhead", key, "run_ns", "ns", ns);
}

static void test_measured(void)
{
	struct nl_recording *rec = old_recording();
	struct nl_interval *iv2 = nl_rec_add_interval(rec, 0, 1000000000ULL, 2000000000ULL);
	const char *line;
	char *text, *json;

	setenv("TZ", "UTC", 1);
	nl_rec_set_meta(rec, "overhead_bpf_stats", "sampled: BPF stats on 100ms of each interval, scaled");
	nl_rec_set_meta(rec, "overhead_cpus", "2");
	nl_rec_set_meta(rec, "overhead_budget_pct", "1");
	nl_rec_set_meta(rec, "start_realtime_ns", "3600000000000");	/* 01:00:00 UTC */
	nl_rec_set_meta(rec, "admission_changes",
			"2000000000 1/8 over budget: 2.3%; 65000000000 1/4 under budget: 0.3%");
	/*
	 * Two intervals of 1 s on 2 CPUs = 4 CPU-seconds. Programs: A 30 ms in
	 * 100k runs, B 8 ms in 100k runs, C 2 ms in 200k runs: 40 ms in 400k
	 * runs = 100 ns/run, 1.00% of the CPUs; 20 ms of process CPU = 0.50%.
	 */
	add_prog(rec->iv[0], "prog=nl_a id=1 at=tp_btf/napi_poll", 50000, 15000000);
	add_prog(iv2, "prog=nl_a id=1 at=tp_btf/napi_poll", 50000, 15000000);
	add_prog(iv2, "prog=nl_b id=2 at=tp_btf/net_dev_xmit", 100000, 8000000);
	add_prog(iv2, "prog=nl_c id=3 at=tp_btf/kfree_skb", 200000, 2000000);
	nl_iv_add_counter(rec->iv[0], "overhead", "", "bpf_runs", "", 50000);
	nl_iv_add_counter(rec->iv[0], "overhead", "", "bpf_run_ns", "ns", 15000000);
	nl_iv_add_counter(iv2, "overhead", "", "bpf_runs", "", 350000);
	nl_iv_add_counter(iv2, "overhead", "", "bpf_run_ns", "ns", 25000000);
	nl_iv_add_counter(rec->iv[0], "overhead", "", "process_cpu_ns", "ns", 12000000);
	nl_iv_add_counter(iv2, "overhead", "", "process_cpu_ns", "ns", 8000000);
	nl_iv_add_counter(iv2, "overhead", "", "perf_samples", "", 16000);

	text = render(rec, NL_REPORT_TEXT);
	line = strstr(text, "\n# overhead:    ");
	CHECK(line != NULL);
	if (line) {
		const char *want = "\n# overhead:    3 BPF programs, 400.0k runs, 100 ns/run, BPF 1.00% of 2 CPUs, "
			"netlat process 20.0ms CPU (0.50%), 16.0k perf samples; costliest nl_a 300ns/run 75.00%, "
			"nl_b 80ns/run 20.00%, nl_c 10ns/run 5.00%; "
			"sampled: BPF stats on 100ms of each interval, scaled\n";

		if (strncmp(line, want, strlen(want)))
			fprintf(stderr, "got:  %.*s\nwant: %s", (int)strcspn(line + 1, "\n") + 1, line, want);
		CHECK(!strncmp(line, want, strlen(want)));
	}
	CHECK(strstr(text, "\n# budget:      1% of the recorded CPUs: pairing sampled 1/8 from 01:00:02, "
		      "over budget: 2.3%; pairing sampled 1/4 from 01:01:05, under budget: 0.3%\n") != NULL);
	json = render(rec, NL_REPORT_JSON);
	CHECK(strstr(json, "\"programs\":3,\"runs\":400000,\"run_ns\":40000000,\"ns_per_run\":100,") != NULL);
	CHECK(strstr(json, "\"process_cpu_ns\":20000000,") != NULL);
	CHECK(strstr(json, "\"perf_samples\":16000,") != NULL);
	CHECK(strstr(json, "{\"t_s\":2,\"time\":\"01:00:02\",\"one_in\":8,\"reason\":\"over budget: 2.3%\"}") != NULL);
	CHECK(strstr(json, "\"costliest\":[{\"name\":\"nl_a\",\"attach\":\"tp_btf/napi_poll\",\"runs\":100000,"
		      "\"run_ns\":30000000}") != NULL);
	if (unit_failures)
		fprintf(stderr, "%s\n%s", text, json);
	free(text);
	free(json);

	/*
	 * A last interval of 0.5 s cut before its slice came: no BPF figures.
	 * The 2 measured seconds stand for 2.5: runs and run time x1.25
	 * (500k runs, 50 ms), the share stays 50 ms / (2.5 s x 2 CPUs) = 1.00%.
	 */
	iv2 = nl_rec_add_interval(rec, 0, 2000000000ULL, 2500000000ULL);
	nl_iv_add_counter(iv2, "overhead", "", "stats_on_ns", "ns", 0);
	nl_iv_add_counter(iv2, "overhead", "", "process_cpu_ns", "ns", 0);
	nl_iv_add_counter(rec->iv[0], "overhead", "", "stats_on_ns", "ns", 100000000);
	text = render(rec, NL_REPORT_TEXT);
	CHECK(strstr(text, "\n# overhead:    3 BPF programs, 500.0k runs, 100 ns/run, BPF 1.00% of 2 CPUs, ") != NULL);
	CHECK(strstr(text, "; sampled: BPF stats on 100ms of each interval, scaled "
		      "(1 short interval without a slice: extrapolated)\n") != NULL);
	json = render(rec, NL_REPORT_JSON);
	CHECK(strstr(json, "\"unmeasured_intervals\":1,") != NULL);
	CHECK(strstr(json, "\"runs\":500000,\"run_ns\":50000000,") != NULL);
	CHECK(strstr(json, "{\"name\":\"nl_a\",\"attach\":\"tp_btf/napi_poll\",\"runs\":125000,"
		      "\"run_ns\":37500000}") != NULL);
	if (unit_failures)
		fprintf(stderr, "%s\n%s", text, json);
	free(text);
	free(json);
	nl_rec_free(rec);
}

int main(void)
{
	test_governor();
	test_parse();
	test_not_measured();
	test_measured();
	UNIT_DONE();
}
