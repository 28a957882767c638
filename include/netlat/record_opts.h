/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options the recording commands (record, stat, triage, top) share:
 * one table, one parser, one set of checks, and the steps each of them
 * takes between parsing and arming. A command names which of the common
 * options it takes and parses only its own (record -o, stat -r, ...).
 */
#ifndef NETLAT_RECORD_OPTS_H
#define NETLAT_RECORD_OPTS_H

#include <getopt.h>
#include <stdint.h>
#include "recording.h"
#include "session.h"

/* Which common options a command takes (struct nl_record_cmd.opts). */
enum {
	NL_RO_ALL_CPUS	= 1u << 0,	/* -a, --all-cpus (the default anyway) */
	NL_RO_CPU	= 1u << 1,	/* -C, --cpu */
	NL_RO_DURATION	= 1u << 2,	/* -d, --duration */
	NL_RO_INTERVAL	= 1u << 3,	/* -I, --interval */
	NL_RO_METRICS	= 1u << 4,	/* -m, --metrics */
	NL_RO_COLLECTOR	= 1u << 5,	/* --collector */
	NL_RO_DEV	= 1u << 6,	/* --dev */
	NL_RO_BUFFER_KB	= 1u << 7,	/* --buffer-kb */
	NL_RO_PID	= 1u << 8,	/* -p, --pid */
	NL_RO_COMM	= 1u << 9,	/* --comm */
	NL_RO_PORT	= 1u << 10,	/* --port */
	NL_RO_NETNS	= 1u << 11,	/* --netns */
	NL_RO_FUNC	= 1u << 12,	/* -F, --func */
	NL_RO_PROBE	= 1u << 13,	/* --probe, --sample-freq (the function metrics' tiers) */
	NL_RO_QUIET	= 1u << 14,	/* -q, --quiet */
	NL_RO_VERBOSE	= 1u << 15,	/* -v, --verbose */
	NL_RO_COMMAND	= 1u << 16,	/* takes "-- COMMAND ..."; without it, extra words are an error */
	NL_RO_OVERHEAD_BUDGET = 1u << 17,	/* --overhead-budget PCT (include/netlat/overhead_budget.h) */
	NL_RO_SYSCALL_TIME = 1u << 18,	/* --syscall-time: copy times data system calls (raw_syscalls) */
	NL_RO_PAIR_SAMPLE = 1u << 19,	/* --pair-sample N: rx/tx per-skb pairing of 1 skb in N */
};

/*
 * Wording and limits that differ between the commands and are kept as they
 * always were (struct nl_record_cmd.style).
 */
enum {
	/* triage, top: -p and --netns take "+N", --netns any 64-bit inode, terse messages; --dev refuses '=' */
	NL_RS_LIVE_VIEW	= 1u << 0,
	/* stat: "invalid metric", no CPU range hint, a bad option named as typed */
	NL_RS_STAT	= 1u << 1,
};

/* getopt values of the common long-only options; a command's own long-only ones start at NL_OPT_OWN. */
enum {
	NL_OPT_COLLECTOR = 256, NL_OPT_DEV, NL_OPT_BUFFER_KB, NL_OPT_COMM, NL_OPT_PORT,
	NL_OPT_NETNS, NL_OPT_PROBE, NL_OPT_OVERHEAD_BUDGET, NL_OPT_SYSCALL_TIME, NL_OPT_PAIR_SAMPLE,
	NL_OPT_SAMPLE_FREQ,
	NL_OPT_OWN = 512,
};

struct nl_record_cmd {
	const char *name;		/* "record": for "see 'netlat record --help'" */
	unsigned int opts;		/* NL_RO_* */
	unsigned int style;		/* NL_RS_* */
	uint64_t min_interval_ns;	/* with NL_RO_INTERVAL */
	const char *interval_hint;	/* " (at least 10ms)": follows "invalid interval 'X'" */
	const char *own_short;		/* the command's own short options, getopt syntax */
	const struct option *own_long;	/* its own long options, { NULL } ended; may be NULL */
	/* one of its own options: 0, or -EINVAL after printing one line; NULL without any */
	int (*own)(void *ctx, int opt, const char *arg);
};

/*
 * Parse argv for cmd into cfg (defaults first: collector auto, 1s
 * intervals, the default overhead budget), handing the command's own options to cmd->own(ctx, ...).
 * Then -F alone selects the func metric (with -m it is added). Returns 0,
 * 1 when --help was asked (the caller prints its usage), or -EINVAL after
 * one line on stderr.
 */
int nl_record_parse(const struct nl_record_cmd *cmd, struct nl_session_cfg *cfg, void *ctx,
		    int argc, char **argv);

/* One common option (a getopt value of the table) into cfg: 0, or -EINVAL after one line. */
int nl_record_opt(const struct nl_record_cmd *cmd, struct nl_session_cfg *cfg, int opt, const char *arg);

/* "WHO needs privileges this process lacks: ...HINT": 0, or -EPERM after that line. */
int nl_record_privs(const char *who, const char *hint);

/*
 * Before arming: the privileges (message hint as for nl_record_privs),
 * that output (unless NULL) can be written afterwards, the status line
 * setting, and the signal handlers. 0, or a negative errno after one line.
 */
int nl_record_start(struct nl_session_cfg *cfg, const char *output, const char *privs_hint);

/* Write rec to path, keeping an existing file as path.old: 0, or a negative errno after one line. */
int nl_record_save(const struct nl_recording *rec, const char *path);

#endif
