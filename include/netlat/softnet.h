/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/net/softnet_stat per CPU: the napi metric's processed/dropped/time_squeeze rows. */
#ifndef NETLAT_SOFTNET_H
#define NETLAT_SOFTNET_H

#include <stdint.h>
#include "collector.h"
#include "recording.h"

struct nl_softnet_cpu {
	uint64_t processed;
	uint64_t dropped;
	uint64_t time_squeeze;
	int seen;
};

struct nl_softnet {
	struct nl_softnet_cpu cpu[NL_MAX_CPUS];
};

/* Read the current counters; 0 or a negative errno. */
int nl_softnet_read(struct nl_softnet *s, const char *path);
/* Add cur - prev per CPU to iv (rows of metric, key "cpu=N"), honouring the -C mask. */
void nl_softnet_delta(struct nl_interval *iv, const char *metric, const struct nl_softnet *cur,
		      const struct nl_softnet *prev, const struct nl_record_opts *o);

#endif
