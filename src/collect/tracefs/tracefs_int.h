/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the tracefs collector: the collector core (collector_tracefs.c)
 * reads raw ring-buffer pages and dispatches each record to the handler its
 * metric family (src/metrics/<metric>/<metric>_tracefs.c) registered for that event id. Fields are
 * looked up once at arm time; the hot path reads them by cached offset.
 */
#ifndef NETLAT_TFS_H
#define NETLAT_TFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlat/collector.h"
#include "netlat/recording.h"

struct tep_event;
struct tep_format_field;
struct tfs_ctx;

#define TFS_MAX_FIELDS	10
#define TFS_NAME_MAX	24	/* device names (IFNAMSIZ 16) and "ifindex=N" fallbacks */

struct tfs_event;
/* One record of ev on cpu at ts (CLOCK_MONOTONIC ns); data/size are the raw event. */
typedef void (*tfs_handler)(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size);

struct tfs_event {
	char system[16];
	char name[40];
	int id;
	tfs_handler fn;
	void *priv;					/* the family's state */
	struct tep_format_field *f[TFS_MAX_FIELDS];	/* in the order the family asked */
	char filter[256];				/* "" for none */
};

/* A metric family of the tracefs collector. */
struct tfs_row_layout;

struct tfs_family {
	const char *metric;
	/* Register events (tfs_event_add) and allocate state; <0 and why on failure. */
	int (*arm)(struct tfs_ctx *c, void **state, char *why, size_t whylen);
	/* Add what was counted since the last call to iv, then forget it. */
	void (*snapshot)(void *state, struct nl_interval *iv);
	/* Optional: how the family records when it is not the plain "tracepoint" path. */
	const char *(*detail)(void *state);
	void (*free)(void *state);
	/*
	 * Every statistic the family can emit, for the unit test that holds
	 * them to the metric's descriptor: its row layouts (NULL-terminated)
	 * and the names it passes to nl_iv_* itself (NULL-terminated, may be NULL).
	 */
	const struct tfs_row_layout *const *layouts;
	const char *const *direct_stats;
};

/* Each tracefs metric's family (src/metrics/metrics.def): tfs_<name>, in <name>_tracefs.c. */
#define NL_METRIC(name, bpf, tracefs) NL_FAMILY_DECL_##tracefs(name)
#define NL_FAMILY_DECL_TRACEFS(name) extern const struct tfs_family tfs_##name;
#define NL_FAMILY_DECL_NO_TRACEFS(name)
#include "metrics.def"
#undef NL_FAMILY_DECL_NO_TRACEFS
#undef NL_FAMILY_DECL_TRACEFS
#undef NL_METRIC

/* What the families may ask of the core. */
const struct nl_record_opts *tfs_opts(const struct tfs_ctx *c);
int tfs_ncpus(const struct tfs_ctx *c);
bool tfs_event_exists(struct tfs_ctx *c, const char *system, const char *name);
/* Does the tracefs collector implement metric (features.c asks, for netlat probe)? */
bool tfs_has_family(const char *metric);
/* Every family the collector has, and how many. */
const struct tfs_family *const *tfs_family_list(size_t *n);
/*
 * Register a handler for system:name, caching the NULL-terminated fields.
 * Returns the event, or NULL with why ("tracepoint net:foo not found").
 */
struct tfs_event *tfs_event_add(struct tfs_ctx *c, const char *system, const char *name,
				const char *const *fields, tfs_handler fn, void *priv,
				const char *filter, char *why, size_t whylen);
/* "field == \"DEV\"" when --dev was given, else "" (for events that carry a name). */
void tfs_dev_filter(const struct tfs_ctx *c, const char *field, char *out, size_t len);

/* Field readers for the hot path. */
uint64_t tfs_num(const struct tep_format_field *f, const void *data);
/* Copy a __data_loc/__rel_loc or fixed char[] string into out; "" if out of bounds. */
const char *tfs_str(const struct tep_format_field *f, const void *data, int size,
		    char *out, size_t outlen);

/*
 * Rows: one per device (or cpu/vec) with a few counters and histograms, looked
 * up by (name, aux) without formatting the key on the hot path. Row pointers
 * stay valid until tfs_rows_free.
 */
#define TFS_ROW_CTRS	4
#define TFS_ROW_HISTS	2

struct tfs_row {
	char name[TFS_NAME_MAX];
	uint64_t aux;
	char key[NL_KEY_MAX];
	bool active;			/* touched since the last snapshot */
	uint64_t c[TFS_ROW_CTRS];
	struct nl_hist *h[TFS_ROW_HISTS];
};

struct tfs_rows {
	struct tfs_row **v;
	size_t n, cap;
	size_t last;			/* most recent hit: packets come in runs */
};

/* Stat names for the counters and histograms of a row (NULL where unused). */
struct tfs_row_layout {
	const char *metric;
	const char *ctr[TFS_ROW_CTRS];
	const char *ctr_unit[TFS_ROW_CTRS];
	const char *hist[TFS_ROW_HISTS];
	const char *hist_unit[TFS_ROW_HISTS];
};

/* Find or create the row; key is formatted by fmt_key only on creation. */
struct tfs_row *tfs_row_get(struct tfs_rows *r, const char *name, uint64_t aux,
			    void (*fmt_key)(char *key, size_t len, const char *name, uint64_t aux));
void tfs_row_hist_add(struct tfs_row *row, int idx, uint64_t v);
/*
 * A ladder stage (rx, tx): one interval t0 -> t1 of a packet at stage on
 * dev, counted in counter 0 and histogram 0 of its row. An unset start (0)
 * or an end before the start (a reused skb address) is no interval.
 */
void tfs_stage_put(struct tfs_rows *r, unsigned int stage, const char *dev, uint64_t t0, uint64_t t1,
		   void (*fmt_key)(char *key, size_t len, const char *name, uint64_t aux));
/* Emit every active row (all counters, non-empty histograms) and reset it. */
void tfs_rows_emit(struct tfs_rows *r, const struct tfs_row_layout *lay, struct nl_interval *iv);
void tfs_rows_free(struct tfs_rows *r);
/* "dev=NAME": the key of per-device rows. */
void tfs_key_dev(char *key, size_t len, const char *name, uint64_t aux);

/* The state of a family whose rows are one table of one layout (napi, gso, sknet): its snapshot and free. */
struct tfs_table_state {
	struct tfs_rows rows;
	const struct tfs_row_layout *layout;
};
struct tfs_table_state *tfs_table_state_new(const struct tfs_row_layout *layout);	/* NULL: no memory */
void tfs_table_state_snapshot(void *state, struct nl_interval *iv);
void tfs_table_state_free(void *state);

#endif
