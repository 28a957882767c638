// SPDX-License-Identifier: GPL-2.0
/*
 * One `netlat top` frame as plain lines: the same text goes to the full
 * screen (cut to its size) and, when piped, to stdout as one block.
 * Sections: RX/TX stages (the rx/tx ladders and the qdiscs), per-CPU
 * NET_RX softirq, top flows, and the findings the triage rules raise on
 * this interval alone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void hist_row(FILE *out, const char *dir, const char *stage, const char *dev,
		     const struct nl_hist *h, double secs)
{
	char p50[32], p99[32], rate[32];

	nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h, 0.5));
	nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h, 0.99));
	nl_triage_fmt_num(rate, sizeof(rate), h->count / secs);
	fprintf(out, "  %-3s %-18.18s %-16.16s %9s %9s %9s/s\n", dir, stage, dev, p50, p99, rate);
}

/* The "stage=NAME dev=DEV" rows of a ladder metric (rx, tx) with a latency histogram. */
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
		hist_row(out, metric, stage, dev, h, secs);
		shown++;
	}
	free(keys);
	return shown;
}

static size_t qdisc_rows(FILE *out, const struct nl_triage_in *in, double secs)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "qdisc", "dev", &keys), shown = 0;
	char stage[NL_KEY_MAX + 8], dev[NL_KEY_MAX], handle[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct nl_hist *h = nl_triage_hist(in->iv, "qdisc", keys[i], "sojourn");

		if (!h)
			continue;
		nl_key_get(keys[i], "dev", dev, sizeof(dev));
		nl_key_get(keys[i], "handle", handle, sizeof(handle));
		snprintf(stage, sizeof(stage), "qdisc %s", handle);
		hist_row(out, "tx", stage, dev, h, secs);
		shown++;
	}
	free(keys);
	return shown;
}

static void stages(FILE *out, const struct nl_triage_in *in)
{
	double secs = in->seconds;
	size_t shown, tx;

	fprintf(out, "\n  RX/TX STAGE                              %9s %9s %11s\n", "p50", "p99", "rate");
	shown = ladder_rows(out, in, "rx", secs);
	tx = ladder_rows(out, in, "tx", secs);
	/* without the tx ladder, the qdisc metric is the one transmit stage there is */
	if (!tx)
		tx = qdisc_rows(out, in, secs);
	shown += tx;
	if (!shown)
		fprintf(out, "  (no stage saw packets in this interval)\n");
}

static void cpu_row(FILE *out, const struct nl_triage_in *in, const char *key)
{
	const struct nl_hist *d = nl_triage_hist(in->iv, "softirq", key, "duration");
	const struct nl_hist *r = nl_triage_hist(in->iv, "softirq", key, "raise_delay");
	char cpu[16], nk[32], runs[32], p50[32] = "-", p99[32] = "-", sq[32], pk[32];
	double secs = in->seconds, busy = d ? (double)d->sum / (secs * 1e9) * 100 : 0;

	nl_key_get(key, "cpu", cpu, sizeof(cpu));
	snprintf(nk, sizeof(nk), "cpu=%s", cpu);
	nl_triage_fmt_num(runs, sizeof(runs), d ? d->count / secs : 0);
	if (r) {
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(r, 0.5));
		nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(r, 0.99));
	}
	nl_triage_fmt_num(sq, sizeof(sq), nl_triage_counter(in->iv, "napi", nk, "time_squeeze") / secs);
	nl_triage_fmt_num(pk, sizeof(pk), nl_triage_counter(in->iv, "napi", nk, "processed") / secs);
	fprintf(out, "  %-4s %9s/s %7.1f%% %9s %9s %9s/s %10s/s\n", cpu, runs, busy, p50, p99, sq, pk);
}

static void cpus(FILE *out, const struct nl_triage_in *in)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "softirq", "cpu", &keys), shown = 0;
	char vec[16];

	fprintf(out, "\n  CPU  NET_RX runs  softirq  delay p50 delay p99  squeezes   processed\n");
	for (size_t i = 0; i < n; i++)
		if (nl_key_get(keys[i], "vec", vec, sizeof(vec)) && !strcmp(vec, "NET_RX")) {
			cpu_row(out, in, keys[i]);
			shown++;
		}
	free(keys);
	if (!shown)
		fprintf(out, "  (no NET_RX softirq in this interval)\n");
}

struct flow {
	const char *key;
	uint64_t bytes;
};

static int flow_cmp(const void *a, const void *b)
{
	const struct flow *x = a, *y = b;

	return x->bytes == y->bytes ? 0 : x->bytes > y->bytes ? -1 : 1;
}

static void flows(FILE *out, const struct nl_triage_in *in, size_t max)
{
	const char **keys = NULL;
	size_t n = nl_triage_keys(in, "tcp", "flow", &keys);
	struct flow *f = nl_xcalloc(n ? n : 1, sizeof(*f));
	char rate[32], safe[NL_KEY_MAX];

	for (size_t i = 0; i < n; i++) {
		f[i].key = keys[i];
		f[i].bytes = nl_triage_counter(in->iv, "tcp", keys[i], "bytes_in") +
			     nl_triage_counter(in->iv, "tcp", keys[i], "bytes_out");
	}
	qsort(f, n, sizeof(*f), flow_cmp);
	fprintf(out, "\n  TOP FLOWS%*s\n", 58, "bytes/s");
	for (size_t i = 0; i < n && i < max && f[i].bytes; i++) {
		nl_report_safe_key(f[i].key, safe, sizeof(safe));
		nl_triage_fmt_num(rate, sizeof(rate), f[i].bytes / in->seconds);
		fprintf(out, "  %-58.58s %8s\n", safe, rate);
	}
	if (!n || !f[0].bytes)
		fprintf(out, "  (no flow moved data in this interval)\n");
	free(f);
	free(keys);
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
	cpus(out, &in);
	flows(out, &in, max_flows);
	findings(out, &in, max_findings);
}
