// SPDX-License-Identifier: GPL-2.0
/*
 * CSV report: one line per (run, interval, metric, key, stat), made for awk -F,.
 * Keys never contain commas (recording.h), so nothing here needs quoting.
 */
#include <errno.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"

#define CSV_HEADER "run,interval,metric,key,stat,unit,kind,value,count,min,max,mean,p50,p90,p99,p999"
#define MAX_ROW_VALUES 64

/* The session pseudo-metric is not in the table; describe it here to reuse the row walk. */
static const struct nl_stat_desc session_stats[] = {
	{ "events", NL_COUNTER, "", "tracepoint hits handled" },
	{ "lost_events", NL_COUNTER, "", "events the kernel dropped before netlat read them" },
	{ "raw_records", NL_HIST, "ns", "record --raw: records in the raw file per event, first (min) and last (max) timestamp" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_metric_desc session_desc = {
	.name = "session", .key_fields = "|cpu", .stats = session_stats,
};

/* netlat's own cost (include/netlat/self_cost.h): the total row, then one per BPF program. */
static const struct nl_stat_desc overhead_stats[] = {
	{ "bpf_runs", NL_COUNTER, "", "runs of netlat's BPF programs (scaled when sampled)" },
	{ "bpf_run_ns", NL_COUNTER, "ns", "their run time (scaled when sampled)" },
	{ "stats_on_ns", NL_COUNTER, "ns", "time the kernel's run-time statistics were on" },
	{ "process_cpu_ns", NL_COUNTER, "ns", "CPU time of netlat's process, all threads" },
	{ "perf_samples", NL_COUNTER, "", "perf samples the function metrics' sampling tier took" },
	{ "runs", NL_COUNTER, "", "runs of this program" },
	{ "run_ns", NL_COUNTER, "ns", "run time of this program" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_metric_desc overhead_desc = {
	.name = "overhead", .key_fields = "|prog id at", .stats = overhead_stats,
};

struct csv_ctx {
	FILE *out;
	uint32_t run;
	char interval[24];	/* "total" or the interval index */
};

static void csv_prefix(const struct csv_ctx *c, const char *metric, const char *key,
		       const char *stat, const char *unit, const char *kind)
{
	char safe[NL_KEY_MAX];

	nl_report_safe_key(key, safe, sizeof(safe));
	fprintf(c->out, "%u,%s,%s,%s,%s,%s,%s,", c->run, c->interval, metric, safe, stat, unit, kind);
}

static void csv_value(const struct csv_ctx *c, const struct nl_value *v)
{
	const struct nl_hist *h = v->hist;

	if (v->kind == NL_COUNTER) {
		csv_prefix(c, v->metric, v->key, v->stat, v->unit, "counter");
		fprintf(c->out, "%llu,,,,,,,,\n", (unsigned long long)v->counter);
		return;
	}
	if (v->kind != NL_HIST || !h)
		return;
	csv_prefix(c, v->metric, v->key, v->stat, v->unit, "hist");
	fprintf(c->out, "%llu,%llu,%llu,%llu,%.3f,%llu,%llu,%llu,%llu\n",
		(unsigned long long)h->count, (unsigned long long)h->count,
		(unsigned long long)(h->count ? h->min : 0), (unsigned long long)h->max,
		nl_hist_mean(h),
		(unsigned long long)nl_hist_percentile(h, 0.50),
		(unsigned long long)nl_hist_percentile(h, 0.90),
		(unsigned long long)nl_hist_percentile(h, 0.99),
		(unsigned long long)nl_hist_percentile(h, 0.999));
}

static void csv_row(const struct csv_ctx *c, const struct nl_interval *iv,
		    const struct nl_metric_desc *m, const char *key)
{
	const struct nl_value *vals[MAX_ROW_VALUES];
	size_t n = nl_report_row_values(iv, m, key, vals, MAX_ROW_VALUES);

	for (size_t i = 0; i < n; i++)
		csv_value(c, vals[i]);
	for (const struct nl_derived *d = m->derived; d && d->name; d++) {
		double r;

		if (!nl_report_ratio(iv, m->name, key, d, &r))
			continue;
		csv_prefix(c, m->name, key, d->name, "", "ratio");
		fprintf(c->out, "%.6f,,,,,,,,\n", r);
	}
}

static int csv_metric(const struct csv_ctx *c, const struct nl_interval *iv,
		      const struct nl_metric_desc *m)
{
	struct nl_report_rows rows;
	int err = nl_report_rows(iv, m->name, m->key_fields, &rows);

	if (err)
		return err;
	for (size_t i = 0; i < rows.n; i++)
		csv_row(c, iv, m, rows.keys[i]);
	nl_report_rows_free(&rows);
	return 0;
}

/* Every selected, measured metric of one interval, then the session's health and netlat's cost. */
static int csv_interval(const struct csv_ctx *c, const struct nl_interval *iv,
			const enum nl_report_presence *pres)
{
	int err;

	for (size_t i = 0; i < nl_nmetrics; i++) {
		if (pres[i] != NL_REPORT_OK)
			continue;
		err = csv_metric(c, iv, nl_metrics[i]);
		if (err)
			return err;
	}
	err = csv_metric(c, iv, &session_desc);
	return err ? err : csv_metric(c, iv, &overhead_desc);
}

static int csv_totals(FILE *out, const struct nl_recording *rec, const enum nl_report_presence *pres)
{
	uint32_t nruns = nl_rec_nruns(rec);
	int err = 0;

	for (uint32_t r = 0; r < nruns && !err; r++) {
		struct csv_ctx c = { .out = out, .run = r, .interval = "total" };
		struct nl_interval *tot = nl_rec_total(rec, (int)r);

		if (!tot)
			return -ENOMEM;
		err = csv_interval(&c, tot, pres);
		nl_iv_free(tot);
	}
	return err;
}

static int csv_intervals(FILE *out, const struct nl_recording *rec, const enum nl_report_presence *pres)
{
	for (size_t i = 0; i < rec->niv; i++) {
		struct csv_ctx c = { .out = out, .run = rec->iv[i]->run };
		int err;

		snprintf(c.interval, sizeof(c.interval), "%zu", nl_report_iv_index(rec, i));
		err = csv_interval(&c, rec->iv[i], pres);
		if (err)
			return err;
	}
	return 0;
}

int nl_report_csv(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o)
{
	enum nl_report_presence pres[nl_nmetrics ? nl_nmetrics : 1];
	const struct nl_metric_status *st;
	struct nl_interval *total = nl_rec_total(rec, -1);
	int err;

	if (!total)
		return -ENOMEM;
	for (size_t i = 0; i < nl_nmetrics; i++)
		pres[i] = nl_report_presence(rec, total, nl_metrics[i], o, &st);
	nl_report_warn_absent(rec, total, o);
	nl_iv_free(total);

	fprintf(out, "%s\n", CSV_HEADER);
	err = csv_totals(out, rec, pres);
	if (!err && o->intervals)
		err = csv_intervals(out, rec, pres);
	return err;
}
