// SPDX-License-Identifier: GPL-2.0
/*
 * The function-latency collector: arms the function metrics (those whose
 * descriptor lists functions, or takes -F patterns) one function at a time
 * on the best of five tiers
 * (tier_bpf.c, tier_graph.c, tier_kprobe_events.c, tier_sample.c), trying each in
 * order and keeping what the kernel said, since one kernel can take fentry
 * on one function and not on the next (6.1: eight arguments are too many
 * for the trampoline). --probe forces one tier.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "func_int.h"
#include "netlat/features.h"
#include "netlat/memcpy_bw.h"
#include "netlat/util.h"

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"

static const char *const tier_names[NL_FTIER_NR] = {
	"fentry", "kprobe", "graph", "kprobe-events", "sample",
};

static const struct nlf_tier *const tiers[NL_FTIER_NR] = {
	&nlf_tier_fentry, &nlf_tier_kprobe, &nlf_tier_graph, &nlf_tier_kpev, &nlf_tier_sample,
};

/* record's --probe, -F and --sample-freq, for the life of the process. */
static int forced_tier = -1;
static char *patterns[NLF_MAX_TARGETS];
static size_t npatterns;
static unsigned int sample_hz;		/* 0: NL_FUNC_SAMPLE_HZ_DEFAULT */
static char sampled_metrics[64];	/* "ehash,copyfn": the metrics the sample tier took */
static char sample_note[256];

const char *nl_func_tier_name(int tier)
{
	return tier >= 0 && tier < NL_FTIER_NR ? tier_names[tier] : "none";
}

int nl_func_tier_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return -1;
	for (int i = 0; i < NL_FTIER_NR; i++)
		if (!strcmp(s, tier_names[i]))
			return i;
	return -EINVAL;
}

bool nl_func_metric(const char *name)
{
	const struct nl_metric_desc *m = nl_metric_find(name);

	return m && (m->functions || m->func_patterns);
}

int nl_func_set_probe(const char *tier)
{
	int t = nl_func_tier_parse(tier);

	if (t < -1)
		return -EINVAL;
	forced_tier = t;
	return 0;
}

int nl_func_add_pattern(const char *p)
{
	size_t n = strlen(p);

	if (!n || n >= 64 || strpbrk(p, " \t\n,=/:"))
		return -EINVAL;
	if (npatterns == NLF_MAX_TARGETS)
		return -E2BIG;
	patterns[npatterns++] = nl_xstrdup(p);
	return 0;
}

size_t nl_func_npatterns(void)
{
	return npatterns;
}

int nl_func_set_sample_hz(unsigned long long hz)
{
	if (hz < 1 || hz > NL_FUNC_SAMPLE_HZ_MAX)
		return -EINVAL;
	sample_hz = (unsigned int)hz;
	return 0;
}

unsigned int nl_func_sample_hz(void)
{
	return sample_hz ? sample_hz : NL_FUNC_SAMPLE_HZ_DEFAULT;
}

bool nl_func_sample_hz_default(void)
{
	return !sample_hz;
}

const char *nl_func_sample_note(void)
{
	if (!sampled_metrics[0])
		return NULL;
	if (nl_func_sample_hz_default())
		snprintf(sample_note, sizeof(sample_note),
			 "%s sampled at %u Hz per CPU (the always-on rate); for finer CPU shares: "
			 "-m %s --sample-freq 4000 (costs latency: docs/funclat.md)",
			 sampled_metrics, nl_func_sample_hz(), sampled_metrics);
	else
		snprintf(sample_note, sizeof(sample_note), "%s sampled at %u Hz per CPU (--sample-freq)",
			 sampled_metrics, nl_func_sample_hz());
	return sample_note;
}

/*
 * The sample tier's rate first in the metric's status reason (the tier
 * summary after it may be cut at NL_REASON_MAX), and the metric on the
 * list nl_func_sample_note() names.
 */
static void note_sampled(const char *metric, char *why, size_t len)
{
	char summary[NL_REASON_MAX];
	size_t n = strlen(sampled_metrics);

	snprintf(summary, sizeof(summary), "%s", why);
	if (nl_func_sample_hz_default())
		snprintf(why, len, "sampled at %u Hz per CPU (--sample-freq for more); %s", nl_func_sample_hz(), summary);
	else
		snprintf(why, len, "sampled at %u Hz per CPU (--sample-freq); %s", nl_func_sample_hz(), summary);
	snprintf(sampled_metrics + n, sizeof(sampled_metrics) - n, "%s%s", n ? "," : "", metric);
	nl_info("%s: sampled at %u Hz per CPU%s", metric, nl_func_sample_hz(),
		nl_func_sample_hz_default() ? " (default; finer: --sample-freq 4000)" : "");
}

static int func_open(void **ctxp, const struct nl_record_opts *o, char *why, size_t len)
{
	static const char *want[2 * NLF_MAX_TARGETS];
	struct nlf_ctx *c = nl_xcalloc(1, sizeof(*c));
	size_t n = 0;

	(void)why;
	(void)len;
	c->o = *o;
	/* the only names a target can be: the descriptors' functions and -F's */
	for (size_t i = 0; i < nl_nmetrics; i++)
		for (const struct nl_func_target *f = nl_metrics[i]->functions; f && f->name; f++)
			if (n < NLF_MAX_TARGETS)
				want[n++] = f->name;
	for (size_t i = 0; i < npatterns; i++)
		want[n++] = patterns[i];
	c->syms = nlf_syms_prefetch(want, n);
	*ctxp = c;
	return 0;
}

/* Short answers for tiers the whole kernel lacks, before trying per function. */
static int tier_precheck(int tier, char *why, size_t len)
{
	if (tier == NL_FTIER_KPROBE && access(KPROBE_PMU_TYPE, R_OK) < 0)
		return snprintf(why, len, "kprobe: no kprobe PMU"), -EOPNOTSUPP;
	return 0;
}

static void append(char *buf, size_t len, const char *s)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s%s", used ? "; " : "", s);
}

/* Arm t on the forced tier, or on the first that takes it. */
static int arm_target(struct nlf_ctx *c, struct nlf_target *t)
{
	int first = forced_tier >= 0 ? forced_tier : 0;
	int last = forced_tier >= 0 ? forced_tier : NL_FTIER_NR - 1;

	if (t->unprobeable[0]) {
		snprintf(t->why, sizeof(t->why), "%s", t->unprobeable);
		return -ENOENT;
	}
	for (int k = first; k <= last; k++) {
		char why[NL_REASON_MAX] = "";
		int err = tier_precheck(k, why, sizeof(why));

		/* a copy function's bytes come from its arguments or return value: not from the graph */
		if (!err && k == NL_FTIER_GRAPH && (t->bytes_arg || t->bytes_ret) && forced_tier < 0) {
			snprintf(why, sizeof(why), "graph: no arguments or return value for the bytes");
			err = -EOPNOTSUPP;
		}
		if (!err)
			err = tiers[k]->arm(&c->tier_ctx[k], &c->o, t, why, sizeof(why));
		if (!err) {
			t->tier = k;
			return 0;
		}
		append(t->why, sizeof(t->why), why[0] ? why : nl_errname(err));
	}
	return -EOPNOTSUPP;
}

static struct nlf_target *target_new(struct nlf_ctx *c, const struct nl_metric_desc *m,
				     const char *name, enum nl_func_role role)
{
	struct nlf_target *t;

	if (c->n == NLF_MAX_TARGETS)
		return NULL;
	t = nl_xcalloc(1, sizeof(*t));
	t->m = m;
	nlf_resolve(nlf_syms_wait(c->syms), t, name, role);
	c->t[c->n++] = t;
	return t;
}

/* -F patterns: globs expand over kallsyms' text symbols. */
static int add_patterns(struct nlf_ctx *c, const struct nl_metric_desc *m, char *why, size_t len)
{
	static char names[NLF_MAX_TARGETS][128];

	if (!npatterns)
		return snprintf(why, len, "no function given (netlat record -F FUNC)"), -ENOENT;
	for (size_t i = 0; i < npatterns; i++) {
		int n = 1;

		if (strpbrk(patterns[i], "*?[")) {
			n = nlf_syms_glob(nlf_syms_wait(c->syms), patterns[i], names, NLF_MAX_TARGETS);
			if (n == -E2BIG)
				return snprintf(why, len, "-F %s matches more than %d functions", patterns[i],
						NLF_MAX_TARGETS), n;
			if (n <= 0)
				return snprintf(why, len, "-F %s matches no function in /proc/kallsyms",
						patterns[i]), -ENOENT;
		} else {
			snprintf(names[0], sizeof(names[0]), "%s", patterns[i]);
		}
		for (int k = 0; k < n; k++)
			if (!target_new(c, m, names[k], NL_FUNC_PLAIN))
				return snprintf(why, len, "more than %d functions", NLF_MAX_TARGETS), -E2BIG;
	}
	return 0;
}

/* The metric's functions (its fallbacks later), or -F's patterns for the metric made of them. */
static int add_targets(struct nlf_ctx *c, const struct nl_metric_desc *m, char *why, size_t len)
{
	if (m->func_patterns)
		return add_patterns(c, m, why, len);
	for (const struct nl_func_target *f = m->functions; f && f->name; f++)
		if (!f->fallback)
			target_new(c, m, f->name, f->role);
	return 0;
}

/*
 * Is fallback f wanted: not added yet (from on, m's targets), and no target
 * of its role armed on a tier that reads arguments (the sample tier and
 * the graph read none)?
 */
static bool fallback_wanted(const struct nlf_ctx *c, int from, const struct nl_func_target *f)
{
	for (int i = from; i < c->n; i++) {
		const struct nlf_target *t = c->t[i];

		if (t->role != f->role)
			continue;
		if (!strcmp(t->want, f->name) ||
		    (t->tier >= 0 && t->tier != NL_FTIER_SAMPLE && t->tier != NL_FTIER_GRAPH))
			return false;
	}
	return true;
}

/* Add m's fallbacks whose role its functions could not serve (struct nl_func_target); any added? */
static bool add_fallbacks(struct nlf_ctx *c, const struct nl_metric_desc *m, int from)
{
	bool added = false;

	for (const struct nl_func_target *f = m->functions; f && f->name; f++)
		if (f->fallback && fallback_wanted(c, from, f))
			added |= target_new(c, m, f->name, f->role) != NULL;
	return added;
}

/*
 * record's filters the metric's functions cannot take (its descriptor's
 * filters.func): every tier tests -p and --comm on each call (so every
 * function metric lists them, tests/unit/test_func_targets.c); only a
 * metric with a struct net * argument has a namespace to test.
 */
static int func_filters(const struct nl_metric_desc *m, const struct nl_record_opts *o,
			char *why, size_t len)
{
	char with[128] = "";

	if (o->port && !(m->filters.func & NL_FILTER_PORT))
		return snprintf(why, len, "cannot apply --port: function arguments carry no ports"), -EOPNOTSUPP;
	if (!o->netns || (m->filters.func & NL_FILTER_NETNS))
		return 0;
	/* "<metric>'s <what its calls are>" for each metric that can */
	for (size_t i = 0; i < nl_nmetrics; i++) {
		const struct nl_metric_desc *n = nl_metrics[i];
		const struct nl_stat_desc *calls = nl_metric_stat(n, "calls");
		size_t used = strlen(with);

		if (nl_func_metric(n->name) && (n->filters.func & NL_FILTER_NETNS))
			snprintf(with + used, sizeof(with) - used, "%s%s's %s", used ? ", " : "", n->name,
				 calls ? calls->help : "calls");
	}
	return snprintf(why, len, "cannot apply --netns: only %s carry a namespace", with), -EOPNOTSUPP;
}

/*
 * One line for the metric's status: targets grouped by (tier, reasons),
 * "a,b=kprobe (fentry: attach failed: ENOTSUPP)", so the report says per
 * function which tier it got and why the better ones failed.
 */
static void summarize(struct nlf_ctx *c, int from, char *out, size_t len)
{
	bool done[NLF_MAX_TARGETS] = { false };

	out[0] = '\0';
	for (int i = from; i < c->n; i++) {
		char line[NL_REASON_MAX * 2] = "";
		size_t n = 0;

		if (done[i])
			continue;
		for (int k = i; k < c->n; k++) {
			if (done[k] || c->t[k]->tier != c->t[i]->tier || strcmp(c->t[k]->why, c->t[i]->why))
				continue;
			done[k] = true;
			n += (size_t)snprintf(line + n, sizeof(line) - n > 0 ? sizeof(line) - n : 0, "%s%s",
					      n ? "," : "", c->t[k]->sym);
			if (n >= sizeof(line))
				break;
		}
		if (c->t[i]->tier >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), "=%s%s%s%s",
				 tier_names[c->t[i]->tier], c->t[i]->why[0] ? " (" : "", c->t[i]->why,
				 c->t[i]->why[0] ? ")" : "");
		else
			snprintf(line + strlen(line), sizeof(line) - strlen(line), ": %s", c->t[i]->why);
		append(out, len, line);
	}
}

static int func_arm(void *ctx, const struct nl_metric_desc *m, char *detail, size_t dlen,
		    char *why, size_t whylen)
{
	struct nlf_ctx *c = ctx;
	int from = c->n, armed = 0, err;
	bool used[NL_FTIER_NR] = { false };

	if (!nl_func_metric(m->name))
		return snprintf(why, whylen, "not a function metric"), -EOPNOTSUPP;
	err = func_filters(m, &c->o, why, whylen);
	if (!err)
		err = add_targets(c, m, why, whylen);
	if (err)
		return err;
	for (int i = from; i < c->n; i++) {
		if (arm_target(c, c->t[i]) == 0) {
			armed++;
			used[c->t[i]->tier] = true;
		}
		nl_info("%s: %s -> %s%s%s", m->name, c->t[i]->sym, nl_func_tier_name(c->t[i]->tier),
			c->t[i]->why[0] ? ", rejected: " : "", c->t[i]->why);
		if (i == c->n - 1 && add_fallbacks(c, m, from))
			continue;	/* the loop goes on to the target just added */
	}
	summarize(c, from, why, whylen);
	if (!armed)
		return forced_tier >= 0 ? -EOPNOTSUPP : -ENOENT;
	detail[0] = '\0';
	for (int k = 0; k < NL_FTIER_NR; k++)
		if (used[k])
			snprintf(detail + strlen(detail), dlen - strlen(detail), "%s%s",
				 detail[0] ? "+" : "", tier_names[k]);
	if (used[NL_FTIER_SAMPLE]) {
		/* "sample 99 Hz": the rate is part of how it was measured */
		snprintf(detail + strlen(detail), dlen - strlen(detail), " %u Hz", nl_func_sample_hz());
		note_sampled(m->name, why, whylen);
	}
	if (c->narmed < NLF_MAX_METRICS)
		c->armed[c->narmed++] = m;
	return 0;
}

static int func_start(void *ctx)
{
	struct nlf_ctx *c = ctx;

	/* every target is resolved: the symbol table is not needed while recording */
	nlf_syms_job_free(c->syms);
	c->syms = NULL;

	for (int k = 0; k < NL_FTIER_NR; k++) {
		int err = c->tier_ctx[k] ? tiers[k]->start(c->tier_ctx[k]) : 0;

		if (err)
			return err;
	}
	return 0;
}

static int func_poll(void *ctx)
{
	struct nlf_ctx *c = ctx;

	for (int k = 0; k < NL_FTIER_NR; k++) {
		int err = c->tier_ctx[k] ? tiers[k]->poll(c->tier_ctx[k]) : 0;

		if (err)
			return err;
	}
	return 0;
}

/*
 * Once per recording, each armed metric's counters of its own, and the
 * machine's memcpy for one that reads it as its reference (NL_SRC_MEMCPY_REF).
 */
static void emit_globals(struct nlf_ctx *c, struct nl_interval *iv)
{
	if (c->globals_done)
		return;
	c->globals_done = true;
	for (int i = 0; i < c->narmed; i++) {
		const struct nl_metric_desc *m = c->armed[i];
		uint64_t bytes, ns;

		if (m->func_counters)
			m->func_counters(iv);
		if ((m->sources & NL_SRC_MEMCPY_REF) && nl_memcpy_bw(&bytes, &ns) > 0) {
			nl_iv_add_counter(iv, m->name, "bench=memcpy", "bytes", "bytes", bytes);
			nl_iv_add_counter(iv, m->name, "bench=memcpy", "ns", "ns", ns);
		}
	}
}

/* Does a target run on tier k? (A tier's state outlives a refused arm.) */
static bool tier_in_use(const struct nlf_ctx *c, int k)
{
	for (int i = 0; i < c->n; i++)
		if (c->t[i]->tier == k)
			return true;
	return false;
}

static int func_snapshot(void *ctx, struct nl_interval *iv)
{
	struct nlf_ctx *c = ctx;
	uint64_t events = 0, samples = 0;
	bool sampling = false;

	for (int k = 0; k < NL_FTIER_NR; k++) {
		int err = c->tier_ctx[k] ? tiers[k]->collect(c->tier_ctx[k]) : 0;

		if (err)
			return err;
		/* every tier in use reports its losses, zeros included, as every collector does */
		if (c->tier_ctx[k] && tiers[k]->lost && tier_in_use(c, k)) {
			char key[NL_KEY_MAX];

			snprintf(key, sizeof(key), "func=%s", tier_names[k]);
			nl_iv_add_counter(iv, "session", key, "lost_events", "", tiers[k]->lost(c->tier_ctx[k]));
		}
		if (c->tier_ctx[k] && tiers[k]->samples) {
			samples += tiers[k]->samples(c->tier_ctx[k]);
			sampling = true;
		}
	}
	/* netlat's own cost: what the sampling tier took (include/netlat/self_cost.h) */
	if (sampling)
		nl_iv_add_counter(iv, "overhead", "", "perf_samples", "", samples);
	for (int i = 0; i < c->n; i++) {
		for (size_t r = 0; r < c->t[i]->nrows; r++)
			events += c->t[i]->rows[r].calls + c->t[i]->rows[r].samples;
		if (c->t[i]->tier >= 0)
			nlf_emit(c->t[i], iv);
	}
	emit_globals(c, iv);
	nl_iv_add_counter(iv, "session", "", "events", "", events);
	return 0;
}

static void func_close(void *ctx)
{
	struct nlf_ctx *c = ctx;

	if (!c)
		return;
	for (int k = NL_FTIER_NR - 1; k >= 0; k--)
		if (c->tier_ctx[k])
			tiers[k]->close(c->tier_ctx[k]);
	for (int i = 0; i < c->n; i++)
		free(c->t[i]);
	nlf_syms_job_free(c->syms);
	free(c);
}

const struct nl_collector_ops nl_collector_func = {
	.name = "func",
	.open = func_open,
	.arm = func_arm,
	.start = func_start,
	.poll = func_poll,
	.snapshot = func_snapshot,
	.close = func_close,
};
