// SPDX-License-Identifier: GPL-2.0
/*
 * tx metric, tracefs collector: the transmit ladder paired in user space by
 * skb address, with the rules of src/metrics/tx/tx.bpf.h: net_dev_queue starts a
 * new life at an address (net_dev_start_xmit does for an skb that skipped
 * it, e.g. a GSO segment made after the qdisc), a free ends it, an end
 * before its start is no interval.
 *
 * Not measured here: send_to_dev. TCP transmits a clone, so a send can only
 * be matched to its segment by the TCP sequence number, and net_dev_queue
 * carries no TCP header. A bulk dequeue shows only its first skb in
 * qdisc_dequeue (BPF follows skb->next), so under bulk dequeue this
 * collector pairs fewer qdisc intervals.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/tracefs/ladder_family.h"
#include "netlat/util.h"

#define TXT_TAB_BITS	17
#define TXT_MAX_AGE_NS	(10ULL * 1000 * 1000 * 1000)
#define TXT_QUEUE_MAX	(256 * 1024)

enum { E_QUEUE, E_ENQ, E_DEQ, E_START, E_XMIT, E_FREE };

static const char *const tx_stage_names[TX_NSTAGES] = TX_STAGE_NAMES;

struct tx_rec {
	struct tfs_ladder_rec l;	/* first: t_first, dev */
	uint64_t t_enq, t_start, t_xmit;
};
_Static_assert(sizeof(struct tx_rec) <= sizeof(((struct nl_skbtab_ent *)0)->data), "tx_rec fits");

struct tx_state {
	struct tfs_ladder l;		/* first: the state is the ladder */
};

static const struct tfs_row_layout tx_layout = TFS_LADDER_LAYOUT("tx");

static void stage_key(char *key, size_t len, const char *dev, uint64_t stage)
{
	snprintf(key, len, "stage=%s dev=%s", stage < TX_NSTAGES ? tx_stage_names[stage] : "?", dev);
}

static void put_stage(struct tx_state *s, unsigned int stage, const struct tx_rec *r, uint64_t t0, uint64_t t1)
{
	tfs_ladder_put(&s->l, stage, r->l.dev, t0, t1);
}

static struct tx_rec *rec_find(struct tx_state *s, uint64_t skb)
{
	return (struct tx_rec *)tfs_ladder_find(&s->l, skb);
}

/* A new life at this address, first seen on dev. */
static struct tx_rec *tx_begin(struct tx_state *s, const struct nl_evq_ev *ev)
{
	return (struct tx_rec *)tfs_ladder_begin(&s->l, ev);
}

static void on_start(struct tx_state *s, const struct nl_evq_ev *ev)
{
	struct tx_rec *r = rec_find(s, ev->skb);

	if (!r)
		r = tx_begin(s, ev);
	if (r)
		r->t_start = ev->ts;
}

static void on_xmit(struct tx_state *s, const struct nl_evq_ev *ev)
{
	struct tx_rec *r = rec_find(s, ev->skb);

	if (!r || !r->t_start || r->t_xmit || ev->aux != 0)	/* rc != NETDEV_TX_OK */
		return;
	put_stage(s, TX_DRIVER, r, r->t_start, ev->ts);
	r->t_xmit = ev->ts;
}

static void on_free(struct tx_state *s, const struct nl_evq_ev *ev)
{
	struct tx_rec *r = rec_find(s, ev->skb);

	if (!r)
		return;
	if (r->t_xmit) {
		put_stage(s, TX_COMPLETION, r, r->t_xmit, ev->ts);
		put_stage(s, TX_TOTAL, r, r->l.t_first, ev->ts);
	}
	tfs_ladder_end(&s->l, ev->skb);
}

/* One event, in time order. */
static void tx_replay(void *arg, const struct nl_evq_ev *ev)
{
	struct tx_state *s = arg;
	struct tx_rec *r;

	tfs_ladder_seen(&s->l, ev);
	switch (ev->type) {
	case E_QUEUE:
		tx_begin(s, ev);
		break;
	case E_ENQ:
		r = rec_find(s, ev->skb);
		if (r)
			r->t_enq = ev->ts;
		break;
	case E_DEQ:
		r = rec_find(s, ev->skb);
		if (r && r->t_enq) {
			put_stage(s, TX_QDISC, r, r->t_enq, ev->ts);
			r->t_enq = 0;
		}
		break;
	case E_START:
		on_start(s, ev);
		break;
	case E_XMIT:
		on_xmit(s, ev);
		break;
	case E_FREE:
		on_free(s, ev);
		break;
	}
}

/* ---- event handlers: queue what the pairing needs ---- */

enum { F_SKB, F_2 };	/* skbaddr (the ladder reads it), then name / packets / rc */

static void ev_queue(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, E_QUEUE, data);

	tfs_str(ev->f[F_2], data, size, q->dev, sizeof(q->dev));
}

static void ev_start(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, E_START, data);

	tfs_str(ev->f[F_2], data, size, q->dev, sizeof(q->dev));
}

static void ev_enq(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	tfs_ladder_queue(ev, cpu, ts, E_ENQ, data);
}

/* qdisc_dequeue fires for empty dequeues too (packets 0, skbaddr 0). */
static void ev_deq(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	if ((int32_t)tfs_num(ev->f[F_2], data) <= 0 || !tfs_num(ev->f[F_SKB], data))
		return;
	tfs_ladder_queue(ev, cpu, ts, E_DEQ, data);
}

static void ev_xmit(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, E_XMIT, data);

	(void)size;
	q->aux = (uint64_t)(uint32_t)(int32_t)tfs_num(ev->f[F_2], data);
}

static void ev_free(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	tfs_ladder_queue(ev, cpu, ts, E_FREE, data);
}

/* ---- the family ---- */

static void tx_free(void *state)
{
	struct tx_state *s = state;

	if (!s)
		return;
	tfs_ladder_free(&s->l);
	free(s);
}

struct tx_tp {
	const char *system, *name, *second;
	tfs_handler fn;
};

static const struct tx_tp tx_tps[] = {
	{ "net", "net_dev_queue", "name", ev_queue },
	{ "qdisc", "qdisc_enqueue", NULL, ev_enq },
	{ "qdisc", "qdisc_dequeue", "packets", ev_deq },
	{ "net", "net_dev_start_xmit", "name", ev_start },
	{ "net", "net_dev_xmit", "rc", ev_xmit },
	{ "skb", "consume_skb", NULL, ev_free },
	{ "skb", "kfree_skb", NULL, ev_free },
};

static int tx_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	struct tx_state *s = nl_xcalloc(1, sizeof(*s));

	s->l.replay = tx_replay;
	s->l.stage_key = stage_key;
	if (tfs_ladder_init(&s->l, c, TXT_TAB_BITS, TXT_MAX_AGE_NS, TXT_QUEUE_MAX, why, whylen)) {
		tx_free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ARRAY_SIZE(tx_tps); i++) {
		const struct tx_tp *t = &tx_tps[i];
		const char *fields[] = { "skbaddr", t->second, NULL };

		if (!tfs_event_add(c, t->system, t->name, fields, t->fn, s, "", why, whylen)) {
			tx_free(s);
			return -ENOENT;
		}
	}
	*state = s;
	return 0;
}

static void tx_snapshot(void *state, struct nl_interval *iv)
{
	struct tx_state *s = state;

	tfs_ladder_snapshot(&s->l, &tx_layout, iv);
}

static const struct tfs_row_layout *const tx_layouts[] = { &tx_layout, NULL };

const struct tfs_family tfs_tx = {
	.metric = "tx",
	.arm = tx_arm,
	.snapshot = tx_snapshot,
	.free = tx_free,
	.layouts = tx_layouts,
};
