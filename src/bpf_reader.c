// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU stats maps -> interval deltas. The BPF side only ever adds, so a
 * row's value is cumulative since load: each snapshot sums the CPUs (or
 * keeps them apart for per-CPU rows), subtracts what the previous snapshot
 * saw, and remembers the new totals. One map read per snapshot, no events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_collector.h"
#include "netlat/util.h"

/* Totals of one row at the previous snapshot. */
struct nlb_row {
	char key[NL_KEY_MAX];
	uint64_t *counters;
	struct nl_hist *hists;
};

struct nlb_reader {
	const struct nlb_family *f;
	const struct nl_metric_desc *m;
	int fd, ncpu;
	size_t stride;			/* bytes per CPU in a per-CPU lookup */
	void *key, *next, *vals;
	uint64_t *cur_counters;		/* scratch: this snapshot's totals of one row */
	struct nl_hist *cur_hists, *dhist;
	struct nlb_row *rows;
	size_t nrows, cap;
};

struct nlb_reader *nlb_reader_new(const struct nlb_family *f, const struct nl_metric_desc *m,
				  int map_fd, int ncpu)
{
	struct nlb_reader *r = nl_xcalloc(1, sizeof(*r));

	r->f = f;
	r->m = m;
	r->fd = map_fd;
	r->ncpu = ncpu;
	r->stride = (f->val_size + 7) & ~(size_t)7;
	r->key = nl_xcalloc(1, f->key_size);
	r->next = nl_xcalloc(1, f->key_size);
	r->vals = nl_xcalloc((size_t)ncpu, r->stride);
	r->cur_counters = nl_xcalloc(f->ncounters + 1, sizeof(uint64_t));
	r->cur_hists = nl_xcalloc(f->nhists + 1, sizeof(struct nl_hist));
	r->dhist = nl_xcalloc(1, sizeof(struct nl_hist));
	return r;
}

void nlb_reader_free(struct nlb_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		free(r->rows[i].counters);
		free(r->rows[i].hists);
	}
	free(r->rows);
	free(r->key);
	free(r->next);
	free(r->vals);
	free(r->cur_counters);
	free(r->cur_hists);
	free(r->dhist);
	free(r);
}

/* The previous totals of row key, zero the first time it is seen. */
static struct nlb_row *row_prev(struct nlb_reader *r, const char *key)
{
	struct nlb_row *row;

	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].key, key))
			return &r->rows[i];
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct nlb_row *n = realloc(r->rows, cap * sizeof(*n));

		if (!n)
			return NULL;
		r->rows = n;
		r->cap = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	snprintf(row->key, sizeof(row->key), "%s", key);
	row->counters = nl_xcalloc(r->f->ncounters + 1, sizeof(uint64_t));
	row->hists = nl_xcalloc(r->f->nhists + 1, sizeof(struct nl_hist));
	return row;
}

/* Totals of CPUs [cpu0, cpu0 + ncpu) of the value just looked up, into cur_*. */
static void sum_cpus(struct nlb_reader *r, int cpu0, int ncpu)
{
	const char *base = (const char *)r->vals + (size_t)cpu0 * r->stride;
	size_t hist_off = r->f->ncounters * sizeof(uint64_t);

	memset(r->cur_counters, 0, r->f->ncounters * sizeof(uint64_t));
	for (int c = 0; c < ncpu; c++) {
		const uint64_t *v = (const void *)(base + (size_t)c * r->stride);

		for (unsigned int i = 0; i < r->f->ncounters; i++)
			r->cur_counters[i] += v[i];
	}
	for (unsigned int h = 0; h < r->f->nhists; h++) {
		const void *first = base + hist_off + h * sizeof(struct nl_bpf_hist);

		nl_hist_from_bpf(&r->cur_hists[h], first, ncpu, r->stride);
	}
}

static const char *unit_of(const struct nlb_reader *r, const char *stat)
{
	const struct nl_stat_desc *s = nl_metric_stat(r->m, stat);

	return s ? s->unit : "";
}

/* Emit cur_* minus the row's previous totals into iv (if anything moved), then remember cur_*. */
static int emit_row(struct nlb_reader *r, const char *key, struct nl_interval *iv)
{
	const struct nlb_family *f = r->f;
	struct nlb_row *row = row_prev(r, key);
	bool moved = false;

	if (!row)
		return -ENOMEM;
	for (unsigned int i = 0; i < f->ncounters; i++)
		moved |= r->cur_counters[i] != row->counters[i];
	for (unsigned int h = 0; h < f->nhists; h++)
		moved |= r->cur_hists[h].count != row->hists[h].count;
	if (!moved)
		return 0;
	/* Every counter of an active row, zeros included (budget_exhausted 0 is an answer). */
	for (unsigned int i = 0; i < f->ncounters; i++) {
		uint64_t c = r->cur_counters[i], p = row->counters[i];

		/* r->key is the map key being read (read_key's caller keeps it there) */
		if (!f->row_has || f->row_has(r->key, i))
			nl_iv_add_counter(iv, r->m->name, key, f->stats[i], unit_of(r, f->stats[i]),
					  c >= p ? c - p : 0);
		row->counters[i] = c;
	}
	for (unsigned int h = 0; h < f->nhists; h++) {
		const char *stat = f->stats[f->ncounters + h];

		nl_hist_delta(r->dhist, &r->cur_hists[h], &row->hists[h]);
		if (r->dhist->count)
			nl_hist_merge(nl_iv_hist(iv, r->m->name, key, stat, unit_of(r, stat)), r->dhist);
		row->hists[h] = r->cur_hists[h];
	}
	return 0;
}

/* One map key: either one row summed over CPUs, or one row per CPU. */
static int read_key(struct nlb_reader *r, const void *key, struct nl_interval *iv)
{
	char kstr[NL_KEY_MAX];
	int err;

	if (bpf_map_lookup_elem(r->fd, key, r->vals))
		return errno == ENOENT ? 0 : -errno;	/* a row can vanish between get_next_key and lookup */
	if (!r->f->per_cpu_rows) {
		sum_cpus(r, 0, r->ncpu);
		r->f->fmt_key(key, -1, kstr, sizeof(kstr));
		return emit_row(r, kstr, iv);
	}
	for (int cpu = 0; cpu < r->ncpu; cpu++) {
		sum_cpus(r, cpu, 1);
		r->f->fmt_key(key, cpu, kstr, sizeof(kstr));
		err = emit_row(r, kstr, iv);
		if (err)
			return err;
	}
	return 0;
}

int nlb_reader_snapshot(struct nlb_reader *r, struct nl_interval *iv)
{
	const void *prev = NULL;
	int err;

	while (bpf_map_get_next_key(r->fd, prev, r->next) == 0) {
		memcpy(r->key, r->next, r->f->key_size);
		prev = r->key;
		err = read_key(r, r->key, iv);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}
