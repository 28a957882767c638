// SPDX-License-Identifier: GPL-2.0
/*
 * Softirq runs that no BPF program saw. A kernel can leave a BPF program
 * out of a tracepoint hit without counting it anywhere: on the 6.18 test
 * host no BPF program of any type (raw_tp, tp_btf, perf tracepoint) runs
 * while the interrupted task is the sandbox's own agent, and neither
 * run_cnt nor recursion_misses moves, while tracefs sees every hit. The
 * kernel still counts every softirq run in /proc/softirqs
 * (handle_softirqs() bumps kstat_softirqs right before
 * trace_softirq_entry), so while the softirq program is armed, NET_TX and
 * NET_RX runs the kernel counted and the program did not are runs whose
 * BPF events all went unseen. They are reported as that CPU's lost events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "collector.h"
#include "softirq/softirq.h"
#include "netlat/collector.h"
#include "netlat/util.h"

struct nlb_unseen {
	int map_fd, ncpu;
	struct nl_record_opts opts;
	uint64_t *base;		/* ncpu: NET_TX + NET_RX runs in /proc/softirqs at start */
	uint64_t *reported;	/* ncpu: unseen runs already reported */
	uint64_t *kernel;	/* ncpu: scratch, runs since start */
	struct softirq_val *vals;	/* 2 * ncpu: scratch, the NET_TX and NET_RX lookups */
};

/* Add the NET_TX and NET_RX columns of /proc/softirqs to runs[cpu]; columns are possible CPUs. */
static int read_proc_softirqs(uint64_t *runs, int ncpu)
{
	char line[4096];
	int col2cpu[NL_MAX_CPUS], ncol = 0, nvec = 0;
	FILE *f = fopen("/proc/softirqs", "re");

	if (!f)
		return -errno;
	memset(runs, 0, (size_t)ncpu * sizeof(*runs));
	if (fgets(line, sizeof(line), f)) {
		for (char *tok = strtok(line, " \t\n"); tok && ncol < NL_MAX_CPUS; tok = strtok(NULL, " \t\n"))
			if (sscanf(tok, "CPU%d", &col2cpu[ncol]) == 1)
				ncol++;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "NET_TX:", 7) && strncmp(p, "NET_RX:", 7))
			continue;
		p += 7;
		for (int c = 0; c < ncol; c++, p = end) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			if (col2cpu[c] >= 0 && col2cpu[c] < ncpu)
				runs[col2cpu[c]] += v;
		}
		nvec++;
	}
	fclose(f);
	return ncol && nvec == 2 ? 0 : -EINVAL;
}

/* Called once the programs count: runs before this moment are not the program's to see. */
struct nlb_unseen *nlb_unseen_start(int softirq_map_fd, int ncpu, const struct nl_record_opts *o)
{
	struct nlb_unseen *u = nl_xcalloc(1, sizeof(*u));

	u->map_fd = softirq_map_fd;
	u->ncpu = ncpu;
	u->opts = *o;
	u->base = nl_xcalloc((size_t)ncpu, sizeof(uint64_t));
	u->reported = nl_xcalloc((size_t)ncpu, sizeof(uint64_t));
	u->kernel = nl_xcalloc((size_t)ncpu, sizeof(uint64_t));
	u->vals = nl_xcalloc(2 * (size_t)ncpu, sizeof(struct softirq_val));
	if (read_proc_softirqs(u->base, ncpu)) {
		nl_info("bpf: /proc/softirqs unreadable: softirq runs unseen by BPF are not checked");
		nlb_unseen_free(u);
		return NULL;
	}
	return u;
}

/*
 * Add each CPU's newly unseen runs to lost_per_cpu. /proc/softirqs is read
 * before the map, so a run in between is seen but not yet counted: the
 * difference can only fall short, never report a loss that did not happen,
 * and what it missed shows up at the next snapshot.
 */
int nlb_unseen_snapshot(struct nlb_unseen *u, uint64_t *lost_per_cpu)
{
	struct softirq_val *tx, *rx;
	uint32_t slot;

	if (!u || read_proc_softirqs(u->kernel, u->ncpu))
		return 0;	/* no witness this time; the next snapshot catches up */
	tx = u->vals;
	rx = u->vals + u->ncpu;
	slot = SOFTIRQ_SLOT_NET_TX;
	if (bpf_map_lookup_elem(u->map_fd, &slot, tx))
		return -errno;
	slot = SOFTIRQ_SLOT_NET_RX;
	if (bpf_map_lookup_elem(u->map_fd, &slot, rx))
		return -errno;
	for (int cpu = 0; cpu < u->ncpu; cpu++) {
		uint64_t ran = u->kernel[cpu] >= u->base[cpu] ? u->kernel[cpu] - u->base[cpu] : 0;
		uint64_t seen = tx[cpu].entries + rx[cpu].entries;
		uint64_t unseen = ran > seen ? ran - seen : 0;

		if (!nl_opts_cpu_ok(&u->opts, cpu) || unseen <= u->reported[cpu])
			continue;
		lost_per_cpu[cpu] += unseen - u->reported[cpu];
		u->reported[cpu] = unseen;
	}
	return 0;
}

void nlb_unseen_free(struct nlb_unseen *u)
{
	if (!u)
		return;
	free(u->base);
	free(u->reported);
	free(u->kernel);
	free(u->vals);
	free(u);
}
