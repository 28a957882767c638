// SPDX-License-Identifier: GPL-2.0
/* The one duration formatter: report, stat, diff, triage and top print nanoseconds through it. */
#include <math.h>
#include <stdio.h>

#include "netlat/util.h"

/* Three significant digits in the largest unit that keeps the value >= 1: "812ns", "12.3us", "4.56ms",
 * "1.20s". A negative value (a diff's delta) gets its sign in front; NaN prints as "-". */
void nl_fmt_ns(char *buf, size_t len, double ns)
{
	static const char *const units[] = { "ns", "us", "ms", "s" };
	const char *sign = ns < 0 ? "-" : "";
	unsigned int u = 0;
	double v = fabs(ns);

	if (isnan(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	/* 999.6us must print as 1.00ms, not 1000us: compare after rounding to 3 digits */
	while (v >= 999.5 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%s%.0f%s", sign, v, units[u]);
	else
		snprintf(buf, len, v < 10 ? "%s%.2f%s" : v < 100 ? "%s%.1f%s" : "%s%.0f%s", sign, v, units[u]);
}
