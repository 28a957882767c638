// SPDX-License-Identifier: GPL-2.0
/*
 * Refusing the attribution filters (-p, --comm, --port, --netns) a collector
 * cannot apply to a metric: the filters each applies are in the metric's
 * descriptor (struct nl_metric_filters), so a filter is refused with a
 * reason rather than ignored. A metric whose events run in softirq context
 * has no process to test, and tracepoint fields carry no network namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flows.h"
#include "netlat/metric.h"

static unsigned int given(const struct nl_record_opts *o)
{
	return (o->pid ? NL_FILTER_PID : 0) | (o->comm[0] ? NL_FILTER_COMM : 0) |
	       (o->port ? NL_FILTER_PORT : 0) | (o->netns ? NL_FILTER_NETNS : 0);
}

/* "-p/--netns": the options of the filters in f, as the command line spells them. */
static void option_names(unsigned int f, char *out, size_t len)
{
	static const char *const names[] = {	/* in the bit order of enum nl_filter */ "-p", "--comm", "--port", "--netns" };
	size_t o = 0;

	out[0] = '\0';
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((f & (1u << i)) && o < len)
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "/" : "", names[i]);
}

static const char *why_not(unsigned int f, bool tracefs)
{
	if (f & NL_FILTER_NETNS)
		return tracefs ? "--netns: tracepoint fields carry no network namespace (use --collector bpf)"
			       : "--netns: its events have no device or socket to take a namespace from";
	if (f & (NL_FILTER_PID | NL_FILTER_COMM))
		return "-p/--comm: its events run in softirq context, not in the process's";
	return "--port: its events carry no ports";
}

int nl_filters_check(const char *collector, const char *metric, const struct nl_record_opts *o,
		     char *why, size_t whylen)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);
	bool tracefs = !strcmp(collector, "tracefs");
	unsigned int want = given(o), can = 0;

	if (!want)
		return 0;
	if (m)
		can = tracefs ? m->filters.tracefs : m->filters.bpf;
	if (!(want & ~can))
		return 0;
	/* A metric no collector filters (softirq, rx, tx) has no one reason to give. */
	if (!m || !(m->filters.bpf | m->filters.tracefs)) {
		char opts[32];

		option_names(want, opts, sizeof(opts));
		snprintf(why, whylen, "cannot apply %s: this metric takes no attribution filter", opts);
	} else {
		snprintf(why, whylen, "cannot apply %s", why_not(want & ~can, tracefs));
	}
	return -EOPNOTSUPP;
}
