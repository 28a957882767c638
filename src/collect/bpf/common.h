/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between netlat's one BPF object (netlat.bpf.c) and the BPF
 * collector: the filter and the metric switches user space fills in before
 * load (.rodata), the session counters, and the slot tables through which
 * every row is an index into a per-CPU array. Included from both worlds:
 * no libc, no vmlinux.h.
 */
#ifndef NETLAT_BPF_COMMON_H
#define NETLAT_BPF_COMMON_H

#define NL_BPF_DEV_LEN		16	/* IFNAMSIZ */
#define NL_BPF_MAX_CPUS		1024	/* NL_MAX_CPUS in include/netlat/collector.h */
#define NL_BPF_NO_DEVICE	"(no_device)"	/* what napi_poll prints for the backlog */
#define NL_BPF_COMM_LEN		16	/* TASK_COMM_LEN */
/*
 * Devices get a slot the first time they are seen; every per-device row is
 * an array index derived from it. Slot 0 is "no device" (the backlog). A
 * device beyond the last slot is counted as a lost event, not misfiled.
 */
#define NL_BPF_MAX_DEVS		32
/* Rows of the metrics keyed by something other than a device (flows, qdiscs, drop sites). */
#define NL_BPF_MAX_KEYED_ROWS	256

/* Set by user space before load; the verifier then prunes the unused filters. */
struct nl_bpf_filter {
	unsigned long long cpumask[NL_BPF_MAX_CPUS / 64];
	unsigned int cpus_set;			/* 0: every CPU */
	char dev[NL_BPF_DEV_LEN];		/* "": every device */
	/* Attribution filters (0 / "": any); a metric that cannot apply one is refused at arm. */
	unsigned int netns;			/* --netns: net->ns.inum */
	unsigned int pid;			/* -p: tgid, process context only */
	char comm[NL_BPF_COMM_LEN];		/* --comm, process context only */
	unsigned short port;			/* --port: local or remote, host order */
};

/*
 * Which metrics the object serves, set before load: a tracepoint's program
 * runs the handlers of the metrics switched on, and the verifier removes
 * the rest as dead code. A program whose every metric is off is not loaded.
 */
struct nl_bpf_switches {
	/* one switch per BPF metric of src/metrics/metrics.def, nl_on.<name> */
#define NL_METRIC(name, bpf, tracefs) NL_SWITCH_##bpf(name)
#define NL_SWITCH_BPF(name) unsigned char name;
#define NL_SWITCH_NO_BPF(name)
#include "metrics.def"
#undef NL_SWITCH_NO_BPF
#undef NL_SWITCH_BPF
#undef NL_METRIC
	unsigned char copy_syscalls;		/* copy --syscall-time: raw_syscalls, every syscall */
	unsigned char tx_send;			/* tx: tcp_sendmsg_locked is loaded (Linux 6.3+) */
	unsigned char kfree_skb_reason;		/* kfree_skb has its reason argument (Linux 5.17+) */
	unsigned char sockq;			/* rx: TCP's socket queue by bytes (tp_btf, bpf_loop: 5.17+) */
	unsigned char sockq_read_at_copy;	/* no sock_recv_length (before 6.3): a read is an skb copy */
	unsigned char pad[1];
};

/* Slots of the per-CPU nl_session array. */
enum nl_bpf_session_slot {
	NL_BPF_EV_EVENTS = 0,	/* tracepoint hits handled (after the filters) */
	NL_BPF_EV_LOST = 1,	/* hits dropped because a row table was full */
	NL_BPF_EV_ADMITTED = 2,	/* skbs admitted to per-skb pairing (rx, tx) */
	NL_BPF_EV_OFFERED = 3,	/* skbs offered to admission */
	NL_BPF_EV_NR = 4,
};

/* What user space needs to name a device slot; written once, when the slot is taken. */
struct nl_bpf_dev {
	char name[NL_BPF_DEV_LEN];
	unsigned int ifindex;
	unsigned int netns;		/* the device's network namespace (inode), 0 for no device */
	unsigned long long dev;		/* struct net_device address, to tell a reused ifindex */
};

#endif
