// SPDX-License-Identifier: GPL-2.0
/*
 * netlat's one BPF object: one program per tracepoint, whatever the number
 * of metrics that want it. Each program asks the gate once, resolves the
 * skb's device once, reads the clock once, and hands the hit to the
 * handlers of the metrics switched on (nl_on, .rodata: the verifier drops
 * the rest). The handlers live with their metric, src/metrics/<name>/.
 *
 * The order of the handlers inside a program matters where two metrics
 * follow one skb: a stage that ends a pairing runs before the one that
 * starts the next, as the kernel's own order of events would have it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "rows.bpf.h"
/* One hit handled: the session's events counter, once per hit whatever served it. */
static __always_inline int nl_done(bool handled)
{
	if (handled)
		nl_session_inc(NL_BPF_EV_EVENTS);
	return 0;
}

/*
 * Every BPF metric's handlers and maps, <name>/<name>.bpf.h, one include per
 * BPF line of src/metrics/metrics.def (made by the Makefile). A metric's
 * header may also hold the program of a tracepoint no other metric uses;
 * the programs of shared tracepoints are below, one per tracepoint. Which
 * metrics a program serves is in their descriptors' bpf_programs.
 */
#include "bpf/metrics.bpf.h"
#if NL_BTF
#include "rx/sockq.bpf.h"
#else
/* sockq needs tp_btf (socket storage, bpf_loop): the raw_tp build pairs TCP's skbs instead */
#define sockq_on_tcp_probe(sk, skb, now)	false
#define sockq_on_data_ready(sk, now)		false
#define sockq_on_recv_length(sk, ret, flags)	false
#define sockq_on_copy(skb, len)			false
#endif

NL_SEC("napi_poll")
int BPF_PROG(nl_tp_napi_poll, struct napi_struct *napi, int work, int budget)
{
	if (!nl_begin())
		return 0;
	return nl_done(nl_on.napi && napi_on_poll(napi, work, budget));
}

NL_SEC("softirq_raise")
int BPF_PROG(nl_tp_softirq_raise, unsigned int vec)
{
	if (!nl_begin())
		return 0;
	return nl_done(nl_on.softirq && softirq_on_raise(vec));
}

NL_SEC("softirq_entry")
int BPF_PROG(nl_tp_softirq_entry, unsigned int vec)
{
	if (!nl_begin())
		return 0;
	return nl_done(nl_on.softirq && softirq_on_entry(vec));
}

NL_SEC("softirq_exit")
int BPF_PROG(nl_tp_softirq_exit, unsigned int vec)
{
	if (!nl_begin())
		return 0;
	return nl_done(nl_on.softirq && softirq_on_exit(vec));
}

/* An skb entering the stack: gro counts it, rx starts its life at stage (GRO hold, backlog, or none). */
static __always_inline int nl_rx_entry(const struct sk_buff *skb, enum gro_field f, __u32 stage)
{
	__u32 slot;
	bool done = false;

	if (!nl_begin())
		return 0;
	slot = nl_dev_slot(NL_RD(skb, dev));
	if (nl_on.gro)
		done |= gro_count(slot, f);
	if (nl_on.rx)
		done |= rx_begin(skb, stage, slot, bpf_ktime_get_ns());
	return nl_done(done);
}

NL_SEC("napi_gro_receive_entry")
int BPF_PROG(nl_tp_napi_gro_receive_entry, const struct sk_buff *skb)
{
	return nl_rx_entry(skb, GRO_IN, RX_GRO_HOLD);
}

NL_SEC("napi_gro_frags_entry")
int BPF_PROG(nl_tp_napi_gro_frags_entry, const struct sk_buff *skb)
{
	return nl_rx_entry(skb, GRO_IN, RX_GRO_HOLD);
}

NL_SEC("netif_rx")
int BPF_PROG(nl_tp_netif_rx, const struct sk_buff *skb)
{
	return nl_rx_entry(skb, GRO_DIRECT_IN, RX_BACKLOG);
}

/* Drivers that skip GRO: the skb starts here (no stage of its own). */
NL_SEC("netif_receive_skb_entry")
int BPF_PROG(nl_tp_netif_receive_skb_entry, const struct sk_buff *skb)
{
	return nl_rx_entry(skb, GRO_DIRECT_IN, RX_NSTAGES);
}

NL_SEC("netif_receive_skb_list_entry")
int BPF_PROG(nl_tp_netif_receive_skb_list_entry, const struct sk_buff *skb)
{
	return nl_rx_entry(skb, GRO_DIRECT_IN, RX_NSTAGES);
}

/* __netif_receive_skb_core: skbs delivered up (gro), the end of GRO hold and backlog (rx). */
NL_SEC("netif_receive_skb")
int BPF_PROG(nl_tp_netif_receive_skb, const struct sk_buff *skb)
{
	__u32 slot;
	bool done = false;

	if (!nl_begin())
		return 0;
	slot = nl_dev_slot(NL_RD(skb, dev));
	if (nl_on.gro)
		done |= gro_count(slot, GRO_SKBS_OUT);
	if (nl_on.rx)
		done |= rx_on_recv(skb, slot, bpf_ktime_get_ns());
	return nl_done(done);
}

NL_SEC("net_dev_queue")
int BPF_PROG(nl_tp_net_dev_queue, const struct sk_buff *skb)
{
	if (!nl_begin() || !nl_on.tx)
		return 0;
	return nl_done(tx_on_queue(skb, nl_dev_slot(NL_RD(skb, dev)), bpf_ktime_get_ns()));
}

NL_SEC("qdisc_enqueue")
int BPF_PROG(nl_tp_qdisc_enqueue, const struct Qdisc *q, const struct netdev_queue *txq,
	     const struct sk_buff *skb)
{
	bool done = false;
	__u64 now;

	if (!nl_begin())
		return 0;
	now = bpf_ktime_get_ns();
	if (nl_on.qdisc)
		done |= qdisc_on_enqueue(q, skb, now);
	if (nl_on.tx)
		done |= tx_on_enqueue(skb, now);
	return nl_done(done);
}

NL_SEC("qdisc_dequeue")
int BPF_PROG(nl_tp_qdisc_dequeue, const struct Qdisc *q, const struct netdev_queue *txq, int packets,
	     const struct sk_buff *skb)
{
	bool done = false;
	__u64 now;

	/* every dequeue attempt fires, empty ones (packets 0, no skb) included */
	if (packets <= 0 || !skb || !nl_begin())
		return 0;
	now = bpf_ktime_get_ns();
	if (nl_on.qdisc)
		done |= qdisc_on_dequeue(q, packets, skb, now);
	if (nl_on.tx)
		done |= tx_on_dequeue(packets, skb, now);
	return nl_done(done);
}

NL_SEC("net_dev_start_xmit")
int BPF_PROG(nl_tp_net_dev_start_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	__u32 slot;
	bool done = false;

	if (!nl_begin())
		return 0;
	slot = nl_dev_slot(dev);
	if (nl_on.gso)
		done |= gso_on_start_xmit(skb, slot);
	if (nl_on.tx)
		done |= tx_on_start_xmit(skb, slot, bpf_ktime_get_ns());
	return nl_done(done);
}

NL_SEC("net_dev_xmit")
int BPF_PROG(nl_tp_net_dev_xmit, const struct sk_buff *skb, int rc)
{
	if (!nl_begin() || !nl_on.tx)
		return 0;
	return nl_done(tx_on_xmit(skb, rc, bpf_ktime_get_ns()));
}

/* The end of an skb's life for the pairing metrics. */
static __always_inline bool nl_skb_freed(const struct sk_buff *skb)
{
	bool done = false;

	if (nl_on.rx)
		done |= rx_on_free(skb);
	if (nl_on.tx)
		done |= tx_on_free(skb, bpf_ktime_get_ns());
	return done;
}

NL_SEC("consume_skb")
int BPF_PROG(nl_tp_consume_skb, const struct sk_buff *skb)
{
	if (!nl_begin())
		return 0;
	return nl_done(nl_skb_freed(skb));
}

/*
 * trace_kfree_skb(skb, location[, reason[, rx_sk]]): the reason argument
 * exists since Linux 5.17 (nl_on.kfree_skb_reason, from BTF). A volatile
 * read keeps clang from loading it where the verifier would refuse it.
 */
NL_SEC("kfree_skb")
int BPF_PROG(nl_tp_kfree_skb, const struct sk_buff *skb, void *location)
{
	bool done;

	if (!nl_begin())
		return 0;
	done = nl_skb_freed(skb);
	if (nl_on.drops) {
		__u32 reason = DROPS_NO_REASON;

		if (nl_on.kfree_skb_reason)
			reason = (__u32)((volatile __u64 *)ctx)[2];
		done |= drops_on_kfree(skb, nl_addr(location), reason);
	}
	return nl_done(done);
}

NL_SEC("inet_sock_set_state")
int BPF_PROG(nl_tp_inet_sock_set_state, const struct sock *sk, int oldstate, int newstate)
{
	if (!nl_begin() || !nl_on.tcp)
		return 0;
	return nl_done(tcp_on_set_state(sk, oldstate, newstate));
}

NL_SEC("tcp_probe")
int BPF_PROG(nl_tp_tcp_probe, const struct sock *sk, const struct sk_buff *skb)
{
	bool done = false;
	__u64 now;

	if (!nl_begin())
		return 0;
	now = bpf_ktime_get_ns();
	if (nl_on.tcp)
		done |= tcp_on_probe(sk);
	if (nl_on.rx)
		done |= rx_on_tcp_probe(skb, now);
	if (nl_on.sockq)
		done |= sockq_on_tcp_probe((struct sock *)sk, skb, now);
	return nl_done(done);
}

NL_SEC("tcp_retransmit_skb")
int BPF_PROG(nl_tp_tcp_retransmit_skb, const struct sock *sk)
{
	if (!nl_begin() || !nl_on.tcp)
		return 0;
	return nl_done(tcp_on_retransmit(sk));
}

NL_SEC("tcp_send_reset")
int BPF_PROG(nl_tp_tcp_send_reset, const struct sock *sk, const struct sk_buff *skb)
{
	if (!nl_begin() || !nl_on.tcp)
		return 0;
	return nl_done(tcp_on_send_reset(sk, skb));
}

NL_SEC("tcp_receive_reset")
int BPF_PROG(nl_tp_tcp_receive_reset, const struct sock *sk)
{
	if (!nl_begin() || !nl_on.tcp)
		return 0;
	return nl_done(tcp_on_receive_reset(sk));
}

NL_SEC("tcp_sendmsg_locked")
int BPF_PROG(nl_tp_tcp_sendmsg_locked, const struct sock *sk)
{
	if (!nl_begin() || !nl_on.tx)
		return 0;
	return nl_done(tx_on_sendmsg(sk, bpf_ktime_get_ns()));
}

/* trace_sock_recv_length(sk, ret, flags) in sock_recvmsg_nosec, process context. */
NL_SEC("sock_recv_length")
int BPF_PROG(nl_tp_sock_recv_length, const struct sock *sk, int ret, int flags)
{
	bool done = false;

	if (!nl_begin())
		return 0;
	if (nl_on.tcp)
		done |= tcp_on_length(sk, ret, flags, true);
	if (nl_on.copy)
		done |= copy_on_length(sk, ret, flags, COPY_RX);
	if (nl_on.sockq)
		done |= sockq_on_recv_length((struct sock *)sk, ret, flags);
	return nl_done(done);
}

/* trace_sock_send_length(sk, ret, flags) in sock_sendmsg_nosec, process context. */
NL_SEC("sock_send_length")
int BPF_PROG(nl_tp_sock_send_length, const struct sock *sk, int ret, int flags)
{
	bool done = false;

	if (!nl_begin())
		return 0;
	if (nl_on.tcp)
		done |= tcp_on_length(sk, ret, flags, false);
	if (nl_on.copy)
		done |= copy_on_length(sk, ret, flags, COPY_TX);
	return nl_done(done);
}

NL_SEC("skb_copy_datagram_iovec")
int BPF_PROG(nl_tp_skb_copy_datagram_iovec, const struct sk_buff *skb, int len)
{
	bool done = false;

	if (!nl_begin())
		return 0;
	if (nl_on.rx)
		done |= rx_on_copy(skb, bpf_ktime_get_ns());
	if (nl_on.copy)
		done |= copy_on_datagram(skb, len);
	if (nl_on.sockq)
		done |= sockq_on_copy(skb, len);
	return nl_done(done);
}

/* Linux 6.6+; without it UDP has no stack stage and no socket_enqueued point. */
NL_SEC("sk_data_ready")
int BPF_PROG(nl_tp_sk_data_ready, const struct sock *sk)
{
	bool done;
	__u64 now;

	if (!nl_begin() || !nl_on.rx)
		return 0;
	now = bpf_ktime_get_ns();
	done = rx_on_data_ready(sk, now);
	if (nl_on.sockq)
		done |= sockq_on_data_ready((struct sock *)sk, now);
	return nl_done(done);
}

/*
 * raw_syscalls, only with copy --syscall-time: every system call of the
 * machine passes here, so the others leave before any map lookup.
 */
NL_SEC("sys_enter")
int BPF_PROG(nl_tp_sys_enter, struct pt_regs *regs, long id)
{
	if (!copy_data_syscall(id) || !nl_begin())
		return 0;
	return nl_done(copy_on_sys_enter(id));
}

/* x86: the syscall number survives in orig_ax. */
NL_SEC("sys_exit")
int BPF_PROG(nl_tp_sys_exit, struct pt_regs *regs)
{
	long id = BPF_CORE_READ(regs, orig_ax);

	if (!copy_data_syscall(id) || !nl_enabled)
		return 0;
	return nl_done(copy_on_sys_exit(id));
}
