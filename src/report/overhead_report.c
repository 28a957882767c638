// SPDX-License-Identifier: GPL-2.0
/*
 * netlat's own cost in a report (the "overhead" pseudo-metric and the
 * overhead_* / admission_* metadata, include/netlat/self_cost.h): one text
 * line, a budget line, and the JSON "overhead" object. A file recorded
 * before netlat measured itself says "not measured".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlat/json.h"
#include "netlat/report.h"
#include "netlat/util.h"

struct oh_prog {
	char name[NL_NAME_MAX];
	char attach[NL_KEY_MAX];
	uint64_t runs, run_ns;
};

struct oh_summary {
	bool measured;
	const char *bpf_stats;		/* how, from the metadata */
	unsigned int programs;
	uint64_t runs, run_ns, process_cpu_ns;
	bool sampled;			/* the sampling tier ran: perf_samples */
	uint64_t perf_samples;
	double span_ns;			/* the intervals' time, summed */
	double unmeasured_ns;		/* of which no statistics slice came (stats_on_ns 0) */
	unsigned int unmeasured;	/* how many such intervals */
	int cpus;
	struct oh_prog top[3];
	unsigned int ntop;
};

static uint64_t total_ctr(const struct nl_interval *t, const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(t, "overhead", key, stat);

	return v && v->kind == NL_COUNTER ? v->counter : 0;
}

/* Keep the three programs with the most run time, most first. */
static void rank(struct oh_summary *s, const struct nl_interval *t, const char *key)
{
	struct oh_prog p = { .runs = total_ctr(t, key, "runs"), .run_ns = total_ctr(t, key, "run_ns") };
	unsigned int i;

	nl_key_get(key, "prog", p.name, sizeof(p.name));
	nl_key_get(key, "at", p.attach, sizeof(p.attach));
	for (i = s->ntop; i > 0 && s->top[i - 1].run_ns < p.run_ns; i--)
		if (i < 3)
			s->top[i] = s->top[i - 1];
	if (i < 3) {
		s->top[i] = p;
		if (s->ntop < 3)
			s->ntop++;
	}
}

/*
 * Intervals cut before their statistics slice came (a short last one)
 * carry no BPF figures: the rest stand for them, at the same rate, so the
 * totals are scaled by all time over measured time (the report says so).
 */
static void extrapolate(struct oh_summary *s)
{
	double f;

	if (!s->unmeasured || s->span_ns <= s->unmeasured_ns)
		return;
	f = s->span_ns / (s->span_ns - s->unmeasured_ns);
	s->runs = (uint64_t)(s->runs * f + 0.5);
	s->run_ns = (uint64_t)(s->run_ns * f + 0.5);
	for (unsigned int i = 0; i < s->ntop; i++) {
		s->top[i].runs = (uint64_t)(s->top[i].runs * f + 0.5);
		s->top[i].run_ns = (uint64_t)(s->top[i].run_ns * f + 0.5);
	}
}

static void summarize(const struct nl_recording *rec, const struct nl_interval *t, struct oh_summary *s)
{
	const char *cpus = nl_rec_meta(rec, "overhead_cpus");

	memset(s, 0, sizeof(*s));
	s->bpf_stats = nl_rec_meta(rec, "overhead_bpf_stats");
	for (size_t i = 0; i < t->n; i++) {
		const struct nl_value *v = &t->v[i];

		if (strcmp(v->metric, "overhead"))
			continue;
		s->measured = true;
		if (v->key[0] && !strcmp(v->stat, "run_ns")) {
			s->programs++;
			rank(s, t, v->key);
		}
	}
	s->measured = s->measured || s->bpf_stats;
	s->runs = total_ctr(t, "", "bpf_runs");
	s->run_ns = total_ctr(t, "", "bpf_run_ns");
	s->process_cpu_ns = total_ctr(t, "", "process_cpu_ns");
	s->sampled = nl_iv_find(t, "overhead", "", "perf_samples") != NULL;
	s->perf_samples = total_ctr(t, "", "perf_samples");
	for (size_t i = 0; i < rec->niv; i++) {
		const struct nl_value *on = nl_iv_find(rec->iv[i], "overhead", "", "stats_on_ns");
		double span = (double)(rec->iv[i]->end_ns - rec->iv[i]->start_ns);

		s->span_ns += span;
		if (on && on->kind == NL_COUNTER && !on->counter) {
			s->unmeasured_ns += span;
			s->unmeasured++;
		}
	}
	extrapolate(s);
	s->cpus = cpus ? atoi(cpus) : 0;
	if (s->cpus <= 0)
		s->cpus = atoi(nl_rec_meta(rec, "ncpus") ? nl_rec_meta(rec, "ncpus") : "0");
}

/* Share of the recorded CPUs' time, %; -1 when the span or CPU count is unknown. */
static double share(const struct oh_summary *s, uint64_t ns)
{
	return s->span_ns > 0 && s->cpus > 0 ? 100.0 * (double)ns / (s->span_ns * s->cpus) : -1;
}

static void fmt_count(char *buf, size_t len, uint64_t v)
{
	if (v >= 10000000)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else if (v >= 10000)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void fmt_pct(char *buf, size_t len, double pct)
{
	if (pct < 0)
		snprintf(buf, len, "?%%");
	else
		snprintf(buf, len, "%.2f%%", pct);
}

static bool bpf_timed(const struct oh_summary *s)
{
	return s->bpf_stats && (!strncmp(s->bpf_stats, "sampled", 7) || !strncmp(s->bpf_stats, "always", 6));
}

void nl_report_overhead_text(FILE *out, const struct nl_recording *rec, const struct nl_interval *total)
{
	struct oh_summary s;
	char a[32], b[32], c[32];

	summarize(rec, total, &s);
	fprintf(out, "# overhead:    ");
	if (!s.measured) {
		fprintf(out, "not measured (this recording predates netlat's measure of its own cost)\n");
		return;
	}
	if (bpf_timed(&s)) {
		fmt_count(a, sizeof(a), s.runs);
		fmt_pct(b, sizeof(b), share(&s, s.run_ns));
		fprintf(out, "%u BPF programs, %s runs, %.0f ns/run, BPF %s of %d CPUs", s.programs, a,
			s.runs ? (double)s.run_ns / (double)s.runs : 0.0, b, s.cpus);
	} else {
		fprintf(out, "BPF not measured (%s)", s.bpf_stats ? s.bpf_stats : "?");
	}
	nl_fmt_ns(a, sizeof(a), (double)s.process_cpu_ns);
	fmt_pct(b, sizeof(b), share(&s, s.process_cpu_ns));
	fprintf(out, ", netlat process %s CPU (%s)", a, b);
	if (s.sampled) {
		fmt_count(a, sizeof(a), s.perf_samples);
		fprintf(out, ", %s perf samples", a);
	}
	for (unsigned int i = 0; i < s.ntop; i++) {
		nl_fmt_ns(c, sizeof(c), s.top[i].runs ? (double)s.top[i].run_ns / s.top[i].runs : 0);
		fmt_pct(b, sizeof(b), s.run_ns ? 100.0 * s.top[i].run_ns / s.run_ns : 0);
		fprintf(out, "%s %s %s/run %s", i ? "," : "; costliest", s.top[i].name, c, b);
	}
	if (bpf_timed(&s))
		fprintf(out, "; %s", s.bpf_stats);
	if (bpf_timed(&s) && s.unmeasured)
		fprintf(out, " (%u short interval%s without a slice: extrapolated)", s.unmeasured,
			s.unmeasured > 1 ? "s" : "");
	fputc('\n', out);
}

/* Wall-clock time of a point t_ns into the recording, "12:03:04" (local time). */
static void clock_of(const struct nl_recording *rec, uint64_t t_ns, char *buf, size_t len)
{
	const char *st = nl_rec_meta(rec, "start_realtime_ns");
	time_t when;
	struct tm tm;

	if (!st) {
		snprintf(buf, len, "+%.1fs", t_ns / 1e9);
		return;
	}
	when = (time_t)((strtoull(st, NULL, 10) + t_ns) / 1000000000ULL);
	if (!localtime_r(&when, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "+%.1fs", t_ns / 1e9);
}

/*
 * One change of "admission_changes" ("T_NS 1/N REASON; ..."): fills the
 * fields and returns the rest of the list, NULL at the end.
 */
static const char *next_change(const char *p, uint64_t *t_ns, unsigned int *one_in, char *why, size_t len)
{
	char *end;
	size_t n;

	if (!p || !*p)
		return NULL;
	*t_ns = strtoull(p, &end, 10);
	if (strncmp(end, " 1/", 3))
		return NULL;
	*one_in = (unsigned int)strtoul(end + 3, &end, 10);
	while (*end == ' ')
		end++;
	n = strcspn(end, ";");
	snprintf(why, len, "%.*s", (int)n, end);
	end += n;
	while (*end == ';' || *end == ' ')
		end++;
	return end;
}

void nl_report_budget_text(FILE *out, const struct nl_recording *rec)
{
	const char *budget = nl_rec_meta(rec, "overhead_budget_pct");
	const char *p = nl_rec_meta(rec, "admission_changes");
	const char *note = nl_rec_meta(rec, "admission_note");
	char why[128], when[32];
	uint64_t t;
	unsigned int one_in;
	int n = 0;

	if (!budget)
		return;
	if (atof(budget) <= 0) {
		fprintf(out, "# budget:      none (--overhead-budget 0)\n");
		return;
	}
	fprintf(out, "# budget:      %s%% of the recorded CPUs", budget);
	while ((p = next_change(p, &t, &one_in, why, sizeof(why)))) {
		clock_of(rec, t, when, sizeof(when));
		if (one_in > 1)
			fprintf(out, "%s pairing sampled 1/%u from %s, %s", n ? ";" : ":", one_in, when, why);
		else
			fprintf(out, "%s every skb paired from %s, %s", n ? ";" : ":", when, why);
		n++;
	}
	if (note) {
		t = strtoull(note, (char **)&p, 10);
		clock_of(rec, t, when, sizeof(when));
		fprintf(out, "%s at %s%s", n ? ";" : ":", when, p);
		n++;
	}
	fprintf(out, "%s\n", n ? "" : ", kept: every skb paired");
}

void nl_report_overhead_json(struct nl_json *j, const struct nl_recording *rec, const struct nl_interval *total)
{
	const char *budget = nl_rec_meta(rec, "overhead_budget_pct");
	const char *p = nl_rec_meta(rec, "admission_changes");
	struct oh_summary s;
	char why[128], when[32];
	uint64_t t;
	unsigned int one_in;

	summarize(rec, total, &s);
	nl_json_key(j, "overhead");
	nl_json_obj_begin(j);
	nl_json_kv_bool(j, "measured", s.measured);
	if (!s.measured) {
		nl_json_obj_end(j);
		return;
	}
	nl_json_kv_str(j, "bpf_stats", s.bpf_stats ? s.bpf_stats : "");
	nl_json_kv_u64(j, "unmeasured_intervals", s.unmeasured);
	nl_json_kv_u64(j, "cpus", (uint64_t)(s.cpus > 0 ? s.cpus : 0));
	nl_json_kv_u64(j, "programs", s.programs);
	nl_json_kv_u64(j, "runs", s.runs);
	nl_json_kv_u64(j, "run_ns", s.run_ns);
	nl_json_kv_double(j, "ns_per_run", s.runs ? (double)s.run_ns / (double)s.runs : 0);
	nl_json_kv_double(j, "bpf_cpu_pct", share(&s, s.run_ns) < 0 ? 0.0 / 0.0 : share(&s, s.run_ns));
	nl_json_kv_u64(j, "process_cpu_ns", s.process_cpu_ns);
	nl_json_kv_double(j, "process_cpu_pct",
			  share(&s, s.process_cpu_ns) < 0 ? 0.0 / 0.0 : share(&s, s.process_cpu_ns));
	nl_json_key(j, "perf_samples");
	if (s.sampled)
		nl_json_u64(j, s.perf_samples);
	else
		nl_json_null(j);
	nl_json_key(j, "costliest");
	nl_json_arr_begin(j);
	for (unsigned int i = 0; i < s.ntop; i++) {
		nl_json_obj_begin(j);
		nl_json_kv_str(j, "name", s.top[i].name);
		nl_json_kv_str(j, "attach", s.top[i].attach);
		nl_json_kv_u64(j, "runs", s.top[i].runs);
		nl_json_kv_u64(j, "run_ns", s.top[i].run_ns);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
	nl_json_key(j, "budget_pct");
	if (budget)
		nl_json_double(j, atof(budget));
	else
		nl_json_null(j);
	nl_json_key(j, "admission_changes");
	nl_json_arr_begin(j);
	while ((p = next_change(p, &t, &one_in, why, sizeof(why)))) {
		nl_json_obj_begin(j);
		nl_json_kv_double(j, "t_s", t / 1e9);
		clock_of(rec, t, when, sizeof(when));
		nl_json_kv_str(j, "time", when);
		nl_json_kv_u64(j, "one_in", one_in);
		nl_json_kv_str(j, "reason", why);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
	nl_json_obj_end(j);
}
