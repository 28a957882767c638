// SPDX-License-Identifier: GPL-2.0
/* Rows sorted by a value, and the flow columns, for the metrics' ranking text views. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"
#include "ranked_rows.h"

static int ranked_cmp(const void *x, const void *y)
{
	const struct nl_ranked_row *p = x, *q = y;

	if (p->v != q->v)
		return p->v < q->v ? 1 : -1;
	return nl_report_natcmp(p->key, q->key);
}

int nl_ranked_put(struct nl_ranked *t, const char *key, double v, uint64_t a, uint64_t b)
{
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 32;
		struct nl_ranked_row *p = realloc(t->r, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->r = p;
		t->cap = c;
	}
	t->r[t->n++] = (struct nl_ranked_row){ .key = key, .v = v, .a = a, .b = b };
	return 0;
}

bool nl_ranked_has(const struct nl_ranked *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->r[i].key, key))
			return true;
	return false;
}

void nl_ranked_sort(struct nl_ranked *t)
{
	if (t->n)
		qsort(t->r, t->n, sizeof(*t->r), ranked_cmp);
}

void nl_ranked_free(struct nl_ranked *t)
{
	free(t->r);
	t->r = NULL;
	t->n = t->cap = 0;
}

void nl_flow_table_head(FILE *out, const char *title, const char *col_a, const char *col_b)
{
	fprintf(out, "\n  %s\n  %-48s %-11s %-16s %-8s %14s %14s\n", title, "flow", "netns", "comm", "pid",
		col_a, col_b);
}

void nl_flow_cells(FILE *out, const char *key)
{
	char flow[NL_KEY_MAX] = "-", netns[32] = "-", comm[32] = "-", pid[32] = "-", safe[NL_KEY_MAX];

	nl_report_safe_key(key, safe, sizeof(safe));
	nl_key_get(safe, "flow", flow, sizeof(flow));
	nl_key_get(safe, "netns", netns, sizeof(netns));
	nl_key_get(safe, "comm", comm, sizeof(comm));
	nl_key_get(safe, "pid", pid, sizeof(pid));
	fprintf(out, "  %-48s %-11s %-16s %-8s", flow, netns, comm, pid);
}
