// SPDX-License-Identifier: GPL-2.0
/* The rx and tx tracefs families' common ground: see ladder_family.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "collect/tracefs/ladder_family.h"

_Static_assert(sizeof(struct tfs_ladder_rec) <= sizeof(((struct nl_skbtab_ent *)0)->data),
	       "a ladder record fits an skb table entry");

int tfs_ladder_init(struct tfs_ladder *l, struct tfs_ctx *c, unsigned int tab_bits, uint64_t max_age_ns,
		    size_t queue_max, char *why, size_t whylen)
{
	snprintf(l->only_dev, sizeof(l->only_dev), "%s", tfs_opts(c)->dev);
	if (nl_skbtab_init(&l->tab, tab_bits, max_age_ns) || nl_evq_init(&l->q, tfs_ncpus(c), queue_max)) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void tfs_ladder_free(struct tfs_ladder *l)
{
	nl_skbtab_free(&l->tab);
	nl_evq_free(&l->q);
	tfs_rows_free(&l->rows);
}

struct nl_evq_ev *tfs_ladder_queue(struct tfs_event *ev, int cpu, uint64_t ts, uint16_t type,
				   const void *data)
{
	struct tfs_ladder *l = ev->priv;
	struct nl_evq_ev *q = nl_evq_push(&l->q, ts, cpu, type, l->replay, l);

	q->skb = tfs_num(ev->f[0], data);
	return q;
}

void tfs_ladder_seen(struct tfs_ladder *l, const struct nl_evq_ev *ev)
{
	if (ev->ts > l->newest)
		l->newest = ev->ts;
}

struct tfs_ladder_rec *tfs_ladder_begin(struct tfs_ladder *l, const struct nl_evq_ev *ev)
{
	struct nl_skbtab_ent *e;
	struct tfs_ladder_rec *r;
	bool fresh;

	if (l->only_dev[0] && strcmp(ev->dev, l->only_dev))
		return NULL;
	e = nl_skbtab_get(&l->tab, ev->skb, ev->ts, &fresh);
	if (!e)
		return NULL;
	/* an address seen before starts over: nothing of the old life carries */
	e->born = ev->ts;
	memset(e->data, 0, sizeof(e->data));
	r = (struct tfs_ladder_rec *)e->data;
	snprintf(r->dev, sizeof(r->dev), "%s", ev->dev[0] ? ev->dev : "(no_device)");
	r->t_first = ev->ts;
	return r;
}

struct tfs_ladder_rec *tfs_ladder_find(struct tfs_ladder *l, uint64_t skb)
{
	struct nl_skbtab_ent *e = nl_skbtab_find(&l->tab, skb);

	return e ? (struct tfs_ladder_rec *)e->data : NULL;
}

void tfs_ladder_end(struct tfs_ladder *l, uint64_t skb)
{
	struct nl_skbtab_ent *e = nl_skbtab_find(&l->tab, skb);

	if (e)
		nl_skbtab_del(&l->tab, e);
}

void tfs_ladder_put(struct tfs_ladder *l, unsigned int stage, const char *dev, uint64_t t0, uint64_t t1)
{
	tfs_stage_put(&l->rows, stage, dev, t0, t1, l->stage_key);
}

void tfs_ladder_snapshot(struct tfs_ladder *l, const struct tfs_row_layout *lay, struct nl_interval *iv)
{
	nl_evq_replay(&l->q, false, l->replay, l);
	nl_skbtab_age(&l->tab, l->newest);
	tfs_rows_emit(&l->rows, lay, iv);
}
