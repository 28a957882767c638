// SPDX-License-Identifier: GPL-2.0
/* Function-latency pure parts: tier names, -F validation, rows and their keys. */
#include <errno.h>

#include "unit.h"

#include "collect/func/func_int.h"
#include "netlat/func.h"
#include "netlat/metric.h"
#include "netlat/recording.h"

static void test_tiers(void)
{
	CHECK(nl_func_tier_parse("auto") == -1);
	CHECK(nl_func_tier_parse("fentry") == NL_FTIER_FENTRY);
	CHECK(nl_func_tier_parse("kprobe-events") == NL_FTIER_KPEV);
	CHECK(nl_func_tier_parse("sample") == NL_FTIER_SAMPLE);
	CHECK(nl_func_tier_parse("kprobes") < -1);
	CHECK_STR(nl_func_tier_name(NL_FTIER_GRAPH), "graph");
	CHECK_STR(nl_func_tier_name(-1), "none");
	CHECK(nl_func_set_probe("bogus") == -EINVAL);
	CHECK(nl_func_metric("ehash") && nl_func_metric("copyfn") && nl_func_metric("func"));
	CHECK(!nl_func_metric("copy"));
}

static void test_patterns(void)
{
	CHECK(nl_func_add_pattern("tcp_*") == 0);
	CHECK(nl_func_add_pattern("") == -EINVAL);
	CHECK(nl_func_add_pattern("a,b") == -EINVAL);
	CHECK(nl_func_add_pattern("x=1") == -EINVAL);
	CHECK_EQ_U64(nl_func_npatterns(), 1);
}

/* Rows: calls, summed ns and bytes per netns; the key names the netns only where the tier has it. */
static void test_rows(void)
{
	static struct nlf_target t;
	struct nl_interval *iv = nl_iv_new(0, 0, 1);
	const struct nl_value *v;

	t.m = nl_metric_find("ehash");
	CHECK(t.m != NULL);
	nlf_resolve(NULL, &t, "__inet_lookup_established", NL_FUNC_NETNS_ARG);
	CHECK(t.unprobeable[0] != '\0');	/* no kallsyms given */
	t.tier = NL_FTIER_KPROBE;
	t.netns_rows = true;
	nlf_add_call(&t, 4026531840u, 100, 0);
	nlf_add_call(&t, 4026531840u, 300, 0);
	nlf_add_call(&t, 7, 50, 0);
	nlf_emit(&t, iv);
	v = nl_iv_find(iv, "ehash", "func=__inet_lookup_established netns=4026531840", "calls");
	CHECK(v && v->counter == 2);
	v = nl_iv_find(iv, "ehash", "func=__inet_lookup_established netns=4026531840", "ns");
	CHECK(v && v->counter == 400);
	v = nl_iv_find(iv, "ehash", "func=__inet_lookup_established netns=7", "duration");
	CHECK(v && v->hist && v->hist->count == 1);
	CHECK(nl_iv_find(iv, "ehash", "func=__inet_lookup_established netns=7", "bytes") == NULL);
	nl_iv_free(iv);

	/* emitted rows are reset: nothing twice */
	iv = nl_iv_new(0, 1, 2);
	nlf_emit(&t, iv);
	CHECK_EQ_U64(iv->n, 0);
	nl_iv_free(iv);
}

int main(void)
{
	test_tiers();
	test_patterns();
	test_rows();
	UNIT_DONE();
}
