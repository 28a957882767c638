// SPDX-License-Identifier: GPL-2.0
/*
 * netlat report on a recording built in memory: the CSV rows and values,
 * derived ratios computed by hand, JSON that parses (checked by a small
 * recursive-descent checker below, independent of the writer), the text
 * tables, "not measured" reasons, unit scaling, and no kernel addresses.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/recording.h"
#include "netlat/report.h"
#include "unit.h"

#define ADDR_KEY "dev=0xffff888003a1c000"

/* ---- a tiny JSON syntax checker (RFC 8259 grammar, no semantics) ---- */

static const char *js_value(const char *p, int depth);

static const char *js_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *js_digits(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

static const char *js_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!(p = js_digits(p)))
		return NULL;
	if (*p == '.' && !(p = js_digits(p + 1)))
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = js_digits(p);
	}
	return p;
}

/* Object or array: members separated by commas, no trailing comma. */
static const char *js_container(const char *p, int depth, bool obj)
{
	char close = obj ? '}' : ']';

	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			if (!(p = js_string(p)))
				return NULL;
			p = js_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = js_value(p, depth + 1)))
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = js_ws(p);
	}
}

static const char *js_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = js_ws(p);
	switch (*p) {
	case '{':
		return js_container(p, depth, true);
	case '[':
		return js_container(p, depth, false);
	case '"':
		return js_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return js_number(p);
	}
}

static bool json_valid(const char *doc)
{
	const char *end = js_value(doc, 0);

	return end && *js_ws(end) == '\0';
}

/* The text right after `"name":` (first occurrence after from), or NULL. */
static const char *json_after(const char *from, const char *name)
{
	char pat[128];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", name);
	p = from ? strstr(from, pat) : NULL;
	if (!p)
		return NULL;
	p = js_ws(p + strlen(pat));
	return *p == ':' ? js_ws(p + 1) : NULL;
}

static bool json_has(const char *doc, const char *name, const char *value_prefix)
{
	const char *v = json_after(doc, name);

	return v && !strncmp(v, value_prefix, strlen(value_prefix));
}

/* ---- the synthetic recording ---- */

struct truth {
	uint64_t work_count, work_min, work_max;
};

static void set_status(struct nl_recording *rec, const char *name, int state, const char *backend,
		       const char *detail, const char *reason)
{
	struct nl_metric_status *st = nl_rec_metric(rec, name, true);

	st->state = (uint8_t)state;
	snprintf(st->backend, sizeof(st->backend), "%s", backend);
	snprintf(st->detail, sizeof(st->detail), "%s", detail);
	snprintf(st->reason, sizeof(st->reason), "%s", reason);
}

static void add_constant(struct nl_interval *iv, const char *metric, const char *key,
			 const char *stat, const char *unit, uint64_t v, int n)
{
	struct nl_hist *h = nl_iv_hist(iv, metric, key, stat, unit);

	for (int i = 0; i < n; i++)
		nl_hist_add(h, v);
}

/* One second of made-up traffic; second = 0 or 1. */
static void fill_interval(struct nl_interval *iv, int second, struct truth *t)
{
	struct nl_hist *work = nl_iv_hist(iv, "napi", "dev=lo", "work", "pkts");
	struct nl_hist *delay = nl_iv_hist(iv, "softirq", "cpu=0 vec=NET_RX", "raise_delay", "ns");

	nl_iv_add_counter(iv, "napi", "dev=lo", "polls", "", 100);
	nl_iv_add_counter(iv, "napi", "dev=lo", "budget_exhausted", "", 25);
	nl_iv_add_counter(iv, "napi", ADDR_KEY, "polls", "", 1);
	nl_iv_add_counter(iv, "napi", "cpu=10", "processed", "pkts", 5);
	nl_iv_add_counter(iv, "napi", "cpu=2", "processed", "pkts", 7);
	/* work 1..64, 100 polls per second, second 1 shifted up by 10 */
	for (int i = 0; i < 100; i++) {
		uint64_t v = 1 + (uint64_t)(i % 64) + (uint64_t)second * 10;

		nl_hist_add(work, v);
		t->work_count++;
		if (!t->work_min || v < t->work_min)
			t->work_min = v;
		if (v > t->work_max)
			t->work_max = v;
	}
	/* 1 us .. 1 ms spread: a chart of about ten power-of-two lines */
	for (uint64_t v = 1000; v <= 1000000; v += 997)
		nl_hist_add(delay, v);
	/* constants whose percentiles equal them: 812ns, 12.3us, 4.56ms, 1.20s */
	add_constant(iv, "softirq", "cpu=0 vec=NET_RX", "duration", "ns", 812, 5);
	add_constant(iv, "softirq", "cpu=1 vec=NET_RX", "duration", "ns", 12300, 5);
	add_constant(iv, "softirq", "cpu=0 vec=NET_TX", "duration", "ns", 4560000, 5);
	add_constant(iv, "softirq", "cpu=1 vec=NET_TX", "duration", "ns", 1200000000, 5);
	nl_iv_add_counter(iv, "gro", "dev=veth1", "gro_in", "pkts", 30);
	nl_iv_add_counter(iv, "gro", "dev=veth1", "direct_in", "pkts", 10);
	nl_iv_add_counter(iv, "gro", "dev=veth1", "skbs_out", "pkts", 8);
	nl_iv_add_counter(iv, "gso", "dev=veth0", "xmits", "", 10);
	nl_iv_add_counter(iv, "gso", "dev=veth0", "segments", "segs", 45);
	/* no skbs out: the ratio must be absent, not inf */
	nl_iv_add_counter(iv, "gro", "dev=veth2", "gro_in", "pkts", 3);
	nl_iv_add_counter(iv, "session", "", "events", "", 1000);
	nl_iv_add_counter(iv, "session", "cpu=1", "lost_events", "", second ? 4 : 3);
}

static struct nl_recording *make_recording(struct truth *t)
{
	struct nl_recording *rec = nl_rec_new();

	nl_rec_set_meta(rec, "host", "testhost");
	nl_rec_set_meta(rec, "kernel", "6.18.0-test");
	nl_rec_set_meta(rec, "ncpus", "2");
	nl_rec_set_meta(rec, "collector", "bpf");
	nl_rec_set_meta(rec, "duration_ns", "2000000000");
	nl_rec_set_meta(rec, "interval_ns", "1000000000");
	nl_rec_set_meta(rec, "command", "sleep 2");
	nl_rec_set_meta(rec, "command_exit", "3");
	set_status(rec, "napi", NL_METRIC_OK, "bpf", "tp_btf", "");
	set_status(rec, "softirq", NL_METRIC_OK, "bpf", "tp_btf", "");
	set_status(rec, "gro", NL_METRIC_OK, "tracefs", "tracepoint", "bpf: load failed: EPERM");
	set_status(rec, "gso", NL_METRIC_OK, "bpf", "raw_tp", "");
	set_status(rec, "qdisc", NL_METRIC_UNAVAILABLE, "", "",
		   "qdisc:qdisc_enqueue: no such tracepoint");
	fill_interval(nl_rec_add_interval(rec, 0, 0, 1000000000), 0, t);
	fill_interval(nl_rec_add_interval(rec, 0, 1000000000, 2000000000), 1, t);
	return rec;
}

static char *render(const struct nl_recording *rec, enum nl_report_format fmt,
		    const char *metrics, bool intervals)
{
	struct nl_report_opts o = { .format = fmt, .metrics = metrics, .intervals = intervals,
				    .full = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	CHECK(nl_report_render(f, rec, &o) == 0);
	fclose(f);
	return buf;
}

/* ---- checks ---- */

static bool has_line(const char *doc, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = doc; (p = strstr(p, line)); p += n)
		if ((p == doc || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static bool has_line_prefix(const char *doc, const char *prefix)
{
	for (const char *p = doc; (p = strstr(p, prefix)); p++)
		if (p == doc || p[-1] == '\n')
			return true;
	return false;
}

static void check_csv_shape(const char *csv)
{
	int lines = 0;

	for (const char *p = csv; *p; lines++) {
		const char *nl = strchr(p, '\n');
		int commas = 0;

		CHECK(nl != NULL);
		if (!nl)
			break;
		for (const char *q = p; q < nl; q++)
			commas += *q == ',';
		if (commas != 15)
			fprintf(stderr, "bad CSV line: %.*s\n", (int)(nl - p), p);
		CHECK(commas == 15);
		p = nl + 1;
	}
	CHECK(lines > 10);
}

static void test_csv(const struct nl_recording *rec, const struct truth *t)
{
	char *csv = render(rec, NL_REPORT_CSV, NULL, false);
	char line[256];
	const char *c2, *c10;

	CHECK(csv != NULL);
	if (!csv)
		return;
	CHECK(!strncmp(csv, "run,interval,metric,key,stat,unit,kind,value,count,min,max,mean,"
			    "p50,p90,p99,p999\n", 80));
	check_csv_shape(csv);
	CHECK(has_line(csv, "0,total,napi,dev=lo,polls,,counter,200,,,,,,,,"));
	CHECK(has_line(csv, "0,total,napi,dev=lo,budget_exhausted,,counter,50,,,,,,,,"));
	/* 50 / 200 polls, and (30+10)*2 / 8*2 skbs: the "a+b" numerator */
	CHECK(has_line(csv, "0,total,napi,dev=lo,budget_exhausted_ratio,,ratio,0.250000,,,,,,,,"));
	CHECK(has_line(csv, "0,total,gro,dev=veth1,ratio,,ratio,5.000000,,,,,,,,"));
	CHECK(has_line(csv, "0,total,gso,dev=veth0,segs_per_xmit,,ratio,4.500000,,,,,,,,"));
	CHECK(!strstr(csv, "gro,dev=veth2,ratio"));
	CHECK(has_line(csv, "0,total,gro,dev=veth2,gro_in,pkts,counter,6,,,,,,,,"));
	snprintf(line, sizeof(line), "0,total,napi,dev=lo,work,pkts,hist,%llu,%llu,%llu,%llu,",
		 (unsigned long long)t->work_count, (unsigned long long)t->work_count,
		 (unsigned long long)t->work_min, (unsigned long long)t->work_max);
	CHECK(has_line_prefix(csv, line));
	CHECK(has_line_prefix(csv, "0,total,softirq,cpu=0 vec=NET_RX,duration,ns,hist,10,10,812,812,812.000,812,812,812,812"));
	CHECK(has_line(csv, "0,total,session,cpu=1,lost_events,,counter,7,,,,,,,,"));
	/* natural order: cpu=2 before cpu=10; dev rows (first shape of "dev|cpu") before cpu rows */
	c2 = strstr(csv, "napi,cpu=2,");
	c10 = strstr(csv, "napi,cpu=10,");
	CHECK(c2 && c10 && c2 < c10);
	CHECK(strstr(csv, "napi,dev=lo,") < c2);
	CHECK(!strstr(csv, ",qdisc,"));
	CHECK(!strstr(csv, ",1,napi,"));
	CHECK(!strstr(csv, "0xffff"));
	CHECK(has_line(csv, "0,total,napi,dev=(addr),polls,,counter,2,,,,,,,,"));
	free(csv);

	csv = render(rec, NL_REPORT_CSV, "gso", true);
	CHECK(csv && !strstr(csv, ",napi,") && !strstr(csv, ",gro,"));
	CHECK(csv && has_line(csv, "0,0,gso,dev=veth0,xmits,,counter,10,,,,,,,,"));
	CHECK(csv && has_line(csv, "0,1,gso,dev=veth0,segments,segs,counter,45,,,,,,,,"));
	CHECK(csv && has_line(csv, "0,total,gso,dev=veth0,segments,segs,counter,90,,,,,,,,"));
	if (csv)
		check_csv_shape(csv);
	free(csv);
}

static void test_json(const struct nl_recording *rec)
{
	char *js = render(rec, NL_REPORT_JSON, NULL, true);
	const char *m;

	CHECK(js != NULL);
	if (!js)
		return;
	CHECK(json_valid(js));
	CHECK(!json_valid("{\"a\": [1, 2,]}"));	/* the checker can fail */
	CHECK(!json_valid("{\"a\": 1} x"));
	CHECK(json_has(js, "schema", "\"netlat-report/1\""));
	CHECK(json_has(js, "host", "\"testhost\""));
	CHECK(json_has(js, "kernel", "\"6.18.0-test\""));
	CHECK(json_has(js, "ncpus", "2"));
	CHECK(json_has(js, "duration_s", "2"));
	CHECK(json_has(js, "collector", "\"bpf\""));
	CHECK(json_has(js, "lost_events", "7"));
	CHECK(json_has(js, "command", "\"sleep 2\""));
	CHECK(json_has(js, "command_exit", "3"));
	m = json_after(js, "metrics");
	CHECK(m && *m == '{');
	CHECK(json_has(m, "napi", "{"));
	CHECK(json_has(json_after(m, "napi"), "status", "\"ok\""));
	CHECK(json_has(json_after(m, "napi"), "backend", "\"bpf\""));
	CHECK(json_has(json_after(m, "napi"), "detail", "\"tp_btf\""));
	CHECK(json_has(json_after(m, "qdisc"), "status", "\"unavailable\""));
	CHECK(json_has(json_after(m, "qdisc"), "reason", "\"qdisc:qdisc_enqueue: no such tracepoint\""));
	CHECK(json_has(json_after(m, "gro"), "reason", "\"bpf: load failed: EPERM\""));
	CHECK(json_has(m, "key", "{"));
	/*
	 * the address row sorts first; it has no budget_exhausted counter, so no
	 * ratio (not measured is not 0): the first ratio is the next row's
	 */
	CHECK(json_has(m, "dev", "\"(addr)\""));
	CHECK(strstr(m, "budget_exhausted_ratio") > strstr(m, "\"lo\""));
	CHECK(json_has(strstr(m, "\"lo\""), "polls", "200"));
	CHECK(json_has(strstr(m, "\"lo\""), "budget_exhausted_ratio", "0.25"));
	CHECK(json_has(json_after(m, "gro"), "ratio", "5"));
	CHECK(json_has(json_after(m, "work"), "unit", "\"pkts\""));
	CHECK(json_has(json_after(m, "work"), "p999", ""));
	CHECK(json_has(json_after(m, "work"), "buckets", "["));
	CHECK(json_has(js, "intervals", "["));
	CHECK(json_has(json_after(js, "intervals"), "index", "0"));
	CHECK(json_has(json_after(js, "intervals"), "start_s", "0"));
	CHECK(json_has(json_after(js, "intervals"), "end_s", "1"));
	CHECK(!strstr(js, "0xffff"));
	free(js);

	js = render(rec, NL_REPORT_JSON, "napi", false);
	CHECK(js && json_valid(js) && !strstr(js, "\"intervals\"") && !strstr(js, "\"gro\""));
	free(js);
}

static void test_text(const struct nl_recording *rec)
{
	char *txt = render(rec, NL_REPORT_TEXT, NULL, false);

	CHECK(txt != NULL);
	if (!txt)
		return;
	CHECK(strstr(txt, "# host:        testhost\n") != NULL);
	CHECK(strstr(txt, "sleep 2 (exit 3)") != NULL);
	CHECK(strstr(txt, "WARNING: 7 events were LOST") != NULL);
	CHECK(strstr(txt, "# napi (bpf, tp_btf)") != NULL);
	CHECK(strstr(txt, "# gro (tracefs, tracepoint)") != NULL);
	CHECK(strstr(txt, "fallback: bpf: load failed: EPERM") != NULL);
	CHECK(strstr(txt, "# qdisc: not measured: qdisc:qdisc_enqueue: no such tracepoint") != NULL);
	CHECK(strstr(txt, "budget_exhausted_ratio") != NULL);
	CHECK(strstr(txt, "0.250") != NULL);
	CHECK(strstr(txt, "5.000") != NULL);
	CHECK(strstr(txt, "work:p99") != NULL);
	/* unit scaling of constant histograms */
	CHECK(strstr(txt, " 812ns") != NULL);
	CHECK(strstr(txt, " 12.3us") != NULL);
	CHECK(strstr(txt, " 4.56ms") != NULL);
	CHECK(strstr(txt, " 1.20s") != NULL);
	CHECK(strstr(txt, "1000us") == NULL);	/* 999.9us rounds up to 1.00ms */
	/* bar charts with percentiles beside them */
	CHECK(strstr(txt, "softirq raise_delay cpu=0 vec=NET_RX (ns,") != NULL);
	CHECK(strstr(txt, "|****************************************|") != NULL);
	CHECK(strstr(txt, "p99.9") != NULL);
	CHECK(strstr(txt, "mean") != NULL);
	CHECK(!strstr(txt, "0xffff"));
	CHECK(!strstr(txt, "## interval"));
	free(txt);

	txt = render(rec, NL_REPORT_TEXT, "gso", true);
	CHECK(txt && strstr(txt, "## interval 1 (run 0)") && !strstr(txt, "# napi"));
	free(txt);
}

/* Every chart fits: no more than 20 range lines per histogram, even for a 1ns..1h spread. */
static void test_chart_height(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_interval *iv = nl_rec_add_interval(rec, 0, 0, 1000000000);
	struct nl_hist *h = nl_iv_hist(iv, "qdisc", "dev=lo handle=1:", "sojourn", "ns");
	char *txt;
	int ranges = 0;

	set_status(rec, "qdisc", NL_METRIC_OK, "tracefs", "tracepoint", "");
	for (uint64_t v = 1; v < 3600000000000ULL; v *= 3)
		nl_hist_add(h, v);
	txt = render(rec, NL_REPORT_TEXT, NULL, false);
	for (const char *p = txt; p && (p = strstr(p, " -> ")); p++)
		ranges++;
	CHECK(ranges > 5 && ranges <= 20);
	CHECK(txt && strstr(txt, "handle") && strstr(txt, "1:"));
	free(txt);
	nl_rec_free(rec);
}

static void test_absent(void)
{
	struct nl_recording *rec = nl_rec_new();
	char *txt;

	set_status(rec, "napi", NL_METRIC_OK, "bpf", "tp_btf", "");
	nl_rec_add_interval(rec, 0, 0, 1000000000);
	txt = render(rec, NL_REPORT_TEXT, "napi,gro", false);
	CHECK(txt && strstr(txt, "# gro: not in this recording"));
	CHECK(txt && strstr(txt, "(no events)"));
	free(txt);
	nl_rec_free(rec);
}

static void test_helpers(void)
{
	char buf[NL_KEY_MAX];

	CHECK(nl_report_natcmp("cpu=2", "cpu=10") < 0);
	CHECK(nl_report_natcmp("cpu=10", "cpu=2") > 0);
	CHECK(nl_report_natcmp("cpu=02", "cpu=2") == 0);
	CHECK(nl_report_natcmp("dev=eth1", "dev=veth0") < 0);
	CHECK(nl_report_natcmp("cpu=1 vec=NET_RX", "cpu=1 vec=NET_TX") < 0);
	nl_report_key_shape("cpu=1 vec=NET_RX", buf, sizeof(buf));
	CHECK_STR(buf, "cpu vec");
	nl_report_safe_key("dev=0xffff888003a1c000 handle=1:", buf, sizeof(buf));
	CHECK_STR(buf, "dev=(addr) handle=1:");
	nl_report_safe_key("napi=ffff888003a1c000", buf, sizeof(buf));
	CHECK_STR(buf, "napi=(addr)");
	nl_report_safe_key("dev=veth0 handle=10:1", buf, sizeof(buf));
	CHECK_STR(buf, "dev=veth0 handle=10:1");
}

int main(void)
{
	struct truth t = { 0 };
	struct nl_recording *rec = make_recording(&t);

	test_helpers();
	test_csv(rec, &t);
	test_json(rec);
	test_text(rec);
	test_chart_height();
	test_absent();
	nl_rec_free(rec);
	UNIT_DONE();
}
