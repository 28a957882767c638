// SPDX-License-Identifier: GPL-2.0
/*
 * What the collector and the metrics' hooks ask of the kernel before load
 * (its BTF: tracepoints, their arguments, enum values) and which maps of
 * the object are whose.
 */
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "bpf_hooks.h"
#include "netlat/metric.h"

bool nlb_btf_has_tracepoint(const struct nlb_kernel *k, const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return k->vmlinux && btf__find_by_name_kind(k->vmlinux, name, BTF_KIND_TYPEDEF) > 0;
}

/* btf_trace_<tp>: pointer to a func proto whose first argument is the ctx. */
int nlb_btf_tracepoint_nargs(const struct nlb_kernel *k, const char *tp)
{
	const struct btf *btf = k->vmlinux;
	char name[128];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf ? btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) : -1;
	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, btf__resolve_type(btf, id));
	if (!t || !btf_is_ptr(t))
		return -1;
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) ? (int)btf_vlen(t) - 1 : -1;
}

bool nlb_btf_enum_has(const struct nlb_kernel *k, const char *type, const char *val)
{
	const struct btf *btf = k->vmlinux;
	int id = btf ? btf__find_by_name_kind(btf, type, BTF_KIND_ENUM) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *e = t ? btf_enum(t) : NULL;

	for (int i = 0; e && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), val))
			return true;
	return false;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* "<name>_..." or one of its hooks' map_prefixes */
bool nlb_map_of(const struct nl_metric_desc *m, const char *map)
{
	size_t n = strlen(m->name);

	if (!strncmp(map, m->name, n) && map[n] == '_')
		return true;
	for (const char *const *p = m->bpf_hooks ? m->bpf_hooks->map_prefixes : NULL; p && *p; p++)
		if (has_prefix(map, *p))
			return true;
	return false;
}

bool nlb_map_syscall_time_only(const struct nl_metric_desc *m, const char *map)
{
	for (const char *const *p = m->bpf_hooks ? m->bpf_hooks->syscall_time_maps : NULL; p && *p; p++)
		if (!strcmp(map, *p))
			return true;
	return false;
}
