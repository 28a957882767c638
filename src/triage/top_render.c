// SPDX-License-Identifier: GPL-2.0
/*
 * One `netlat top` frame as plain lines: the same text goes to the full
 * screen (cut to its size) and, when piped, to stdout as one block.
 * Sections: RX/TX stages (the metrics with a ladder, and the rows a metric
 * adds where a ladder showed none: qdisc's), the sections metrics add
 * (views->top_section: softirq's CPUs, tcp's flows), and the findings the
 * triage rules raise on this interval alone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlat/metric.h"
#include "netlat/report.h"
#include "netlat/top.h"
#include "netlat/util.h"

static double iv_seconds(const struct nl_interval *iv)
{
	return iv->end_ns > iv->start_ns ? (double)(iv->end_ns - iv->start_ns) / 1e9 : 1.0;
}

static void header(FILE *out, const struct nl_top_frame *fr)
{
	const char *coll = nl_rec_meta(fr->rec, "collector");
	char clock[16] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fprintf(out, "netlat top  %s  interval %zu (%.2fs)  collector %s  lost events %llu   q: quit\n",
		clock, fr->index, iv_seconds(fr->iv), coll ? coll : "?",
		(unsigned long long)nl_report_lost_events(fr->iv));
}

void nl_top_stage_row(FILE *out, const char *dir, const char *stage, const char *dev, const struct nl_hist *h,
		      double secs)
{
	char p50[32], p99[32], rate[32];

	nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h, 0.5));
	nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	nl_triage_fmt_num(rate, sizeof(rate), h->count / secs);
	fprintf(out, "  %-3s %-18.18s %-16.16s %9s %9s %9s/s\n", dir, stage, dev, p50, p99, rate);
}

/* The "stage=NAME dev=DEV" rows of a ladder metric with a latency histogram. */
static size_t ladder_rows(FILE *out, const struct nl_triage_in *in, const char *metric, double secs)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, metric, "stage", &keys), shown = 0;
	char stage[NL_KEY_MAX], dev[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, metric, keys[i], "latency");

		if (!h)
			continue;
		nl_key_get(keys[i], "stage", stage, sizeof(stage));
		if (!nl_key_get(keys[i], "dev", dev, sizeof(dev)))
			snprintf(dev, sizeof(dev), "-");
		nl_top_stage_row(out, metric, stage, dev, h, secs);
		shown++;
	}
	free(keys);
	return shown;
}

/* Did the ladder of metric name show rows (ladder_shown: per metric table index)? */
static bool stood_in_for_shown(const char *name, const size_t *ladder_shown)
{
	for (size_t i = 0; name && i < nl_nmetrics; i++)
		if (!strcmp(nl_metrics[i]->name, name))
			return ladder_shown[i] != 0;
	return false;
}

/*
 * The stage table: the rows of every metric with a ladder, then those a
 * metric adds where the ladder it stands in for showed none (qdisc for tx).
 */
static void stages(FILE *out, const struct nl_triage_in *in)
{
	size_t *ladder_shown = nl_xcalloc(nl_nmetrics, sizeof(*ladder_shown));
	size_t shown = 0;

	fprintf(out, "\n  RX/TX STAGE                              %9s %9s %11s\n", "p50", "p99", "rate");
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nl_metrics[i]->ladder)
			shown += ladder_shown[i] = ladder_rows(out, in, nl_metrics[i]->name, in->seconds);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_views *v = nl_metrics[i]->views;

		if (v && v->top_stage_rows && !stood_in_for_shown(v->top_stands_in_for, ladder_shown))
			shown += v->top_stage_rows(out, in);
	}
	if (!shown)
		fprintf(out, "  (no stage saw packets in this interval)\n");
	free(ladder_shown);
}

/* The sections metrics add (softirq's CPUs, tcp's flows), in metric table order. */
static void metric_sections(FILE *out, const struct nl_triage_in *in, size_t max_rows)
{
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_views *v = nl_metrics[i]->views;

		if (v && v->top_section)
			v->top_section(out, in, max_rows);
	}
}

static void findings(FILE *out, const struct nl_triage_in *in, size_t max)
{
	struct nl_triage t;

	fprintf(out, "\n  FINDINGS (this interval)\n");
	if (nl_triage_run(in, &t)) {
		fprintf(out, "  (out of memory)\n");
		return;
	}
	for (size_t i = 0; i < t.nf && i < max; i++)
		fprintf(out, "  #%zu [%.0f] %s: %s | %s\n", i + 1, t.f[i].score, t.f[i].rule,
			t.f[i].what, t.f[i].where);
	if (!t.nf)
		fprintf(out, "  no findings (%zu rules checked, %zu could not run)\n", t.nchecked,
			t.nskipped);
	nl_triage_free(&t);
}

void nl_top_render(FILE *out, const struct nl_top_frame *fr, size_t max_flows, size_t max_findings)
{
	struct nl_triage_in in = {
		.rec = fr->rec,
		.iv = fr->iv,
		.seconds = iv_seconds(fr->iv),
		.memcpy_bytes_per_s = fr->memcpy_bytes_per_s,
		.dev = fr->dev,
		.netns = fr->netns,
	};

	header(out, fr);
	stages(out, &in);
	metric_sections(out, &in, max_flows);
	findings(out, &in, max_findings);
}
