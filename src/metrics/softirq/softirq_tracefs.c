// SPDX-License-Identifier: GPL-2.0
/*
 * softirq metric from irq:softirq_raise/entry/exit, NET_TX (2) and NET_RX (3)
 * only (a kernel-side filter keeps the other vectors out of the buffer).
 * All three fire on the CPU that runs the softirq (raise_softirq marks the
 * local CPU pending), so per-CPU state in read order is enough.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "collect/tracefs/tracefs_int.h"
#include "softirq/softirq.h"

#define VEC_NET_TX	2
#define VEC_NET_RX	3
#define SIRQ_FILTER	"vec == 2 || vec == 3"

enum { F_VEC };
enum { C_ENTRIES, C_RAISES };
enum { H_DURATION, H_RAISE_DELAY };

struct sirq_vec {
	uint64_t first_raise_ts;	/* first raise since the last entry, 0 if none */
	uint64_t entry_ts;		/* 0 outside the handler */
	struct tfs_row *row;
};

struct sirq_state {
	int ncpus;
	struct sirq_vec *v;		/* ncpus * 2: NET_TX then NET_RX */
	struct tfs_rows rows;
};

static const struct tfs_row_layout sirq_layout = {
	.metric = "softirq",
	.ctr = NL_ROW_COUNTER_NAMES(SOFTIRQ_VAL),
	.ctr_unit = { "", "" },
	.hist = NL_ROW_HIST_NAMES(SOFTIRQ_VAL),
	.hist_unit = { "ns", "ns" },
};

static void sirq_key(char *key, size_t len, const char *name, uint64_t aux)
{
	(void)name;
	snprintf(key, len, "cpu=%u vec=%s", (unsigned int)(aux >> 1), (aux & 1) ? "NET_RX" : "NET_TX");
}

/* The per-CPU slot of vec, or NULL for a vector or CPU we do not track. */
static struct sirq_vec *sirq_slot(struct tfs_event *ev, int cpu, const void *data)
{
	struct sirq_state *s = ev->priv;
	unsigned int vec = (unsigned int)tfs_num(ev->f[F_VEC], data);
	struct sirq_vec *sv;
	uint64_t aux;

	if ((vec != VEC_NET_TX && vec != VEC_NET_RX) || cpu < 0 || cpu >= s->ncpus)
		return NULL;
	aux = (uint64_t)cpu << 1 | (vec == VEC_NET_RX);
	sv = &s->v[aux];
	if (!sv->row)
		sv->row = tfs_row_get(&s->rows, "", aux, sirq_key);
	sv->row->active = true;
	return sv;
}

static void on_raise(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct sirq_vec *sv = sirq_slot(ev, cpu, data);

	(void)size;
	if (!sv)
		return;
	sv->row->c[C_RAISES]++;
	if (!sv->first_raise_ts)
		sv->first_raise_ts = ts;
}

static void on_entry(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct sirq_vec *sv = sirq_slot(ev, cpu, data);

	(void)size;
	if (!sv)
		return;
	sv->row->c[C_ENTRIES]++;
	if (sv->first_raise_ts && ts >= sv->first_raise_ts)
		tfs_row_hist_add(sv->row, H_RAISE_DELAY, ts - sv->first_raise_ts);
	sv->first_raise_ts = 0;
	sv->entry_ts = ts;
}

static void on_exit_(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct sirq_vec *sv = sirq_slot(ev, cpu, data);

	(void)size;
	if (!sv)
		return;
	/* An exit without its entry (lost events, or tracing began mid-handler) is skipped. */
	if (sv->entry_ts && ts >= sv->entry_ts)
		tfs_row_hist_add(sv->row, H_DURATION, ts - sv->entry_ts);
	sv->entry_ts = 0;
}

static int sirq_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const fields[] = { "vec", NULL };
	static const struct {
		const char *name;
		tfs_handler fn;
	} evs[] = {
		{ "softirq_raise", on_raise },
		{ "softirq_entry", on_entry },
		{ "softirq_exit", on_exit_ },
	};
	struct sirq_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->ncpus = tfs_ncpus(c);
	s->v = calloc((size_t)s->ncpus * 2, sizeof(*s->v));
	if (!s->v) {
		free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		if (!tfs_event_add(c, "irq", evs[i].name, fields, evs[i].fn, s, SIRQ_FILTER, why, whylen)) {
			free(s->v);
			free(s);
			return -ENOENT;
		}
	}
	*state = s;
	return 0;
}

static void sirq_snapshot(void *state, struct nl_interval *iv)
{
	struct sirq_state *s = state;

	tfs_rows_emit(&s->rows, &sirq_layout, iv);
}

static void sirq_free(void *state)
{
	struct sirq_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->rows);
	free(s->v);
	free(s);
}

static const struct tfs_row_layout *const softirq_layouts[] = { &sirq_layout, NULL };

const struct tfs_family tfs_softirq = {
	.metric = "softirq",
	.arm = sirq_arm,
	.snapshot = sirq_snapshot,
	.free = sirq_free,
	.layouts = softirq_layouts,
};
