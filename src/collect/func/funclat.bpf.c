// SPDX-License-Identifier: GPL-2.0
/*
 * Latency of one kernel function: entry stamps per thread, exit adds the
 * duration to the row of the function's network namespace. The same text
 * serves fentry/fexit (arguments through bpf_get_func_arg, 5.17+) and
 * kprobe/kretprobe (arguments from pt_regs at entry); user space sets the
 * target and autoloads only the pair the chosen tier uses.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "common.bpf.h"
#include "funclat.h"

const volatile struct nl_funclat_cfg fl_cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NL_BPF_MAX_KEYED_ROWS);
	__type(key, __u32);
	__type(value, struct nl_funclat_val);
} fl_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NL_FUNCLAT_MAX_THREADS);
	__type(key, __u64);
	__type(value, struct nl_funclat_start);
} fl_start SEC(".maps");

static const struct nl_funclat_val fl_zero;

/* This CPU's row for key, created from zero the first time; NULL (counted as lost) when the map is full. */
static __always_inline void *nl_row(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	v = bpf_map_lookup_elem(map, key);
	if (!v)
		nl_session_inc(NL_BPF_EV_LOST);
	return v;
}

/* net->ns.inum at the offset BTF gave user space (a probe read: kprobes see raw pointers). */
static __always_inline __u32 net_inum(__u64 net)
{
	__u32 inum = 0;

	if (net)
		bpf_probe_read_kernel(&inum, sizeof(inum), (void *)(net + fl_cfg.net_inum_off));
	return inum;
}

/* Common entry: filters, then stamp this thread. */
static __always_inline void enter(__u64 netarg, __u64 bytesarg)
{
	struct nl_funclat_start s = {};
	__u64 id = bpf_get_current_pid_tgid();

	if (!nl_begin() || !nl_task_ok())
		return;
	if (fl_cfg.netns_arg) {
		s.netns = net_inum(netarg);
		if (!nl_netns_ok(s.netns))
			return;
	}
	s.bytes = fl_cfg.bytes_arg ? bytesarg : 0;
	s.ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&fl_start, &id, &s, BPF_ANY);
}

/* Common exit: the thread's entry stamp, if it passed the filters. */
static __always_inline void leave(__s64 ret)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns();
	struct nl_funclat_start *s = bpf_map_lookup_elem(&fl_start, &id);
	struct nl_funclat_val *v;
	__u64 bytes;
	__u32 key;

	if (!s)
		return;
	key = s->netns;
	bytes = s->bytes;
	if (fl_cfg.bytes_ret)
		bytes = ret > 0 ? (__u64)ret : 0;
	if (now > s->ts) {
		v = nl_row(&fl_stats, &key, &fl_zero);
		if (v) {
			v->calls++;
			v->bytes += bytes;
			nl_hist_put(&v->duration, now - s->ts);
			nl_session_inc(NL_BPF_EV_EVENTS);
		}
	}
	bpf_map_delete_elem(&fl_start, &id);
}

static __always_inline __u64 func_arg(void *ctx, unsigned int n)
{
	__u64 v = 0;

	if (n)
		bpf_get_func_arg(ctx, n - 1, &v);
	return v;
}

SEC("fentry")
int fl_fentry(void *ctx)
{
	enter(func_arg(ctx, fl_cfg.netns_arg), func_arg(ctx, fl_cfg.bytes_arg));
	return 0;
}

SEC("fexit")
int fl_fexit(void *ctx)
{
	__u64 ret = 0;

	bpf_get_func_ret(ctx, &ret);
	leave((__s64)ret);
	return 0;
}

/* The n-th (1-based) argument register of the x86-64 calling convention. */
static __always_inline __u64 regs_arg(struct pt_regs *regs, unsigned int n)
{
	switch (n) {
	case 1: return PT_REGS_PARM1_CORE(regs);
	case 2: return PT_REGS_PARM2_CORE(regs);
	case 3: return PT_REGS_PARM3_CORE(regs);
	case 4: return PT_REGS_PARM4_CORE(regs);
	case 5: return PT_REGS_PARM5_CORE(regs);
	default: return 0;
	}
}

SEC("kprobe")
int fl_kprobe(struct pt_regs *regs)
{
	enter(regs_arg(regs, fl_cfg.netns_arg), regs_arg(regs, fl_cfg.bytes_arg));
	return 0;
}

SEC("kretprobe")
int fl_kretprobe(struct pt_regs *regs)
{
	leave((__s64)PT_REGS_RC_CORE(regs));
	return 0;
}
