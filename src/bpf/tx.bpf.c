// SPDX-License-Identifier: GPL-2.0
/*
 * tx: one skb followed down the transmit path, paired in the kernel.
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
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "tx.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TX_MAX_SKBS);
	__type(key, __u64);		/* skb address */
	__type(value, struct tx_skb);
} tx_skbs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TX_MAX_SOCKS);
	__type(key, __u64);		/* struct sock address */
	__type(value, struct tx_send);
} tx_sends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tx_key);
	__type(value, struct tx_val);
} tx_stats SEC(".maps");

static const struct tx_val tx_zero;

/*
 * The record of skb, if it is this skb's: not every free has a tracepoint
 * (__kfree_skb after TCP coalescing, a UDP skb consumed by recvmsg, a local
 * deferred free), so a record can outlive its skb and meet another skb at
 * the same address (an AF_UNIX one, say). A different data buffer gives the
 * stranger away; the stale record is dropped without an interval.
 */
static __always_inline struct tx_skb *tx_find(const struct sk_buff *skb)
{
	__u64 addr = (__u64)skb;
	struct tx_skb *e = bpf_map_lookup_elem(&tx_skbs, &addr);

	if (e && e->head != (__u64)BPF_CORE_READ(skb, head)) {
		bpf_map_delete_elem(&tx_skbs, &addr);
		return NULL;
	}
	return e;
}

/* A stage interval; an end before its start is no interval. */
static __always_inline void tx_stage(__u32 stage, const char *dev, __u64 start, __u64 end)
{
	struct tx_key key = { .stage = stage };
	struct tx_val *v;

	if (!start || end < start)
		return;
	__builtin_memcpy(key.dev, dev, NL_BPF_DEV_LEN);
	v = nl_row(&tx_stats, &key, &tx_zero);
	if (!v)
		return;
	v->packets++;
	nl_hist_put(&v->latency, end - start);
}

/* tcp_sendmsg_locked (Linux 6.3+): a send begins; its first byte is tp->write_seq. */
SEC("raw_tp/tcp_sendmsg_locked")
int BPF_PROG(nl_tx_send, const struct sock *sk, const struct msghdr *msg, const struct sk_buff *skb,
	     int size_goal)
{
	struct tx_send s = {};
	__u64 addr = (__u64)sk;

	if (!nl_begin())
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	s.ts = bpf_ktime_get_ns();
	s.seq = BPF_CORE_READ((const struct tcp_sock *)sk, write_seq);
	bpf_map_update_elem(&tx_sends, &addr, &s, BPF_NOEXIST);
	return 0;
}

/*
 * Does this TCP segment carry the socket's pending send's first byte? Its
 * sequence and payload come from the TCP header (skb->data is at the MAC
 * header here). Returns the send's time, or 0; drops a send that some
 * earlier segment carried unseen.
 */
static __always_inline __u64 tx_send_of(const struct sk_buff *skb)
{
	__u64 sk = (__u64)BPF_CORE_READ(skb, sk), ts;
	unsigned char *head, *data, *th;
	struct tx_send *s;
	__u32 seq = 0, len, hdr;
	__u8 doff = 0;
	__s32 d;

	if (!sk)
		return 0;
	s = bpf_map_lookup_elem(&tx_sends, &sk);
	if (!s)
		return 0;
	head = BPF_CORE_READ(skb, head);
	data = BPF_CORE_READ(skb, data);
	th = head + BPF_CORE_READ(skb, transport_header);
	if (bpf_probe_read_kernel(&seq, 4, th + 4) || bpf_probe_read_kernel(&doff, 1, th + 12))
		return 0;
	seq = __builtin_bswap32(seq);
	hdr = (__u32)(th - data) + (doff >> 4) * 4;
	len = BPF_CORE_READ(skb, len);
	if (len <= hdr)
		return 0;	/* no payload: an ACK, a SYN */
	d = (__s32)(s->seq - seq);
	if (d >= 0 && (__u32)d >= len - hdr)
		return 0;	/* a later segment carries it */
	ts = d >= 0 ? s->ts : 0;
	bpf_map_delete_elem(&tx_sends, &sk);
	return ts;
}

/* __dev_queue_xmit: the skb reaches the device layer; a new life for this address. */
SEC("raw_tp/net_dev_queue")
int BPF_PROG(nl_tx_queue, struct sk_buff *skb)
{
	struct tx_skb e = {};
	__u64 addr = (__u64)skb, sent;

	if (!nl_begin())
		return 0;
	nl_dev_name(BPF_CORE_READ(skb, dev), e.dev);
	if (!nl_dev_ok(e.dev))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	e.t_first = bpf_ktime_get_ns();
	e.head = (__u64)BPF_CORE_READ(skb, head);
	sent = tx_send_of(skb);
	if (sent && sent <= e.t_first) {
		tx_stage(TX_SEND_TO_DEV, e.dev, sent, e.t_first);
		e.t_first = sent;
	}
	bpf_map_update_elem(&tx_skbs, &addr, &e, BPF_ANY);
	return 0;
}

SEC("raw_tp/qdisc_enqueue")
int BPF_PROG(nl_tx_enqueue, struct Qdisc *q, const struct netdev_queue *txq, struct sk_buff *skb)
{
	struct tx_skb *e;

	if (!nl_begin())
		return 0;
	e = tx_find(skb);
	if (!e)
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	e->t_enq = bpf_ktime_get_ns();
	return 0;
}

/* A dequeue hands back a skb->next chain of packets skbs (bulk dequeue); empty ones have none. */
SEC("raw_tp/qdisc_dequeue")
int BPF_PROG(nl_tx_dequeue, struct Qdisc *q, const struct netdev_queue *txq, int packets,
	     struct sk_buff *skb)
{
	__u64 addr = (__u64)skb, now;

	if (packets <= 0 || !addr || !nl_begin())
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	now = bpf_ktime_get_ns();
	for (int i = 0; i < TX_MAX_BULK; i++) {
		struct tx_skb *e;

		if (i >= packets || !addr)
			break;
		e = tx_find((const struct sk_buff *)addr);
		if (e && e->t_enq) {
			tx_stage(TX_QDISC, e->dev, e->t_enq, now);
			e->t_enq = 0;
		}
		addr = (__u64)BPF_CORE_READ((struct sk_buff *)addr, next);
	}
	return 0;
}

SEC("raw_tp/net_dev_start_xmit")
int BPF_PROG(nl_tx_start, const struct sk_buff *skb, const struct net_device *dev)
{
	__u64 addr = (__u64)skb, now;
	struct tx_skb *e;

	if (!nl_begin())
		return 0;
	now = bpf_ktime_get_ns();
	e = tx_find(skb);
	if (!e) {
		/* a segment of a GSO split after the qdisc, or a path around net_dev_queue */
		struct tx_skb n = {};

		nl_dev_name(dev, n.dev);
		if (!nl_dev_ok(n.dev))
			return 0;
		n.t_first = now;
		n.head = (__u64)BPF_CORE_READ(skb, head);
		bpf_map_update_elem(&tx_skbs, &addr, &n, BPF_ANY);
		e = bpf_map_lookup_elem(&tx_skbs, &addr);
		if (!e)
			return 0;
	}
	nl_session_inc(NL_BPF_EV_EVENTS);
	e->t_start = now;
	return 0;
}

/* The driver took it (rc 0, NETDEV_TX_OK); on veth and loopback it is already on the peer's RX path. */
SEC("raw_tp/net_dev_xmit")
int BPF_PROG(nl_tx_xmit, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int len)
{
	__u64 now;
	struct tx_skb *e;

	if (!nl_begin())
		return 0;
	e = tx_find(skb);
	if (!e || !e->t_start || e->t_xmit)
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	if (rc != 0)
		return 0;
	now = bpf_ktime_get_ns();
	tx_stage(TX_DRIVER, e->dev, e->t_start, now);
	e->t_xmit = now;
	return 0;
}

/* The end of the skb's life: completion and total if the driver had it. */
static __always_inline void tx_free(const struct sk_buff *skb)
{
	__u64 addr = (__u64)skb, now;
	struct tx_skb *e;

	if (!nl_begin())
		return;
	e = tx_find(skb);
	if (!e)
		return;
	if (e->t_xmit) {
		now = bpf_ktime_get_ns();
		tx_stage(TX_COMPLETION, e->dev, e->t_xmit, now);
		tx_stage(TX_TOTAL, e->dev, e->t_first, now);
	}
	bpf_map_delete_elem(&tx_skbs, &addr);
}

SEC("raw_tp/consume_skb")
int BPF_PROG(nl_tx_consume, struct sk_buff *skb)
{
	tx_free(skb);
	return 0;
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(nl_tx_kfree, struct sk_buff *skb)
{
	tx_free(skb);
	return 0;
}
