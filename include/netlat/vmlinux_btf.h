/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's BTF (/sys/kernel/btf/vmlinux), parsed once per
 * process. It is several MB: each parse costs tens of milliseconds, and
 * the feature tries, the drop-reason names, the function targets and the
 * BPF collector all need it before netlat is armed.
 */
#ifndef NETLAT_VMLINUX_BTF_H
#define NETLAT_VMLINUX_BTF_H

struct btf;

/*
 * The parsed BTF, owned here (never free it); NULL with *err = -errno when
 * the kernel has none or it does not parse. The first call parses; later
 * calls return the same answer. err may be NULL.
 */
struct btf *nl_vmlinux_btf(int *err);

#endif
