/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.dat (trace-cmd's file, version 6, "flyrecord") from raw ring-buffer
 * pages, for `netlat record --raw`: trace-cmd report and KernelShark open it.
 *
 * Why a writer of netlat's own: Debian's libtracecmd (3.1.6) exports only
 * the reading side (tracecmd_open, tracecmd_read_data, ...); its output
 * functions are internal to trace-cmd, and it ships no static library for
 * netlat's static build. The format is documented in trace-cmd.dat.v6(5);
 * tests/live/record_raw.sh checks every file with trace-cmd itself.
 *
 * Pages go to one temporary file per CPU beside the target while recording;
 * finish writes the header (formats of the events, saved_cmdlines) and the
 * pages into a temporary file and renames it into place.
 */
#ifndef NETLAT_TRACEDAT_H
#define NETLAT_TRACEDAT_H

#include <stddef.h>
#include <stdint.h>

struct nl_tracedat;

/* 0, or a negative errno with a one-line reason in why. */
int nl_tracedat_open(struct nl_tracedat **w, const char *path, int ncpus, int page_size,
		     char *why, size_t whylen);
/* Keep one ring-buffer page of cpu (page_size bytes, as read from trace_pipe_raw). */
int nl_tracedat_page(struct nl_tracedat *w, int cpu, const void *page);
/* An event whose records the pages hold; its format file goes into the header. */
void nl_tracedat_event(struct nl_tracedat *w, const char *system, const char *name);
/* Write the file (an existing one is kept as path.old) and free w: 0 or a negative errno. */
int nl_tracedat_finish(struct nl_tracedat *w, char *why, size_t whylen);
/* Remove the temporary files and free w. */
void nl_tracedat_abort(struct nl_tracedat *w);
/* Pages and bytes kept so far. */
uint64_t nl_tracedat_pages(const struct nl_tracedat *w);

#endif
