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

#include "collect/tracefs/skb_table.h"
#include "netlat/util.h"
#include "collect/tracefs/tracefs_int.h"

#define TXT_TAB_BITS	17
#define TXT_MAX_AGE_NS	(10ULL * 1000 * 1000 * 1000)
#define TXT_QUEUE_MAX	(256 * 1024)

enum { E_QUEUE, E_ENQ, E_DEQ, E_START, E_XMIT, E_FREE };

static const char *const tx_stage_names[TX_NSTAGES] = TX_STAGE_NAMES;

struct tx_rec {
	uint64_t t_first, t_enq, t_start, t_xmit;
	char dev[TFS_NAME_MAX];
};
_Static_assert(sizeof(struct tx_rec) <= sizeof(((struct nl_skbtab_ent *)0)->data), "tx_rec fits");

struct tx_state {
	struct nl_skbtab tab;
	struct nl_evq q;
	char only_dev[16];
	struct tfs_rows rows;		/* name = device, aux = stage */
	uint64_t newest;
};

static const struct tfs_row_layout tx_layout = {
	.metric = "tx",
	.ctr = { "packets" },
	.ctr_unit = { "pkts" },
	.hist = { "latency" },
	.hist_unit = { "ns" },
};

static void stage_key(char *key, size_t len, const char *dev, uint64_t stage)
{
	snprintf(key, len, "stage=%s dev=%s", stage < TX_NSTAGES ? tx_stage_names[stage] : "?", dev);
}

static void put_stage(struct tx_state *s, unsigned int stage, const char *dev, uint64_t t0, uint64_t t1)
{
	tfs_stage_put(&s->rows, stage, dev, t0, t1, stage_key);
}

static struct tx_rec *rec_find(struct tx_state *s, uint64_t skb)
{
	struct nl_skbtab_ent *e = nl_skbtab_find(&s->tab, skb);

	return e ? (struct tx_rec *)e->data : NULL;
}

/* A new life at this address, first seen on dev. */
static struct tx_rec *tx_begin(struct tx_state *s, const struct nl_evq_ev *ev)
{
	struct nl_skbtab_ent *e;
	struct tx_rec *r;
	bool fresh;

	if (s->only_dev[0] && strcmp(ev->dev, s->only_dev))
		return NULL;
	e = nl_skbtab_get(&s->tab, ev->skb, ev->ts, &fresh);
	if (!e)
		return NULL;
	e->born = ev->ts;
	r = (struct tx_rec *)e->data;
	memset(r, 0, sizeof(*r));
	snprintf(r->dev, sizeof(r->dev), "%s", ev->dev[0] ? ev->dev : "(no_device)");
	r->t_first = ev->ts;
	return r;
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
	put_stage(s, TX_DRIVER, r->dev, r->t_start, ev->ts);
	r->t_xmit = ev->ts;
}

static void on_free(struct tx_state *s, const struct nl_evq_ev *ev)
{
	struct nl_skbtab_ent *e = nl_skbtab_find(&s->tab, ev->skb);
	struct tx_rec *r;

	if (!e)
		return;
	r = (struct tx_rec *)e->data;
	if (r->t_xmit) {
		put_stage(s, TX_COMPLETION, r->dev, r->t_xmit, ev->ts);
		put_stage(s, TX_TOTAL, r->dev, r->t_first, ev->ts);
	}
	nl_skbtab_del(&s->tab, e);
}

/* One event, in time order. */
static void tx_replay(void *arg, const struct nl_evq_ev *ev)
{
	struct tx_state *s = arg;
	struct tx_rec *r;

	if (ev->ts > s->newest)
		s->newest = ev->ts;
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
			put_stage(s, TX_QDISC, r->dev, r->t_enq, ev->ts);
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

enum { F_SKB, F_2 };	/* skbaddr, then name / packets / rc */

static struct nl_evq_ev *queue(struct tfs_event *ev, int cpu, uint64_t ts, uint16_t type,
			       const void *data)
{
	struct tx_state *s = ev->priv;
	struct nl_evq_ev *q = nl_evq_push(&s->q, ts, cpu, type, tx_replay, s);

	q->skb = tfs_num(ev->f[F_SKB], data);
	return q;
}

static void ev_queue(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = queue(ev, cpu, ts, E_QUEUE, data);

	tfs_str(ev->f[F_2], data, size, q->dev, sizeof(q->dev));
}

static void ev_start(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = queue(ev, cpu, ts, E_START, data);

	tfs_str(ev->f[F_2], data, size, q->dev, sizeof(q->dev));
}

static void ev_enq(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	queue(ev, cpu, ts, E_ENQ, data);
}

/* qdisc_dequeue fires for empty dequeues too (packets 0, skbaddr 0). */
static void ev_deq(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	if ((int32_t)tfs_num(ev->f[F_2], data) <= 0 || !tfs_num(ev->f[F_SKB], data))
		return;
	queue(ev, cpu, ts, E_DEQ, data);
}

static void ev_xmit(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = queue(ev, cpu, ts, E_XMIT, data);

	(void)size;
	q->aux = (uint64_t)(uint32_t)(int32_t)tfs_num(ev->f[F_2], data);
}

static void ev_free(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	queue(ev, cpu, ts, E_FREE, data);
}

/* ---- the family ---- */

static void tx_free(void *state)
{
	struct tx_state *s = state;

	if (!s)
		return;
	nl_skbtab_free(&s->tab);
	nl_evq_free(&s->q);
	tfs_rows_free(&s->rows);
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

	snprintf(s->only_dev, sizeof(s->only_dev), "%s", tfs_opts(c)->dev);
	if (nl_skbtab_init(&s->tab, TXT_TAB_BITS, TXT_MAX_AGE_NS) ||
	    nl_evq_init(&s->q, tfs_ncpus(c), TXT_QUEUE_MAX)) {
		tx_free(s);
		snprintf(why, whylen, "out of memory");
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

	nl_evq_replay(&s->q, false, tx_replay, s);
	nl_skbtab_age(&s->tab, s->newest);
	tfs_rows_emit(&s->rows, &tx_layout, iv);
}

const struct tfs_family tfs_tx = {
	.metric = "tx",
	.arm = tx_arm,
	.snapshot = tx_snapshot,
	.free = tx_free,
};
