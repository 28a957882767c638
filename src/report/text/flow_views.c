// SPDX-License-Identifier: GPL-2.0
/*
 * Text report views that sort rather than list: the top flows of the tcp
 * metric (by bytes moved, and by p99 socket-queue wait from the rx
 * metric's flow rows when it was recorded) and the drops by count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/report.h"
#include "netlat/util.h"

#define TOP_N	10

struct ranked {
	const char *key;
	double v;
	uint64_t a, b;
};

static int ranked_cmp(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;

	if (p->v != q->v)
		return p->v < q->v ? 1 : -1;
	return nl_report_natcmp(p->key, q->key);
}

static struct ranked *ranked_add(struct ranked **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		struct ranked *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return NULL;
		*v = p;
		*cap = c;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

/* Keys of metric with a value of stat, each once. */
static bool seen(const struct ranked *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return true;
	return false;
}

static void put_flow(FILE *out, const char *key)
{
	char flow[NL_KEY_MAX] = "-", netns[32] = "-", comm[32] = "-", pid[32] = "-", safe[NL_KEY_MAX];

	nl_report_safe_key(key, safe, sizeof(safe));
	nl_key_get(safe, "flow", flow, sizeof(flow));
	nl_key_get(safe, "netns", netns, sizeof(netns));
	nl_key_get(safe, "comm", comm, sizeof(comm));
	nl_key_get(safe, "pid", pid, sizeof(pid));
	fprintf(out, "  %-48s %-11s %-16s %-8s", flow, netns, comm, pid);
}

static int top_by_bytes(FILE *out, const struct nl_interval *iv)
{
	struct ranked *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];
		const struct nl_value *in, *o;
		struct ranked *r;

		if (strcmp(x->metric, "tcp") || strncmp(x->key, "flow=", 5) || seen(v, n, x->key))
			continue;
		in = nl_iv_find(iv, "tcp", x->key, "bytes_in");
		o = nl_iv_find(iv, "tcp", x->key, "bytes_out");
		r = ranked_add(&v, &n, &cap);
		if (!r) {
			free(v);
			return -ENOMEM;
		}
		r->key = x->key;
		r->a = in ? in->counter : 0;
		r->b = o ? o->counter : 0;
		r->v = (double)(r->a + r->b);
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), ranked_cmp);
	fprintf(out, "\n  top flows by bytes\n  %-48s %-11s %-16s %-8s %14s %14s\n", "flow", "netns", "comm",
		"pid", "bytes_in", "bytes_out");
	for (size_t i = 0; i < n && i < TOP_N; i++) {
		put_flow(out, v[i].key);
		fprintf(out, " %14llu %14llu\n", (unsigned long long)v[i].a, (unsigned long long)v[i].b);
	}
	free(v);
	return 0;
}

/* The rx metric's "flow=..." rows with a sockq_wait histogram, by p99. */
static int top_by_sockq(FILE *out, const struct nl_interval *iv)
{
	struct ranked *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];
		struct ranked *r;

		if (strcmp(x->metric, "rx") || strncmp(x->key, "flow=", 5) || strcmp(x->stat, "sockq_wait") ||
		    x->kind != NL_HIST || !x->hist || !x->hist->count)
			continue;
		r = ranked_add(&v, &n, &cap);
		if (!r) {
			free(v);
			return -ENOMEM;
		}
		r->key = x->key;
		r->a = x->hist->count;
		r->v = (double)nl_hist_percentile(x->hist, 0.99);
	}
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), ranked_cmp);
	fprintf(out, "\n  top flows by p99 socket-queue wait (rx)\n  %-48s %-11s %-16s %-8s %14s %14s\n",
		"flow", "netns", "comm", "pid", "count", "p99_us");
	for (size_t i = 0; i < n && i < TOP_N; i++) {
		put_flow(out, v[i].key);
		fprintf(out, " %14llu %14.1f\n", (unsigned long long)v[i].a, v[i].v / 1e3);
	}
	free(v);
	return 0;
}

int nl_report_text_flows(FILE *out, const struct nl_interval *iv)
{
	int err = top_by_bytes(out, iv);

	return err ? err : top_by_sockq(out, iv);
}

int nl_report_text_drops(FILE *out, const struct nl_interval *iv)
{
	struct ranked *v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *x = &iv->v[i];
		struct ranked *r;

		if (strcmp(x->metric, "drops") || strcmp(x->stat, "drops") || x->kind != NL_COUNTER || !x->counter)
			continue;
		r = ranked_add(&v, &n, &cap);
		if (!r) {
			free(v);
			return -ENOMEM;
		}
		r->key = x->key;
		r->a = x->counter;
		r->v = (double)x->counter;
	}
	if (!n) {
		fprintf(out, "  (no drops)\n");
		return 0;
	}
	qsort(v, n, sizeof(*v), ranked_cmp);
	fprintf(out, "  %10s  %-32s %-11s %s\n", "drops", "reason", "netns", "location");
	for (size_t i = 0; i < n; i++) {
		char safe[NL_KEY_MAX], reason[64] = "-", loc[NL_KEY_MAX] = "-", netns[32] = "-";

		nl_report_safe_key(v[i].key, safe, sizeof(safe));
		nl_key_get(safe, "reason", reason, sizeof(reason));
		nl_key_get(safe, "location", loc, sizeof(loc));
		nl_key_get(safe, "netns", netns, sizeof(netns));
		fprintf(out, "  %10llu  %-32s %-11s %s\n", (unsigned long long)v[i].a, reason, netns, loc);
	}
	free(v);
	return 0;
}
