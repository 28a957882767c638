// SPDX-License-Identifier: GPL-2.0
/*
 * One parse of the kernel's BTF per process (see netlat/vmlinux_btf.h).
 * libbpf still parses its own copy when it loads a BPF object: it takes no
 * parsed BTF from the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "netlat/vmlinux_btf.h"

static struct btf *btf;
static int btf_err;
static pthread_once_t parsed = PTHREAD_ONCE_INIT;

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/*
 * Where the kernel lets the file be mapped (Linux 6.16+), btf__new reads
 * the mapping: one copy of the data, not libbpf's read into a buffer and
 * its copy of that. Measured on the 6.18 test machine: 27 ms against 50 to
 * 100 ms, most of it page faults on fresh memory. NULL: map or parse failed.
 */
static struct btf *parse_mapped(void)
{
	struct btf *b = NULL;
	struct stat st;
	void *p;
	int fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			b = btf__new(p, (__u32)st.st_size);	/* copies: the mapping can go */
			munmap(p, (size_t)st.st_size);
		}
	}
	close(fd);
	return b;
}

static void parse(void)
{
	btf = parse_mapped();
	if (btf)
		return;
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
