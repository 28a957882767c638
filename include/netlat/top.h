/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `netlat top`: one frame per interval, full screen on a terminal (ANSI
 * escapes, no curses) or one plain block per interval when piped.
 */
#ifndef NETLAT_TOP_H
#define NETLAT_TOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "recording.h"
#include "triage.h"

struct nl_top_frame {
	const struct nl_recording *rec;
	const struct nl_interval *iv;	/* the interval just cut */
	size_t index;			/* its number since top started */
	double memcpy_bytes_per_s;
	const char *dev;		/* scope, as for triage */
	uint64_t netns;
};

/*
 * Render one frame as plain text lines (no escapes): header, RX/TX stage
 * table, per-CPU softirq table, top flows, findings of this interval.
 * max_flows and max_findings bound the lists.
 */
void nl_top_render(FILE *out, const struct nl_top_frame *fr, size_t max_flows, size_t max_findings);
/* One row of the stage table: direction, stage, device, p50, p99 and rate of h (a metric's top_stage_rows). */
void nl_top_stage_row(FILE *out, const char *dir, const char *stage, const char *dev, const struct nl_hist *h,
		      double secs);

/* ---- the terminal (src/triage/top_terminal.c) ---- */

/*
 * Take the terminal: no echo, no line buffering (signals still work, so
 * Ctrl-C quits), alternate screen, cursor hidden. Its restoration is on the
 * cleanup list, so every exit path gives the terminal back. 0 or -errno.
 */
int nl_top_term_enter(int fd);
void nl_top_term_leave(void);
/* Rows and columns of the terminal on fd (24x80 if unknown). */
void nl_top_term_size(int fd, int *rows, int *cols);
/* Draw text full screen: from the top-left, each line cut to cols, at most rows lines. */
void nl_top_term_draw(int fd, const char *text, int rows, int cols);
/* SIGWINCH sets this; the drawer clears it after redrawing. */
extern volatile sig_atomic_t nl_top_resized;
void nl_top_winch_install(void);

#endif
