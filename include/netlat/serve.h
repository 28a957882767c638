/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat serve`: the record loop folds every interval into running
 * totals and publishes an immutable snapshot of them; the HTTP thread
 * renders whatever snapshot is current when a scrape arrives. The two
 * threads share one pointer swap under a mutex and a reference count, so
 * a scrape never holds up the collectors and the collectors never wait
 * for a slow scraper.
 */
#ifndef NETLAT_SERVE_H
#define NETLAT_SERVE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "expo.h"
#include "recording.h"

#define NL_SERVE_DEFAULT_LISTEN	"127.0.0.1:9465"

/* One published state: read-only once published. */
struct nl_serve_snap {
	int refs;
	struct nl_interval *totals;		/* every interval since start, keys projected (expo.h) */
	struct nl_expo_metric_state *metrics;
	size_t nmetrics;
	uint64_t intervals;
	uint64_t cut_ns;			/* CLOCK_MONOTONIC of the last interval cut */
	double start_time_s;
};

struct nl_serve_state {
	pthread_mutex_t lock;
	struct nl_serve_snap *cur;		/* under lock */
	/* the record loop's own, never seen by the HTTP thread */
	struct nl_interval *totals;
	uint64_t intervals;
	bool flow_labels;
};

void nl_serve_state_init(struct nl_serve_state *s, bool flow_labels);
/* Record loop: add iv to the totals and publish a new snapshot (metric states from rec). */
void nl_serve_state_fold(struct nl_serve_state *s, const struct nl_recording *rec,
			 const struct nl_interval *iv);
/* HTTP thread: the current snapshot with a reference (NULL before the first interval). */
struct nl_serve_snap *nl_serve_snap_get(struct nl_serve_state *s);
void nl_serve_snap_put(struct nl_serve_snap *snap);
void nl_serve_state_free(struct nl_serve_state *s);

/* What the pages need besides the snapshot. */
struct nl_serve_web {
	struct nl_serve_state *state;
	struct nl_expo_opts expo;
	uint64_t interval_ns;
	uint64_t started_ns;			/* CLOCK_MONOTONIC when serve started */
	uint64_t scrapes;
	const struct nl_http *http;
};

/* The nl_http_handler of `netlat serve`: /, /metrics, /healthz. arg is a struct nl_serve_web. */
struct nl_http_reply;
void nl_serve_handle(void *arg, const char *path, const char *accept, struct nl_http_reply *r);

/* The exposition a scraper's Accept header asks for. */
enum nl_expo_format { NL_EXPO_TEXT, NL_EXPO_OPENMETRICS, NL_EXPO_PROTOBUF };
enum nl_expo_format nl_serve_negotiate(const char *accept);

#endif
