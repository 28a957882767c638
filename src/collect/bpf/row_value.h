/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A BPF row value written once, as the list of its statistics, from which
 * both the struct the programs update and the names user space reports are
 * made, so a name cannot drift from its field (and a tracefs family that
 * keeps the same row takes its names from the list too):
 *
 *	#define NAPI_VAL(C, H) C(polls) C(budget_exhausted) H(work)
 *	NL_ROW_VALUE(napi_val, NAPI_VAL);
 *	static const char *const napi_names[] = NL_ROW_NAMES(NAPI_VAL);
 *
 * C names a counter (unsigned long long), H a histogram (struct
 * nl_bpf_hist). Whatever the order of the list, the struct and the names
 * hold the counters first, then the histograms: the order the reader
 * (collector.h's struct nlb_table) takes them in.
 *
 * Included from both sides, like hist_shared.h: no libc, no vmlinux.h.
 */
#ifndef NETLAT_ROW_VALUE_H
#define NETLAT_ROW_VALUE_H

#include "hist_shared.h"

#define NL_ROW_SKIP_(n)
#define NL_ROW_COUNTER_(n)	unsigned long long n;
#define NL_ROW_HIST_(n)		struct nl_bpf_hist n;
#define NL_ROW_NAME_(n)		#n,
#define NL_ROW_ONE_(n)		+ 1

/* struct tag: the counters of LIST, then its histograms. */
#define NL_ROW_VALUE(tag, LIST)							\
	struct tag {								\
		LIST(NL_ROW_COUNTER_, NL_ROW_SKIP_)				\
		LIST(NL_ROW_SKIP_, NL_ROW_HIST_)				\
	}

/* The statistic names of LIST in the struct's order, as an array initializer. */
#define NL_ROW_NAMES(LIST)	NL_ROW_NAMES_WITH(LIST, NL_ROW_NAME_)
/* The same, each name made by NAME(field) (a string literal and a comma): a prefix, say. */
#define NL_ROW_NAMES_WITH(LIST, NAME)	{ LIST(NAME, NL_ROW_SKIP_) LIST(NL_ROW_SKIP_, NAME) }
/* Its counters' names alone, and its histograms' (a tracefs row layout: netlat/tracefs_int.h). */
#define NL_ROW_COUNTER_NAMES(LIST)	{ LIST(NL_ROW_NAME_, NL_ROW_SKIP_) }
#define NL_ROW_HIST_NAMES(LIST)		{ LIST(NL_ROW_SKIP_, NL_ROW_NAME_) }
#define NL_ROW_NCOUNTERS(LIST)	(0 LIST(NL_ROW_ONE_, NL_ROW_SKIP_))
#define NL_ROW_NHISTS(LIST)	(0 LIST(NL_ROW_SKIP_, NL_ROW_ONE_))

#endif /* NETLAT_ROW_VALUE_H */
