/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every netlat BPF program shares with user space: the filter the
 * collector fills in before load (.rodata) and the per-CPU session counters.
 * Included from both worlds: no libc, no vmlinux.h.
 */
#ifndef NETLAT_BPF_COMMON_H
#define NETLAT_BPF_COMMON_H

#define NL_BPF_DEV_LEN		16	/* IFNAMSIZ */
#define NL_BPF_MAX_CPUS		1024	/* NL_MAX_CPUS in include/netlat/collector.h */
/* Rows (devices, qdiscs) per stats map; allocated on first use, not up front. */
#define NL_BPF_MAX_ROWS		256
#define NL_BPF_NO_DEVICE	"(no_device)"	/* what napi_poll prints for the backlog */
#define NL_BPF_COMM_LEN		16	/* TASK_COMM_LEN */

/* Set by user space before load; the verifier then prunes the unused filters. */
struct nl_bpf_filter {
	unsigned long long cpumask[NL_BPF_MAX_CPUS / 64];
	unsigned int cpus_set;			/* 0: every CPU */
	char dev[NL_BPF_DEV_LEN];		/* "": every device */
	/* Attribution filters (0 / "": any); a family that cannot apply one is refused at arm. */
	unsigned int netns;			/* --netns: net->ns.inum */
	unsigned int pid;			/* -p: tgid, process context only */
	char comm[NL_BPF_COMM_LEN];		/* --comm, process context only */
	unsigned short port;			/* --port: local or remote, host order */
};

/* Slots of the per-CPU nl_session array. */
enum nl_bpf_session_slot {
	NL_BPF_EV_EVENTS = 0,	/* tracepoint hits handled (after the filters) */
	NL_BPF_EV_LOST = 1,	/* hits dropped because a stats map was full */
	NL_BPF_EV_NR = 2,
};

/* A per-device row key (napi, gro, gso). */
struct nl_dev_key {
	char dev[NL_BPF_DEV_LEN];
	unsigned int netns;		/* the device's network namespace (inode), 0 for no device */
};

#endif
