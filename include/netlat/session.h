/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record loop: choose a backend per metric (best first, each rejection
 * written down), arm, run for a duration or a command, cut intervals, and
 * disarm everything on the way out.
 */
#ifndef NETLAT_SESSION_H
#define NETLAT_SESSION_H

#include <stdbool.h>
#include "collector.h"
#include "recording.h"

struct nl_session_cfg {
	struct nl_record_opts opts;
	const char *metrics;		/* -m list, NULL = every metric */
	const char *collector;		/* "auto", "bpf", "tracefs" */
	char **command;			/* argv of the command to run, or NULL */
	bool status_line;		/* one-line progress on stderr */
	/*
	 * record --raw-events: metrics whose tracepoints go to the raw file
	 * (opts.raw_path); NULL = every armed metric. A metric the bpf
	 * collector measures gets a tracefs collector beside it, for the raw
	 * file only (its counts are not used).
	 */
	const char *raw_metrics;
	uint32_t run;			/* run index stored in intervals */
	/* --overhead-budget: % of the recorded CPUs netlat's BPF programs may take; 0 = no limit */
	double overhead_budget_pct;
	/*
	 * Optional (netlat top): called on the record loop's thread right
	 * after each interval iv is cut and added to rec. It may free and
	 * remove intervals of rec older than iv (a live view keeps only the
	 * latest), never iv itself. NULL: plain recording, no change.
	 */
	void (*on_interval)(struct nl_recording *rec, struct nl_interval *iv, void *arg);
	void *on_interval_arg;
};

/*
 * Record into rec (metadata, metric status, intervals). Returns 0, or a
 * negative errno after printing one line; *cmd_exit gets the command's
 * exit status (-1 without a command; 128+sig if it was killed).
 */
int nl_session_record(const struct nl_session_cfg *cfg, struct nl_recording *rec, int *cmd_exit);

#endif
