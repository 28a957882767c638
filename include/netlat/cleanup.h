/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Undo list for kernel state netlat arms (tracefs instances, top-level tracer
 * settings, sysctls, BPF links). Registered when armed, run in reverse on
 * every exit path: normal return, error, SIGINT/SIGTERM/SIGHUP (via atexit
 * after the signal sets the stop flag, or directly from a second signal).
 */
#ifndef NETLAT_CLEANUP_H
#define NETLAT_CLEANUP_H

#include <signal.h>

typedef void (*nl_cleanup_fn)(void *arg);

/* Returns a handle >= 0 to drop the entry once undone by hand, or -ENOMEM. */
int nl_cleanup_push(nl_cleanup_fn fn, void *arg, const char *what);
/* Run and remove one entry (the normal path undoes in order, then pops). */
void nl_cleanup_run_one(int handle);
/* Forget an entry without running it. */
void nl_cleanup_drop(int handle);
/* Run everything left, newest first. Safe to call twice. */
void nl_cleanup_run_all(void);

/* Install SIGINT/SIGTERM/SIGHUP handlers that set nl_stop_requested; a second signal cleans up and exits. */
void nl_signals_install(void);
extern volatile sig_atomic_t nl_stop_requested;
extern volatile sig_atomic_t nl_stop_signal;

#endif
