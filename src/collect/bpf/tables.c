// SPDX-License-Identifier: GPL-2.0
/*
 * What the BPF metrics' row tables share: the device and stage parts of
 * their row keys, spelt as the tracefs collector spells them, and the
 * lookup of a metric's tables. Each metric's tables are in its folder,
 * src/metrics/<name>/<name>_tables.c (nlb_tables_<name>).
 */
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "netlat/util.h"

/*
 * A device name as a key value: kernel names may hold ',' (dev_valid_name
 * refuses only '/', ':' and whitespace) but keys must not, for CSV and awk.
 */
void nlb_put_dev(char *out, size_t len, const struct nlb_devs *d, uint32_t slot)
{
	char name[NL_BPF_DEV_LEN + 1] = "?";

	if (slot < d->n) {
		memcpy(name, d->dev[slot].name, NL_BPF_DEV_LEN);
		name[NL_BPF_DEV_LEN] = '\0';
	}
	for (char *p = name; *p; p++)
		if (*p == ',' || *p == ' ' || *p == '=')
			*p = '_';
	snprintf(out, len, "dev=%s", name);
}

/* " netns=N" after a device; the backlog (no device) has none. */
void nlb_put_netns(char *out, size_t len, const struct nlb_devs *d, uint32_t slot)
{
	size_t n = strlen(out);

	if (slot < d->n && d->dev[slot].netns && n < len)
		snprintf(out + n, len - n, " netns=%u", d->dev[slot].netns);
}

void nlb_dev_key(const struct nlb_devs *d, const void *key, uint32_t idx, int cpu, char *out, size_t len)
{
	(void)key;
	(void)cpu;
	nlb_put_dev(out, len, d, idx);
	nlb_put_netns(out, len, d, idx);
}

/* "stage=gro_hold dev=lo": row idx of a stage x device table, its stages named by names[nstages] */
void nlb_stage_key(char *out, size_t len, const char *const *names, unsigned int nstages, const struct nlb_devs *d,
		   uint32_t idx)
{
	uint32_t stage = idx / NL_BPF_MAX_DEVS;
	char dev[64];

	nlb_put_dev(dev, sizeof(dev), d, idx % NL_BPF_MAX_DEVS);
	snprintf(out, len, "stage=%s %s", stage < nstages ? names[stage] : "unknown", dev);
}

struct nlb_metric_tables {
	const char *metric;
	const struct nlb_table *const *tables;
};

/* Made from src/metrics/metrics.def: every metric with BPF. */
#define NL_METRIC(name, bpf, tracefs) NL_TABLES_##bpf(name)
#define NL_TABLES_BPF(name) { #name, nlb_tables_##name },
#define NL_TABLES_NO_BPF(name)
static const struct nlb_metric_tables all_tables[] = {
#include "metrics.def"
};
#undef NL_TABLES_NO_BPF
#undef NL_TABLES_BPF
#undef NL_METRIC

const struct nlb_table *const *nlb_tables_of(const char *metric)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++)
		if (!strcmp(all_tables[i].metric, metric))
			return all_tables[i].tables;
	return NULL;
}

bool nlb_metric_known(const char *metric)
{
	return nlb_tables_of(metric) != NULL;
}
