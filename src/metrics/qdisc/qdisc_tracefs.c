// SPDX-License-Identifier: GPL-2.0
/*
 * qdisc metric: qdisc:qdisc_enqueue -> qdisc:qdisc_dequeue of the same skb
 * (paired by skbaddr, which the raw ring buffer holds unhashed), per device
 * and root qdisc handle.
 *
 * The qdisc events carry only an ifindex, which is not unique across
 * network namespaces, so the device name comes from net:net_dev_queue:
 * __dev_queue_xmit fires it for the same skb on the same CPU just before
 * the root qdisc's enqueue. Dequeues without a matching enqueue borrow the
 * name last seen for their Qdisc pointer, else print "ifindex=N".
 *
 * CPUs are drained one after the other, so a dequeue on one CPU can be read
 * before its enqueue on another: such early dequeues wait in the table too,
 * and an enqueue with an earlier timestamp completes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/util.h"
#include "collect/tracefs/tracefs_int.h"
#include "qdisc/qdisc.h"

#define Q_SLOTS_BITS	16
#define Q_SLOTS		(1u << Q_SLOTS_BITS)
#define Q_MAX_LIVE	(Q_SLOTS / 2)			/* keep probe chains short */
#define Q_ENQ_AGE_NS	(10ULL * 1000 * 1000 * 1000)	/* never dequeued: dropped or lost */
#define Q_DEQ_AGE_NS	(1ULL * 1000 * 1000 * 1000)	/* far beyond one drain's cross-CPU skew */
#define Q_NAMES		64

enum { C_PACKETS, C_UNPAIRED };
enum { H_SOJOURN };
enum { Q_FREE, Q_ENQ, Q_DEQ };

struct q_entry {
	uint64_t skb;
	uint64_t ts;
	uint64_t qdisc;
	uint32_t handle;
	uint8_t type;
	char dev[TFS_NAME_MAX];
};

struct q_last_queue {		/* per CPU: the last net:net_dev_queue */
	uint64_t skb;
	char dev[TFS_NAME_MAX];
};

struct q_name {			/* Qdisc pointer -> device name, for unpaired dequeues */
	uint64_t qdisc;
	char dev[TFS_NAME_MAX];
};

struct qdisc_state {
	struct q_entry *tab;
	size_t live;
	uint64_t newest_ts;
	int ncpus;
	struct q_last_queue *lastq;
	struct q_name names[Q_NAMES];
	unsigned int next_name;
	char only_dev[16];	/* --dev, applied here: the qdisc events have no name to filter on */
	struct tfs_rows rows;
};

enum { FQ_QDISC, FQ_SKB, FQ_IFINDEX, FQ_HANDLE };
enum { FD_QDISC, FD_SKB, FD_IFINDEX, FD_HANDLE, FD_PACKETS };
enum { FN_SKB, FN_NAME };

static const struct tfs_row_layout qdisc_layout = {
	.metric = "qdisc",
	.ctr = NL_ROW_COUNTER_NAMES(QDISC_VAL),
	.ctr_unit = { "pkts", "" },
	.hist = NL_ROW_HIST_NAMES(QDISC_VAL),
	.hist_unit = { "ns" },
};

/* tc prints "1:" for a minor of 0 and "1:a" otherwise. */
static void qdisc_key(char *key, size_t len, const char *dev, uint64_t handle)
{
	uint32_t h = (uint32_t)handle;

	if (h & 0xffff)
		snprintf(key, len, "dev=%s handle=%x:%x", dev, h >> 16, h & 0xffff);
	else
		snprintf(key, len, "dev=%s handle=%x:", dev, h >> 16);
}

static struct tfs_row *q_row(struct qdisc_state *s, const char *dev, uint32_t handle)
{
	struct tfs_row *row;

	if (s->only_dev[0] && strcmp(dev, s->only_dev))
		return NULL;
	row = tfs_row_get(&s->rows, dev, handle, qdisc_key);
	row->active = true;
	return row;
}

static void q_unpaired(struct qdisc_state *s, const struct q_entry *e)
{
	struct tfs_row *row = q_row(s, e->dev, e->handle);

	if (row)
		row->c[C_UNPAIRED]++;
}

static size_t q_hash(uint64_t skb)
{
	/* skbs are slab objects: the low bits carry little, so mix before masking. */
	return (size_t)((skb * 0x9e3779b97f4a7c15ULL) >> (64 - Q_SLOTS_BITS));
}

static struct q_entry *q_find(struct qdisc_state *s, uint64_t skb)
{
	for (size_t i = q_hash(skb);; i = (i + 1) & (Q_SLOTS - 1)) {
		struct q_entry *e = &s->tab[i];

		if (e->type == Q_FREE)
			return NULL;
		if (e->skb == skb)
			return e;
	}
}

/* Remove e keeping every probe chain intact (backward-shift deletion). */
static void q_remove(struct qdisc_state *s, struct q_entry *e)
{
	size_t hole = (size_t)(e - s->tab);

	for (size_t i = (hole + 1) & (Q_SLOTS - 1);; i = (i + 1) & (Q_SLOTS - 1)) {
		struct q_entry *n = &s->tab[i];
		size_t home;

		if (n->type == Q_FREE)
			break;
		home = q_hash(n->skb);
		/* n may fill the hole if its home is not cyclically within (hole, i]. */
		if (((i - home) & (Q_SLOTS - 1)) >= ((i - hole) & (Q_SLOTS - 1))) {
			s->tab[hole] = *n;
			hole = i;
		}
	}
	s->tab[hole].type = Q_FREE;
	s->live--;
}

/* Drop entries older than max_age_ns before the newest event; each is unpaired. */
static void q_evict(struct qdisc_state *s, uint64_t enq_age, uint64_t deq_age)
{
	for (size_t i = 0; i < Q_SLOTS;) {
		struct q_entry *e = &s->tab[i];
		uint64_t age = e->type == Q_ENQ ? enq_age : deq_age;

		if (e->type != Q_FREE && e->ts + age < s->newest_ts) {
			q_unpaired(s, e);
			q_remove(s, e);
			continue;	/* the shift may have moved another entry into slot i */
		}
		i++;
	}
}

static struct q_entry *q_insert(struct qdisc_state *s, uint64_t skb)
{
	size_t i;

	if (s->live >= Q_MAX_LIVE) {
		q_evict(s, Q_DEQ_AGE_NS, Q_DEQ_AGE_NS);
		if (s->live >= Q_MAX_LIVE)
			return NULL;
	}
	for (i = q_hash(skb); s->tab[i].type != Q_FREE; i = (i + 1) & (Q_SLOTS - 1))
		;
	s->live++;
	s->tab[i].skb = skb;
	return &s->tab[i];
}

static void q_name_learn(struct qdisc_state *s, uint64_t qdisc, const char *dev)
{
	for (unsigned int i = 0; i < Q_NAMES; i++) {
		if (s->names[i].qdisc == qdisc) {
			snprintf(s->names[i].dev, sizeof(s->names[i].dev), "%s", dev);
			return;
		}
	}
	s->names[s->next_name].qdisc = qdisc;
	snprintf(s->names[s->next_name].dev, sizeof(s->names[0].dev), "%s", dev);
	s->next_name = (s->next_name + 1) % Q_NAMES;
}

static void q_name_of(struct qdisc_state *s, uint64_t qdisc, int ifindex, char *dev, size_t len)
{
	for (unsigned int i = 0; i < Q_NAMES; i++) {
		if (s->names[i].qdisc == qdisc && qdisc) {
			snprintf(dev, len, "%s", s->names[i].dev);
			return;
		}
	}
	snprintf(dev, len, "ifindex=%d", ifindex);
}

static void q_pair(struct qdisc_state *s, const struct q_entry *enq, uint64_t deq_ts)
{
	struct tfs_row *row = q_row(s, enq->dev, enq->handle);

	if (!row)
		return;
	row->c[C_PACKETS]++;
	tfs_row_hist_add(row, H_SOJOURN, deq_ts - enq->ts);
}

static void on_dev_queue(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct qdisc_state *s = ev->priv;

	(void)ts;
	if (cpu < 0 || cpu >= s->ncpus)
		return;
	s->lastq[cpu].skb = tfs_num(ev->f[FN_SKB], data);
	tfs_str(ev->f[FN_NAME], data, size, s->lastq[cpu].dev, sizeof(s->lastq[cpu].dev));
}

static void on_enqueue(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct qdisc_state *s = ev->priv;
	struct q_entry enq = { .ts = ts, .type = Q_ENQ }, *e;

	(void)size;
	enq.skb = tfs_num(ev->f[FQ_SKB], data);
	enq.qdisc = tfs_num(ev->f[FQ_QDISC], data);
	enq.handle = (uint32_t)tfs_num(ev->f[FQ_HANDLE], data);
	if (ts > s->newest_ts)
		s->newest_ts = ts;
	if (cpu >= 0 && cpu < s->ncpus && s->lastq[cpu].skb == enq.skb) {
		snprintf(enq.dev, sizeof(enq.dev), "%s", s->lastq[cpu].dev);
		q_name_learn(s, enq.qdisc, enq.dev);
	} else {
		q_name_of(s, enq.qdisc, (int32_t)tfs_num(ev->f[FQ_IFINDEX], data), enq.dev, sizeof(enq.dev));
	}
	e = q_find(s, enq.skb);
	if (e && e->type == Q_DEQ && e->ts >= ts) {
		q_pair(s, &enq, e->ts);		/* its dequeue was read first */
		q_remove(s, e);
		return;
	}
	if (e) {			/* a stale entry for a recycled skb */
		q_unpaired(s, e);
		q_remove(s, e);
	}
	e = q_insert(s, enq.skb);
	if (!e) {
		q_unpaired(s, &enq);
		return;
	}
	*e = enq;
}

static void on_dequeue(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct qdisc_state *s = ev->priv;
	struct q_entry deq = { .ts = ts, .type = Q_DEQ }, *e;

	(void)cpu;
	(void)size;
	/* qdisc_dequeue also fires for empty dequeues: packets 0, skbaddr 0. */
	if ((int32_t)tfs_num(ev->f[FD_PACKETS], data) <= 0)
		return;
	deq.skb = tfs_num(ev->f[FD_SKB], data);
	if (!deq.skb)
		return;
	if (ts > s->newest_ts)
		s->newest_ts = ts;
	e = q_find(s, deq.skb);
	if (e && e->type == Q_ENQ && e->ts <= ts) {
		q_pair(s, e, ts);
		q_remove(s, e);
		return;
	}
	if (e) {
		q_unpaired(s, e);
		q_remove(s, e);
	}
	deq.qdisc = tfs_num(ev->f[FD_QDISC], data);
	deq.handle = (uint32_t)tfs_num(ev->f[FD_HANDLE], data);
	q_name_of(s, deq.qdisc, (int32_t)tfs_num(ev->f[FD_IFINDEX], data), deq.dev, sizeof(deq.dev));
	e = q_insert(s, deq.skb);
	if (!e) {
		q_unpaired(s, &deq);
		return;
	}
	*e = deq;
}

static void qdisc_free(void *state)
{
	struct qdisc_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->rows);
	free(s->tab);
	free(s->lastq);
	free(s);
}

static int qdisc_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const enq_fields[] = { "qdisc", "skbaddr", "ifindex", "handle", NULL };
	static const char *const deq_fields[] = { "qdisc", "skbaddr", "ifindex", "handle", "packets", NULL };
	static const char *const nq_fields[] = { "skbaddr", "name", NULL };
	struct qdisc_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->ncpus = tfs_ncpus(c);
	s->tab = calloc(Q_SLOTS, sizeof(*s->tab));
	s->lastq = calloc((size_t)s->ncpus, sizeof(*s->lastq));
	snprintf(s->only_dev, sizeof(s->only_dev), "%s", tfs_opts(c)->dev);
	if (!s->tab || !s->lastq) {
		qdisc_free(s);
		return -ENOMEM;
	}
	if (!tfs_event_add(c, "qdisc", "qdisc_enqueue", enq_fields, on_enqueue, s, "", why, whylen) ||
	    !tfs_event_add(c, "qdisc", "qdisc_dequeue", deq_fields, on_dequeue, s,
			   "packets > 0", why, whylen) ||
	    (tfs_event_exists(c, "net", "net_dev_queue") &&
	     !tfs_event_add(c, "net", "net_dev_queue", nq_fields, on_dev_queue, s, "", why, whylen))) {
		qdisc_free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

static void qdisc_snapshot(void *state, struct nl_interval *iv)
{
	struct qdisc_state *s = state;

	q_evict(s, Q_ENQ_AGE_NS, Q_DEQ_AGE_NS);
	tfs_rows_emit(&s->rows, &qdisc_layout, iv);
}

static const struct tfs_row_layout *const qdisc_layouts[] = { &qdisc_layout, NULL };

const struct tfs_family tfs_qdisc = {
	.metric = "qdisc",
	.arm = qdisc_arm,
	.snapshot = qdisc_snapshot,
	.free = qdisc_free,
	.layouts = qdisc_layouts,
};
