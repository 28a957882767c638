// SPDX-License-Identifier: GPL-2.0
/* The overhead budget governor's decision (include/netlat/overhead_budget.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "netlat/overhead_budget.h"

unsigned int nl_budget_decide(struct nl_budget *s, double cost_pct, char *why, size_t len)
{
	unsigned int next = s->one_in ? s->one_in : 1;

	if (s->budget_pct <= 0 || !(cost_pct >= 0))
		return next;
	if (cost_pct > s->budget_pct) {
		s->calm = 0;
		if (next >= NL_ADMIT_MAX)
			return next;
		/* the smallest power of two that would fit, were all the cost pairing */
		do
			next *= 2;
		while (next < NL_ADMIT_MAX && cost_pct * s->one_in / next > s->budget_pct);
		if (next > NL_ADMIT_MAX)
			next = NL_ADMIT_MAX;
		snprintf(why, len, "over budget: %.3g%%", cost_pct);
		return next;
	}
	if (next == 1 || cost_pct * 2 > s->budget_pct * NL_BUDGET_HEADROOM) {
		s->calm = 0;
		return next;
	}
	if (++s->calm < NL_BUDGET_CALM)
		return next;
	s->calm = 0;
	snprintf(why, len, "under budget: %.3g%%", cost_pct);
	return next / 2;
}

int nl_budget_parse(const char *arg, double *pct)
{
	char *end;
	double v;

	if (!arg[0] || arg[0] == '-' || arg[0] == '+' || arg[0] == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(arg, &end);
	if (end == arg)
		return -EINVAL;
	if (*end == '%')
		end++;
	if (errno || *end || !isfinite(v) || v < 0 || v > 100)
		return -EINVAL;
	*pct = v;
	return 0;
}
