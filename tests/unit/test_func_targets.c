// SPDX-License-Identifier: GPL-2.0
/*
 * The func collector arms what the descriptors say (functions, their roles,
 * -F patterns, filters.func) and names no metric itself; held here so that a
 * descriptor and the collector cannot disagree: every function metric has
 * something to time, each role gives the target the argument it promises,
 * the rows it yields have their key fields and stats, and netlat probe's
 * table (every descriptor's functions) fits.
 */
#include <string.h>

#include "unit.h"

#include "collect/func/func_int.h"
#include "netlat/func.h"
#include "netlat/metric.h"

/* Has m a key shape with field (a word of key_fields)? */
static bool has_field(const struct nl_metric_desc *m, const char *field)
{
	size_t n = strlen(field);

	for (const char *p = m->key_fields; (p = strstr(p, field)); p += n)
		if ((p == m->key_fields || strchr(" |", p[-1])) && strchr(" |", p[n]))
			return true;
	return false;
}

/* Does a non-fallback function of m have role? */
static bool has_role(const struct nl_metric_desc *m, enum nl_func_role role)
{
	for (const struct nl_func_target *f = m->functions; f && f->name; f++)
		if (!f->fallback && f->role == role)
			return true;
	return false;
}

/* What nlf_resolve makes of a role, before any kallsyms: the argument the tiers read. */
static void check_role(const struct nl_metric_desc *m, const struct nl_func_target *f)
{
	static struct nlf_target t;

	memset(&t, 0, sizeof(t));
	t.m = m;
	nlf_resolve(NULL, &t, f->name, f->role);
	CHECK(t.role == f->role);
	CHECK_STR(t.want, f->name);
	CHECK((t.netns_arg != 0) == (f->role == NL_FUNC_NETNS_ARG));
	CHECK((t.bytes_arg != 0) == (f->role == NL_FUNC_BYTES_ARG));
	CHECK(t.bytes_ret == (f->role == NL_FUNC_BYTES_RET));
	/* bytes are emitted only as a stat the metric declares (function_targets.c's emit_ctr) */
	if (f->role == NL_FUNC_BYTES_ARG || f->role == NL_FUNC_BYTES_RET)
		CHECK(nl_metric_stat(m, "bytes") != NULL);
	/* a fallback is added for its role's functions: one of them must exist */
	if (f->fallback)
		CHECK(has_role(m, f->role));
}

static void check_metric(const struct nl_metric_desc *m, size_t *nfunctions, size_t *npatterns)
{
	size_t n = 0;

	CHECK(nl_func_metric(m->name));
	/* the func collector is the only one to arm it: nothing for the others */
	CHECK(!m->tracepoints && !m->bpf_programs);
	CHECK(nl_metric_stat(m, "calls") && nl_metric_stat(m, "duration") && nl_metric_stat(m, "samples"));
	CHECK(has_field(m, "func"));
	/* -F's metric has no functions of its own; the others at least one besides fallbacks */
	if (m->func_patterns) {
		CHECK(m->functions == NULL);
		++*npatterns;
	} else {
		CHECK(m->functions && m->functions[0].name && !m->functions[0].fallback);
	}
	for (const struct nl_func_target *f = m->functions; f && f->name; f++, n++) {
		check_role(m, f);
		for (const struct nl_func_target *g = m->functions; g != f; g++)
			CHECK(strcmp(g->name, f->name) != 0);
	}
	*nfunctions += n;
	/* --netns is taken only where a function's argument carries the namespace */
	CHECK(!!(m->filters.func & NL_FILTER_NETNS) == has_role(m, NL_FUNC_NETNS_ARG));
	if (has_role(m, NL_FUNC_NETNS_ARG))
		CHECK(has_field(m, "netns"));
	/* the collector adds bench=memcpy rows for a metric that reads memcpy as its reference */
	if (m->sources & NL_SRC_MEMCPY_REF)
		CHECK(has_field(m, "bench"));
	/* every tier tests the task of each call; no function argument carries ports */
	CHECK((m->filters.func & (NL_FILTER_PID | NL_FILTER_COMM)) == (NL_FILTER_PID | NL_FILTER_COMM));
	CHECK(!(m->filters.func & NL_FILTER_PORT));
}

int main(void)
{
	size_t nfunc_metrics = 0, nfunctions = 0, npatterns = 0;

	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *m = nl_metrics[i];

		if (!m->functions && !m->func_patterns) {
			CHECK(!nl_func_metric(m->name));
			CHECK(m->filters.func == 0 && !m->func_counters);
			continue;
		}
		nfunc_metrics++;
		check_metric(m, &nfunctions, &npatterns);
	}
	CHECK(nfunc_metrics > 0 && nfunc_metrics <= NLF_MAX_METRICS);
	/* record's -F adds exactly one metric to the list */
	CHECK_EQ_U64(npatterns, 1);
	/* netlat probe shows every descriptor's function; func_open can want them all */
	CHECK(nfunctions > 0 && nfunctions <= NLF_PROBE_MAX && nfunctions <= NLF_MAX_TARGETS);
	UNIT_DONE();
}
