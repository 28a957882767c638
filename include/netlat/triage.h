/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat triage` and `netlat top`: rules over a recording that turn data
 * into ranked findings. Every rule is a small unit (src/metrics/<metric>/rule_<name>.c)
 * exporting one struct nl_rule; the table in src/triage/triage_engine.c lists them. A
 * rule names the metrics it needs; when one of them is missing from the
 * recording, the rule is not run and the report says why ("not checked").
 *
 * Severity is a score in 1..100, comparable across rules: 40 at a rule's
 * threshold, +10 per doubling beyond it (nl_triage_score), capped at 95 so
 * that only the lost-events rule (which qualifies every other finding) can
 * reach 100. Thresholds are in docs/triage.md.
 */
#ifndef NETLAT_TRIAGE_H
#define NETLAT_TRIAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"

#define NL_FINDING_TEXT	512

struct nl_finding {
	const char *rule;		/* the rule that raised it */
	double score;			/* 1..100, most severe first */
	char what[NL_FINDING_TEXT];	/* what is wrong */
	char evidence[NL_FINDING_TEXT];	/* the numbers, against what would be normal */
	char where[NL_FINDING_TEXT];	/* "dev=veth0 cpu=1", "comm=reader pid=12" */
	char next[NL_FINDING_TEXT];	/* the next command to look closer */
	bool qualified;			/* the recording lost events: numbers may be low */
	/*
	 * Root causes and their consequences, matched by label and namespace:
	 * a finding with cause set explains those in its netns whose
	 * consequence_of names the same label; they rank below it and say so.
	 */
	uint64_t netns;			/* where it was found, 0 unknown */
	const char *cause;		/* "receive queue full": this finding is a root cause */
	const char *consequence_of;	/* the cause this finding can follow from */
	char caused_by[64];		/* "caused by #1: receive queue full", set by the ranking */
};

/* What the rules look at, and the scope the user asked for. */
struct nl_triage_in {
	const struct nl_recording *rec;
	const struct nl_interval *iv;	/* the whole run, or one interval (top) */
	double seconds;			/* the time iv covers */
	double memcpy_bytes_per_s;	/* this machine's memcpy bandwidth, 0 unknown */
	const char *dev;		/* --dev scope, NULL = any */
	uint64_t netns;			/* --netns scope, 0 = any */
};

struct nl_triage_skip {
	const char *rule;
	char why[NL_REASON_MAX];
};

struct nl_triage {
	struct nl_finding *f;
	size_t nf;
	const char **checked;		/* rule names that ran */
	size_t nchecked;
	struct nl_triage_skip *skipped;	/* rules that could not run, and why */
	size_t nskipped;
};

/* The row scopes a rule can honour (a rule looking at per-CPU rows honours none). */
#define NL_RULE_SCOPE_DEV	1u	/* its rows carry dev= */
#define NL_RULE_SCOPE_NETNS	2u	/* its rows carry netns= */

struct nl_rule {
	const char *name;		/* "napi-budget" */
	unsigned int order;		/* where it runs and is listed among the rules: lower first */
	const char *needs;		/* metrics it needs, all of them: "napi", "qdisc" */
	const char *help;		/* one line: what it checks, and its threshold */
	unsigned int scopes;		/* NL_RULE_SCOPE_* it can be narrowed to */
	void (*check)(const struct nl_triage_in *in, struct nl_triage *out);
	/* optional: what else the rule needs besides its metrics; false with why when it is missing */
	bool (*ready)(const struct nl_triage_in *in, char *why, size_t len);
};

/* Every rule, in order: nl_rule_lost_events, then the rules of the metrics' descriptors. */
const struct nl_rule *const *nl_rule_list(size_t *n);

/* Root-cause labels (struct nl_finding.cause, consequence_of). */
#define NL_CAUSE_RCVQ_FULL	"receive queue full"

/* Run every rule on in, findings sorted most severe first. 0 or -ENOMEM. */
int nl_triage_run(const struct nl_triage_in *in, struct nl_triage *out);
void nl_triage_free(struct nl_triage *t);

/* Output: a stable text form (one "#N [score] rule: what" block per finding) or JSON. */
void nl_triage_print_text(FILE *out, const struct nl_triage_in *in, const struct nl_triage *t);
void nl_triage_print_json(FILE *out, const struct nl_triage_in *in, const struct nl_triage *t);

/* ---- helpers for rules (src/triage/rule_helpers.c) ---- */

/* A new zeroed finding of rule, owned by out. */
struct nl_finding *nl_triage_add(struct nl_triage *out, const char *rule, double score);
/* 40 at threshold, +10 per doubling of value/threshold, clamped to [1, 95]. */
double nl_triage_score(double value, double threshold);
/* Is a row key inside the user's scope (a dev=/netns= field that is missing or differs puts it out)? */
bool nl_triage_in_scope(const struct nl_triage_in *in, const char *key);
/* Counter value of (metric, key, stat) in iv, 0 when absent. */
uint64_t nl_triage_counter(const struct nl_interval *iv, const char *metric, const char *key,
			   const char *stat);
/*
 * A derived value of the row (the metric table's definition, as the report
 * shows it): false, and 0 in out, when its denominator is 0 or absent.
 */
bool nl_triage_derived(const struct nl_interval *iv, const char *metric, const char *key,
		       const char *name, double *out);
/* Histogram of (metric, key, stat), NULL when absent or empty. */
const struct nl_hist *nl_triage_hist(const struct nl_interval *iv, const char *metric,
				     const char *key, const char *stat);
/* "12.3k", "4.56M" for rates and counts */
void nl_triage_fmt_num(char *buf, size_t len, double v);

/*
 * Keys of metric in iv that are inside the scope and whose shape starts
 * with field (e.g. "dev", "cpu", "flow"; NULL: any); *keys is malloc'ed (free
 * it even when 0 is returned), pointing into iv.
 */
size_t nl_triage_keys(const struct nl_triage_in *in, const char *metric, const char *field,
		      const char ***keys);

#endif
