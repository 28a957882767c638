// SPDX-License-Identifier: GPL-2.0
/* The copy metric's descriptor: copy to and from user. */
#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/triage.h"
#include "metric_summaries.h"
#include "metric_views.h"
#include "metric_bpf_hooks.h"

/*
 * copy: bytes copied to user (skb_copy_datagram_iovec), bytes per send and
 * receive call (sock_send_length, sock_recv_length) and the time of the
 * socket system calls that moved them (raw_syscalls), per direction and
 * process. syscall_time includes waiting for data: an upper bound of the
 * copy cost, not the copy itself.
 */
/*
 * raw_syscalls run on every system call of the machine: the BPF collector
 * attaches them only with --syscall-time; without them syscall_time and
 * syscall_ns stay empty.
 */
static const char *const copy_tps[] = { "skb:skb_copy_datagram_iovec", NULL };
static const char *const copy_opt_tps[] = {
	"sock:sock_recv_length", "sock:sock_send_length", "raw_syscalls:sys_enter", "raw_syscalls:sys_exit", NULL,
};
static const struct nl_stat_desc copy_stats[] = {
	{ "bytes", NL_COUNTER, "bytes", "rx: copied to user; tx: accepted by send calls" },
	{ "calls", NL_COUNTER, "", "receive/send calls that moved data" },
	{ "per_call", NL_HIST, "bytes", "bytes per receive/send call" },
	{ "syscall_ns", NL_COUNTER, "ns", "time in the socket system calls that moved data" },
	{ "syscall_time", NL_HIST, "ns", "one such system call, entry to exit" },
	{ NULL, 0, NULL, NULL },
};
static const struct nl_derived copy_derived[] = {
	{ "ns_per_kib", "syscall_ns", "bytes", "system call time per KiB moved (upper bound of copy cost)",
	1024 },
	{ NULL, NULL, NULL, NULL, 0 },
};

static const struct nl_headline copy_headline = {
	"dir", NULL, NULL, "ns_per_kib", NULL, NULL, "ns/KiB", NULL, 0,
	"needs record --syscall-time",
};

extern const struct nl_rule nl_rule_copy_cost;
static const struct nl_rule *const copy_rules[] = { &nl_rule_copy_cost, NULL };

/* the system-call programs run on every syscall of the machine: only when --syscall-time asks */
static const struct nl_bpf_use copy_bpf[] = {
	{ "skb_copy_datagram_iovec", false },
	{ "sock_recv_length", false },
	{ "sock_send_length", false },
	{ "sys_enter", true },
	{ "sys_exit", true },
	{ NULL, false },
};

const struct nl_metric_desc nl_metric_copy = {
	"copy", "Copy to/from user", "bytes per call and socket system call time per KiB",
	"dir comm pid", copy_tps, copy_opt_tps, copy_stats, copy_derived, NL_SRC_MEMCPY_REF, &copy_headline, NULL, NULL,
	copy_rules, NULL, false,
	{ NL_FILTER_PID | NL_FILTER_COMM | NL_FILTER_PORT | NL_FILTER_NETNS, NL_FILTER_PID | NL_FILTER_COMM, 0 },
	.bpf_programs = copy_bpf,
	.bpf_hooks = &copy_bpf_hooks,
};
