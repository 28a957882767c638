// SPDX-License-Identifier: GPL-2.0
/*
 * netlat probe's "functions" section: the functions of every metric whose
 * descriptor lists them, armed for real by the function collector (never
 * started), so the tier each gets here is the tier record would use, with
 * every rejection. A metric made of -F patterns has none to show.
 */
#include <stdio.h>
#include <string.h>

#include "func_int.h"
#include "netlat/json.h"
#include "netlat/util.h"

struct nlfp_answer {
	char metric[NL_NAME_MAX];
	char want[64], sym[128];
	int tier;
	char why[NL_REASON_MAX];
};

static struct nlfp_answer answers[NLF_PROBE_MAX];
static int nanswers;

void nl_func_probe_run(void)
{
	struct nl_record_opts o = { .interval_ns = 1000000000ULL };
	char why[NL_REASON_MAX], detail[32];
	void *ctx = NULL;

	nanswers = 0;
	if (nl_collector_func.open(&ctx, &o, why, sizeof(why)))
		return;
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (nl_metrics[i]->functions)
			nl_collector_func.arm(ctx, nl_metrics[i], detail, sizeof(detail), why, sizeof(why));
	for (int i = 0; i < ((struct nlf_ctx *)ctx)->n && nanswers < NLF_PROBE_MAX; i++) {
		const struct nlf_target *t = ((struct nlf_ctx *)ctx)->t[i];
		struct nlfp_answer *a = &answers[nanswers++];

		snprintf(a->metric, sizeof(a->metric), "%s", t->m->name);
		snprintf(a->want, sizeof(a->want), "%s", t->want);
		snprintf(a->sym, sizeof(a->sym), "%s", t->sym);
		a->tier = t->tier;
		snprintf(a->why, sizeof(a->why), "%s", t->why);
	}
	nl_collector_func.close(ctx);
}

void nl_func_probe_print(FILE *out, int kv)
{
	if (!kv)
		fprintf(out, "\nfunctions:\n");
	for (int i = 0; i < nanswers; i++) {
		const struct nlfp_answer *a = &answers[i];

		if (kv) {
			fprintf(out, "function.%s=%s %s\n", a->want, nl_func_tier_name(a->tier), a->sym);
			if (a->why[0])
				fprintf(out, "function.%s.rejected=%s\n", a->want, a->why);
			continue;
		}
		fprintf(out, "  %-8s %-28s %s%s%s\n", a->metric, a->want,
			a->tier >= 0 ? nl_func_tier_name(a->tier) : "unavailable",
			strcmp(a->want, a->sym) ? " as " : "", strcmp(a->want, a->sym) ? a->sym : "");
		if (a->why[0])
			fprintf(out, "  %-8s   %s: %s\n", "", a->tier >= 0 ? "not better tiers" : "why", a->why);
	}
}

void nl_func_probe_json(struct nl_json *j)
{
	nl_json_key(j, "functions");
	nl_json_arr_begin(j);
	for (int i = 0; i < nanswers; i++) {
		const struct nlfp_answer *a = &answers[i];

		nl_json_obj_begin(j);
		nl_json_kv_str(j, "metric", a->metric);
		nl_json_kv_str(j, "function", a->want);
		nl_json_kv_str(j, "symbol", a->sym);
		nl_json_kv_str(j, "tier", a->tier >= 0 ? nl_func_tier_name(a->tier) : "unavailable");
		nl_json_kv_str(j, "rejected", a->why);
		nl_json_obj_end(j);
	}
	nl_json_arr_end(j);
}
