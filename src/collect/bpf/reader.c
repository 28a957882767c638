// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU row arrays -> interval deltas. The BPF side only ever adds, so a
 * row's value is cumulative since load: each snapshot sums the CPUs (or
 * keeps them apart for per-CPU rows), subtracts what the previous snapshot
 * saw, and remembers the new totals. Only rows in use are read: device
 * slots named so far, keyed rows taken so far, the fixed rows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "collector.h"
#include "percpu.h"
#include "netlat/util.h"

/* Totals of one row (one index, or one index and CPU) at the previous snapshot. */
struct nlb_row {
	uint64_t *counters;
	struct nl_hist *hists;
};

struct nlb_reader {
	const struct nlb_table *t;
	const struct nl_metric_desc *m;
	const struct nl_record_opts *opts;	/* the recording's, for t->row_has */
	int rows_fd, keys_fd, claims_fd, ncpu;
	const uint32_t *taken;		/* NLB_BY_KEY: the object's counter (mmapped .bss) */
	uint32_t nidx;			/* indices the rows map holds */
	size_t stride;			/* bytes per CPU in a per-CPU lookup */
	void *key, *vals;
	uint64_t *cur_counters;		/* scratch: this snapshot's totals of one row */
	struct nl_hist *cur_hists, *dhist;
	struct nlb_row *rows;		/* nidx (x ncpu for per-CPU rows), allocated on first activity */
};

/* The claims map beside the counter PFX_taken (rows.bpf.h: PFX_claims), or -1. */
static int claims_of(struct bpf_object *obj, const char *taken_var)
{
	char name[64];
	size_t n = strlen(taken_var);

	if (n < 6 || strcmp(taken_var + n - 6, "_taken") || n + 1 >= sizeof(name))
		return -1;
	snprintf(name, sizeof(name), "%.*s_claims", (int)(n - 6), taken_var);
	return bpf_object__find_map_fd_by_name(obj, name);
}

uint32_t nlb_taken(int claims_fd, uint32_t taken, uint32_t max)
{
	uint32_t one;

	while (claims_fd >= 0 && taken < max && !bpf_map_lookup_elem(claims_fd, &taken, &one))
		taken++;
	return taken;
}

/* The address of a .bss/.data variable of obj, mmapped after load; NULL if absent. */
static const uint32_t *global_var(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const struct btf *btf = bpf_object__btf(obj);
		const struct btf_type *sec;
		const struct btf_var_secinfo *vs;
		const char *sec_name;
		size_t size;
		char *base;
		int id;

		if (!bpf_map__is_internal(map) || !btf)
			continue;
		/* libbpf names internal maps "<object prefix>.bss"; the section is ".bss" */
		sec_name = strrchr(bpf_map__name(map), '.');
		base = (char *)bpf_map__initial_value(map, &size);
		id = sec_name ? btf__find_by_name_kind(btf, sec_name, BTF_KIND_DATASEC) : -1;
		if (!base || id <= 0)
			continue;
		sec = btf__type_by_id(btf, id);
		vs = btf_var_secinfos(sec);
		for (int i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);

			if (!strcmp(btf__name_by_offset(btf, var->name_off), name))
				return (const uint32_t *)(base + vs->offset);
		}
	}
	return NULL;
}

struct nlb_reader *nlb_reader_new(const struct nlb_table *t, const struct nl_metric_desc *m,
				  struct bpf_object *obj, int ncpu, const struct nl_record_opts *o)
{
	struct bpf_map *rows = bpf_object__find_map_by_name(obj, t->rows_map);
	struct nlb_reader *r;
	size_t nrows;

	if (!rows)
		return NULL;
	r = nl_xcalloc(1, sizeof(*r));
	r->t = t;
	r->m = m;
	r->opts = o;
	r->ncpu = ncpu;
	r->rows_fd = bpf_map__fd(rows);
	r->nidx = bpf_map__max_entries(rows);
	r->keys_fd = -1;
	if (t->index == NLB_BY_KEY) {
		r->keys_fd = bpf_object__find_map_fd_by_name(obj, t->keys_map);
		r->taken = global_var(obj, t->taken_var);
		r->claims_fd = claims_of(obj, t->taken_var);
		if (r->keys_fd < 0 || !r->taken) {
			free(r);
			return NULL;
		}
	}
	r->stride = (t->val_size + 7) & ~(size_t)7;
	r->key = nl_xcalloc(1, t->key_size ? t->key_size : 1);
	r->vals = nl_xcalloc((size_t)ncpu, r->stride);
	r->cur_counters = nl_xcalloc(t->ncounters + 1, sizeof(uint64_t));
	r->cur_hists = nl_xcalloc(t->nhists + 1, sizeof(struct nl_hist));
	r->dhist = nl_xcalloc(1, sizeof(struct nl_hist));
	nrows = (size_t)r->nidx * (t->per_cpu_rows ? (size_t)ncpu : 1);
	r->rows = nl_xcalloc(nrows, sizeof(*r->rows));
	return r;
}

void nlb_reader_free(struct nlb_reader *r)
{
	size_t nrows;

	if (!r)
		return;
	nrows = (size_t)r->nidx * (r->t->per_cpu_rows ? (size_t)r->ncpu : 1);
	for (size_t i = 0; i < nrows; i++) {
		free(r->rows[i].counters);
		free(r->rows[i].hists);
	}
	free(r->rows);
	free(r->key);
	free(r->vals);
	free(r->cur_counters);
	free(r->cur_hists);
	free(r->dhist);
	free(r);
}

/* Totals of CPUs [cpu0, cpu0 + ncpu) of the value just looked up, into cur_*. */
static void sum_cpus(struct nlb_reader *r, int cpu0, int ncpu)
{
	nl_percpu_sum((const char *)r->vals + (size_t)cpu0 * r->stride, ncpu, r->stride, r->t->ncounters,
		      r->cur_counters, r->t->nhists, r->cur_hists);
}

static const char *unit_of(const struct nlb_reader *r, const char *stat)
{
	const struct nl_stat_desc *s = nl_metric_stat(r->m, stat);

	return s ? s->unit : "";
}

/* Emit cur_* minus the row's previous totals into iv under key (if anything moved), then remember cur_*. */
static void emit_row(struct nlb_reader *r, struct nlb_row *row, const char *key, struct nl_interval *iv)
{
	const struct nlb_table *t = r->t;
	bool moved = false;

	if (!row->counters) {
		row->counters = nl_xcalloc(t->ncounters + 1, sizeof(uint64_t));
		row->hists = nl_xcalloc(t->nhists + 1, sizeof(struct nl_hist));
	}
	for (unsigned int i = 0; i < t->ncounters; i++)
		moved |= r->cur_counters[i] != row->counters[i];
	for (unsigned int h = 0; h < t->nhists; h++)
		moved |= r->cur_hists[h].count != row->hists[h].count;
	if (!moved)
		return;
	/* Every counter of an active row, zeros included (budget_exhausted 0 is an answer). */
	for (unsigned int i = 0; i < t->ncounters; i++) {
		uint64_t c = r->cur_counters[i], p = row->counters[i];

		if (!t->row_has || t->row_has(r->key, t->stats[i], r->opts))
			nl_iv_add_counter(iv, r->m->name, key, t->stats[i], unit_of(r, t->stats[i]),
					  c >= p ? c - p : 0);
		row->counters[i] = c;
	}
	for (unsigned int h = 0; h < t->nhists; h++) {
		const char *stat = t->stats[t->ncounters + h];

		nl_hist_delta(r->dhist, &r->cur_hists[h], &row->hists[h]);
		if (r->dhist->count && (!t->row_has || t->row_has(r->key, stat, r->opts)))
			nl_hist_merge(nl_iv_hist(iv, r->m->name, key, stat, unit_of(r, stat)), r->dhist);
		row->hists[h] = r->cur_hists[h];
	}
}

/* Row idx: one row summed over CPUs, or one row per CPU. */
static int read_row(struct nlb_reader *r, uint32_t idx, const struct nlb_devs *devs, struct nl_interval *iv)
{
	char kstr[NL_KEY_MAX];

	if (r->t->index == NLB_BY_KEY && bpf_map_lookup_elem(r->keys_fd, &idx, r->key))
		return -errno;
	if (bpf_map_lookup_elem(r->rows_fd, &idx, r->vals))
		return -errno;
	if (!r->t->per_cpu_rows) {
		sum_cpus(r, 0, r->ncpu);
		r->t->fmt_key(devs, r->key, idx, -1, kstr, sizeof(kstr));
		emit_row(r, &r->rows[idx], kstr, iv);
		return 0;
	}
	for (int cpu = 0; cpu < r->ncpu; cpu++) {
		sum_cpus(r, cpu, 1);
		r->t->fmt_key(devs, r->key, idx, cpu, kstr, sizeof(kstr));
		emit_row(r, &r->rows[(size_t)idx * r->ncpu + cpu], kstr, iv);
	}
	return 0;
}

/*
 * Is idx a row in use? Device rows: a slot named so far (a slot taken but not
 * yet named is read at a later snapshot, its counts kept until then); keyed
 * rows: an index taken so far (nlb_taken).
 */
static bool row_in_use(const struct nlb_reader *r, uint32_t idx, const struct nlb_devs *devs, uint32_t taken)
{
	switch (r->t->index) {
	case NLB_BY_DEV:
		return nlb_dev_named(devs, idx);
	case NLB_BY_STAGE_DEV:
		return idx / NL_BPF_MAX_DEVS < r->t->nfixed && nlb_dev_named(devs, idx % NL_BPF_MAX_DEVS);
	case NLB_BY_FIXED:
		return idx < r->t->nfixed;
	case NLB_BY_KEY:
		return idx < taken;
	}
	return false;
}

int nlb_reader_snapshot(struct nlb_reader *r, const struct nlb_devs *devs, struct nl_interval *iv)
{
	uint32_t taken = r->t->index == NLB_BY_KEY ? nlb_taken(r->claims_fd, *r->taken, r->nidx) : 0;

	for (uint32_t idx = 0; idx < r->nidx; idx++) {
		int err;

		if (!row_in_use(r, idx, devs, taken))
			continue;
		err = read_row(r, idx, devs, iv);
		if (err)
			return err;
	}
	return 0;
}
