/* SPDX-License-Identifier: GPL-2.0 */
/*
 * copy, kernel side: bytes copied to user (skb_copy_datagram_iovec), bytes
 * per receive/send call (sock_recv_length / sock_send_length), per
 * direction and process. Every event here runs in the process's context,
 * so -p and --comm are applied in the kernel.
 *
 * The time of the system call around them needs raw_syscalls
 * sys_enter/sys_exit, which run on every system call of the machine: only
 * with --syscall-time (nl_on.copy_syscalls), never by default.
 */
#ifndef NETLAT_COPY_BPF_H
#define NETLAT_COPY_BPF_H

#include "copy.h"

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

NL_KEYED_ROWS(copy_row, struct nl_copy_key, COPY_MAX_ROWS)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COPY_MAX_ROWS);
	__type(key, __u32);
	__type(value, struct nl_copy_val);
} copy_rows SEC(".maps");

static __always_inline bool copy_data_syscall(long id)
{
	switch (id) {
	case COPY_NR_READ: case COPY_NR_WRITE: case COPY_NR_READV: case COPY_NR_WRITEV:
	case COPY_NR_SENDTO: case COPY_NR_RECVFROM: case COPY_NR_SENDMSG: case COPY_NR_RECVMSG:
	case COPY_NR_RECVMMSG: case COPY_NR_SENDMMSG:
		return true;
	}
	return false;
}

struct nl_row_cache_map copy_row_cache SEC(".maps");

/* The current thread's row for dir: from this CPU's cache, else built from its process and name. */
static __always_inline struct nl_copy_val *copy_row(__u32 dir)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct nl_row_cache_ent *ce;
	struct nl_copy_key key = {};
	bool hit;
	__u32 idx;

	ce = nl_row_cached(&copy_row_cache, (__u32)pid_tgid ^ (dir << 16), pid_tgid, dir, 0, &hit);
	if (hit)
		return bpf_map_lookup_elem(&copy_rows, &ce->idx);
	key.dir = dir;
	key.pid = pid_tgid >> 32;
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	idx = copy_row_index(&key);
	nl_row_cache_fill(ce, pid_tgid, dir, 0, idx);
	return bpf_map_lookup_elem(&copy_rows, &idx);
}

/* --netns and --port of the socket the data belongs to. */
static __always_inline bool copy_sock_ok(const struct sock *sk)
{
	__u16 lport, rport;

	if (!nl_filter.netns && !nl_filter.port)
		return true;
	if (!sk)
		return false;
	if (!nl_netns_ok(nl_sk_netns(sk)))
		return false;
	lport = NL_RD(sk, __sk_common.skc_num);
	rport = __builtin_bswap16(NL_RD(sk, __sk_common.skc_dport));
	return nl_port_ok(lport, rport);
}

static __always_inline bool copy_on_sys_enter(long id)
{
	struct nl_copy_call c = {};
	__u32 tid;

	if (!copy_data_syscall(id) || !nl_task_ok())
		return false;
	tid = (__u32)bpf_get_current_pid_tgid();
	c.start = bpf_ktime_get_ns();
	bpf_map_update_elem(&copy_calls, &tid, &c, BPF_ANY);
	return true;
}

/*
 * A system call that moved socket data: its time goes to the direction it
 * moved (one system call is a receive or a send; rx wins in the odd case).
 * One straight-line histogram update: a loop over both directions made
 * clang share the bucket index between iterations in a way the 6.1
 * verifier could not follow (contradictory bounds, "invalid mem access").
 */
static __always_inline bool copy_on_sys_exit(long id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct nl_copy_call *c;
	struct nl_copy_val *v;
	__u64 d, start;
	__u32 dirs;

	if (!copy_data_syscall(id))
		return false;
	c = bpf_map_lookup_elem(&copy_calls, &tid);
	if (!c)
		return false;
	start = c->start;
	dirs = c->dirs;
	bpf_map_delete_elem(&copy_calls, &tid);
	if (!dirs)
		return false;
	d = bpf_ktime_get_ns() - start;
	v = copy_row(dirs & (1u << COPY_RX) ? COPY_RX : COPY_TX);
	if (!v)
		return false;
	v->syscall_ns += d;
	nl_hist_put(&v->syscall_time, d);
	return true;
}

static __always_inline bool copy_on_length(const struct sock *sk, int ret, int flags, __u32 dir)
{
	struct nl_copy_val *v;

	if (ret <= 0 || (flags & NL_MSG_PEEK) || !nl_task_ok() || !copy_sock_ok(sk))
		return false;
	if (nl_on.copy_syscalls) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();
		struct nl_copy_call *c = bpf_map_lookup_elem(&copy_calls, &tid);

		if (c)
			c->dirs |= 1u << dir;
	}
	v = copy_row(dir);
	if (!v)
		return false;
	v->calls++;
	if (dir == COPY_TX)
		v->bytes += ret;	/* no copy tracepoint on the way out: what send accepted */
	nl_hist_put(&v->per_call, ret);
	return true;
}

/* trace_skb_copy_datagram_iovec(skb, len): bytes of skb copied to the user's buffer. */
static __always_inline bool copy_on_datagram(const struct sk_buff *skb, int len)
{
	struct nl_copy_val *v;

	if (len <= 0 || !nl_task_ok() || !copy_sock_ok(NL_RD(skb, sk)))
		return false;
	v = copy_row(COPY_RX);
	if (!v)
		return false;
	v->bytes += len;
	return true;
}

#endif
