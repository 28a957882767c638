/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs plumbing: find or mount tracefs, create netlat's private instance
 * (named "netlat-<pid>"), remove instances left by netlat processes that no
 * longer exist, and save/restore top-level settings that some features
 * need (function_graph on 6.1, kprobe events). Everything armed here is on
 * the cleanup list (cleanup.h) so every exit path undoes it.
 */
#ifndef NETLAT_TRACEFS_SESSION_H
#define NETLAT_TRACEFS_SESSION_H

#include <stddef.h>

struct tracefs_instance;

#define NL_INSTANCE_PREFIX "netlat-"

/* Path of the mounted tracefs, mounting it at /sys/kernel/tracing if needed. NULL and why on failure. */
const char *nl_tracefs_dir(char *why, size_t whylen);
/* Remove netlat-<pid> instances whose pid is gone (a SIGKILLed earlier run). Returns how many. */
int nl_tracefs_cleanup_stale(void);
/* Create this process's instance, registered for cleanup. NULL and why on failure. */
struct tracefs_instance *nl_tracefs_instance_create(char *why, size_t whylen);
/* Disable its events, remove it, and drop its cleanup entry. */
void nl_tracefs_instance_destroy(struct tracefs_instance *inst);

/*
 * Save a top-level tracefs file (e.g. "current_tracer", "set_graph_function")
 * and register its restoration. Writes to it afterwards are undone on exit,
 * exactly, including at SIGINT/SIGTERM/SIGHUP; a SIGKILLed run is repaired by
 * the next run from the saved copy under /run/netlat/.
 */
int nl_tracefs_toplevel_save(const char *file);

#endif
