/* SPDX-License-Identifier: GPL-2.0 */
/* copy: shared between copy.bpf.c and the collector. Rows keyed by (direction, process). */
#ifndef NETLAT_BPF_COPY_H
#define NETLAT_BPF_COPY_H

#include "common.h"
#include "row_value.h"

#define COPY_MAX_ROWS		1024
#define COPY_MAX_INFLIGHT	16384	/* threads inside a read/write/send/recv system call */

enum nl_copy_dir { COPY_RX = 0, COPY_TX = 1 };

struct nl_copy_key {
	unsigned int dir;		/* enum nl_copy_dir */
	unsigned int pid;		/* tgid */
	char comm[NL_BPF_COMM_LEN];
};

#define COPY_VAL(C, H) \
	C(bytes) \
	C(calls) \
	C(syscall_ns) \
	H(per_call)	/* bytes */ \
	H(syscall_time)	/* ns */
NL_ROW_VALUE(nl_copy_val, COPY_VAL);

/* x86_64 numbers of the system calls that move socket data. */
#define COPY_NR_READ		0
#define COPY_NR_WRITE		1
#define COPY_NR_READV		19
#define COPY_NR_WRITEV		20
#define COPY_NR_SENDTO		44
#define COPY_NR_RECVFROM	45
#define COPY_NR_SENDMSG		46
#define COPY_NR_RECVMSG		47
#define COPY_NR_RECVMMSG	299
#define COPY_NR_SENDMMSG	307

#endif
