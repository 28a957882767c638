// SPDX-License-Identifier: GPL-2.0
/*
 * tcp metric from tracefs: handshakes (sock:inet_sock_set_state), srtt
 * (tcp:tcp_probe, already srtt_us >> 3), retransmits, resets, and bytes
 * per flow and process (sock:sock_recv_length / sock_send_length, which
 * carry only the socket pointer: its 4-tuple is learnt from the state
 * changes and tcp_probe). No event carries a namespace: rows have none.
 *
 * The events that learn, use and forget a socket's flow (state changes,
 * tcp_probe's first sight, the lengths) are queued and replayed in time
 * order: a socket's last send and its CLOSE, or its ESTABLISHED and first
 * send, can sit on different CPUs, whose buffers are read one after the
 * other. A handshake whose two changes straddle a replay can still come
 * in either order: a slot per socket holds whichever came first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event-parse.h>

#include "metrics/flows.h"
#include "netlat/util.h"
#include "collect/tracefs/tracefs_int.h"
#include "collect/tracefs/skb_table.h"

#define SK_SLOTS	8192
#define TCP_QUEUE_MAX	65536	/* queued events before a partial replay */
#define NL_TCP_ESTABLISHED	1
#define NL_TCP_SYN_SENT		2
#define NL_TCP_SYN_RECV		3
#define NL_TCP_CLOSE		7

enum { SIDE_CLIENT = 0, SIDE_SERVER = 1 };

struct sk_slot {
	uint64_t sk;
	uint64_t start;		/* SYN_SENT / SYN_RECV time, 0 if not seen */
	uint64_t done;		/* ESTABLISHED time when read before the start */
	int side;
	char flow[96];		/* "L:P>R:P", "" until learnt */
};

struct flow_row {
	char key[NL_KEY_MAX];
	uint64_t in, out;
};

struct tcp_state {
	const struct nl_record_opts *opts;
	struct sk_slot *sk;
	struct tfs_rows sides;		/* name "client"/"server" */
	struct tfs_rows netns;		/* one row, key "" */
	struct flow_row *flows;
	size_t nflows, cap, last;
	struct nl_evq q;		/* flow events, replayed in time order */
	uint64_t *probe_queued;		/* per slot: the socket whose tcp_probe is queued */
};

/* What the queue keeps of an event, beside ts, cpu and skb (the socket). */
enum { EV_STATE, EV_PROBE, EV_LEN_IN, EV_LEN_OUT };

/* A state change's or tcp_probe's addresses, in the queue entry's flow bytes. */
struct ev_addrs {
	uint16_t family, lport, rport;
	unsigned char l[16], r[16];
};
_Static_assert(sizeof(struct ev_addrs) <= sizeof(((struct nl_evq_ev *)0)->flow), "addresses fit a queue entry");
/* A length's process, named when it was read (the process may be gone by the replay). */
struct ev_proc {
	uint32_t tgid;
	char comm[16];
};
_Static_assert(sizeof(struct ev_proc) <= sizeof(((struct nl_evq_ev *)0)->flow), "a process fits a queue entry");

static const struct tfs_row_layout side_layout = {
	.metric = "tcp", .ctr = { "handshakes" }, .ctr_unit = { "" },
	.hist = { "handshake" }, .hist_unit = { "ns" },
};
static const struct tfs_row_layout netns_layout = {
	.metric = "tcp", .ctr = { "retransmits", "resets_sent", "resets_received" },
	.ctr_unit = { "", "", "" }, .hist = { "srtt" }, .hist_unit = { "ns" },
};
enum { C_RETRANS, C_RST_SENT, C_RST_RECV };

static void side_key(char *key, size_t len, const char *name, uint64_t aux)
{
	(void)aux;
	snprintf(key, len, "side=%s", name);
}

static void empty_key(char *key, size_t len, const char *name, uint64_t aux)
{
	(void)name;
	(void)aux;
	if (len)
		key[0] = '\0';
}

static struct tfs_row *netns_row(struct tcp_state *s)
{
	struct tfs_row *row = tfs_row_get(&s->netns, "", 0, empty_key);

	row->active = true;
	return row;
}

static struct sk_slot *sk_slot(struct tcp_state *s, uint64_t sk)
{
	return &s->sk[(size_t)((sk * 0x9e3779b97f4a7c15ULL) >> 51) % SK_SLOTS];
}

/* "L:P>R:P" from the addresses of a sockaddr-style field pair (tcp_probe) or raw ones. */
static void flow_learn(struct sk_slot *slot, int family, const void *l, unsigned int lport,
		       const void *r, unsigned int rport)
{
	char a[64], b[64];

	nl_flow_end(a, sizeof(a), family, l, lport);
	nl_flow_end(b, sizeof(b), family, r, rport);
	snprintf(slot->flow, sizeof(slot->flow), "%.47s>%.47s", a, b);
}

static void handshake(struct tcp_state *s, int side, uint64_t start, uint64_t done)
{
	struct tfs_row *row = tfs_row_get(&s->sides, side == SIDE_CLIENT ? "client" : "server", 0, side_key);

	row->active = true;
	row->c[0]++;
	if (start && done >= start)
		tfs_row_hist_add(row, 0, done - start);
}

enum { FS_SK, FS_OLD, FS_NEW, FS_FAMILY, FS_SPORT, FS_DPORT, FS_SADDR, FS_DADDR, FS_SADDR6, FS_DADDR6 };

static void replay(void *arg, const struct nl_evq_ev *ev);

static struct nl_evq_ev *queue(struct tcp_state *s, uint64_t ts, int cpu, uint16_t type, uint64_t sk)
{
	struct nl_evq_ev *q = nl_evq_push(&s->q, ts, cpu, type, replay, s);

	q->skb = sk;
	return q;
}

static void on_set_state(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct nl_evq_ev *q = queue(ev->priv, ts, cpu, EV_STATE, tfs_num(ev->f[FS_SK], data));
	struct ev_addrs a = { .family = tfs_num(ev->f[FS_FAMILY], data) == AF_INET6 ? AF_INET6 : AF_INET };

	(void)size;
	q->aux = tfs_num(ev->f[FS_OLD], data) | tfs_num(ev->f[FS_NEW], data) << 8;
	a.lport = (uint16_t)tfs_num(ev->f[FS_SPORT], data);
	a.rport = (uint16_t)tfs_num(ev->f[FS_DPORT], data);
	memcpy(a.l, (const char *)data + ev->f[a.family == AF_INET6 ? FS_SADDR6 : FS_SADDR]->offset, 16);
	memcpy(a.r, (const char *)data + ev->f[a.family == AF_INET6 ? FS_DADDR6 : FS_DADDR]->offset, 16);
	memcpy(q->flow, &a, sizeof(a));
}

static void state_apply(struct tcp_state *s, const struct nl_evq_ev *ev)
{
	uint64_t sk = ev->skb, ts = ev->ts;
	int oldstate = (int)(ev->aux & 0xff), newstate = (int)(ev->aux >> 8 & 0xff);
	struct sk_slot *slot = sk_slot(s, sk);
	int side = oldstate == NL_TCP_SYN_SENT ? SIDE_CLIENT : SIDE_SERVER;

	if (slot->sk != sk)
		memset(slot, 0, sizeof(*slot));
	slot->sk = sk;
	if (newstate == NL_TCP_SYN_SENT || newstate == NL_TCP_SYN_RECV) {
		if (slot->done && slot->done >= ts) {	/* its ESTABLISHED was read first */
			struct tfs_row *row = tfs_row_get(&s->sides, newstate == NL_TCP_SYN_SENT ?
							  "client" : "server", 0, side_key);

			tfs_row_hist_add(row, 0, slot->done - ts);
			row->active = true;
			slot->done = 0;
			return;
		}
		slot->start = ts;
		return;
	}
	if (newstate == NL_TCP_ESTABLISHED && (oldstate == NL_TCP_SYN_SENT || oldstate == NL_TCP_SYN_RECV)) {
		struct ev_addrs a;

		memcpy(&a, ev->flow, sizeof(a));
		flow_learn(slot, a.family, a.l, a.lport, a.r, a.rport);
		handshake(s, side, slot->start, ts);
		if (!slot->start)
			slot->done = ts;	/* counted; a start read later adds its time */
		slot->start = 0;
		return;
	}
	if (newstate == NL_TCP_CLOSE)
		memset(slot, 0, sizeof(*slot));
}

enum { FP_SRTT, FP_SK, FP_SADDR, FP_DADDR, FP_SPORT, FP_DPORT };

/* tcp_probe's saddr/daddr are a struct sockaddr_in or sockaddr_in6 (28 bytes). */
static void sockaddr_addr(const unsigned char *sa, int *family, const unsigned char **addr)
{
	uint16_t fam;

	memcpy(&fam, sa, sizeof(fam));
	*family = fam == AF_INET6 ? AF_INET6 : AF_INET;
	*addr = sa + (fam == AF_INET6 ? 8 : 4);
}

static void on_probe(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct tcp_state *s = ev->priv;
	uint64_t sk = tfs_num(ev->f[FP_SK], data);
	struct sk_slot *slot = sk_slot(s, sk);
	const unsigned char *la, *ra;
	struct ev_addrs a = { 0 };
	struct nl_evq_ev *q;
	int fam;

	(void)size;
	tfs_row_hist_add(netns_row(s), 0, tfs_num(ev->f[FP_SRTT], data) * 1000);
	/*
	 * One entry per socket: its flow known, or a probe already queued,
	 * the others would only flood the queue (one per segment received).
	 */
	if ((slot->sk == sk && slot->flow[0]) || s->probe_queued[slot - s->sk] == sk)
		return;
	s->probe_queued[slot - s->sk] = sk;
	q = queue(s, ts, cpu, EV_PROBE, sk);
	sockaddr_addr((const unsigned char *)data + ev->f[FP_SADDR]->offset, &fam, &la);
	sockaddr_addr((const unsigned char *)data + ev->f[FP_DADDR]->offset, &fam, &ra);
	a.family = (uint16_t)fam;
	a.lport = (uint16_t)tfs_num(ev->f[FP_SPORT], data);
	a.rport = (uint16_t)tfs_num(ev->f[FP_DPORT], data);
	memcpy(a.l, la, fam == AF_INET6 ? 16 : 4);
	memcpy(a.r, ra, fam == AF_INET6 ? 16 : 4);
	memcpy(q->flow, &a, sizeof(a));
}

/* tcp_probe of a socket with no flow yet: a connection older than the recording. */
static void probe_apply(struct tcp_state *s, const struct nl_evq_ev *ev)
{
	struct sk_slot *slot = sk_slot(s, ev->skb);
	struct ev_addrs a;

	/* let the socket's next tcp_probe queue again: another socket may take this slot meanwhile */
	if (s->probe_queued[slot - s->sk] == ev->skb)
		s->probe_queued[slot - s->sk] = 0;
	if (slot->sk == ev->skb && slot->flow[0])
		return;
	memset(slot, 0, sizeof(*slot));
	slot->sk = ev->skb;
	memcpy(&a, ev->flow, sizeof(a));
	flow_learn(slot, a.family, a.l, a.lport, a.r, a.rport);
}

static void on_probe_srtt(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	(void)size;
	tfs_row_hist_add(netns_row(ev->priv), 0, tfs_num(ev->f[FP_SRTT], data) * 1000);
}

static void on_retransmit(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	(void)data;
	(void)size;
	netns_row(ev->priv)->c[C_RETRANS]++;
}

/* tcp_send_reset has no port fields on newer kernels: --port is checked on its sockaddrs. */
static void on_send_reset(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	struct tcp_state *s = ev->priv;

	(void)cpu;
	(void)ts;
	(void)size;
	if (s->opts->port) {
		uint16_t p1, p2;

		memcpy(&p1, (const char *)data + ev->f[0]->offset + 2, 2);
		memcpy(&p2, (const char *)data + ev->f[1]->offset + 2, 2);
		if (__builtin_bswap16(p1) != s->opts->port && __builtin_bswap16(p2) != s->opts->port)
			return;
	}
	netns_row(s)->c[C_RST_SENT]++;
}

/* tcp_send_reset with port fields: --port is its event filter. */
static void on_send_reset_ports(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	(void)data;
	(void)size;
	netns_row(ev->priv)->c[C_RST_SENT]++;
}

static void on_receive_reset(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	(void)cpu;
	(void)ts;
	(void)data;
	(void)size;
	netns_row(ev->priv)->c[C_RST_RECV]++;
}

static struct flow_row *flow_row(struct tcp_state *s, const char *key)
{
	if (s->last < s->nflows && !strcmp(s->flows[s->last].key, key))
		return &s->flows[s->last];
	for (size_t i = 0; i < s->nflows; i++)
		if (!strcmp(s->flows[i].key, key))
			return &s->flows[s->last = i];
	if (s->nflows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct flow_row *v = realloc(s->flows, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->flows = v;
		s->cap = cap;
	}
	memset(&s->flows[s->nflows], 0, sizeof(s->flows[0]));
	snprintf(s->flows[s->nflows].key, NL_KEY_MAX, "%s", key);
	return &s->flows[s->last = s->nflows++];
}

enum { FL_SK, FL_PROTO, FL_RET, FL_FLAGS };

/* sock_recv/send_length: shared with the copy metric under a "ret > 0" filter; TCP is picked here. */
static void on_length(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size, bool in)
{
	int64_t ret = (int32_t)tfs_num(ev->f[FL_RET], data);
	struct ev_proc p = { 0 };
	struct nl_evq_ev *q;
	int tgid;

	if (tfs_num(ev->f[FL_PROTO], data) != 6 || ret <= 0 || (tfs_num(ev->f[FL_FLAGS], data) & 2))
		return;
	q = queue(ev->priv, ts, cpu, in ? EV_LEN_IN : EV_LEN_OUT, tfs_num(ev->f[FL_SK], data));
	q->aux = (uint64_t)ret;
	tfs_proc_of(tfs_rec_tid(data, size), &tgid, p.comm, sizeof(p.comm));
	p.tgid = (uint32_t)tgid;
	memcpy(q->flow, &p, sizeof(p));
}

static void length_apply(struct tcp_state *s, const struct nl_evq_ev *ev)
{
	struct sk_slot *slot = sk_slot(s, ev->skb);
	char key[NL_KEY_MAX];
	struct flow_row *f;
	struct ev_proc p;

	/* the 4-tuple is learnt from the socket's handshake or tcp_probe; else the flow is not known */
	if (slot->sk != ev->skb || !slot->flow[0])
		return;
	memcpy(&p, ev->flow, sizeof(p));
	snprintf(key, sizeof(key), "flow=%.54s comm=%.15s pid=%u", slot->flow, p.comm, (unsigned int)p.tgid);
	f = flow_row(s, key);
	if (!f)
		return;
	if (ev->type == EV_LEN_IN)
		f->in += ev->aux;
	else
		f->out += ev->aux;
}

static void on_recv_length(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_length(ev, cpu, ts, data, size, true);
}

static void on_send_length(struct tfs_event *ev, int cpu, uint64_t ts, const void *data, int size)
{
	on_length(ev, cpu, ts, data, size, false);
}

static void replay(void *arg, const struct nl_evq_ev *ev)
{
	struct tcp_state *s = arg;

	switch (ev->type) {
	case EV_STATE:
		state_apply(s, ev);
		break;
	case EV_PROBE:
		probe_apply(s, ev);
		break;
	default:
		length_apply(s, ev);
		break;
	}
}

static void tcp_free(void *state)
{
	struct tcp_state *s = state;

	if (!s)
		return;
	tfs_rows_free(&s->sides);
	tfs_rows_free(&s->netns);
	nl_evq_free(&s->q);
	free(s->probe_queued);
	free(s->flows);
	free(s->sk);
	free(s);
}

/* The optional events: resets and per-call lengths (absent from some kernels). */
static int tcp_arm_optional(struct tfs_ctx *c, struct tcp_state *s, const char *portf,
			    char *why, size_t whylen)
{
	static const char *const rst_fields[] = { "saddr", "daddr", NULL };
	static const char *const len_fields[] = { "sk", "protocol", "ret", "flags", NULL };

	static const char *const rst_port_fields[] = { "sport", "dport", NULL };

	/* Older kernels (6.1) give tcp_send_reset port fields, to filter on; newer ones only sockaddrs. */
	if (tfs_event_exists(c, "tcp", "tcp_send_reset") &&
	    !tfs_event_add(c, "tcp", "tcp_send_reset", rst_port_fields, on_send_reset_ports, s, portf,
			   why, whylen) &&
	    !tfs_event_add(c, "tcp", "tcp_send_reset", rst_fields, on_send_reset, s, "", why, whylen))
		return -ENOENT;
	if (tfs_event_exists(c, "tcp", "tcp_receive_reset") &&
	    !tfs_event_add(c, "tcp", "tcp_receive_reset", NULL, on_receive_reset, s, portf, why, whylen))
		return -ENOENT;
	if (tfs_event_exists(c, "sock", "sock_recv_length") &&
	    !tfs_event_add(c, "sock", "sock_recv_length", len_fields, on_recv_length, s, "ret > 0",
			   why, whylen))
		return -ENOENT;
	if (tfs_event_exists(c, "sock", "sock_send_length") &&
	    !tfs_event_add(c, "sock", "sock_send_length", len_fields, on_send_length, s, "ret > 0",
			   why, whylen))
		return -ENOENT;
	return 0;
}

static int tcp_arm(struct tfs_ctx *c, void **state, char *why, size_t whylen)
{
	static const char *const st_fields[] = { "skaddr", "oldstate", "newstate", "family", "sport",
						 "dport", "saddr", "daddr", "saddr_v6", "daddr_v6", NULL };
	static const char *const probe_fields[] = { "srtt", "skaddr", "saddr", "daddr", "sport", "dport", NULL };
	/* 6.1's tcp_probe has no skaddr: its flows are then learnt from the handshake only */
	static const char *const srtt_fields[] = { "srtt", NULL };
	struct tcp_state *s = calloc(1, sizeof(*s));
	char portf[64] = "", stf[128];

	if (!s)
		return -ENOMEM;
	s->opts = tfs_opts(c);
	s->sk = calloc(SK_SLOTS, sizeof(*s->sk));
	s->probe_queued = calloc(SK_SLOTS, sizeof(*s->probe_queued));
	if (!s->sk || !s->probe_queued || nl_evq_init(&s->q, tfs_ncpus(c), TCP_QUEUE_MAX)) {
		tcp_free(s);
		return -ENOMEM;
	}
	if (s->opts->port)
		snprintf(portf, sizeof(portf), "sport == %u || dport == %u", s->opts->port, s->opts->port);
	snprintf(stf, sizeof(stf), "protocol == 6%s%s%s", portf[0] ? " && (" : "", portf, portf[0] ? ")" : "");
	if (!tfs_event_add(c, "sock", "inet_sock_set_state", st_fields, on_set_state, s, stf, why, whylen) ||
	    (!tfs_event_add(c, "tcp", "tcp_probe", probe_fields, on_probe, s, portf, why, whylen) &&
	     !tfs_event_add(c, "tcp", "tcp_probe", srtt_fields, on_probe_srtt, s, portf, why, whylen)) ||
	    !tfs_event_add(c, "tcp", "tcp_retransmit_skb", NULL, on_retransmit, s, portf, why, whylen) ||
	    tcp_arm_optional(c, s, portf, why, whylen)) {
		tcp_free(s);
		return -ENOENT;
	}
	*state = s;
	return 0;
}

/* The statistics emitted here rather than through a row layout. */
static const char *const tcp_direct[] = { "bytes_in", "bytes_out", NULL };

static void tcp_snapshot(void *state, struct nl_interval *iv)
{
	struct tcp_state *s = state;

	nl_evq_replay(&s->q, false, replay, s);
	tfs_rows_emit(&s->sides, &side_layout, iv);
	tfs_rows_emit(&s->netns, &netns_layout, iv);
	for (size_t i = 0; i < s->nflows; i++) {
		struct flow_row *f = &s->flows[i];

		if (!f->in && !f->out)
			continue;
		nl_iv_add_counter(iv, "tcp", f->key, tcp_direct[0], "bytes", f->in);
		nl_iv_add_counter(iv, "tcp", f->key, tcp_direct[1], "bytes", f->out);
		f->in = f->out = 0;
	}
}

static const struct tfs_row_layout *const tcp_layouts[] = { &side_layout, &netns_layout, NULL };

const struct tfs_family tfs_tcp = {
	.metric = "tcp",
	.arm = tcp_arm,
	.snapshot = tcp_snapshot,
	.free = tcp_free,
	.layouts = tcp_layouts,
	.direct_stats = tcp_direct,
};
