// SPDX-License-Identifier: GPL-2.0
/*
 * What the HTML page shows first, what an incident ticket needs: the triage
 * findings with their next commands, the RX and TX ladders (p50 and p99
 * per stage, the slowest marked) and one line per metric (the same lines as
 * the text summary); and, at the bottom, the metadata in human units.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html_int.h"
#include "netlat/memcpy_bw.h"
#include "netlat/triage.h"
#include "netlat/util.h"
#include "report/text/summary_report.h"

void nl_html_findings(FILE *out, const struct nl_recording *rec, const struct nl_interval *total)
{
	struct nl_triage_in in = {
		.rec = rec,
		.iv = total,
		.seconds = nl_report_duration_s(rec),
		.memcpy_bytes_per_s = nl_memcpy_bw_of(rec),
	};
	struct nl_triage t;

	fputs("<h2 id=\"findings\">Findings</h2>\n", out);
	if (nl_triage_run(&in, &t)) {
		fputs("<p class=\"bad\">The triage rules could not run (out of memory).</p>\n", out);
		return;
	}
	if (!t.nf)
		fprintf(out, "<p class=\"ok\">No findings: the %zu rules that could run found the recording"
			" normal.</p>\n", t.nchecked);
	for (size_t i = 0; i < t.nf; i++) {
		const struct nl_finding *f = &t.f[i];

		fprintf(out, "<div class=\"finding\"><p><b>#%zu [%.0f] ", i + 1, f->score);
		nl_html_str(out, f->rule);
		fputs(":</b> ", out);
		nl_html_str(out, f->what);
		fputs("</p><p>numbers: ", out);
		nl_html_str(out, f->evidence);
		fputs("</p><p>where: ", out);
		nl_html_str(out, f->where);
		fputs("</p><p>next: <code>", out);
		nl_html_str(out, f->next);
		fputs("</code></p></div>\n", out);
	}
	nl_triage_free(&t);
}

static void ladder_table(FILE *out, const struct nl_interval *iv, const struct nl_path_ladder *l,
			 const char *dev)
{
	const struct nl_hist *h[NL_PATH_MAX_STAGES];
	size_t slow = nl_sum_slowest(iv, l, dev, h);
	char p50[16], p99[16];

	fprintf(out, "<table id=\"ladder-%s\"><tr><th>%s ", l->metric, l->metric);
	nl_html_str(out, dev);
	fputs("</th>", out);
	for (size_t s = 0; s < l->nstages; s++)
		fprintf(out, "<th>%s</th>", l->stages[s]);
	fputs("</tr>\n<tr><th>p50 | p99</th>", out);
	for (size_t s = 0; s < l->nstages; s++) {
		if (!h[s]) {
			fputs("<td>-</td>", out);
			continue;
		}
		nl_fmt_ns(p50, sizeof(p50), (double)nl_hist_percentile(h[s], 0.50));
		nl_fmt_ns(p99, sizeof(p99), (double)nl_hist_percentile(h[s], 0.99));
		fprintf(out, "<td%s>%s | %s%s</td>", s == slow ? " class=\"slow\"" : "", p50, p99,
			s == slow ? " (slowest)" : "");
	}
	fputs("</tr></table>\n", out);
}

void nl_html_ladders(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
		     const struct nl_report_opts *o)
{
	bool title = false;

	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_path_ladder *l = nl_sum_ladder_shown(rec, nl_metrics[i], o);
		struct nl_sum_ladder_dev *d;
		size_t n;

		if (!l)
			continue;
		if (!title)
			fputs("<h2 id=\"ladders\">Ladders: p50 | p99 per stage, in path order</h2>\n", out);
		title = true;
		n = nl_sum_ladder_devs(total, l->metric, &d);
		for (size_t k = 0; k < n && k < NL_SUM_TOP; k++)
			ladder_table(out, total, l, d[k].dev);
		if (!n)
			fprintf(out, "<p class=\"note\">%s: no stage completed.</p>\n", l->metric);
		free(d);
	}
}

/* One table row per line of the text summary's metrics section. */
int nl_html_summary(FILE *out, const struct nl_recording *rec, const struct nl_interval *total,
		    const struct nl_report_opts *o)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return -ENOMEM;
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_status *st;

		if (nl_report_presence(rec, total, nl_metrics[i], o, &st) == NL_REPORT_OK)
			nl_report_headline(m, rec, total, nl_metrics[i], o);
	}
	if (fclose(m)) {
		free(text);
		return -ENOMEM;
	}
	fputs("<h2 id=\"summary\">Summary</h2>\n<table>\n", out);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = line + strspn(line, " "), *rest = name + strcspn(name, " ");

		if (*rest)
			*rest++ = '\0';
		fprintf(out, "<tr><th><a href=\"#m-%s\">", name);
		nl_html_str(out, name);
		fputs("</a></th><td>", out);
		nl_html_str(out, rest + strspn(rest, " "));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	free(text);
	return 0;
}

/* A metadata value for people: durations, times, rates, CPU time in their units. */
static void meta_value(FILE *out, const char *key, const char *val)
{
	char buf[64];
	size_t n = strlen(key);

	if (!strcmp(key, "start_realtime_ns") || (n > 18 && !strcmp(key + n - 18, ".start_realtime_ns"))) {
		time_t t = (time_t)(strtoull(val, NULL, 10) / 1000000000ULL);
		struct tm tm;

		if (gmtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm)) {
			fputs(buf, out);
			return;
		}
	}
	if (n > 3 && !strcmp(key + n - 3, "_ns") && strcmp(key, "armed_monotonic_ns")) {
		nl_fmt_ns(buf, sizeof(buf), strtod(val, NULL));
		fputs(buf, out);
		return;
	}
	if (!strcmp(key, "memcpy_bytes_per_s")) {
		fprintf(out, "%.2f GB/s", strtod(val, NULL) / 1e9);
		return;
	}
	nl_html_str(out, val);
}

/* Human names for the keys a person looks for; others as stored. */
static const char *meta_name(const char *key)
{
	static const struct { const char *key, *name; } names[] = {
		{ "start_realtime_ns", "started" }, { "duration_ns", "duration" },
		{ "interval_ns", "interval" }, { "netlat_cpu_ns", "netlat's own CPU time" },
		{ "memcpy_bytes_per_s", "memcpy bandwidth" }, { "ncpus", "CPUs" },
		{ "armed_monotonic_ns", "armed at (CLOCK_MONOTONIC, ns)" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(names[i].key, key))
			return names[i].name;
	return key;
}

void nl_html_meta(FILE *out, const struct nl_recording *rec)
{
	bool ns = false;

	fputs("<h2 id=\"run\">The recording</h2>\n<table>\n", out);
	for (size_t i = 0; i < rec->nmeta; i++) {
		const char *k = rec->meta[i].key;

		if (!strncmp(k, "netns.", 6) || !strncmp(k, "qdisc.", 6)) {
			ns = true;
			continue;
		}
		fputs("<tr><th>", out);
		nl_html_str(out, meta_name(k));
		fputs("</th><td>", out);
		meta_value(out, k, rec->meta[i].val);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!ns)
		return;
	fputs("<details><summary>Network namespaces and qdiscs seen while recording</summary>\n<table>\n",
	      out);
	for (size_t i = 0; i < rec->nmeta; i++) {
		const char *k = rec->meta[i].key;

		if (strncmp(k, "netns.", 6) && strncmp(k, "qdisc.", 6))
			continue;
		fputs("<tr><th>", out);
		nl_html_str(out, k);
		fputs("</th><td>", out);
		nl_html_str(out, rec->meta[i].val);
		fputs("</td></tr>\n", out);
	}
	fputs("</table></details>\n", out);
}
