// SPDX-License-Identifier: GPL-2.0
/*
 * The tracefs ladder families' two helpers: a table of per-skb records
 * keyed by skb address (open addressing, backward-shift deletion, so probe
 * chains stay short without tombstones), and a queue that puts the events
 * of all CPUs back in time order before the pairing sees them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "skb_table.h"
#include "netlat/util.h"

/* ---- skb table ---- */

int nl_skbtab_init(struct nl_skbtab *t, unsigned int bits, uint64_t max_age_ns)
{
	memset(t, 0, sizeof(*t));
	t->nslots = (size_t)1 << bits;
	t->slot = calloc(t->nslots, sizeof(*t->slot));
	t->max_age_ns = max_age_ns;
	return t->slot ? 0 : -ENOMEM;
}

void nl_skbtab_free(struct nl_skbtab *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static size_t home_of(const struct nl_skbtab *t, uint64_t skb)
{
	/* slab addresses share their low bits: mix before masking */
	return (size_t)((skb * 0x9e3779b97f4a7c15ULL) >> 32) & (t->nslots - 1);
}

struct nl_skbtab_ent *nl_skbtab_find(struct nl_skbtab *t, uint64_t skb)
{
	size_t mask = t->nslots - 1;

	if (!skb)
		return NULL;
	for (size_t i = home_of(t, skb);; i = (i + 1) & mask) {
		if (!t->slot[i].skb)
			return NULL;
		if (t->slot[i].skb == skb)
			return &t->slot[i];
	}
}

void nl_skbtab_del(struct nl_skbtab *t, struct nl_skbtab_ent *e)
{
	size_t mask = t->nslots - 1, hole = (size_t)(e - t->slot);

	for (size_t i = (hole + 1) & mask; t->slot[i].skb; i = (i + 1) & mask) {
		size_t home = home_of(t, t->slot[i].skb);

		/* slot i may move into the hole unless its home lies cyclically in (hole, i] */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			t->slot[hole] = t->slot[i];
			hole = i;
		}
	}
	t->slot[hole].skb = 0;
	t->live--;
}

void nl_skbtab_age(struct nl_skbtab *t, uint64_t now)
{
	for (size_t i = 0; i < t->nslots;) {
		struct nl_skbtab_ent *e = &t->slot[i];

		if (e->skb && e->born + t->max_age_ns < now) {
			nl_skbtab_del(t, e);
			continue;	/* the shift may have moved another record into slot i */
		}
		i++;
	}
}

struct nl_skbtab_ent *nl_skbtab_get(struct nl_skbtab *t, uint64_t skb, uint64_t now, bool *fresh)
{
	struct nl_skbtab_ent *e = nl_skbtab_find(t, skb);
	size_t i, mask = t->nslots - 1;

	*fresh = false;
	if (e || !skb)
		return e;
	if (t->live >= t->nslots / 2) {
		nl_skbtab_age(t, now);
		if (t->live >= t->nslots / 2)
			return NULL;
	}
	for (i = home_of(t, skb); t->slot[i].skb; i = (i + 1) & mask)
		;
	e = &t->slot[i];
	memset(e, 0, sizeof(*e));
	e->skb = skb;
	e->born = now;
	t->live++;
	*fresh = true;
	return e;
}

/* ---- event queue ---- */

int nl_evq_init(struct nl_evq *q, int ncpus, size_t max)
{
	memset(q, 0, sizeof(*q));
	q->max = max;
	q->ncpus = ncpus > 0 ? ncpus : 1;
	q->cpu_last = calloc((size_t)q->ncpus, sizeof(*q->cpu_last));
	return q->cpu_last ? 0 : -ENOMEM;
}

void nl_evq_free(struct nl_evq *q)
{
	free(q->v);
	free(q->cpu_last);
	memset(q, 0, sizeof(*q));
}

static int ev_cmp(const void *a, const void *b)
{
	const struct nl_evq_ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The newest time every CPU that has spoken is known to have passed. */
static uint64_t horizon(const struct nl_evq *q)
{
	uint64_t h = UINT64_MAX;

	for (int c = 0; c < q->ncpus; c++)
		if (q->cpu_last[c] && q->cpu_last[c] < h)
			h = q->cpu_last[c];
	return h;
}

void nl_evq_replay(struct nl_evq *q, bool partial, void (*fn)(void *arg, const struct nl_evq_ev *ev),
		   void *arg)
{
	uint64_t h = partial ? horizon(q) : UINT64_MAX;
	size_t i;

	if (!q->n)
		return;
	qsort(q->v, q->n, sizeof(*q->v), ev_cmp);
	for (i = 0; i < q->n && q->v[i].ts <= h; i++)
		fn(arg, &q->v[i]);
	/* An idle CPU holds the horizon back: rather than stall, take everything. */
	if (partial && i < q->n / 2) {
		for (; i < q->n; i++)
			fn(arg, &q->v[i]);
	}
	memmove(q->v, q->v + i, (q->n - i) * sizeof(*q->v));
	q->n -= i;
}

struct nl_evq_ev *nl_evq_push(struct nl_evq *q, uint64_t ts, int cpu, uint16_t type,
			      void (*fn)(void *arg, const struct nl_evq_ev *ev), void *arg)
{
	struct nl_evq_ev *ev;

	if (q->n >= q->max)
		nl_evq_replay(q, true, fn, arg);
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 4096;
		struct nl_evq_ev *v = realloc(q->v, cap * sizeof(*v));

		if (!v) {
			nl_err("out of memory");
			abort();
		}
		q->v = v;
		q->cap = cap;
	}
	ev = &q->v[q->n++];
	memset(ev, 0, sizeof(*ev));
	ev->ts = ts;
	ev->cpu = (int16_t)cpu;
	ev->type = type;
	ev->seq = q->seq++;
	if (cpu >= 0 && cpu < q->ncpus && ts > q->cpu_last[cpu])
		q->cpu_last[cpu] = ts;
	return ev;
}
