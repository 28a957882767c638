// SPDX-License-Identifier: GPL-2.0
/*
 * Attribution filters: a collector takes -p, --comm, --port, --netns for a
 * metric when the metric's descriptor says it applies them, and refuses the
 * metric with a reason otherwise (src/metrics/metric_filters.c). The cases
 * are the collectors' handlers as they are: sknet's BPF handler tests the
 * socket's namespace and its tracepoint carries no socket; softirq's events
 * have no process, device or socket; copy's tracefs events have a task.
 */
#include <errno.h>
#include <string.h>

#include "flows.h"
#include "netlat/collector.h"
#include "unit.h"

static int check(const char *collector, const char *metric, const struct nl_record_opts *o, char *why)
{
	why[0] = '\0';
	return nl_filters_check(collector, metric, o, why, NL_REASON_MAX);
}

int main(void)
{
	struct nl_record_opts none = { 0 }, netns = { 0 }, pid = { 0 };
	char why[NL_REASON_MAX];

	netns.netns = 4026531840ull;
	pid.pid = 1;
	CHECK(check("bpf", "sknet", &none, why) == 0);
	CHECK(check("tracefs", "softirq", &none, why) == 0);
	CHECK(check("bpf", "sknet", &netns, why) == 0);
	CHECK(check("tracefs", "sknet", &netns, why) == -EOPNOTSUPP);
	CHECK(strstr(why, "--netns: tracepoint fields carry no network namespace") != NULL);
	CHECK(check("bpf", "sknet", &pid, why) == -EOPNOTSUPP);
	CHECK(strstr(why, "-p/--comm: its events run in softirq context") != NULL);
	CHECK(check("bpf", "softirq", &netns, why) == -EOPNOTSUPP);
	CHECK_STR(why, "cannot apply --netns: this metric takes no attribution filter");
	CHECK(check("bpf", "napi", &netns, why) == 0);
	CHECK(check("tracefs", "copy", &pid, why) == 0);
	CHECK(check("bpf", "no-such-metric", &pid, why) == -EOPNOTSUPP);
	UNIT_DONE();
}
