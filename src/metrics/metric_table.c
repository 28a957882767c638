// SPDX-License-Identifier: GPL-2.0
/*
 * The table of metrics, made from src/metrics/metrics.def: each metric's
 * descriptor (names, kernel events and the values it yields) lives in its
 * own folder, src/metrics/<name>/<name>_metric.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/recording.h"
#include "netlat/util.h"

#define NL_METRIC(name, bpf, tracefs) extern const struct nl_metric_desc nl_metric_##name;
#include "metrics.def"
#undef NL_METRIC

const struct nl_metric_desc *const nl_metrics[] = {
#define NL_METRIC(name, bpf, tracefs) &nl_metric_##name,
#include "metrics.def"
#undef NL_METRIC
};
const size_t nl_nmetrics = ARRAY_SIZE(nl_metrics);

const struct nl_metric_desc *nl_metric_find(const char *name)
{
	for (size_t i = 0; i < nl_nmetrics; i++)
		if (!strcmp(nl_metrics[i]->name, name))
			return nl_metrics[i];
	return NULL;
}

const struct nl_stat_desc *nl_metric_stat(const struct nl_metric_desc *m, const char *stat)
{
	for (const struct nl_stat_desc *s = m->stats; s && s->name; s++)
		if (!strcmp(s->name, stat))
			return s;
	return NULL;
}

int nl_metric_list_check(const char *list, char *bad, size_t badlen)
{
	const char *p = list;

	if (!list || !strcmp(list, "all"))
		return 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		char name[NL_NAME_MAX];

		if (n == 0 || n >= sizeof(name)) {
			snprintf(bad, badlen, "%.*s", (int)(n ? n : 1), n ? p : ",");
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (!nl_metric_find(name)) {
			snprintf(bad, badlen, "%s", name);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int nl_metric_selected(const char *list, const char *name)
{
	if (!list || !strcmp(list, "all"))
		return 1;
	return nl_list_has(list, name);
}
