// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF collector loads a program when a metric whose descriptor lists it
 * in bpf_programs is on. Held here against the object itself (both builds,
 * opened, not loaded): every program in it is some metric's, else it would
 * never load; every program a descriptor lists is in it, else the metric
 * would count nothing; and each is one of that metric's tracepoints, so
 * whether it is required or optional is said by the descriptor.
 */
#include <stdbool.h>
#include <string.h>

#include <bpf/libbpf.h>

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

static void check_object(const char *build, struct bpf_object *obj)
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
