// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbol and drop-reason names, read from the running kernel. Both
 * collectors use them, so a reason or location is spelt the same whichever
 * one recorded it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "netlat/ksyms.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"
#include "netlat/vmlinux_btf.h"

struct nl_ksym {
	uint64_t addr;
	char *name;
};

struct nl_ksyms {
	struct nl_ksym *v;
	size_t n, cap;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct nl_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ksyms_add(struct nl_ksyms *ks, uint64_t addr, const char *name)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 65536;
		struct nl_ksym *v = realloc(ks->v, cap * sizeof(*v));

		if (!v) {
			nl_err("out of memory");
			abort();
		}
		ks->v = v;
		ks->cap = cap;
	}
	ks->v[ks->n].addr = addr;
	ks->v[ks->n].name = nl_xstrdup(name);
	ks->n++;
}

/* only code: drop locations are return addresses */
static int keep_text(void *arg, const struct nl_kallsym *k)
{
	char name[256];

	if (!k->addr || (k->type != 't' && k->type != 'T'))
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)k->len, k->name);
	ksyms_add(arg, k->addr, name);
	return 0;
}

struct nl_ksyms *nl_ksyms_load(void)
{
	struct nl_ksyms *ks = nl_xcalloc(1, sizeof(*ks));

	if (nl_kallsyms_each(keep_text, ks) || !ks->n) {
		/* unreadable, or kptr_restrict hides the addresses: nothing to name with */
		nl_ksyms_free(ks);
		return NULL;
	}
	qsort(ks->v, ks->n, sizeof(*ks->v), ksym_cmp);
	return ks;
}

void nl_ksyms_free(struct nl_ksyms *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->n; i++)
		free(ks->v[i].name);
	free(ks->v);
	free(ks);
}

void nl_ksyms_name(const struct nl_ksyms *ks, uint64_t addr, char *out, size_t len)
{
	size_t lo = 0, hi = ks ? ks->n : 0;

	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || !addr) {
		snprintf(out, len, "unknown");
		return;
	}
	if (addr == ks->v[lo - 1].addr)
		snprintf(out, len, "%s", ks->v[lo - 1].name);
	else
		snprintf(out, len, "%s+0x%llx", ks->v[lo - 1].name,
			 (unsigned long long)(addr - ks->v[lo - 1].addr));
}

/* ---- drop reasons ---- */

struct nl_drop_reason {
	unsigned int value;
	char name[64];
};

struct nl_drop_reasons {
	struct nl_drop_reason *v;
	size_t n, cap;
};

static void reason_add(struct nl_drop_reasons *dr, unsigned int value, const char *name)
{
	if (dr->n == dr->cap) {
		size_t cap = dr->cap ? dr->cap * 2 : 128;
		struct nl_drop_reason *v = realloc(dr->v, cap * sizeof(*v));

		if (!v)
			return;
		dr->v = v;
		dr->cap = cap;
	}
	dr->v[dr->n].value = value;
	snprintf(dr->v[dr->n].name, sizeof(dr->v[0].name), "%s", name);
	dr->n++;
}

/* enum skb_drop_reason from vmlinux BTF: SKB_DROP_REASON_NO_SOCKET -> NO_SOCKET, SKB_CONSUMED -> CONSUMED. */
static int reasons_from_btf(struct nl_drop_reasons *dr)
{
	struct btf *btf = nl_vmlinux_btf(NULL);
	const struct btf_type *t;
	const struct btf_enum *e;
	int id;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id <= 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);

		if (!strncmp(name, "SKB_DROP_REASON_", 16))
			name += 16;
		else if (!strncmp(name, "SKB_", 4))
			name += 4;
		reason_add(dr, (unsigned int)e->val, name);
	}
	return dr->n ? 0 : -ENOENT;
}

/* The tracepoint's own table: __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, ...). */
static int reasons_from_format(struct nl_drop_reasons *dr)
{
	char why[128], path[512], *buf, *p;
	const char *root = nl_tracefs_dir(why, sizeof(why));
	FILE *f;
	size_t n;

	if (!root)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/events/skb/kfree_skb/format", root);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	buf = nl_xcalloc(1, 1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "__print_symbolic(REC->reason");
	while (p && (p = strchr(p, '{'))) {
		unsigned int v;
		char name[64];

		if (sscanf(p, "{ %u , \"%63[^\"]\" }", &v, name) == 2)
			reason_add(dr, v, name);
		p++;
	}
	free(buf);
	return dr->n ? 0 : -ENOENT;
}

struct nl_drop_reasons *nl_drop_reasons_load(void)
{
	struct nl_drop_reasons *dr = nl_xcalloc(1, sizeof(*dr));

	if (reasons_from_btf(dr))
		reasons_from_format(dr);
	return dr;
}

void nl_drop_reasons_free(struct nl_drop_reasons *dr)
{
	if (!dr)
		return;
	free(dr->v);
	free(dr);
}

void nl_drop_reason_name(const struct nl_drop_reasons *dr, unsigned int reason, char *out, size_t len)
{
	for (size_t i = 0; dr && i < dr->n; i++)
		if (dr->v[i].value == reason) {
			snprintf(out, len, "%s", dr->v[i].name);
			return;
		}
	snprintf(out, len, "reason_%u", reason);
}
