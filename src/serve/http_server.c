// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP server behind `netlat serve` (include/netlat/http_serve.h).
 * One thread polls every socket, so a slow or hostile client can never
 * hold the others up: nothing here blocks. A new connection over the
 * slot limit takes the slot of the oldest one that has not sent a whole
 * request yet (an idle or trickling client), so a flood of idle
 * connections cannot lock a scraper out for a timeout; with no such slot
 * it is refused with 503.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlat/http_serve.h"
#include "netlat/util.h"

/* Accepts per loop turn: a burst of connects cannot starve requests already read. */
#define ACCEPT_BATCH	16

enum conn_state { C_FREE, C_READ, C_WRITE };

struct conn {
	int fd;
	enum conn_state st;
	char req[NL_HTTP_REQ_MAX + 1];
	size_t rlen;
	char *out;		/* header + body */
	size_t olen, off;
	uint64_t deadline;	/* CLOCK_MONOTONIC ns */
	uint64_t born;
};

struct nl_http {
	struct nl_http_cfg cfg;
	int lfd;
	int wake[2];		/* nl_http_stop writes here */
	struct conn *c;
	struct pollfd *pfd;
	uint64_t rejected;
};

int nl_http_parse_listen(const char *s, char *addr, size_t addrlen, uint16_t *port)
{
	const char *colon;
	unsigned long p;
	char *end;

	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':' || (size_t)(rb - s - 1) >= addrlen)
			return -EINVAL;
		snprintf(addr, addrlen, "%.*s", (int)(rb - s - 1), s + 1);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= addrlen || strchr(s, ':') != colon)
			return -EINVAL;
		snprintf(addr, addrlen, "%.*s", (int)(colon - s), s);
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || p == 0 || p > 65535)
		return -EINVAL;
	*port = (uint16_t)p;
	return 0;
}

static int bind_listen(struct nl_http *h, char *why, size_t whylen)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	char addr[64];
	uint16_t port;
	int one = 1, err;

	if (nl_http_parse_listen(h->cfg.listen, addr, sizeof(addr), &port)) {
		snprintf(why, whylen, "invalid --listen '%s' (ADDR:PORT, [V6ADDR]:PORT)", h->cfg.listen);
		return -EINVAL;
	}
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		snprintf(why, whylen, "invalid --listen address '%s' (a numeric IPv4 or IPv6 address)", addr);
		return -EINVAL;
	}
	h->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->lfd < 0 ||
	    setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(h->lfd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(h->lfd, 128) < 0) {
		err = -errno;
		snprintf(why, whylen, "cannot listen on %s: %s", h->cfg.listen, strerror(errno));
		return err;
	}
	return 0;
}

int nl_http_open(struct nl_http **out, const struct nl_http_cfg *cfg, char *why, size_t whylen)
{
	struct nl_http *h = nl_xcalloc(1, sizeof(*h));
	int err;

	h->cfg = *cfg;
	h->lfd = h->wake[0] = h->wake[1] = -1;
	h->c = nl_xcalloc(cfg->max_conns, sizeof(*h->c));
	h->pfd = nl_xcalloc(cfg->max_conns + 2, sizeof(*h->pfd));
	for (unsigned int i = 0; i < cfg->max_conns; i++)
		h->c[i].fd = -1;
	if (pipe2(h->wake, O_NONBLOCK | O_CLOEXEC) < 0) {
		err = -errno;
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		nl_http_close(h);
		return err;
	}
	err = bind_listen(h, why, whylen);
	if (err) {
		nl_http_close(h);
		return err;
	}
	*out = h;
	return 0;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->st = C_FREE;
	c->rlen = c->olen = c->off = 0;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* Turn c into a writer of one answer (the header, then body unless head). */
static void conn_answer(struct nl_http *h, struct conn *c, struct nl_http_reply *r, bool head)
{
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 r->status, status_text(r->status), r->ctype ? r->ctype : "text/plain; charset=utf-8",
			 r->len);
	size_t blen = head ? 0 : r->len;

	c->out = malloc((size_t)n + blen);
	if (!c->out) {
		free(r->body);
		conn_close(c);
		return;
	}
	memcpy(c->out, hdr, (size_t)n);
	if (blen)
		memcpy(c->out + n, r->body, blen);
	free(r->body);
	c->olen = (size_t)n + blen;
	c->off = 0;
	c->st = C_WRITE;
	c->deadline = nl_now_ns() + h->cfg.timeout_ns;
}

static void conn_error(struct nl_http *h, struct conn *c, int status)
{
	struct nl_http_reply r = { .status = status };

	r.body = nl_xstrdup(status_text(status));
	r.len = strlen(r.body);
	h->rejected++;
	conn_answer(h, c, &r, false);
}

/* Accept header value of the request (case-insensitive name), "" if absent. */
static void header_value(char *hdrs, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);

	out[0] = '\0';
	for (char *line = hdrs; line && *line; ) {
		char *eol = strchr(line, '\n');

		if (!strncasecmp(line, name, nlen) && line[nlen] == ':') {
			const char *v = line + nlen + 1;
			size_t len = eol ? (size_t)(eol - v) : strlen(v);

			while (len && (*v == ' ' || *v == '\t'))
				v++, len--;
			while (len && (v[len - 1] == '\r' || v[len - 1] == ' '))
				len--;
			snprintf(out, outlen, "%.*s", (int)len, v);
			return;
		}
		line = eol ? eol + 1 : NULL;
	}
}

/* A whole request is in c->req: route it. */
static void conn_request(struct nl_http *h, struct conn *c)
{
	char method[8], path[1024], version[16], accept[1024];
	struct nl_http_reply r = { 0 };
	char *hdrs = strchr(c->req, '\n');
	bool head;
	char *q;

	if (sscanf(c->req, "%7s %1023s %15s", method, path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) || path[0] != '/' || !hdrs) {
		conn_error(h, c, 400);
		return;
	}
	head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") && !head) {
		conn_error(h, c, 405);
		return;
	}
	q = strchr(path, '?');
	if (q)
		*q = '\0';
	header_value(hdrs + 1, "Accept", accept, sizeof(accept));
	h->cfg.handle(h->cfg.arg, path, accept, &r);
	conn_answer(h, c, &r, head);
}

static void conn_read(struct nl_http *h, struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->req + c->rlen, NL_HTTP_REQ_MAX - c->rlen, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {		/* gone before asking: nothing to answer */
			conn_close(c);
			return;
		}
		c->rlen += (size_t)n;
		c->req[c->rlen] = '\0';
		if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
			conn_request(h, c);
			return;
		}
		if (c->rlen == NL_HTTP_REQ_MAX) {	/* garbage, or headers no scraper sends */
			conn_error(h, c, 431);
			return;
		}
	}
}

static void conn_write(struct conn *c)
{
	while (c->off < c->olen) {
		ssize_t n = send(c->fd, c->out + c->off, c->olen - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	conn_close(c);
}

/* A slot for a new connection: a free one, else the oldest still reading, else none. */
static struct conn *slot_for_new(struct nl_http *h)
{
	struct conn *oldest = NULL;

	for (unsigned int i = 0; i < h->cfg.max_conns; i++) {
		struct conn *c = &h->c[i];

		if (c->st == C_FREE)
			return c;
		if (c->st == C_READ && (!oldest || c->born < oldest->born))
			oldest = c;
	}
	if (oldest) {
		h->rejected++;
		conn_close(oldest);
	}
	return oldest;
}

static void accept_some(struct nl_http *h)
{
	for (int k = 0; k < ACCEPT_BATCH; k++) {
		int fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0)
			return;
		c = slot_for_new(h);
		if (!c) {
			static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
				"Content-Length: 0\r\nConnection: close\r\n\r\n";

			/* best effort, never waits: every slot is busy answering */
			if (send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				errno = 0;
			close(fd);
			h->rejected++;
			continue;
		}
		c->fd = fd;
		c->st = C_READ;
		c->born = nl_now_ns();
		c->deadline = c->born + h->cfg.timeout_ns;
		/* a scraper's request usually arrives with the connection: take it now */
		conn_read(h, c);
		if (c->st == C_WRITE)
			conn_write(c);
	}
}

static int poll_timeout_ms(const struct nl_http *h, uint64_t now)
{
	uint64_t next = now + 1000000000ULL;

	for (unsigned int i = 0; i < h->cfg.max_conns; i++)
		if (h->c[i].st != C_FREE && h->c[i].deadline < next)
			next = h->c[i].deadline;
	return next > now ? (int)((next - now) / 1000000 + 1) : 0;
}

int nl_http_run(struct nl_http *h)
{
	unsigned int max = h->cfg.max_conns;

	for (;;) {
		uint64_t now = nl_now_ns();
		unsigned int n = 2;

		h->pfd[0] = (struct pollfd){ .fd = h->wake[0], .events = POLLIN };
		h->pfd[1] = (struct pollfd){ .fd = h->lfd, .events = POLLIN };
		for (unsigned int i = 0; i < max; i++) {
			struct conn *c = &h->c[i];

			h->pfd[n++] = (struct pollfd){
				.fd = c->st == C_FREE ? -1 : c->fd,
				.events = c->st == C_WRITE ? POLLOUT : POLLIN,
			};
		}
		if (poll(h->pfd, n, poll_timeout_ms(h, now)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (h->pfd[0].revents)
			return 0;
		now = nl_now_ns();
		/* requests already here first, new connections after */
		for (unsigned int i = 0; i < max; i++) {
			struct conn *c = &h->c[i];

			if (c->st == C_FREE)
				continue;
			if (h->pfd[i + 2].revents & (POLLERR | POLLNVAL)) {
				conn_close(c);
			} else if (c->st == C_READ && (h->pfd[i + 2].revents & (POLLIN | POLLHUP))) {
				conn_read(h, c);
				if (c->st == C_WRITE)
					conn_write(c);
			} else if (c->st == C_WRITE && (h->pfd[i + 2].revents & (POLLOUT | POLLHUP))) {
				size_t before = c->off;

				conn_write(c);
				if (c->st == C_WRITE && c->off > before)
					c->deadline = now + h->cfg.timeout_ns;
			}
			if (c->st != C_FREE && now >= c->deadline) {
				/* never sent a whole request, or stopped reading the answer */
				h->rejected++;
				conn_close(c);
			}
		}
		if (h->pfd[1].revents & POLLIN)
			accept_some(h);
	}
}

void nl_http_stop(struct nl_http *h)
{
	if (h && h->wake[1] >= 0 && write(h->wake[1], "x", 1) < 0)
		errno = 0;	/* the pipe is full: a wake-up is already pending */
}

uint64_t nl_http_rejected(const struct nl_http *h)
{
	return h->rejected;
}

void nl_http_close(struct nl_http *h)
{
	if (!h)
		return;
	for (unsigned int i = 0; i < h->cfg.max_conns; i++)
		if (h->c[i].st != C_FREE)
			conn_close(&h->c[i]);
	if (h->lfd >= 0)
		close(h->lfd);
	if (h->wake[0] >= 0)
		close(h->wake[0]);
	if (h->wake[1] >= 0)
		close(h->wake[1]);
	free(h->c);
	free(h->pfd);
	free(h);
}
