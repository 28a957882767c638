// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /proc/kallsyms costs about 100 ms here: the kernel expands
 * 120k compressed names, one by one, for every read. The BPF collector's
 * load (verifier, map allocation) takes longer than that on the other
 * CPU, so the func collector reads the symbols in a thread of its own
 * from the moment it is opened, and waits for them only when it first
 * resolves a target. The thread touches nothing but its own table.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "func_int.h"
#include "netlat/util.h"

struct nlf_syms_job {
	pthread_t thread;
	bool running;			/* not joined yet */
	const char *const *want;
	size_t nwant;
	struct nlf_syms *syms;
};

static void *load(void *arg)
{
	struct nlf_syms_job *j = arg;

	j->syms = nlf_syms_load(j->want, j->nwant);
	return NULL;
}

struct nlf_syms_job *nlf_syms_prefetch(const char *const *want, size_t nwant)
{
	struct nlf_syms_job *j = nl_xcalloc(1, sizeof(*j));
	sigset_t all, old;

	j->want = want;
	j->nwant = nwant;
	/* signals stay with the main thread, whose handlers disarm the session */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	j->running = pthread_create(&j->thread, NULL, load, j) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!j->running)
		j->syms = nlf_syms_load(want, nwant);	/* no thread: read it now */
	return j;
}

struct nlf_syms *nlf_syms_wait(struct nlf_syms_job *j)
{
	if (j->running) {
		pthread_join(j->thread, NULL);
		j->running = false;
	}
	return j->syms;
}

void nlf_syms_job_free(struct nlf_syms_job *j)
{
	if (!j)
		return;
	nlf_syms_free(nlf_syms_wait(j));
	free(j);
}
