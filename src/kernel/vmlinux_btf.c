// SPDX-License-Identifier: GPL-2.0
/*
 * One parse of the kernel's BTF per process (see netlat/vmlinux_btf.h).
 * libbpf still parses its own copy when it loads a BPF object: it takes no
 * parsed BTF from the caller.
 */
#include <errno.h>
#include <pthread.h>

#include <bpf/btf.h>

#include "netlat/vmlinux_btf.h"

static struct btf *btf;
static int btf_err;
static pthread_once_t parsed = PTHREAD_ONCE_INIT;

static void parse(void)
{
	errno = 0;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		btf_err = errno ? -errno : -ENOENT;
}

/* Once, even when the func collector's symbol thread and the main thread both ask. */
struct btf *nl_vmlinux_btf(int *err)
{
	pthread_once(&parsed, parse);
	if (err)
		*err = btf_err;
	return btf;
}
