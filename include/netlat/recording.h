/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory form of a recording, shared by record, report, diff, stat,
 * plots and triage. Collectors fill intervals; renderers read them.
 *
 * A recording holds metadata (key/value strings), the status of every
 * metric (backend used, or why it could not be measured), and a list of
 * intervals. Each interval holds values: (metric, key, stat) -> counter or
 * histogram. Keys are "field=value" pairs joined by one space in a fixed field
 * order per metric, e.g. "dev=veth0" or "cpu=1 vec=NET_RX" (no commas, so CSV
 * and awk stay simple; values never contain spaces or commas); "" is the
 * metric's global row. Units are strings: "ns", "pkts", "segs", "bytes", "".
 *
 * The pseudo-metric "session" carries the recording's own health, e.g.
 * stat "lost_events" keyed by "cpu=N".
 */
#ifndef NETLAT_RECORDING_H
#define NETLAT_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hist.h"

#define NL_NAME_MAX	32
#define NL_KEY_MAX	96
#define NL_UNIT_MAX	8
#define NL_REASON_MAX	256

enum nl_kind {
	NL_COUNTER = 1,
	NL_HIST = 2,
};

struct nl_value {
	char metric[NL_NAME_MAX];
	char key[NL_KEY_MAX];
	char stat[NL_NAME_MAX];
	char unit[NL_UNIT_MAX];
	uint8_t kind;			/* enum nl_kind */
	uint64_t counter;		/* NL_COUNTER */
	struct nl_hist *hist;		/* NL_HIST, owned by the interval */
};

struct nl_interval {
	uint32_t run;			/* 0-based run index; >0 only in `netlat stat` files */
	uint64_t start_ns;		/* since the run started (CLOCK_MONOTONIC based) */
	uint64_t end_ns;
	size_t n, cap;
	struct nl_value *v;
	/* lookup index, private to recording.c */
	size_t hcap;
	uint32_t *hidx;
};

enum nl_metric_state {
	NL_METRIC_OFF = 0,		/* not requested */
	NL_METRIC_OK = 1,		/* measured by .backend */
	NL_METRIC_UNAVAILABLE = 2,	/* requested but nothing on this kernel could measure it; .reason says why */
};

struct nl_metric_status {
	char name[NL_NAME_MAX];
	uint8_t state;			/* enum nl_metric_state */
	char backend[16];		/* "bpf", "tracefs", "perf", "procfs" */
	char detail[32];		/* how: "tp_btf", "raw_tp", "tracepoint", "instance netlat-123" */
	/* why this backend: each better one that was rejected and its error, e.g. "bpf: load failed: EPERM" */
	char reason[NL_REASON_MAX];
};

struct nl_meta {
	char *key;
	char *val;
};

struct nl_recording {
	struct nl_meta *meta;
	size_t nmeta;
	struct nl_metric_status *metrics;
	size_t nmetrics;
	struct nl_interval **iv;
	size_t niv;
};

struct nl_recording *nl_rec_new(void);
void nl_rec_free(struct nl_recording *rec);

/* Metadata. Well-known keys: netlat_version, host, kernel, ncpus, cmdline, collector,
 * start_realtime_ns, duration_ns, interval_ns, runs, command, command_exit; at the end
 * of a recording netns.<inode>, qdisc.<inode>.<dev>.<handle>, netlat_cpu_ns and
 * filter_unmatched (docs/file-format.md). */
void nl_rec_set_meta(struct nl_recording *rec, const char *key, const char *val);
void nl_rec_set_metaf(struct nl_recording *rec, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *nl_rec_meta(const struct nl_recording *rec, const char *key);	/* NULL if absent */

/* Status of a metric; created (state OFF) when create is true and it does not exist. */
struct nl_metric_status *nl_rec_metric(struct nl_recording *rec, const char *name, bool create);
const struct nl_metric_status *nl_rec_metric_const(const struct nl_recording *rec, const char *name);

/* Append an interval; the recording owns it. */
struct nl_interval *nl_rec_add_interval(struct nl_recording *rec, uint32_t run,
					uint64_t start_ns, uint64_t end_ns);

struct nl_interval *nl_iv_new(uint32_t run, uint64_t start_ns, uint64_t end_ns);
void nl_iv_free(struct nl_interval *iv);
/* Add delta to a counter, creating it at 0 first. */
void nl_iv_add_counter(struct nl_interval *iv, const char *metric, const char *key,
		       const char *stat, const char *unit, uint64_t delta);
/* Get or create a histogram value. */
struct nl_hist *nl_iv_hist(struct nl_interval *iv, const char *metric, const char *key,
			   const char *stat, const char *unit);
const struct nl_value *nl_iv_find(const struct nl_interval *iv, const char *metric,
				  const char *key, const char *stat);
/* dst += src for every value (counters summed, histograms merged). */
void nl_iv_merge(struct nl_interval *dst, const struct nl_interval *src);

/* All intervals of one run (run >= 0) or of every run (run < 0) merged into a new interval. */
struct nl_interval *nl_rec_total(const struct nl_recording *rec, int run);
uint32_t nl_rec_nruns(const struct nl_recording *rec);

/* Key helpers: value of field in "a=1 b=2"; returns false if absent. */
bool nl_key_get(const char *key, const char *field, char *out, size_t outlen);

/*
 * File I/O (format in docs/file-format.md). nl_rec_write writes path with
 * mode 0600 through a temporary file and rename, so a crash never leaves a
 * half file under the final name. nl_rec_read returns 0, or a negative
 * errno with a one-line reason in err ("truncated at byte N", "not a netlat
 * recording", ...).
 */
int nl_rec_write(const struct nl_recording *rec, const char *path);
int nl_rec_read(const char *path, struct nl_recording **out, char *err, size_t errlen);

/* perf's habit: move an existing path to path.old before writing a new one. */
int nl_rec_backup_old(const char *path);

/*
 * Write a recording while it is made: open writes the header to a temporary
 * file beside path, add appends one interval (the caller may then free it),
 * finish appends metadata, metric status and rec's remaining intervals,
 * moves an existing path to path.old and renames the file into place; abort
 * removes the temporary file. Both finish and abort free the stream.
 */
struct nl_rec_stream;
int nl_rec_stream_open(struct nl_rec_stream **s, const char *path);
int nl_rec_stream_add(struct nl_rec_stream *s, const struct nl_interval *iv);
size_t nl_rec_stream_nintervals(const struct nl_rec_stream *s);
int nl_rec_stream_finish(struct nl_rec_stream *s, const struct nl_recording *rec, const char *path);
void nl_rec_stream_abort(struct nl_rec_stream *s);

#endif
