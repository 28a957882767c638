/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Repeated runs (`netlat stat`) and the per-run values `netlat diff` compares.
 *
 * A stat file is an ordinary recording whose intervals carry run indexes
 * 0..N-1, with per-run metadata "run.K.duration_ns", "run.K.command_exit",
 * "run.K.start_realtime_ns" and "run.K.collector", and "runs" = N.
 *
 * A sample set flattens a recording into items, one per (metric, key,
 * stat, statistic), each with one value per run. Statistics:
 *   counter: "count" (the counter) and "rate" (counter per second of run)
 *   hist:    "count", "rate" (samples per second), "p50", "p99", "p999"
 *   derived: "ratio" (the metric table's derived ratios, stat = its name)
 * Items come in report order: metric table order, rows as the report sorts
 * them, stats in table order; metrics this build does not know follow in
 * file order, so a newer file is compared rather than silently dropped.
 */
#ifndef NETLAT_STAT_H
#define NETLAT_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"

#define NL_STATISTIC_MAX 8

enum nl_item_kind {
	NL_ITEM_COUNTER = 1,	/* from a counter value */
	NL_ITEM_HIST = 2,	/* from a histogram value */
	NL_ITEM_RATIO = 3,	/* a derived ratio */
};

struct nl_item {
	char metric[NL_NAME_MAX];
	char key[NL_KEY_MAX];			/* portable (src/gate/portable_keys.c) unless built strict */
	char attrs[NL_KEY_MAX];			/* the key as recorded, when it differs ("" otherwise) */
	char stat[NL_NAME_MAX];
	char statistic[NL_STATISTIC_MAX];	/* "count", "rate", "p50", "p99", "p999", "ratio" */
	char unit[NL_UNIT_MAX + 4];		/* "ns", "pkts", "pkts/s", "" */
	uint8_t kind;				/* enum nl_item_kind */
	double *v;				/* one per run; NaN where the run has no value */
	/* whole-recording value (all runs merged) for single-recording comparisons */
	double total;
	uint64_t total_count;			/* counter value or histogram count, all runs */
	const struct nl_hist *hist;		/* all runs merged (points into the set's total) */
};

struct nl_sampleset {
	struct nl_item *it;
	size_t n, cap;
	uint32_t nruns;
	double *dur_s;			/* per run duration in seconds */
	double total_dur_s;
	struct nl_interval *total;	/* all runs merged; owned */
};

/* Flatten rec with portable keys. 0, or -ENOMEM / -ENODATA (no runs). */
int nl_samples_build(const struct nl_recording *rec, struct nl_sampleset *out);
/* The same; strict keeps the keys as recorded (diff --match strict). */
int nl_samples_build_match(const struct nl_recording *rec, struct nl_sampleset *out, bool strict);
void nl_samples_free(struct nl_sampleset *s);
/* Item by identity, NULL if absent. */
const struct nl_item *nl_samples_find(const struct nl_sampleset *s, const char *metric,
				      const char *key, const char *stat, const char *statistic);

/* Duration of run (seconds): meta run.K.duration_ns, else duration_ns (one run), else its span. */
double nl_stat_run_duration_s(const struct nl_recording *rec, uint32_t run);

/* Spread of the non-NaN values of v[0..n). */
struct nl_spread {
	size_t n;		/* values present */
	double median, min, max, mean;
	double rsd_pct;		/* sample standard deviation / mean * 100 (0 for n < 2 or mean 0) */
};
void nl_spread_of(const double *v, size_t n, struct nl_spread *out);
double nl_median(const double *v, size_t n);	/* NaNs skipped; NaN when none */
/* A value for people: ns scaled to us/ms/s, integers without decimals, "-" for NaN. */
void nl_fmt_value(char *buf, size_t len, double v, const char *unit);

/*
 * Append the recording of one run (its intervals already carry run index
 * `run`) to dst: intervals copied, the first run's metadata and metric
 * status taken as the file's, per-run metadata stored as run.K.*. A metric
 * measured by another backend than in earlier runs gets a warning.
 */
void nl_stat_add_run(struct nl_recording *dst, const struct nl_recording *one, uint32_t run);
/* After the last run: runs, duration_ns (sum over runs), command_exit (first non-zero). */
void nl_stat_finish(struct nl_recording *dst, uint32_t nruns);

/*
 * Keep only run `run` of rec (for `netlat report --run K`): other intervals
 * are freed and duration_ns/command_exit take that run's values.
 * -ENOENT if the recording has no such run.
 */
int nl_stat_keep_run(struct nl_recording *rec, uint32_t run);

/* The `netlat stat` summary: per item, median and spread across runs. */
enum nl_stat_format { NL_STAT_TEXT = 0, NL_STAT_CSV };
int nl_stat_print(FILE *out, const struct nl_recording *rec, const struct nl_sampleset *s,
		  enum nl_stat_format fmt);

#endif
