// SPDX-License-Identifier: GPL-2.0
/*
 * The triage engine: the rule table, which rules can run on a recording
 * (every metric they need was measured, and their rows can honour the
 * user's scope), running them, and ranking what they found.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/triage.h"
#include "netlat/util.h"

extern const struct nl_rule nl_rule_lost_events;

#define NL_MAX_RULES	32

/*
 * Adding a rule: write src/metrics/<metric>/rule_<name>.c (src/triage/ for a rule about no one
 * metric) with one struct nl_rule, name it in its metric's descriptor (rules), document it.
 * The list is made once: lost_events, then every metric's rules, sorted by their order.
 */
const struct nl_rule *const *nl_rule_list(size_t *n)
{
	static const struct nl_rule *rules[NL_MAX_RULES];
	static size_t nrules;

	if (!nrules) {
		rules[nrules++] = &nl_rule_lost_events;
		for (size_t m = 0; m < nl_nmetrics; m++)
			for (const struct nl_rule *const *r = nl_metrics[m]->rules; r && *r && nrules < NL_MAX_RULES; r++) {
				size_t k = nrules++;

				for (; k > 0 && rules[k - 1]->order > (*r)->order; k--)
					rules[k] = rules[k - 1];
				rules[k] = *r;
			}
	}
	*n = nrules;
	return rules;
}

static bool iv_has_metric(const struct nl_interval *iv, const char *metric)
{
	for (size_t i = 0; iv && i < iv->n; i++)
		if (!strcmp(iv->v[i].metric, metric))
			return true;
	return false;
}

/* Was metric measured in this recording? If not, why into why. */
static bool metric_measured(const struct nl_triage_in *in, const char *metric, char *why, size_t len)
{
	const struct nl_metric_status *st = nl_rec_metric_const(in->rec, metric);

	if (st && st->state == NL_METRIC_OK)
		return true;
	if (iv_has_metric(in->iv, metric))
		return true;
	if (st && st->state == NL_METRIC_UNAVAILABLE)
		snprintf(why, len, "%.24s could not be recorded: %.190s", metric, st->reason);
	else if (!nl_metric_find(metric))
		snprintf(why, len, "%s is not a metric this netlat knows", metric);
	else
		snprintf(why, len, "%s was not recorded", metric);
	return false;
}

static bool scope_ok(const struct nl_triage_in *in, const struct nl_rule *r, char *why, size_t len)
{
	if (in->netns && !(r->scopes & NL_RULE_SCOPE_NETNS)) {
		snprintf(why, len, "its rows (%s) cannot be attributed to netns %" PRIu64, r->needs,
			 in->netns);
		return false;
	}
	if (in->dev && in->dev[0] && !(r->scopes & NL_RULE_SCOPE_DEV)) {
		snprintf(why, len, "its rows (%s) cannot be attributed to dev %s", r->needs, in->dev);
		return false;
	}
	return true;
}

/* Can rule r run on in? Every metric of r->needs measured, and the scope honoured. */
static bool rule_can_run(const struct nl_triage_in *in, const struct nl_rule *r, char *why, size_t len)
{
	const char *p = r->needs;

	while (*p) {
		size_t n = strcspn(p, ",");
		char name[NL_NAME_MAX];

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		if (!metric_measured(in, name, why, len))
			return false;
		p += n;
		if (*p == ',')
			p++;
	}
	if (r->ready && !r->ready(in, why, len))
		return false;
	return scope_ok(in, r, why, len);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct nl_finding *a = pa, *b = pb;
	int c;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	return c ? c : strcmp(a->where, b->where);
}

static void skip_rule(struct nl_triage *out, const struct nl_rule *r, const char *why)
{
	void *p = realloc(out->skipped, (out->nskipped + 1) * sizeof(*out->skipped));

	if (!p) {
		nl_err("out of memory");
		abort();
	}
	out->skipped = p;
	out->skipped[out->nskipped].rule = r->name;
	snprintf(out->skipped[out->nskipped].why, NL_REASON_MAX, "%s", why);
	out->nskipped++;
}

/*
 * The finding rooting f: same label, same netns. A consequence whose netns
 * is unknown (a drop after tcp_v4_rcv cleared skb->dev has no device to
 * name one) follows from the root only when that is the one root there is.
 */
static const struct nl_finding *root_of(const struct nl_triage *t, const struct nl_finding *f)
{
	const struct nl_finding *found = NULL;
	size_t n = 0;

	for (size_t i = 0; f->consequence_of && i < t->nf; i++) {
		const struct nl_finding *r = &t->f[i];

		if (r == f || !r->cause || strcmp(r->cause, f->consequence_of))
			continue;
		if (f->netns && r->netns == f->netns)
			return r;
		found = r;
		n++;
	}
	return !f->netns && n == 1 ? found : NULL;
}

/*
 * Root cause first: a consequence ranks just below its cause (the
 * retransmits and drops of a slow reader's full receive queue are not the
 * problem to fix) and names it by rank once the order is final.
 */
static void rank_consequences(struct nl_triage *t)
{
	bool moved = false;

	for (size_t i = 0; i < t->nf; i++) {
		const struct nl_finding *r = root_of(t, &t->f[i]);

		if (r && t->f[i].score >= r->score) {
			t->f[i].score = r->score - 1 > 1 ? r->score - 1 : 1;
			moved = true;
		}
	}
	if (moved)
		qsort(t->f, t->nf, sizeof(*t->f), finding_cmp);
	for (size_t i = 0; i < t->nf; i++) {
		const struct nl_finding *r = root_of(t, &t->f[i]);

		if (r)
			snprintf(t->f[i].caused_by, sizeof(t->f[i].caused_by), "caused by #%zu: %s",
				 (size_t)(r - t->f) + 1, r->cause);
	}
}

int nl_triage_run(const struct nl_triage_in *in, struct nl_triage *out)
{
	bool lost = false;
	size_t nrules;
	const struct nl_rule *const *rules = nl_rule_list(&nrules);

	memset(out, 0, sizeof(*out));
	out->checked = calloc(nrules, sizeof(*out->checked));
	if (!out->checked)
		return -ENOMEM;
	for (size_t i = 0; i < nrules; i++) {
		const struct nl_rule *r = rules[i];
		char why[NL_REASON_MAX] = "";

		if (!rule_can_run(in, r, why, sizeof(why))) {
			skip_rule(out, r, why);
			continue;
		}
		out->checked[out->nchecked++] = r->name;
		r->check(in, out);
	}
	for (size_t i = 0; i < out->nf; i++)
		if (!strcmp(out->f[i].rule, nl_rule_lost_events.name))
			lost = true;
	/* an incomplete recording undercounts: every other finding says so */
	for (size_t i = 0; lost && i < out->nf; i++)
		out->f[i].qualified = strcmp(out->f[i].rule, nl_rule_lost_events.name) != 0;
	if (out->nf)
		qsort(out->f, out->nf, sizeof(*out->f), finding_cmp);
	rank_consequences(out);
	return 0;
}

void nl_triage_free(struct nl_triage *t)
{
	free(t->f);
	free(t->checked);
	free(t->skipped);
	memset(t, 0, sizeof(*t));
}
