// SPDX-License-Identifier: GPL-2.0
/*
 * copy's part in the BPF collector: the system-call timing of
 * --syscall-time (raw_syscalls' sys_enter/sys_exit, taxing every system
 * call) is on only with the option, its map sized only then.
 */
#include "metric_bpf_hooks.h"
#include "netlat/collector.h"

static const char *const copy_syscall_maps[] = { "copy_calls", NULL };

static bool syscall_time;	/* this recording's --syscall-time, from copy_setup */

static void copy_setup(const struct nlb_kernel *k, struct nl_bpf_switches *on)
{
	syscall_time = k->opts->syscall_time;
	on->copy_syscalls = on->copy && syscall_time;
}

/*
 * Statistic i of a copy row (struct nl_copy_val order: bytes, calls,
 * syscall_ns, per_call, syscall_time): the system-call ones exist only with
 * --syscall-time. Without it they are not measured, which is not zero: a
 * 0 there made the report print "ns/KiB 0.000".
 */
bool copy_row_has(const void *key, unsigned int i)
{
	(void)key;
	return syscall_time || (i != 2 && i != 4);
}

const struct nl_bpf_hooks copy_bpf_hooks = {
	.syscall_time_maps = copy_syscall_maps,
	.setup = copy_setup,
};
