/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The overhead budget governor (record --overhead-budget PCT). After each
 * interval the record loop hands it the share of the recorded CPUs that
 * netlat's BPF programs took (include/netlat/self_cost.h) and the budget;
 * it answers with the admission rate for the next interval: one skb in
 * one_in is paired per skb (collector op set_admission), a power of two.
 *
 * Only the in-kernel cost is governed: it is what admission changes. The
 * process's own CPU time is reported beside it but sampling does not
 * lower it.
 *
 * Over budget: lower at once, by the power of two that would bring the
 * cost under the budget if all of it shrank with admission (it does not:
 * the programs that do no pairing keep their cost, so the next interval
 * may lower again). Under budget: raise one step only after
 * NL_BUDGET_CALM intervals in a row in which even twice the cost (what
 * the next step up could at most bring) would stay under
 * NL_BUDGET_HEADROOM of the budget. The two thresholds apart are the
 * hysteresis: a cost near the budget does not flip the rate every second.
 */
#ifndef NETLAT_OVERHEAD_BUDGET_H
#define NETLAT_OVERHEAD_BUDGET_H

#include <stddef.h>

/*
 * Default budget, % of the recorded CPUs. 1% of 2 CPUs is 20 ms of BPF run
 * time per second: at the 100 ns per program run that is 200k runs
 * a second, far above what an ordinary host's traffic makes (idle: a few
 * hundred), so the default never samples a normal recording and steps in
 * only under a flood, where pairing every skb would take whole percents.
 */
#define NL_BUDGET_DEFAULT_PCT	1.0
#define NL_ADMIT_MAX		1024	/* lowest admission: 1 skb in 1024 */
#define NL_BUDGET_CALM		3
#define NL_BUDGET_HEADROOM	0.7

struct nl_budget {
	double budget_pct;	/* 0: no limit */
	unsigned int one_in;	/* admission in force, 1 = every skb */
	unsigned int calm;	/* intervals in a row with room to raise */
};

/*
 * The admission rate after an interval that cost cost_pct: s->one_in when
 * nothing changes; on a change why gets the reason ("over budget: 2.3%",
 * "under budget: 0.31%"). s->one_in is left to the caller, which sets it to
 * the rate the collector put in force.
 */
unsigned int nl_budget_decide(struct nl_budget *s, double cost_pct, char *why, size_t len);

/* Parse a budget: a number of percent in [0, 100], "%" allowed. 0 or -EINVAL. */
int nl_budget_parse(const char *arg, double *pct);

#endif
