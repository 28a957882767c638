/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the BPF collector (collector.c, tables.c, reader.c,
 * unseen.c) and the metrics' <name>_tables.c. Every row the one BPF object keeps is an index into a per-CPU
 * array; a "table" says how to read one such array back: which map, how
 * its index is made (a device slot, stage x device slot, a fixed row, or
 * a keyed row whose key sits in a side array), its value layout (counters,
 * then histograms), the statistic names, and how a row's key is spelt.
 */
#ifndef NETLAT_BPF_COLLECTOR_H
#define NETLAT_BPF_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "netlat/collector.h"
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "common.h"
#include "row_value.h"

/* The device slots the object has named so far (nl_devs, read once per snapshot). */
struct nlb_devs {
	struct nl_bpf_dev dev[NL_BPF_MAX_DEVS];
	uint32_t n;
};

/*
 * How many indices are taken: the object's counter, then on past every index
 * its claims map holds. Programs bump the counter without atomics (rows.bpf.h
 * nl_claim), so a CPU's late store can move it back below an index another
 * CPU claimed, whose rows would then never be read; the claims are inserted
 * once each and in order from the counter, so they run on without a gap.
 */
uint32_t nlb_taken(int claims_fd, uint32_t taken, uint32_t max);

/* Is slot's name written (slot 0, no device, always is)? A device's ifindex is never 0. */
static inline bool nlb_dev_named(const struct nlb_devs *d, uint32_t slot)
{
	return slot == 0 || (slot < d->n && d->dev[slot].ifindex != 0);
}

enum nlb_index {
	NLB_BY_DEV,		/* row = device slot */
	NLB_BY_STAGE_DEV,	/* row = stage * NL_BPF_MAX_DEVS + device slot */
	NLB_BY_FIXED,		/* rows 0 .. nfixed - 1 */
	NLB_BY_KEY,		/* row = index into keys_map, taken_var of them in use */
};

struct nlb_table {
	const char *metric;
	const char *rows_map;		/* BPF_MAP_TYPE_PERCPU_ARRAY */
	enum nlb_index index;
	unsigned int nfixed;		/* NLB_BY_FIXED: rows; NLB_BY_STAGE_DEV: stages */
	const char *keys_map;		/* NLB_BY_KEY: index -> key */
	const char *taken_var;		/* NLB_BY_KEY: the .bss counter of indices taken */
	size_t key_size;		/* NLB_BY_KEY */
	size_t val_size;
	unsigned int ncounters, nhists;
	const char *const *stats;	/* ncounters + nhists names, in value order */
	bool per_cpu_rows;		/* rows are (index, CPU), not index summed over CPUs */
	/* Row key string ("dev=lo"); key is the keys_map entry (NLB_BY_KEY), cpu -1 unless per_cpu_rows. */
	void (*fmt_key)(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len);
	/* Does a row with this key carry the statistic named stat in this recording? NULL: every row has all. */
	bool (*row_has)(const void *key, const char *stat, const struct nl_record_opts *o);
};

/*
 * A row value written as a list (row_value.h): the reader's counts of its
 * counters and histograms, and a check that the struct has no padding the
 * reader would not skip.
 */
#define NLB_ROW_COUNTS(LIST)	.ncounters = NL_ROW_NCOUNTERS(LIST), .nhists = NL_ROW_NHISTS(LIST)
#define NLB_LAYOUT_OK(type, LIST)									\
	_Static_assert(sizeof(type) == NL_ROW_NCOUNTERS(LIST) * 8 + NL_ROW_NHISTS(LIST) * sizeof(struct nl_bpf_hist), \
		       #type " is not its list's counters then histograms")
/* A table of per-device rows; a table of keyed rows (NL_KEYED_ROWS(pfx, ...) in the metric's .bpf.h). */
#define NLB_DEV_TABLE(m, map, type, LIST, names)					\
	{ .metric = m, .rows_map = map, .index = NLB_BY_DEV, .val_size = sizeof(type),	\
	  NLB_ROW_COUNTS(LIST), .stats = names, .fmt_key = nlb_dev_key }
#define NLB_KEYED_TABLE(m, map, pfx, ktype, type, LIST, names, fmt)			\
	{ .metric = m, .rows_map = map, .index = NLB_BY_KEY, .keys_map = pfx "_keys",	\
	  .taken_var = pfx "_taken", .key_size = sizeof(ktype), .val_size = sizeof(type),	\
	  NLB_ROW_COUNTS(LIST), .stats = names, .fmt_key = fmt }

/* Row key parts the metrics' tables share (tables.c): "dev=eth0", " netns=N", both, "stage=S dev=eth0". */
void nlb_put_dev(char *out, size_t len, const struct nlb_devs *d, uint32_t slot);
void nlb_put_netns(char *out, size_t len, const struct nlb_devs *d, uint32_t slot);
void nlb_dev_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len);
void nlb_stage_key(char *out, size_t len, const char *const *names, unsigned int nstages, const struct nlb_devs *d,
		   uint32_t idx);

/* The tables of metric (NULL-terminated list), or NULL when BPF cannot measure it. */
const struct nlb_table *const *nlb_tables_of(const char *metric);
/* Each BPF metric's tables (src/metrics/metrics.def), NULL-terminated: nlb_tables_<name>. */
#define NL_METRIC(name, bpf, tracefs) NL_TABLES_DECL_##bpf(name)
#define NL_TABLES_DECL_BPF(name) extern const struct nlb_table *const nlb_tables_##name[];
#define NL_TABLES_DECL_NO_BPF(name)
#include "metrics.def"
#undef NL_TABLES_DECL_NO_BPF
#undef NL_TABLES_DECL_BPF
#undef NL_METRIC
/* Does metric have BPF tables? */
bool nlb_metric_known(const char *metric);

/* Turns one table's cumulative per-CPU rows into per-interval deltas. */
struct nlb_reader;
struct nlb_reader *nlb_reader_new(const struct nlb_table *t, const struct nl_metric_desc *m,
				  struct bpf_object *obj, int ncpu, const struct nl_record_opts *o);
void nlb_reader_free(struct nlb_reader *r);
/* Add what changed since the previous call to iv (rows without activity are left out). */
int nlb_reader_snapshot(struct nlb_reader *r, const struct nlb_devs *devs, struct nl_interval *iv);

/*
 * Softirq runs /proc/softirqs counted and the softirq program did not: BPF
 * runs the kernel skipped without counting them (unseen.c). Start once
 * the programs count; NULL when /proc/softirqs cannot be read.
 */
struct nlb_unseen;
struct nlb_unseen *nlb_unseen_start(int softirq_map_fd, int ncpu, const struct nl_record_opts *o);
/* Add each CPU's runs unseen since the previous call to lost_per_cpu[cpu]. */
int nlb_unseen_snapshot(struct nlb_unseen *u, uint64_t *lost_per_cpu);
void nlb_unseen_free(struct nlb_unseen *u);

/* Clock offsets for the rx ages (rx_clock.c). */
int64_t nlb_tai_minus_real(void);
int64_t nlb_real_minus_mono(void);

#endif
