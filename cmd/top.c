// SPDX-License-Identifier: GPL-2.0
/*
 * netlat top: the record loop with a callback per interval that draws a
 * frame. On a terminal: full screen, 'q' or Ctrl-C quits, a resize redraws.
 * Piped: one plain block per interval. Either way the kernel is left as it
 * was (the session disarms everything), and so is the terminal.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/memcpy_bw.h"
#include "netlat/record_opts.h"
#include "netlat/session.h"
#include "netlat/top.h"
#include "netlat/util.h"

#define PLAIN_FLOWS	5
#define PLAIN_FINDINGS	10

static const char *const top_usage[] = { "netlat top [<options>]", NULL };

struct top {
	struct nl_session_cfg cfg;
	bool tty;
	pthread_mutex_t lock;
	const struct nl_recording *rec;	/* the latest frame's data, under lock */
	const struct nl_interval *iv;
	size_t index;
	volatile int done;		/* the key thread's stop flag */
};

/* Render the latest frame; the caller holds t->lock. */
static void draw(struct top *t)
{
	struct nl_top_frame fr = {
		.rec = t->rec, .iv = t->iv, .index = t->index,
		.memcpy_bytes_per_s = nl_memcpy_bw_of(t->rec),	/* stored when a copy metric is armed */
		.dev = t->cfg.opts.dev[0] ? t->cfg.opts.dev : NULL,
		.netns = t->cfg.opts.netns,
	};
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	int rows, cols;

	if (!t->iv)
		return;
	if (!t->tty) {
		nl_top_render(stdout, &fr, PLAIN_FLOWS, PLAIN_FINDINGS);
		fputc('\n', stdout);
		fflush(stdout);
		return;
	}
	m = open_memstream(&text, &len);
	if (!m)
		return;
	nl_top_term_size(STDOUT_FILENO, &rows, &cols);
	/* flows and findings share what the tables leave of the screen */
	nl_top_render(m, &fr, rows > 30 ? (size_t)(rows - 24) / 2 : 3, rows > 30 ? (size_t)(rows - 24) / 2 : 3);
	fclose(m);
	nl_top_term_draw(STDOUT_FILENO, text, rows, cols);
	free(text);
}

/* Keep only the latest interval: a live view must not grow for hours. */
static void trim(struct nl_recording *rec, struct nl_interval *iv)
{
	size_t k = 0;

	for (size_t i = 0; i < rec->niv; i++) {
		if (rec->iv[i] == iv)
			rec->iv[k++] = iv;
		else
			nl_iv_free(rec->iv[i]);
	}
	rec->niv = k;
}

static void on_interval(struct nl_recording *rec, struct nl_interval *iv, void *arg)
{
	struct top *t = arg;

	pthread_mutex_lock(&t->lock);
	trim(rec, iv);
	t->rec = rec;
	t->iv = iv;
	t->index++;
	draw(t);
	pthread_mutex_unlock(&t->lock);
}

/* The key thread: 'q' stops the record loop; a resize redraws the last frame. */
static void *keys(void *arg)
{
	struct top *t = arg;

	while (!t->done && !nl_stop_requested) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		char c;

		if (poll(&p, 1, 100) > 0 && (p.revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(STDIN_FILENO, &c, 1);

			if (n == 1 && (c == 'q' || c == 'Q'))
				nl_stop_requested = 1;
			if (n == 0)	/* the terminal went away: stop reading it */
				break;
		}
		if (nl_top_resized) {
			nl_top_resized = 0;
			pthread_mutex_lock(&t->lock);
			draw(t);
			pthread_mutex_unlock(&t->lock);
		}
	}
	return NULL;
}

static int run(struct top *t)
{
	struct nl_recording *rec = nl_rec_new();
	pthread_t th;
	bool thread = false;
	int cmd_exit, err;

	t->cfg.on_interval = on_interval;
	t->cfg.on_interval_arg = t;
	if (t->tty) {
		err = nl_top_term_enter(STDOUT_FILENO);
		if (err) {
			nl_err("cannot set up the terminal: %s", strerror(-err));
			nl_rec_free(rec);
			return err;
		}
		nl_top_winch_install();
		thread = pthread_create(&th, NULL, keys, t) == 0;
		if (!thread)
			nl_warn("no key reader: quit with Ctrl-C");
	}
	err = nl_session_record(&t->cfg, rec, &cmd_exit);
	t->done = 1;
	if (thread)
		pthread_join(th, NULL);
	if (t->tty)
		nl_top_term_leave();
	nl_rec_free(rec);
	return err;
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct top *t, int argc, char **argv)
{
	struct nl_session_cfg *cfg = &t->cfg;
	const struct nl_opt opts[] = {
		NL_ROW_INTERVAL(cfg, &nl_interval_live, "refresh this often (default 1s)"),
		NL_ROW_DURATION(cfg, "quit after this long (default: until q or Ctrl-C)"),
		NL_ROWS_FILTERS(cfg),
		NL_ROW_COLLECTOR(cfg),
		NL_ROW_OVERHEAD_BUDGET(cfg),
		NL_ROW_VERBOSE,
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "top", top_usage, opts, 0 };
	int err = nl_record_parse(&cmd, cfg, argc, argv);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fputs("\n On a terminal: full screen, q or Ctrl-C quits. Piped: one block per interval.\n\n",
		      stdout);
	}
	return err;
}

int cmd_top(int argc, char **argv)
{
	struct top t = { .lock = PTHREAD_MUTEX_INITIALIZER };
	int err = parse_args(&t, argc, argv);

	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_record_privs("netlat top", ""))
		return NL_EXIT_USAGE;
	/* full screen only when both ends are a terminal: keys come from stdin */
	t.tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	nl_signals_install();
	err = run(&t);
	nl_cleanup_run_all();
	return err ? NL_EXIT_USAGE : NL_EXIT_OK;
}
