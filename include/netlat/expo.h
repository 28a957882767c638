/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exposition of netlat's values to a Prometheus/OpenMetrics scraper
 * (`netlat serve`). The names, labels and exposed bucket edges are one
 * contract shared by the three renderings (Prometheus text 0.0.4,
 * OpenMetrics 1.0.0, protobuf with native histograms); docs/metrics.md
 * is its documentation.
 *
 *   (metric, key, stat, unit) -> netlat_<metric>_<stat>[_<base unit>][_total]
 *   key "dev=veth0 handle=1:" -> {dev="veth0",handle="1:"}
 *   unit ns -> seconds (value / 1e9), pkts -> packets, segs -> segments, bytes -> bytes
 */
#ifndef NETLAT_EXPO_H
#define NETLAT_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "recording.h"

#define NL_EXPO_NAME_MAX	128
#define NL_EXPO_LABELS_MAX	512
#define NL_EXPO_EDGES_MAX	(64 * 16)

/* What the scraper sees, fixed for the life of a `netlat serve`. */
struct nl_expo_opts {
	unsigned int per_octave;	/* exposed edges per power of two: 1, 2, 4, 8 or 16 */
	bool flow_labels;		/* export flow/pid labels (high cardinality) */
};

/* A metric's state, for netlat_metric_up (from the recording's metric status). */
struct nl_expo_metric_state {
	char name[NL_NAME_MAX];
	char backend[16];
	bool up;
};

/* netlat's own health and cost, read when a scrape is rendered. */
struct nl_expo_self {
	double cpu_user_s, cpu_system_s;	/* getrusage(RUSAGE_SELF): every thread of netlat */
	double start_time_s;			/* unix time the collectors started */
	uint64_t intervals;			/* intervals folded into the snapshot */
	uint64_t scrapes;			/* /metrics requests answered */
	uint64_t rejected;			/* connections closed over the concurrency limit or for bad requests */
	const struct nl_expo_metric_state *metrics;
	size_t nmetrics;
};

/* One of netlat's own metrics: a counter or gauge family of a few samples. */
#define NL_EXPO_SELF_SAMPLES	64
struct nl_expo_simple {
	const char *name;		/* without _total */
	bool counter;			/* else a gauge */
	const char *unit;		/* "seconds" or "" */
	const char *help;
	size_t n;
	struct {
		char key[NL_KEY_MAX];	/* labels as a row key, "mode=user" */
		double value;
	} s[NL_EXPO_SELF_SAMPLES];
};

/* netlat's own metrics (process CPU, start time, scrapes, metric_up) into out; returns how many. */
size_t nl_expo_self_list(const struct nl_expo_self *s, struct nl_expo_simple *out, size_t max);

/* Project a row key to the exported one (flow/pid dropped unless opted in). */
void nl_expo_key(const char *key, bool flow_labels, char *out, size_t outlen);

/*
 * The exported family name of a value (without _total or histogram
 * suffixes) and the factor from its stored unit to the base unit.
 * Returns false for a unit this exposition does not know.
 */
bool nl_expo_name(const struct nl_value *v, char *name, size_t len, double *scale);

/* The next "name=value" of a key, name made a valid label name; false at the end. */
bool nl_expo_next_label(const char **key, char *name, size_t nlen, char *value, size_t vlen);

/* Labels of a key, as `a="x",b="y"` with values escaped (no braces); "" for the global row. */
void nl_expo_labels(const char *key, char *out, size_t outlen);

/*
 * The exposed upper bounds of a histogram in unit, as netlat bucket edges
 * E (each the lower bound of a netlat bucket), ascending. A value < E is
 * below the boundary. Returns how many (<= max).
 */
size_t nl_expo_edges(const char *unit, unsigned int per_octave, uint64_t *edges, size_t max);

/*
 * The `le` a scraper sees for edge E: time units count values < E ns, which
 * for integer nanoseconds is `<= E` but for an observation of exactly E ns;
 * integer units (packets, bytes) expose E - 1, so `<=` is exact.
 */
double nl_expo_le(const char *unit, uint64_t edge, double scale);

/* Native histograms: schema 4, 16 exponential buckets per power of two. */
#define NL_EXPO_NATIVE_SCHEMA		4
#define NL_EXPO_NATIVE_PER_OCTAVE	(1 << NL_EXPO_NATIVE_SCHEMA)
/* The smallest positive value the zero bucket takes (client_golang's default, 2^-128). */
#define NL_EXPO_NATIVE_ZERO_THRESHOLD	2.938735877055719e-39
int nl_expo_native_index(double x);
double nl_expo_native_value(unsigned int idx, double scale);

/*
 * The values of iv in exposition order (metric, stat, key), pointers into
 * iv. The caller frees the array. Values with units nl_expo_name rejects
 * are left out.
 */
const struct nl_value **nl_expo_sorted(const struct nl_interval *iv, size_t *n);

/* The help text of a family: the metric table's, or a generic one. */
const char *nl_expo_help(const struct nl_value *v);

/* Text renderings. openmetrics: OpenMetrics 1.0.0 (ends with "# EOF"), else Prometheus 0.0.4. */
void nl_expo_text(FILE *f, const struct nl_interval *iv, const struct nl_expo_self *self,
		  const struct nl_expo_opts *o, bool openmetrics);

/*
 * Protobuf rendering (io.prometheus.client.MetricFamily, length-delimited),
 * histograms carrying both the exposed classic buckets and a native
 * histogram at schema 4. Returns 0, or a negative errno.
 */
int nl_expo_protobuf(FILE *f, const struct nl_interval *iv, const struct nl_expo_self *self,
		     const struct nl_expo_opts *o);

#endif
