// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF collector loads a program when a metric whose descriptor lists it
 * in bpf_programs is on. Held here against the object itself (both builds,
 * opened, not loaded): every program in it is some metric's, else it would
 * never load; every program a descriptor lists is in it, else the metric
 * would count nothing; and each is one of that metric's tracepoints, so
 * whether it is required or optional is said by the descriptor.
 *
 * It sizes, reads and witnesses maps by what the descriptors say too
 * (bpf_hooks.h, nlb_tables_<name>), never by a metric's name: every map is
 * an "nl_" map or one metric's, never two's (a map of no metric would stay
 * one entry long, one of two would be sized by whichever comes first);
 * every table, --syscall-time map, witness map and map prefix a descriptor
 * names is in the object and the metric's own; and a metric's hooks are
 * those of a BPF metric, its --syscall-time maps those of a metric with
 * --syscall-time programs.
 */
#include <stdbool.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bpf_hooks.h"
#include "collector.h"		/* the structs the skeletons name */
#include "netlat_btf.skel.h"
#include "netlat_raw.skel.h"
#include "netlat/collector.h"
#include "netlat/metric.h"
#include "unit.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* "tp_btf/napi_poll" -> "napi_poll" */
static const char *prog_tracepoint(const struct bpf_program *p)
{
	const char *sec = bpf_program__section_name(p), *slash = strchr(sec, '/');

	return slash ? slash + 1 : sec;
}

static bool in_table(const char *tp)
{
	const char *served, *t;

	for (size_t i = 0; (t = nl_bpf_program(i, &served)); i++)
		if (!strcmp(t, tp))
			return true;
	return false;
}

static bool in_object(struct bpf_object *obj, const char *tp)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		if (!strcmp(prog_tracepoint(p), tp))
			return true;
	return false;
}

static void check_programs(const char *build, struct bpf_object *obj)
{
	struct bpf_program *p;
	const char *served, *tp;

	bpf_object__for_each_program(p, obj)
		if (!in_table(prog_tracepoint(p))) {
			fprintf(stderr, "%s: program %s is in no descriptor's bpf_programs: it never loads\n", build,
				bpf_program__name(p));
			unit_failures++;
		}
	for (size_t i = 0; (tp = nl_bpf_program(i, &served)); i++)
		if (!in_object(obj, tp)) {
			fprintf(stderr, "%s: %s lists program %s, not in the object\n", build, served, tp);
			unit_failures++;
		}
}

static bool bpf_metric(const struct nl_metric_desc *m)
{
	return nlb_metric_known(m->name);
}

static void check_owners(const char *build, struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map), *first = NULL;
		int owners = 0;

		if (bpf_map__is_internal(map))
			continue;
		for (size_t i = 0; i < nl_nmetrics; i++)
			if (bpf_metric(nl_metrics[i]) && nlb_map_of(nl_metrics[i], name)) {
				owners++;
				first = first ? first : nl_metrics[i]->name;
			}
		if (!strncmp(name, "nl_", 3) ? owners != 0 : owners != 1) {
			fprintf(stderr, "%s: map %s belongs to %d metrics (%s)%s\n", build, name, owners,
				first ? first : "none", strncmp(name, "nl_", 3) ? "" : ", an nl_ map is everyone's");
			unit_failures++;
		}
	}
}

/* Is map in obj and one of m's? */
static void check_named(const char *build, struct bpf_object *obj, const struct nl_metric_desc *m,
			const char *what, const char *map)
{
	if (!bpf_object__find_map_by_name(obj, map)) {
		fprintf(stderr, "%s: %s's %s %s is not in the object\n", build, m->name, what, map);
		unit_failures++;
	} else if (!nlb_map_of(m, map)) {
		fprintf(stderr, "%s: %s's %s %s is not one of its maps\n", build, m->name, what, map);
		unit_failures++;
	}
}

/* Does some map of obj start with prefix? */
static bool prefix_used(struct bpf_object *obj, const char *prefix)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (!strncmp(bpf_map__name(map), prefix, strlen(prefix)))
			return true;
	return false;
}

static bool has_syscall_time_program(const struct nl_metric_desc *m)
{
	for (const struct nl_bpf_use *u = m->bpf_programs; u && u->tracepoint; u++)
		if (u->syscall_time)
			return true;
	return false;
}

static void check_tables(const char *build, struct bpf_object *obj, const struct nl_metric_desc *m)
{
	for (const struct nlb_table *const *t = nlb_tables_of(m->name); t && *t; t++) {
		if (strcmp((*t)->metric, m->name)) {
			fprintf(stderr, "%s: table %s of %s says metric %s\n", build, (*t)->rows_map, m->name,
				(*t)->metric);
			unit_failures++;
		}
		check_named(build, obj, m, "row table", (*t)->rows_map);
		if ((*t)->keys_map)
			check_named(build, obj, m, "key table", (*t)->keys_map);
	}
}

static void check_hooks(const char *build, struct bpf_object *obj, const struct nl_metric_desc *m)
{
	const struct nl_bpf_hooks *h = m->bpf_hooks;

	if (!h)
		return;
	if (!bpf_metric(m)) {
		fprintf(stderr, "%s has BPF hooks and no BPF tables: the BPF collector never takes it\n", m->name);
		unit_failures++;
	}
	for (const char *const *p = h->map_prefixes; p && *p; p++)
		if (!prefix_used(obj, *p)) {
			fprintf(stderr, "%s: %s's map prefix %s names no map of the object\n", build, m->name, *p);
			unit_failures++;
		}
	for (const char *const *p = h->syscall_time_maps; p && *p; p++)
		check_named(build, obj, m, "--syscall-time map", *p);
	if ((h->syscall_time_maps && *h->syscall_time_maps) != has_syscall_time_program(m)) {
		fprintf(stderr, "%s: %s has --syscall-time maps without --syscall-time programs, or the reverse\n",
			build, m->name);
		unit_failures++;
	}
	if (h->witness_map)
		check_named(build, obj, m, "witness map", h->witness_map);
}

static void check_maps(const char *build, struct bpf_object *obj)
{
	check_owners(build, obj);
	for (size_t i = 0; i < nl_nmetrics; i++) {
		check_tables(build, obj, nl_metrics[i]);
		check_hooks(build, obj, nl_metrics[i]);
	}
}

static void check_object(const char *build, struct bpf_object *obj)
{
	check_programs(build, obj);
	check_maps(build, obj);
}

/* Is tp ("napi_poll") one of list ("napi:napi_poll", ...)? */
static bool tp_listed(const char *const *list, const char *tp)
{
	for (; list && *list; list++) {
		const char *colon = strchr(*list, ':');

		if (colon && !strcmp(colon + 1, tp))
			return true;
	}
	return false;
}

int main(void)
{
	struct netlat_btf_bpf *btf;
	struct netlat_raw_bpf *raw;

	libbpf_set_print(quiet);
	btf = netlat_btf_bpf__open();
	raw = netlat_raw_bpf__open();
	CHECK(btf && raw);
	if (!btf || !raw)
		UNIT_DONE();
	check_object("tp_btf", btf->obj);
	check_object("raw_tp", raw->obj);
	for (size_t i = 0; i < nl_nmetrics; i++)
		for (const struct nl_bpf_use *u = nl_metrics[i]->bpf_programs; u && u->tracepoint; u++)
			if (!tp_listed(nl_metrics[i]->tracepoints, u->tracepoint) &&
			    !tp_listed(nl_metrics[i]->optional_tracepoints, u->tracepoint)) {
				fprintf(stderr, "%s uses program %s, not among its tracepoints\n", nl_metrics[i]->name,
					u->tracepoint);
				unit_failures++;
			}
	netlat_btf_bpf__destroy(btf);
	netlat_raw_bpf__destroy(raw);
	UNIT_DONE();
}
