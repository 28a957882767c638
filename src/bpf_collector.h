/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the BPF collector (collector_bpf.c, bpf_families.c,
 * bpf_reader.c). A "family" is one metric's BPF skeleton plus the layout of
 * its stats map, so one generic reader turns any of them into interval
 * deltas and one generic loader arms any of them as tp_btf or raw_tp.
 */
#ifndef NETLAT_BPF_COLLECTOR_H
#define NETLAT_BPF_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "netlat/metric.h"
#include "netlat/recording.h"
#include "bpf/common.h"

/* One opened (maybe loaded) skeleton of a family. */
struct nlb_skel {
	void *skel;
	struct bpf_object *obj;
	struct nl_bpf_filter *filter;	/* .rodata, writable until load */
	volatile uint32_t *enabled;	/* .bss, mmapped once loaded */
};

/*
 * Stats map values are ncounters u64 counters followed by nhists
 * struct nl_bpf_hist; stats[] names them in that order (names from the
 * metric table in src/metrics.c).
 */
struct nlb_family {
	const char *metric;
	int (*open)(struct nlb_skel *s);	/* open, not loaded; -errno */
	int (*load)(struct nlb_skel *s);
	void (*destroy)(struct nlb_skel *s);
	const char *stats_map;
	size_t key_size, val_size;
	unsigned int ncounters, nhists;
	const char *const *stats;
	/* Rows are (map key, CPU) rather than map key summed over CPUs (softirq). */
	bool per_cpu_rows;
	/* Row key string ("dev=lo"); cpu is -1 unless per_cpu_rows. */
	void (*fmt_key)(const void *key, int cpu, char *out, size_t len);
	/*
	 * For maps holding several row shapes (tcp: side, netns, flow rows):
	 * does a row with this key carry stats[i]? NULL: every row has all.
	 */
	bool (*row_has)(const void *key, unsigned int i);
};

const struct nlb_family *nlb_family_find(const char *metric);

/* Turns a family's cumulative per-CPU stats map into per-interval deltas. */
struct nlb_reader;
struct nlb_reader *nlb_reader_new(const struct nlb_family *f, const struct nl_metric_desc *m,
				  int map_fd, int ncpu);
void nlb_reader_free(struct nlb_reader *r);
/* Add what changed since the previous call to iv (rows without activity are left out). */
int nlb_reader_snapshot(struct nlb_reader *r, struct nl_interval *iv);

/*
 * Softirq runs /proc/softirqs counted and the softirq program did not: BPF
 * runs the kernel skipped without counting them (bpf_unseen.c). Start once
 * the programs count; NULL when /proc/softirqs cannot be read.
 */
struct nlb_unseen;
struct nl_record_opts;
struct nlb_unseen *nlb_unseen_start(int softirq_map_fd, int ncpu, const struct nl_record_opts *o);
/* Add each CPU's runs unseen since the previous call to lost_per_cpu[cpu]. */
int nlb_unseen_snapshot(struct nlb_unseen *u, uint64_t *lost_per_cpu);
void nlb_unseen_free(struct nlb_unseen *u);

#endif
