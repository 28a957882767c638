/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel names for numbers the tracepoints hand over: code addresses
 * (symbolized from /proc/kallsyms, never printed raw) and skb drop reasons
 * (named by the running kernel: its BTF enum skb_drop_reason, else the
 * kfree_skb tracepoint's print format; never a table compiled in).
 */
#ifndef NETLAT_KSYMS_H
#define NETLAT_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One line of /proc/kallsyms; name is not terminated (len bytes) and lives only during the call. */
struct nl_kallsym {
	uint64_t addr;
	char type;			/* 't'/'T': text */
	const char *name;
	size_t len;
};

/*
 * fn for each line of /proc/kallsyms (kernel/kallsyms.c), until it returns
 * non-zero, which is returned; -errno when the file cannot be opened.
 */
int nl_kallsyms_each(int (*fn)(void *arg, const struct nl_kallsym *ks), void *arg);

struct nl_ksyms;

/* /proc/kallsyms sorted by address; NULL when unreadable (or addresses hidden). */
struct nl_ksyms *nl_ksyms_load(void);
void nl_ksyms_free(struct nl_ksyms *ks);
/* "sym+0x1f" (or "sym" at offset 0) into out; "unknown" when addr is in no symbol. */
void nl_ksyms_name(const struct nl_ksyms *ks, uint64_t addr, char *out, size_t len);

struct nl_drop_reasons;

/* The running kernel's drop reason names; never NULL (unknown values print as numbers). */
struct nl_drop_reasons *nl_drop_reasons_load(void);
void nl_drop_reasons_free(struct nl_drop_reasons *dr);
/* "NO_SOCKET" for SKB_DROP_REASON_NO_SOCKET; "reason_N" when the kernel gave no name. */
void nl_drop_reason_name(const struct nl_drop_reasons *dr, unsigned int reason, char *out, size_t len);

#endif
