// SPDX-License-Identifier: GPL-2.0
/*
 * copy: bytes copied to user (skb_copy_datagram_iovec), bytes per
 * receive/send call (sock_recv_length / sock_send_length) and the time of
 * the system call around them (raw_syscalls sys_enter/sys_exit), per
 * direction and process. Every event here runs in the process's context,
 * so -p and --comm are applied in the kernel.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "common.bpf.h"
#include "copy.h"

#define NL_MSG_PEEK	2

/* A thread inside a data system call: when it started, which ways it moved data. */
struct nl_copy_call {
	__u64 start;
	__u32 dirs;		/* 1 << enum nl_copy_dir */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, COPY_MAX_INFLIGHT);
	__type(key, __u32);		/* tid */
	__type(value, struct nl_copy_call);
} copy_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, COPY_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nl_copy_key);
	__type(value, struct nl_copy_val);
} copy_stats SEC(".maps");

static const struct nl_copy_val copy_zero;

static __always_inline bool data_syscall(long id)
{
	switch (id) {
	case COPY_NR_READ: case COPY_NR_WRITE: case COPY_NR_READV: case COPY_NR_WRITEV:
	case COPY_NR_SENDTO: case COPY_NR_RECVFROM: case COPY_NR_SENDMSG: case COPY_NR_RECVMSG:
	case COPY_NR_RECVMMSG: case COPY_NR_SENDMMSG:
		return true;
	}
	return false;
}

static __always_inline struct nl_copy_val *copy_row(__u32 dir)
{
	struct nl_copy_key key = {};

	key.dir = dir;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	return nl_row(&copy_stats, &key, &copy_zero);
}

/* --netns and --port of the socket the data belongs to. */
static __always_inline bool sock_ok(const struct sock *sk)
{
	__u16 lport, rport;

	if (!sk)
		return !nl_filter.netns && !nl_filter.port;
	if (!nl_netns_ok(nl_sk_netns(sk)))
		return false;
	lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return nl_port_ok(lport, rport);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(nl_copy_sys_enter, struct pt_regs *regs, long id)
{
	struct nl_copy_call c = {};
	__u32 tid;

	if (!data_syscall(id) || !nl_begin() || !nl_task_ok())
		return 0;
	tid = (__u32)bpf_get_current_pid_tgid();
	c.start = bpf_ktime_get_ns();
	bpf_map_update_elem(&copy_calls, &tid, &c, BPF_ANY);
	return 0;
}

/*
 * A system call that moved socket data: its time goes to the direction it
 * moved (one system call is a receive or a send; rx wins in the odd case).
 * One straight-line histogram update: a loop over both directions made
 * clang share the bucket index between iterations in a way the 6.1
 * verifier could not follow (contradictory bounds, "invalid mem access").
 */
SEC("raw_tp/sys_exit")
int BPF_PROG(nl_copy_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct nl_copy_call *c;
	struct nl_copy_val *v;
	__u64 d, start;
	__u32 dirs;

	/*
	 * Every system call on the machine passes here: leave the others before
	 * any map lookup (x86: the syscall number survives in orig_ax).
	 */
	if (!data_syscall(BPF_CORE_READ(regs, orig_ax)))
		return 0;
	c = bpf_map_lookup_elem(&copy_calls, &tid);
	if (!c)
		return 0;
	start = c->start;
	dirs = c->dirs;
	bpf_map_delete_elem(&copy_calls, &tid);
	if (!dirs || !nl_enabled)
		return 0;
	d = bpf_ktime_get_ns() - start;
	v = copy_row(dirs & (1u << COPY_RX) ? COPY_RX : COPY_TX);
	if (!v)
		return 0;
	v->syscall_ns += d;
	nl_hist_put(&v->syscall_time, d);
	return 0;
}

static __always_inline void call_length(const struct sock *sk, int ret, int flags, __u32 dir)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct nl_copy_call *c;
	struct nl_copy_val *v;

	if (ret <= 0 || (flags & NL_MSG_PEEK) || !nl_begin() || !nl_task_ok() || !sock_ok(sk))
		return;
	nl_session_inc(NL_BPF_EV_EVENTS);
	c = bpf_map_lookup_elem(&copy_calls, &tid);
	if (c)
		c->dirs |= 1u << dir;
	v = copy_row(dir);
	if (!v)
		return;
	v->calls++;
	if (dir == COPY_TX)
		v->bytes += ret;	/* no copy tracepoint on the way out: what send accepted */
	nl_hist_put(&v->per_call, ret);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(nl_copy_recv_length, const struct sock *sk, int ret, int flags)
{
	call_length(sk, ret, flags, COPY_RX);
	return 0;
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(nl_copy_send_length, const struct sock *sk, int ret, int flags)
{
	call_length(sk, ret, flags, COPY_TX);
	return 0;
}

/* trace_skb_copy_datagram_iovec(skb, len): bytes of skb copied to the user's buffer. */
SEC("raw_tp/skb_copy_datagram_iovec")
int BPF_PROG(nl_copy_datagram, const struct sk_buff *skb, int len)
{
	struct nl_copy_val *v;

	if (len <= 0 || !nl_begin() || !nl_task_ok() || !sock_ok(BPF_CORE_READ(skb, sk)))
		return 0;
	nl_session_inc(NL_BPF_EV_EVENTS);
	v = copy_row(COPY_RX);
	if (v)
		v->bytes += len;
	return 0;
}
