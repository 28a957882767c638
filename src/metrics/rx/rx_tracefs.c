// SPDX-License-Identifier: GPL-2.0
/*
 * rx metric, tracefs collector: the receive ladder paired in user space by
 * skb address (the raw ring buffer holds real addresses), with the same
 * rules as src/metrics/rx/rx.bpf.h: a first stage (napi_gro_*_entry, netif_rx,
 * netif_receive_skb*_entry) starts a new life at that address, a free ends
 * it, an end before its start is no interval, and only TCP data (tcp_probe
 * data_len > 0) climbs past the stack.
 *
 * Not measured here: the age points (skb->tstamp is in no tracepoint's
 * fields) and the UDP stack stage (sk_data_ready names no skb, and user
 * space cannot read the receive queue's tail as BPF does).
 *
 * Events are queued and replayed in time order (struct nl_evq): the CPUs'
 * buffers are read one after the other, so the copy on one CPU can be read
 * before the tcp_probe on another that preceded it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "metrics/flows.h"
#include "collect/tracefs/ladder_family.h"
#include "netlat/util.h"

#define RXT_TAB_BITS	17
#define RXT_MAX_AGE_NS	(10ULL * 1000 * 1000 * 1000)	/* GRO-merged or freed unseen */
#define RXT_QUEUE_MAX	(256 * 1024)
#define RXT_MAX_FLOWS	256
#define RXT_FIRST	RX_NSTAGES	/* rx_begin's "no stage of its own" */

enum { E_GRO, E_BACKLOG, E_ENTRY, E_RECV, E_TCP, E_COPY, E_FREE };
enum { F_SKB, F_NAME, F_LEN };
enum { FT_SKB, FT_LEN, FT_SADDR, FT_DADDR };

static const char *const rx_stage_names[RX_NSTAGES] = RX_STAGE_NAMES;

struct rx_rec {
	struct tfs_ladder_rec l;	/* first: t_first, dev */
	uint64_t t_gro, t_backlog, t_recv, t_transport;
	uint32_t max_copy;		/* bytes a copy of this skb can hold at most (0: unknown) */
	bool copied, has_flow;
	struct rx_flow flow;
};
_Static_assert(sizeof(struct rx_rec) <= sizeof(((struct nl_skbtab_ent *)0)->data), "rx_rec fits");

struct rx_flow_row {
	char key[NL_KEY_MAX];
	struct nl_hist h;
	bool active;
};

struct rx_state {
	struct tfs_ladder l;		/* first: the state is the ladder */
	struct rx_flow_row *flows;
	size_t nflows;
};

static const struct tfs_row_layout rx_layout = TFS_LADDER_LAYOUT("rx");

static void stage_key(char *key, size_t len, const char *dev, uint64_t stage)
{
	snprintf(key, len, "stage=%s dev=%s", stage < RX_NSTAGES ? rx_stage_names[stage] : "?", dev);
}

static void put_stage(struct rx_state *s, unsigned int stage, const struct rx_rec *r, uint64_t t0, uint64_t t1)
{
	tfs_ladder_put(&s->l, stage, r->l.dev, t0, t1);
}

static void put_flow(struct rx_state *s, const struct rx_flow *f, uint64_t wait)
{
	char key[NL_KEY_MAX], a[64], b[64];
	struct rx_flow_row *row = NULL;

	nl_flow_end(a, sizeof(a), f->family, f->saddr, f->sport);
	nl_flow_end(b, sizeof(b), f->family, f->daddr, f->dport);
	/* by skb pairing: no tracepoint carries a received segment's sequence or copied_seq */
	if (snprintf(key, sizeof(key), "flow=%s>%s method=skb", a, b) >= (int)sizeof(key))
		return;		/* two long IPv6 ends: no row rather than a cut key */
	for (size_t i = 0; i < s->nflows && !row; i++)
		if (!strcmp(s->flows[i].key, key))
			row = &s->flows[i];
	if (!row) {
		if (s->nflows == RXT_MAX_FLOWS)
			return;		/* as the BPF map: a bounded number of flow rows */
		row = &s->flows[s->nflows++];
		snprintf(row->key, sizeof(row->key), "%s", key);
		nl_hist_reset(&row->h);
	}
	row->active = true;
	nl_hist_add(&row->h, wait);
}

static struct rx_rec *rec_find(struct rx_state *s, uint64_t skb)
{
	return (struct rx_rec *)tfs_ladder_find(&s->l, skb);
}

/* A new life at this address (stage: which interval it opens, RXT_FIRST for none). */
static struct rx_rec *rx_begin(struct rx_state *s, const struct nl_evq_ev *ev, unsigned int stage)
{
	struct rx_rec *r = (struct rx_rec *)tfs_ladder_begin(&s->l, ev);

	if (!r)
		return NULL;
	if (stage == RX_GRO_HOLD)
		r->t_gro = ev->ts;
	else if (stage == RX_BACKLOG)
		r->t_backlog = ev->ts;
	return r;
}

static void on_recv(struct rx_state *s, const struct nl_evq_ev *ev)
{
	struct rx_rec *r = rec_find(s, ev->skb);

	if (!r)
		r = rx_begin(s, ev, RXT_FIRST);

	if (!r || r->t_recv)
		return;
	r->max_copy = (uint32_t)ev->aux;
	put_stage(s, RX_GRO_HOLD, r, r->t_gro, ev->ts);
	put_stage(s, RX_BACKLOG, r, r->t_backlog, ev->ts);
	r->t_recv = ev->ts;
}

static void on_tcp(struct rx_state *s, const struct nl_evq_ev *ev)
{
	struct rx_rec *r = rec_find(s, ev->skb);

	if (!r || !ev->aux || !r->t_recv || r->t_transport)
		return;
	put_stage(s, RX_STACK, r, r->t_recv, ev->ts);
	r->t_transport = ev->ts;
	r->max_copy = (uint32_t)ev->aux;
	memcpy(&r->flow, ev->flow, sizeof(r->flow));
	r->has_flow = r->flow.family != 0;
}

static void on_copy(struct rx_state *s, const struct nl_evq_ev *ev)
{
	struct rx_rec *r = rec_find(s, ev->skb);

	if (!r || r->copied)
		return;
	/*
	 * Not every free has a tracepoint (__kfree_skb after TCP coalescing, a
	 * local deferred free), so a record can outlive its skb and meet another
	 * at the same address, e.g. an AF_UNIX skb being read. BPF compares
	 * skb->head; the events here carry no such thing, only lengths: a copy
	 * longer than the skb's payload is not of this skb.
	 */
	if (r->max_copy && ev->aux > r->max_copy) {
		tfs_ladder_end(&s->l, ev->skb);
		return;
	}
	r->copied = true;
	if (r->t_transport && ev->ts >= r->t_transport) {
		put_stage(s, RX_SOCKET_QUEUE, r, r->t_transport, ev->ts);
		if (r->has_flow)
			put_flow(s, &r->flow, ev->ts - r->t_transport);
	}
	put_stage(s, RX_TOTAL, r, r->l.t_first, ev->ts);
}

/* One event, in time order. */
static void rx_replay(void *arg, const struct nl_evq_ev *ev)
{
	struct rx_state *s = arg;

	tfs_ladder_seen(&s->l, ev);
	switch (ev->type) {
	case E_GRO:
		rx_begin(s, ev, RX_GRO_HOLD);
		break;
	case E_BACKLOG:
		rx_begin(s, ev, RX_BACKLOG);
		break;
	case E_ENTRY:
		rx_begin(s, ev, RXT_FIRST);
		break;
	case E_RECV:
		on_recv(s, ev);
		break;
	case E_TCP:
		on_tcp(s, ev);
		break;
	case E_COPY:
		on_copy(s, ev);
		break;
	case E_FREE:
		tfs_ladder_end(&s->l, ev->skb);
		break;
	}
}

/* ---- event handlers: queue what the pairing needs ---- */

static void on_named(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size,
		     uint16_t type)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, type, data);

	tfs_str(ev->f[F_NAME], data, size, q->dev, sizeof(q->dev));
	if (ev->f[F_LEN])
		q->aux = tfs_num(ev->f[F_LEN], data);
}

static void ev_gro(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_named(ev, cpu, ts, data, size, E_GRO);
}

static void ev_backlog(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_named(ev, cpu, ts, data, size, E_BACKLOG);
}

static void ev_entry(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_named(ev, cpu, ts, data, size, E_ENTRY);
}

static void ev_recv(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_named(ev, cpu, ts, data, size, E_RECV);
}

/* tcp_probe's saddr/daddr: a struct sockaddr_in or sockaddr_in6 image (family, port, address). */
static void flow_end(const unsigned char *sa, uint16_t *family, uint16_t *port, unsigned char *addr)
{
	uint16_t fam, p;

	memcpy(&fam, sa, 2);
	memcpy(&p, sa + 2, 2);
	*family = fam;
	*port = (uint16_t)((p >> 8) | (p << 8));	/* network order */
	if (fam == 10)
		memcpy(addr, sa + 8, 16);		/* sin6_addr */
	else
		memcpy(addr, sa + 4, 4);		/* sin_addr */
}

static void ev_tcp(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, E_TCP, data);
	struct rx_flow f = { 0 };
	uint16_t fam2;

	q->aux = tfs_num(ev->f[FT_LEN], data);
	if (ev->f[FT_SADDR]->offset + 28 > size || ev->f[FT_DADDR]->offset + 28 > size ||
	    ev->f[FT_SADDR]->size < 28 || ev->f[FT_DADDR]->size < 28)
		return;
	flow_end((const unsigned char *)data + ev->f[FT_SADDR]->offset, &f.family, &f.sport, f.saddr);
	flow_end((const unsigned char *)data + ev->f[FT_DADDR]->offset, &fam2, &f.dport, f.daddr);
	if (f.family != 2 && f.family != 10)
		f.family = 0;
	memcpy(q->flow, &f, sizeof(f));
}

static void ev_copy(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = tfs_ladder_queue(ev, cpu, ts, E_COPY, data);

	(void)size;
	q->aux = (uint64_t)(uint32_t)(int32_t)tfs_num(ev->f[F_NAME], data);	/* len */
}

static void ev_free(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)size;
	tfs_ladder_queue(ev, cpu, ts, E_FREE, data);
}

/* ---- the family ---- */

static void rx_free(void *state)
{
	struct rx_state *s = state;

	if (!s)
		return;
	tfs_ladder_free(&s->l);
	free(s->flows);
	free(s);
}

struct rx_tp {
	const char *system, *name;
	tfs_handler fn;
	bool optional;
};

static const struct rx_tp rx_tps[] = {
	{ "net", "napi_gro_receive_entry", ev_gro, false },
	{ "net", "napi_gro_frags_entry", ev_gro, true },
	{ "net", "netif_rx", ev_backlog, false },
	{ "net", "netif_receive_skb_entry", ev_entry, true },
	{ "net", "netif_receive_skb_list_entry", ev_entry, true },
	{ "net", "netif_receive_skb", ev_recv, false },
	{ "tcp", "tcp_probe", ev_tcp, false },
	{ "skb", "skb_copy_datagram_iovec", ev_copy, false },
	{ "skb", "consume_skb", ev_free, false },
	{ "skb", "kfree_skb", ev_free, false },
};

static const char *const *fields_of(tfs_handler fn)
{
	static const char *const named[] = { "skbaddr", "name", NULL };
	static const char *const recv[] = { "skbaddr", "name", "len", NULL };
	static const char *const tcp[] = { "skbaddr", "data_len", "saddr", "daddr", NULL };
	static const char *const copy[] = { "skbaddr", "len", NULL };
	static const char *const bare[] = { "skbaddr", NULL };

	if (fn == ev_tcp)
		return tcp;
	if (fn == ev_recv)
		return recv;
	if (fn == ev_copy)
		return copy;
	if (fn == ev_free)
		return bare;
	return named;
}

static int rx_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	struct rx_state *s = nl_xcalloc(1, sizeof(*s));

	s->l.replay = rx_replay;
	s->l.stage_key = stage_key;
	s->flows = nl_xcalloc(RXT_MAX_FLOWS, sizeof(*s->flows));
	if (tfs_ladder_init(&s->l, c, RXT_TAB_BITS, RXT_MAX_AGE_NS, RXT_QUEUE_MAX, why, whylen)) {
		rx_free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ARRAY_SIZE(rx_tps); i++) {
		const struct rx_tp *t = &rx_tps[i];

		if (t->optional && !tfs_event_exists(c, t->system, t->name))
			continue;
		if (tfs_event_add(c, t->system, t->name, fields_of(t->fn), t->fn, s, "", why, whylen))
			continue;
		/*
		 * tcp_probe has carried skbaddr only since Linux 6.2 (6.1 lacks it):
		 * without it no TCP skb can be followed past netif_receive_skb, so
		 * stack and socket_queue go missing and the rest stays.
		 */
		if (t->fn == ev_tcp && tfs_event_exists(c, t->system, t->name)) {
			nl_info("rx: %s: no stack or socket_queue stage with tracefs", why);
			why[0] = '\0';
			continue;
		}
		rx_free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

/* The statistics emitted here rather than through a row layout. */
static const char *const rx_direct[] = { "sockq_wait", NULL };

static void rx_snapshot(void *state, struct nl_interval *iv)
{
	struct rx_state *s = state;

	tfs_ladder_snapshot(&s->l, &rx_layout, iv);
	for (size_t i = 0; i < s->nflows; i++) {
		struct rx_flow_row *f = &s->flows[i];

		if (!f->active || !f->h.count)
			continue;
		nl_hist_merge(nl_iv_hist(iv, "rx", f->key, rx_direct[0], "ns"), &f->h);
		nl_hist_reset(&f->h);
		f->active = false;
	}
}

static const struct tfs_row_layout *const rx_layouts[] = { &rx_layout, NULL };

const struct tfs_family tfs_rx = {
	.metric = "rx",
	.arm = rx_arm,
	.snapshot = rx_snapshot,
	.free = rx_free,
	.layouts = rx_layouts,
	.direct_stats = rx_direct,
};
