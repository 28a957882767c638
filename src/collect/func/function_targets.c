// SPDX-License-Identifier: GPL-2.0
/*
 * What can be probed on this kernel: a function name resolved through
 * /proc/kallsyms (the compiler may have renamed it "foo.isra.0" or
 * "foo.constprop.0", or inlined it away) and vmlinux BTF (argument count,
 * which argument holds a byte count or a struct net *). Plus the rows the
 * tiers count into, shared so every tier spells keys the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "metrics/flows.h"
#include "func_int.h"
#include "netlat/ksyms.h"
#include "netlat/util.h"
#include "netlat/vmlinux_btf.h"

#define SYM_DATA	UINT32_MAX	/* name of a non-text symbol: never matched, only ends a range */

struct nlf_sym {
	uint64_t addr;
	uint32_t name;			/* offset in names, or SYM_DATA */
};

/*
 * Every address of /proc/kallsyms (120k lines here) in one array, and the
 * names of only the text symbols a target can resolve to: a wanted name,
 * its compiler clones, or a -F glob's matches. A malloc per name and
 * sscanf per line for all of them made this 100 ms and a 7 MB peak of the
 * func collector's arm time.
 */
struct nlf_syms {
	struct nlf_sym *v;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	const char *const *want;	/* exact names (their clones too), and globs */
	size_t nwant;
	bool sorted;			/* so far in address order (kallsyms usually is) */
};

static int sym_cmp(const void *a, const void *b)
{
	const struct nlf_sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const char *sym_name(const struct nlf_syms *s, size_t i)
{
	return s->v[i].name == SYM_DATA ? NULL : s->names + s->v[i].name;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t cap2 = *cap ? *cap : first;
	void *q;

	while (cap2 < need)
		cap2 *= 2;
	if (cap2 == *cap)
		return true;
	q = realloc(*p, cap2 * elem);
	if (!q)
		return false;
	*p = q;
	*cap = cap2;
	return true;
}

static bool is_clone(const char *name, const char *want);

/* Could a target resolve to text symbol name (len bytes, not terminated)? */
static bool wanted(const struct nlf_syms *s, const char *name, size_t len)
{
	char buf[256];

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, name, len);
	buf[len] = '\0';
	for (size_t i = 0; i < s->nwant; i++) {
		const char *w = s->want[i];

		if (strpbrk(w, "*?[") ? !fnmatch(w, buf, 0) : !strcmp(buf, w) || is_clone(buf, w))
			return true;
	}
	return false;
}

/* One kallsyms line into s: -ENOMEM when out of memory. */
static int add_sym(void *arg, const struct nl_kallsym *k)
{
	struct nlf_syms *s = arg;

	if (!grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v), 65536))
		return -ENOMEM;
	s->v[s->n].addr = k->addr;
	s->v[s->n].name = SYM_DATA;
	if ((k->type == 't' || k->type == 'T') && wanted(s, k->name, k->len)) {
		if (!grow((void **)&s->names, &s->names_cap, s->names_len + k->len + 1, 1, 1 << 20))
			return -ENOMEM;
		memcpy(s->names + s->names_len, k->name, k->len);
		s->names[s->names_len + k->len] = '\0';
		s->v[s->n].name = (uint32_t)s->names_len;
		s->names_len += k->len + 1;
	}
	if (s->n && k->addr < s->v[s->n - 1].addr)
		s->sorted = false;
	s->n++;
	return 0;
}

/*
 * Every symbol goes in (the next one, text or not, ends a function's
 * range); only text symbols are ever matched by name.
 */
struct nlf_syms *nlf_syms_load(const char *const *want, size_t nwant)
{
	struct nlf_syms *s = nl_xcalloc(1, sizeof(*s));

	s->want = want;
	s->nwant = nwant;
	s->sorted = true;
	if (nl_kallsyms_each(add_sym, s)) {
		nlf_syms_free(s);
		return NULL;
	}
	if (!s->sorted)
		qsort(s->v, s->n, sizeof(*s->v), sym_cmp);
	return s;
}

void nlf_syms_free(struct nlf_syms *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->names);
	free(s);
}

/* End of the function at index i: the next higher address. */
static uint64_t sym_end(const struct nlf_syms *s, size_t i)
{
	for (size_t k = i + 1; k < s->n; k++)
		if (s->v[k].addr > s->v[i].addr)
			return s->v[k].addr;
	return s->v[i].addr + 1;
}

/* "foo.isra.0" for want "foo": a compiler clone; ".cold" parts are not the function. */
static bool is_clone(const char *name, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(name, want, n) && name[n] == '.' && !strstr(name + n, ".cold");
}

/* Index of the text symbol named want (or its clone when clone is set); -1 if none. */
static long sym_find(const struct nlf_syms *s, const char *want, bool clone)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *name = sym_name(s, i);

		if (!name)
			continue;
		if (clone ? is_clone(name, want) : !strcmp(name, want))
			return (long)i;
	}
	return -1;
}

int nlf_syms_glob(const struct nlf_syms *s, const char *glob, char (*out)[128], int max)
{
	int n = 0;

	for (size_t i = 0; s && i < s->n; i++) {
		const char *name = sym_name(s, i);
		bool dup = false;

		if (!name || fnmatch(glob, name, 0))
			continue;
		/* Parts of functions and init code are never what a user times. */
		if (strstr(name, ".cold") || !strncmp(name, "__pfx_", 6) || s->v[i].addr == 0)
			continue;
		for (int k = 0; k < n && !dup; k++)
			dup = !strcmp(out[k], name);
		if (dup)
			continue;
		if (n == max)
			return -E2BIG;
		snprintf(out[n++], 128, "%s", name);
	}
	return n;
}

/* offsetof(struct net, ns.inum) from BTF; 0 when unknown. */
static unsigned int net_inum_off(struct btf *btf)
{
	const struct btf_type *net, *nsc;
	const struct btf_member *m;
	unsigned int off = 0;
	int id;

	id = btf__find_by_name_kind(btf, "net", BTF_KIND_STRUCT);
	if (id < 0)
		return 0;
	net = btf__type_by_id(btf, (__u32)id);
	m = btf_members(net);
	for (int i = 0; i < btf_vlen(net); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), "ns"))
			continue;
		off = btf_member_bit_offset(net, (__u32)i) / 8;
		nsc = btf__type_by_id(btf, m->type);
		id = btf__find_by_name_kind(btf, "ns_common", BTF_KIND_STRUCT);
		nsc = id < 0 ? NULL : btf__type_by_id(btf, (__u32)id);
		if (!nsc)
			return 0;
		m = btf_members(nsc);
		for (int k = 0; k < btf_vlen(nsc); k++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off), "inum"))
				return off + btf_member_bit_offset(nsc, (__u32)k) / 8;
		return 0;
	}
	return 0;
}

/* 1-based index of the parameter called one of names in proto; 0 if none. */
static unsigned int param_named(struct btf *btf, const struct btf_type *proto,
				const char *const *names)
{
	const struct btf_param *p = btf_params(proto);

	for (int i = 0; i < btf_vlen(proto); i++, p++)
		for (const char *const *n = names; *n; n++)
			if (!strcmp(btf__name_by_offset(btf, p->name_off), *n))
				return (unsigned int)i + 1;
	return 0;
}

/* BTF facts of t->want (the unsuffixed name: a clone's BTF, if any, is the original's). */
static void btf_facts(struct nlf_target *t)
{
	static const char *const len_names[] = { "len", "size", NULL };
	struct btf *btf = nl_vmlinux_btf(NULL);
	const struct btf_type *fn, *proto;
	int id;

	t->nargs = -1;
	if (!btf)
		return;
	id = btf__find_by_name_kind(btf, t->want, BTF_KIND_FUNC);
	if (id < 0)
		return;
	t->in_btf = !strcmp(t->sym, t->want);
	fn = btf__type_by_id(btf, (__u32)id);
	proto = btf__type_by_id(btf, fn->type);
	if (!proto || !btf_is_func_proto(proto))
		return;
	t->nargs = btf_vlen(proto);
	if (t->bytes_arg)
		t->bytes_arg = param_named(btf, proto, len_names) ? : t->bytes_arg;
	if (t->netns_arg)
		t->inum_off = net_inum_off(btf);
}

void nlf_resolve(const struct nlf_syms *s, struct nlf_target *t, const char *want,
		 enum nl_func_role role)
{
	long i;

	snprintf(t->want, sizeof(t->want), "%s", want);
	snprintf(t->sym, sizeof(t->sym), "%s", want);
	t->role = role;
	t->tier = -1;
	switch (role) {
	case NL_FUNC_NETNS_ARG:	/* __inet_lookup_established(struct net *net, ...) */
		t->netns_arg = 1;
		break;
	case NL_FUNC_BYTES_ARG:	/* skb_copy_datagram_iter(skb, offset, to, len); BTF may name another */
		t->bytes_arg = 4;
		break;
	case NL_FUNC_BYTES_RET:	/* _copy_from_iter(addr, bytes, i) returns bytes copied */
		t->bytes_ret = true;
		break;
	default:
		break;
	}
	if (!s) {
		snprintf(t->unprobeable, sizeof(t->unprobeable), "/proc/kallsyms unreadable");
		return;
	}
	i = sym_find(s, want, false);
	if (i < 0)
		i = sym_find(s, want, true);
	if (i < 0) {
		snprintf(t->unprobeable, sizeof(t->unprobeable),
			 "%s: not in /proc/kallsyms (inlined into its callers, or not built into this kernel)",
			 want);
		return;
	}
	snprintf(t->sym, sizeof(t->sym), "%s", sym_name(s, (size_t)i));
	t->start = s->v[i].addr;
	t->end = sym_end(s, (size_t)i);
	btf_facts(t);
	if (t->netns_arg && !t->inum_off)
		t->netns_arg = 0;	/* no BTF for struct net: rows without netns */
}

struct nlf_row *nlf_row(struct nlf_target *t, uint32_t netns)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].netns == netns)
			return &t->rows[i];
	if (t->nrows == NLF_MAX_ROWS)
		return NULL;
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	t->rows[t->nrows].netns = netns;
	return &t->rows[t->nrows++];
}

void nlf_add_call(struct nlf_target *t, uint32_t netns, uint64_t ns, uint64_t bytes)
{
	struct nlf_row *r = nlf_row(t, netns);

	if (!r)
		return;
	r->calls++;
	r->ns += ns;
	r->bytes += bytes;
	nl_hist_add(&r->dur, ns);
	r->active = true;
}

static const char *unit_of(const struct nl_metric_desc *m, const char *stat)
{
	const struct nl_stat_desc *s = nl_metric_stat(m, stat);

	return s ? s->unit : "";
}

static void emit_ctr(struct nlf_target *t, struct nl_interval *iv, const char *key,
		     const char *stat, uint64_t v)
{
	if (nl_metric_stat(t->m, stat))
		nl_iv_add_counter(iv, t->m->name, key, stat, unit_of(t->m, stat), v);
}

void nlf_emit(struct nlf_target *t, struct nl_interval *iv)
{
	bool sampled = t->tier == NL_FTIER_SAMPLE;

	for (size_t i = 0; i < t->nrows; i++) {
		struct nlf_row *r = &t->rows[i];
		char key[NL_KEY_MAX];

		if (!r->active)
			continue;
		if (t->netns_rows && !sampled)
			snprintf(key, sizeof(key), "func=%.70s netns=%u", t->sym, r->netns);
		else
			snprintf(key, sizeof(key), "func=%.90s", t->sym);
		if (sampled) {
			emit_ctr(t, iv, key, "samples", r->samples);
			emit_ctr(t, iv, key, "cpu_samples", r->cpu_samples);
		} else {
			emit_ctr(t, iv, key, "calls", r->calls);
			emit_ctr(t, iv, key, "ns", r->ns);
			/* graph has no arguments: no bytes rather than a made-up 0 */
			if (t->bytes_arg || t->bytes_ret) {
				if (t->tier != NL_FTIER_GRAPH)
					emit_ctr(t, iv, key, "bytes", r->bytes);
			}
			if (r->dur.count)
				nl_hist_merge(nl_iv_hist(iv, t->m->name, key, "duration", "ns"), &r->dur);
		}
		nl_hist_reset(&r->dur);
		r->calls = r->bytes = r->ns = r->samples = r->cpu_samples = 0;
		r->active = false;
	}
}

bool nlf_task_ok(const struct nl_record_opts *o, int tid)
{
	char comm[32], want[32];
	int tgid;

	if (!o->pid && !o->comm[0])
		return true;
	tfs_proc_of(tid, &tgid, comm, sizeof(comm));
	if (o->pid && tgid != o->pid)
		return false;
	if (o->comm[0]) {
		nl_flow_comm(want, sizeof(want), o->comm);
		return !strcmp(comm, want);
	}
	return true;
}

int nlf_write(const char *path, const char *s, bool append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	size_t len = strlen(s);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	/* one write(): tracefs parses each write as one command (stdio may split it) */
	n = len ? write(fd, s, len) : 0;
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

int nlf_read_line(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "re");
	int err = 0;

	if (!fp)
		return -errno;
	if (!fgets(buf, (int)len, fp))
		err = -ENODATA;
	fclose(fp);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}
