// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/softnet_stat reader. One line per online CPU, hex columns:
 * processed, dropped, time_squeeze, then fields that vary by version. Since
 * Linux 5.10 the 13th column is the CPU number (offline CPUs have no line,
 * so line order alone can be wrong); older kernels lack it and we fall back
 * to the line index.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlat/softnet.h"

#define SOFTNET_CPU_COLUMN 12

int nl_softnet_read(struct nl_softnet *s, const char *path)
{
	char line[512];
	FILE *f;
	int idx = 0;

	memset(s, 0, sizeof(*s));
	f = fopen(path ? path : "/proc/net/softnet_stat", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long col[16] = { 0 };
		int n = 0, cpu;
		char *p = line, *end;

		while (n < 16) {
			unsigned long long v = strtoull(p, &end, 16);

			if (end == p)
				break;
			col[n++] = v;
			p = end;
		}
		if (n < 3)
			continue;
		cpu = n > SOFTNET_CPU_COLUMN ? (int)col[SOFTNET_CPU_COLUMN] : idx;
		idx++;
		if (cpu < 0 || cpu >= NL_MAX_CPUS)
			continue;
		s->cpu[cpu].processed = col[0];
		s->cpu[cpu].dropped = col[1];
		s->cpu[cpu].time_squeeze = col[2];
		s->cpu[cpu].seen = 1;
	}
	fclose(f);
	return 0;
}

/* Counters are 32-bit in the file: a smaller value means it wrapped once. */
static uint64_t delta32(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur + (1ULL << 32) - prev;
}

void nl_softnet_delta(struct nl_interval *iv, const char *metric, const struct nl_softnet *cur,
		      const struct nl_softnet *prev, const struct nl_record_opts *o)
{
	for (int cpu = 0; cpu < NL_MAX_CPUS; cpu++) {
		const struct nl_softnet_cpu *c = &cur->cpu[cpu], *p = &prev->cpu[cpu];
		char key[NL_KEY_MAX];

		/* a CPU that came online mid-run has no baseline: skip it once */
		if (!c->seen || !p->seen || !nl_opts_cpu_ok(o, cpu))
			continue;
		snprintf(key, sizeof(key), "cpu=%d", cpu);
		nl_iv_add_counter(iv, metric, key, "processed", "pkts", delta32(c->processed, p->processed));
		nl_iv_add_counter(iv, metric, key, "dropped", "pkts", delta32(c->dropped, p->dropped));
		nl_iv_add_counter(iv, metric, key, "time_squeeze", "", delta32(c->time_squeeze, p->time_squeeze));
	}
}
