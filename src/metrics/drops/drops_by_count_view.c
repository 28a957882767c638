// SPDX-License-Identifier: GPL-2.0
/*
 * drops' view in report --full, in place of the generic tables: every
 * (reason, location, netns) row with drops, the commonest first.
 */
#include <errno.h>
#include <string.h>

#include "metric_views.h"
#include "netlat/report.h"
#include "report/text/ranked_rows.h"

static void drop_row(FILE *out, const struct nl_ranked_row *r)
{
	char safe[NL_KEY_MAX], reason[64] = "-", loc[NL_KEY_MAX] = "-", netns[32] = "-";

	nl_report_safe_key(r->key, safe, sizeof(safe));
	nl_key_get(safe, "reason", reason, sizeof(reason));
	nl_key_get(safe, "location", loc, sizeof(loc));
	nl_key_get(safe, "netns", netns, sizeof(netns));
	fprintf(out, "  %10llu  %-32s %-11s %s\n", (unsigned long long)r->a, reason, netns, loc);
}

int drops_by_count_text(FILE *out, const struct nl_interval *iv)
{
	struct nl_ranked t = { 0 };

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];

		if (strcmp(x->metric, "drops") || strcmp(x->stat, "drops") || x->kind != NL_COUNTER || !x->counter)
			continue;
		if (nl_ranked_put(&t, x->key, (double)x->counter, x->counter, 0)) {
			nl_ranked_free(&t);
			return -ENOMEM;
		}
	}
	if (!t.n) {
		fprintf(out, "  (no drops)\n");
		return 0;
	}
	nl_ranked_sort(&t);
	fprintf(out, "  %10s  %-32s %-11s %s\n", "drops", "reason", "netns", "location");
	for (size_t i = 0; i < t.n; i++)
		drop_row(out, &t.r[i]);
	nl_ranked_free(&t);
	return 0;
}
