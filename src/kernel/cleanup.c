// SPDX-License-Identifier: GPL-2.0
/*
 * Undo list for kernel state netlat arms, and the signal handlers that make
 * sure it runs. The list is a fixed array, never reallocated, so a second
 * signal can walk it from the handler while the main code is pushing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/util.h"

#define NL_CLEANUP_MAX	256

struct cleanup_entry {
	nl_cleanup_fn fn;
	void *arg;
	char what[64];
	volatile sig_atomic_t armed;
};

static struct cleanup_entry entries[NL_CLEANUP_MAX];
static volatile sig_atomic_t nentries;	/* high-water mark of used slots */
static volatile sig_atomic_t in_signal;	/* no stdio from the handler */
static int atexit_done;

volatile sig_atomic_t nl_stop_requested;
volatile sig_atomic_t nl_stop_signal;

static void cleanup_atexit(void)
{
	nl_cleanup_run_all();
}

int nl_cleanup_push(nl_cleanup_fn fn, void *arg, const char *what)
{
	int i = nentries;
	struct cleanup_entry *e;

	if (i >= NL_CLEANUP_MAX)
		return -ENOMEM;
	if (!atexit_done) {
		if (atexit(cleanup_atexit))
			return -ENOMEM;
		atexit_done = 1;
	}
	e = &entries[i];
	e->fn = fn;
	e->arg = arg;
	snprintf(e->what, sizeof(e->what), "%s", what ? what : "");
	/* Publish the slot only once it is complete: a signal may walk the list any time. */
	e->armed = 1;
	nentries = i + 1;
	return i;
}

static void run_entry(struct cleanup_entry *e)
{
	/* Disarm before running, so a signal arriving mid-undo does not undo twice. */
	if (!e->armed)
		return;
	e->armed = 0;
	if (!in_signal)
		nl_info("undo: %s", e->what);
	e->fn(e->arg);
}

/* Shrink the high-water mark past disarmed tail slots so they can be reused. */
static void trim(void)
{
	while (nentries > 0 && !entries[nentries - 1].armed)
		nentries = nentries - 1;
}

void nl_cleanup_run_one(int handle)
{
	if (handle < 0 || handle >= nentries)
		return;
	run_entry(&entries[handle]);
	trim();
}

void nl_cleanup_drop(int handle)
{
	if (handle < 0 || handle >= nentries)
		return;
	entries[handle].armed = 0;
	trim();
}

void nl_cleanup_run_all(void)
{
	int i;

	for (i = nentries - 1; i >= 0; i--)
		run_entry(&entries[i]);
	trim();
}

static void on_signal(int sig)
{
	if (nl_stop_requested) {
		/* Second signal: the main loop is stuck or too slow; undo now and go. */
		in_signal = 1;
		nl_cleanup_run_all();
		_exit(128 + sig);
	}
	nl_stop_signal = sig;
	nl_stop_requested = 1;
}

void nl_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* No SA_RESTART: poll()/read()/waitpid() must return EINTR so the loop sees the stop flag. */
	sa.sa_flags = 0;
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}
