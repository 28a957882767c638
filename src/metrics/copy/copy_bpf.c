// SPDX-License-Identifier: GPL-2.0
/*
 * copy's part in the BPF collector: the system-call timing of
 * --syscall-time (raw_syscalls' sys_enter/sys_exit, taxing every system
 * call) is on only with the option, its map sized only then.
 */
#include <string.h>

#include "metric_bpf_hooks.h"
#include "netlat/collector.h"

static const char *const copy_syscall_maps[] = { "copy_calls", NULL };

static void copy_setup(const struct nlb_kernel *k, struct nl_bpf_switches *on)
{
	on->copy_syscalls = on->copy && k->opts->syscall_time;
}

/*
 * The system-call statistics of a copy row (syscall_ns, syscall_time)
 * exist only with --syscall-time. Without it they are not measured, which
 * is not zero: a 0 there made the report print "ns/KiB 0.000".
 */
bool copy_row_has(const void *key, const char *stat, const struct nl_record_opts *o)
{
	(void)key;
	return o->syscall_time || (strcmp(stat, "syscall_ns") && strcmp(stat, "syscall_time"));
}

const struct nl_bpf_hooks copy_bpf_hooks = {
	.syscall_time_maps = copy_syscall_maps,
	.setup = copy_setup,
};
