// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal side of `netlat top`: termios and ANSI escapes only, in the
 * way rtla's and perf's simple front ends do it. The restore path uses only
 * tcsetattr() and write(), both async-signal-safe, because the cleanup list
 * may run it from a signal handler.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/top.h"

/* alternate screen on, cursor hidden; and the reverse */
#define ESC_ENTER	"\033[?1049h\033[?25l\033[H\033[2J"
#define ESC_LEAVE	"\033[?25h\033[?1049l"

volatile sig_atomic_t nl_top_resized;

static struct termios saved;
static int term_fd = -1;
static int cleanup_handle = -1;

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void restore(void *arg)
{
	(void)arg;
	if (term_fd < 0)
		return;
	write_all(term_fd, ESC_LEAVE, sizeof(ESC_LEAVE) - 1);
	tcsetattr(term_fd, TCSAFLUSH, &saved);
	term_fd = -1;
}

int nl_top_term_enter(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &saved) < 0)
		return -errno;
	t = saved;
	/* keys arrive one by one and unechoed; ISIG stays, so Ctrl-C is still SIGINT */
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSAFLUSH, &t) < 0)
		return -errno;
	term_fd = fd;
	cleanup_handle = nl_cleanup_push(restore, NULL, "terminal modes");
	write_all(fd, ESC_ENTER, sizeof(ESC_ENTER) - 1);
	return 0;
}

void nl_top_term_leave(void)
{
	if (cleanup_handle >= 0)
		nl_cleanup_run_one(cleanup_handle);
	else
		restore(NULL);
	cleanup_handle = -1;
}

void nl_top_term_size(int fd, int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

void nl_top_term_draw(int fd, const char *text, int rows, int cols)
{
	size_t cap = (size_t)rows * ((size_t)cols + 8) + 16, n = 0;
	char *buf = malloc(cap);
	const char *p = text;

	if (!buf)
		return;
	n += (size_t)snprintf(buf, cap, "\033[H");
	for (int r = 0; r < rows && *p; r++) {
		size_t len = strcspn(p, "\n");
		size_t show = len > (size_t)cols ? (size_t)cols : len;

		/* the last row gets no newline: it would scroll the screen (OPOST adds the \r) */
		memcpy(buf + n, p, show);
		n += show;
		n += (size_t)snprintf(buf + n, cap - n, "\033[K%s", r + 1 < rows ? "\n" : "");
		p += len;
		if (*p == '\n')
			p++;
	}
	n += (size_t)snprintf(buf + n, cap - n, "\033[J");
	write_all(fd, buf, n);
	free(buf);
}

static void on_winch(int sig)
{
	(void)sig;
	nl_top_resized = 1;
}

void nl_top_winch_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}
