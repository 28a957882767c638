/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tx, kernel side: one skb followed down the transmit path, paired in the
 * kernel, for the skbs net_dev_queue admits (all of them unless the budget
 * governor samples: nl_admit).
 *
 * TCP copies the data of a send into its write queue and transmits clones,
 * so the skb at the device is not the one the send filled: the send is
 * paired by what survives, the socket and the TCP sequence number. A send
 * remembers tp->write_seq, the sequence of its first byte; the first
 * segment at net_dev_queue from that socket whose sequence range holds it
 * ends send_to_dev. Sends on a socket whose previous send has not reached
 * the device yet are not stamped (one in flight per socket), so under bulk
 * load this stage is a sample.
 *
 * Below net_dev_queue the skb keeps its address (a GSO split after the
 * qdisc makes new skbs: those start at net_dev_start_xmit). A free ends the
 * skb's life, so a reused address starts clean.
 */
#ifndef NETLAT_TX_BPF_H
#define NETLAT_TX_BPF_H

#include "tx.h"

/* The records of the skbs followed down the stack (rows.bpf.h: tx_skb_get, tx_skb_put). */
NL_SKB_TABLE(tx_skb, struct tx_skb, TX_SKB_BITS)

/*
 * The sends waiting for the device, one slot per socket, direct-mapped by
 * the socket's address: a lookup is one array access and a compare, where
 * an LRU hash took a few hundred ns per send to insert and delete. A
 * socket whose slot another socket's waiting send holds takes it over, and
 * that send goes unpaired, as an LRU eviction would leave it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << TX_SEND_BITS);
	__type(key, __u32);
	__type(value, struct tx_send);
} tx_sends SEC(".maps");

static __always_inline struct tx_send *tx_send_slot(__u64 sk)
{
	__u32 i = nl_head_hash(sk) >> (32 - TX_SEND_BITS);

	return bpf_map_lookup_elem(&tx_sends, &i);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TX_NSTAGES * NL_BPF_MAX_DEVS);
	__type(key, __u32);
	__type(value, struct tx_val);
} tx_rows SEC(".maps");

/* The record of skb, if it has one (see rx_find in rx.bpf.h for the stale-record rule). */
static __always_inline struct tx_skb *tx_find(const struct sk_buff *skb)
{
	return tx_skb_get(nl_addr(skb), (__u64)NL_RD(skb, head));
}

/* A stage interval; an end before its start is no interval. */
static __always_inline void tx_stage(__u32 stage, __u32 dev_slot, __u64 start, __u64 end)
{
	__u32 idx = stage * NL_BPF_MAX_DEVS + dev_slot;
	struct tx_val *v;

	if (!start || end < start || dev_slot >= NL_BPF_MAX_DEVS)
		return;
	v = bpf_map_lookup_elem(&tx_rows, &idx);
	if (!v)
		return;
	v->packets++;
	nl_hist_put(&v->latency, end - start);
}

/* tcp_sendmsg_locked (Linux 6.3+): a send begins; its first byte is tp->write_seq. */
static __always_inline bool tx_on_sendmsg(const struct sock *sk, __u64 now)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u64 addr = nl_addr(sk);
	struct tx_send *s = tx_send_slot(addr);

	if (!s || (s->sk == addr && s->ts))
		return true;	/* one send in flight per socket: the older one stays */
	s->sk = addr;
	s->seq = BPF_CORE_READ(tp, write_seq);	/* sk is typed struct sock: a probe read past it */
	s->ts = now;
	return true;
}

/*
 * Does this TCP segment carry the socket's pending send's first byte? Its
 * sequence and payload come from the TCP header (skb->data is at the MAC
 * header here). Returns the send's time, or 0; drops a send that some
 * earlier segment carried unseen.
 */
static __always_inline __u64 tx_send_of(const struct sk_buff *skb)
{
	__u64 sk = nl_addr(NL_RD(skb, sk)), ts;
	unsigned char *head, *data, *th;
	struct tx_send *s;
	__u32 seq = 0, len, hdr;
	__u8 doff = 0;
	__s32 d;

	if (!sk)
		return 0;
	s = tx_send_slot(sk);
	if (!s || s->sk != sk || !s->ts)
		return 0;
	head = NL_RD(skb, head);
	data = NL_RD(skb, data);
	th = head + NL_RD(skb, transport_header);
	if (bpf_probe_read_kernel(&seq, 4, th + 4) || bpf_probe_read_kernel(&doff, 1, th + 12))
		return 0;
	seq = __builtin_bswap32(seq);
	hdr = (__u32)(th - data) + (doff >> 4) * 4;
	len = NL_RD(skb, len);
	if (len <= hdr)
		return 0;	/* no payload: an ACK, a SYN */
	d = (__s32)(s->seq - seq);
	if (d >= 0 && (__u32)d >= len - hdr)
		return 0;	/* a later segment carries it */
	ts = d >= 0 ? s->ts : 0;
	s->ts = 0;
	return ts;
}

/* __dev_queue_xmit: the skb reaches the device layer; a new life for this address. */
static __always_inline bool tx_on_queue(const struct sk_buff *skb, __u32 dev_slot, __u64 now)
{
	struct tx_skb *e;
	__u64 sent;

	if (dev_slot == NL_DEV_NONE)
		return false;
	/* the send's stamp is consumed whether or not this skb is followed, so it never goes stale */
	sent = nl_on.tx_send ? tx_send_of(skb) : 0;
	if (!nl_admit())
		return true;
	e = tx_skb_put(nl_addr(skb), (__u64)NL_RD(skb, head));
	if (!e)
		return true;
	e->t_first = now;
	e->dev_slot = dev_slot;
	if (sent && sent <= now) {
		tx_stage(TX_SEND_TO_DEV, dev_slot, sent, now);
		e->t_first = sent;
	}
	return true;
}

static __always_inline bool tx_on_enqueue(const struct sk_buff *skb, __u64 now)
{
	struct tx_skb *e = tx_find(skb);

	if (!e)
		return false;
	e->t_enq = now;
	return true;
}

/* The walk down a bulk dequeue's skb->next chain: the skb at hand, how many are left. */
struct tx_walk {
	__u64 addr;
	__u64 now;
	int left;
};

/* One skb of the chain: its qdisc stage ends here; false at the chain's end. */
static __always_inline bool tx_walk_step(struct tx_walk *w)
{
	__u64 addr = w->addr;	/* a local: inside BPF_CORE_READ, w->addr would be relocated too */
	struct tx_skb *e;

	if (w->left <= 0 || !addr)
		return false;
	/* the chain's next skbs are numbers here, read as such in both builds */
	e = tx_skb_get(addr, (__u64)BPF_CORE_READ((struct sk_buff *)addr, head));
	if (e && e->t_enq) {
		tx_stage(TX_QDISC, e->dev_slot, e->t_enq, w->now);
		e->t_enq = 0;
	}
	w->left--;
	w->addr = (__u64)BPF_CORE_READ((struct sk_buff *)addr, next);
	return true;
}

#if NL_BTF
static long tx_walk_cb(__u64 i, void *arg)
{
	(void)i;
	return tx_walk_step(arg) ? 0 : 1;
}
#endif

/*
 * A dequeue hands back a skb->next chain of packets skbs (bulk dequeue); empty ones have none.
 * As in qdisc_on_dequeue: the first inline, the rest through bpf_loop where the build allows.
 */
static __always_inline bool tx_on_dequeue(int packets, const struct sk_buff *skb, __u64 now)
{
	struct tx_walk w = { .addr = nl_addr(skb), .now = now, .left = packets };

	tx_walk_step(&w);
#if NL_BTF
	if (w.left > 0)
		bpf_loop(TX_MAX_BULK - 1, tx_walk_cb, &w, 0);
#else
	for (int i = 1; i < TX_MAX_BULK; i++)
		if (!tx_walk_step(&w))
			break;
#endif
	return true;
}

static __always_inline bool tx_on_start_xmit(const struct sk_buff *skb, __u32 dev_slot, __u64 now)
{
	struct tx_skb *e = tx_find(skb);

	if (!e) {
		/* a segment of a GSO split after the qdisc, or a path around net_dev_queue */
		if (dev_slot == NL_DEV_NONE || nl_admit_shift)
			return false;
		if (!nl_admit())
			return true;
		e = tx_skb_put(nl_addr(skb), (__u64)NL_RD(skb, head));
		if (!e)
			return true;
		e->t_first = now;
		e->dev_slot = dev_slot;
	}
	e->t_start = now;
	return true;
}

/* The driver took it (rc 0, NETDEV_TX_OK); on veth and loopback it is already on the peer's RX path. */
static __always_inline bool tx_on_xmit(const struct sk_buff *skb, int rc, __u64 now)
{
	struct tx_skb *e = tx_find(skb);

	if (!e || !e->t_start || e->t_xmit)
		return false;
	if (rc != 0)
		return true;
	tx_stage(TX_DRIVER, e->dev_slot, e->t_start, now);
	e->t_xmit = now;
	return true;
}

/* The end of the skb's life: completion and total if the driver had it. */
static __always_inline bool tx_on_free(const struct sk_buff *skb, __u64 now)
{
	struct tx_skb *e = tx_find(skb);

	if (!e)
		return false;
	if (e->t_xmit) {
		tx_stage(TX_COMPLETION, e->dev_slot, e->t_xmit, now);
		tx_stage(TX_TOTAL, e->dev_slot, e->t_first, now);
	}
	e->head = 0;
	return true;
}

#endif
