/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat report`: render a recording as text, JSON or CSV. The three
 * renderers share one notion of what a metric's rows are (src/report/report_common.c):
 * the distinct keys a metric has in an interval, naturally sorted, each with
 * its values in metric-table order followed by the table's derived ratios.
 */
#ifndef NETLAT_REPORT_H
#define NETLAT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metric.h"
#include "recording.h"

enum nl_report_format {
	NL_REPORT_TEXT = 0,
	NL_REPORT_JSON,
	NL_REPORT_CSV,
};

struct nl_report_opts {
	enum nl_report_format format;
	const char *metrics;	/* -m list as given; NULL or "all" = every metric in the recording */
	bool intervals;		/* also render every interval, not only the totals */
	bool full;		/* text: every table and histogram (--full, -v), not the summary */
	const char *sort;	/* summary rows: "p99" (default), "p50", "count", "name" */
	unsigned int top;	/* summary: rows per metric line and ladder devices (0: 3) */
	const char *input;	/* the file read, for the summary's "next" lines (may be NULL) */
};

/* "text", "json", "csv" -> format; -EINVAL otherwise. */
int nl_report_format_parse(const char *s, enum nl_report_format *out);
/* Render rec to out in o->format. 0, or a negative errno (-EIO if out failed). */
int nl_report_render(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o);

int nl_report_text(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o);
/*
 * The default text report (src/report/text/summary_report.c): one screen with the run's
 * health, the ladders, one line per metric and the triage findings.
 */
int nl_report_summary(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o);
/* "p99", "p50", "count", "name": 0, else -EINVAL. */
int nl_report_sort_check(const char *s);
int nl_report_json(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o);
/*
 * CSV: a header, then one line per value (tests parse it with awk -F,):
 * run,interval,metric,key,stat,unit,kind,value,count,min,max,mean,p50,p90,p99,p999
 * The "session" pseudo-metric (events, lost_events) is included so a CSV
 * consumer can see the recording's health without the text header, and
 * "overhead" (netlat's own cost, include/netlat/self_cost.h) after it.
 */
int nl_report_csv(FILE *out, const struct nl_recording *rec, const struct nl_report_opts *o);

/* ---- shared by the renderers (src/report/report_common.c) ---- */

/* How one metric of the table appears in this report. */
enum nl_report_presence {
	NL_REPORT_SKIP = 0,		/* not selected by -m, or not recorded and not asked for */
	NL_REPORT_ABSENT,		/* asked for with -m but not in the recording */
	NL_REPORT_OK,			/* measured */
	NL_REPORT_UNAVAILABLE,		/* requested at record time, could not be measured */
};

/*
 * Presence of table metric m in rec (total is the merged interval, used
 * when a file carries values without a status entry). *st is set to the
 * status or NULL.
 */
enum nl_report_presence nl_report_presence(const struct nl_recording *rec,
					   const struct nl_interval *total,
					   const struct nl_metric_desc *m,
					   const struct nl_report_opts *o,
					   const struct nl_metric_status **st);

/* Natural order: digit runs compare as numbers, so "cpu=2" < "cpu=10". */
int nl_report_natcmp(const char *a, const char *b);

/*
 * The distinct keys of metric in iv, sorted by row shape (the order of the
 * alternatives in key_fields, "dev|cpu") then naturally. keys point into iv.
 */
struct nl_report_rows {
	const char **keys;
	size_t n;
};
int nl_report_rows(const struct nl_interval *iv, const char *metric, const char *key_fields,
		   struct nl_report_rows *rows);
void nl_report_rows_free(struct nl_report_rows *rows);

/* The field names of a key ("cpu=1 vec=NET_RX" -> "cpu vec") into out. */
void nl_report_key_shape(const char *key, char *out, size_t len);

/*
 * Values of one row: the table's stats in table order, then stats the table
 * does not know (a newer file) in storage order. Returns how many were
 * stored in out (at most max).
 */
size_t nl_report_row_values(const struct nl_interval *iv, const struct nl_metric_desc *m,
			    const char *key, const struct nl_value **out, size_t max);

/*
 * Derived ratio d of one row: num ("a" or "a+b") over den. A missing
 * numerator counter counts as 0 beside one that is there; false when den is
 * missing or 0, or no numerator counter is in the row (not measured: no
 * ratio is shown rather than a made-up one).
 */
bool nl_report_ratio(const struct nl_interval *iv, const char *metric, const char *key,
		     const struct nl_derived *d, double *out);

/*
 * Copy key to out with anything that looks like a kernel address (0x and
 * 12 or more hex digits) replaced by "(addr)": reports never show them.
 */
void nl_report_safe_key(const char *key, char *out, size_t len);

/* Sum of the session's lost_events over every CPU in iv. */
uint64_t nl_report_lost_events(const struct nl_interval *iv);
/* Recording duration in seconds: meta duration_ns, else the intervals' span. */
double nl_report_duration_s(const struct nl_recording *rec);

/* "netlat: metric 'x' is not in this recording" for every -m name absent from rec. */
void nl_report_warn_absent(const struct nl_recording *rec, const struct nl_interval *total,
			   const struct nl_report_opts *o);

/* Index of iv within its run (0-based), for interval numbering. */
size_t nl_report_iv_index(const struct nl_recording *rec, size_t i);

/*
 * The ladder view of a metric with stages (rx, tx; report_ladder.c): per
 * device, stages in path order with p50/p99 and a bar. 0 and nothing
 * printed for other metrics.
 */
int nl_report_ladder(FILE *out, const struct nl_interval *iv, const struct nl_metric_desc *m,
		     const struct nl_metric_status *st);

/*
 * netlat's own cost (src/report/overhead_report.c): the "# overhead:" header line
 * ("not measured" for files without it), the "# budget:" line with every
 * admission change, and the JSON "overhead" object.
 */
struct nl_json;
void nl_report_overhead_text(FILE *out, const struct nl_recording *rec, const struct nl_interval *total);
void nl_report_budget_text(FILE *out, const struct nl_recording *rec);
void nl_report_overhead_json(struct nl_json *j, const struct nl_recording *rec, const struct nl_interval *total);

#endif
