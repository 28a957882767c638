// SPDX-License-Identifier: GPL-2.0
/*
 * Which attribution filters (-p, --comm, --port, --netns) each collector can
 * apply to each metric. One table, so that a filter is refused with a reason
 * rather than ignored: a metric whose events run in softirq context has no
 * process to test, and tracepoint fields carry no network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flows.h"
#include "netlat/util.h"

enum { F_PID = 1, F_COMM = 2, F_PORT = 4, F_NETNS = 8 };

struct filter_support {
	const char *metric;
	unsigned int bpf, tracefs;
};

/* Metrics not listed (a newer one) take no filter until they say they do. */
static const struct filter_support support[] = {
	{ "napi", F_NETNS, 0 },
	{ "softirq", 0, 0 },
	{ "gro", F_NETNS, 0 },
	{ "gso", F_NETNS, 0 },
	{ "qdisc", F_NETNS, 0 },
	{ "tcp", F_NETNS | F_PORT, F_PORT },
	{ "drops", F_NETNS, 0 },
	{ "copy", F_PID | F_COMM | F_PORT | F_NETNS, F_PID | F_COMM },
};

static unsigned int given(const struct nl_record_opts *o)
{
	return (o->pid ? F_PID : 0) | (o->comm[0] ? F_COMM : 0) | (o->port ? F_PORT : 0) |
	       (o->netns ? F_NETNS : 0);
}

static const char *why_not(unsigned int f, bool tracefs)
{
	if (f & F_NETNS)
		return tracefs ? "--netns: tracepoint fields carry no network namespace (use --collector bpf)"
			       : "--netns: its events have no device or socket to take a namespace from";
	if (f & (F_PID | F_COMM))
		return "-p/--comm: its events run in softirq context, not in the process's";
	return "--port: its events carry no ports";
}

int nl_filters_check(const char *collector, const char *metric, const struct nl_record_opts *o,
		     char *why, size_t whylen)
{
	bool tracefs = !strcmp(collector, "tracefs");
	unsigned int want = given(o), can = 0;
	bool listed = false;

	if (!want)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(support); i++)
		if (!strcmp(support[i].metric, metric)) {
			can = tracefs ? support[i].tracefs : support[i].bpf;
			listed = true;
		}
	if (!(want & ~can))
		return 0;
	if (!listed)
		snprintf(why, whylen, "cannot apply -p/--comm/--port/--netns: this metric takes no attribution filter");
	else
		snprintf(why, whylen, "cannot apply %s", why_not(want & ~can, tracefs));
	return -EOPNOTSUPP;
}
