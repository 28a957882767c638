/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small HTTP/1.x server for `netlat serve`: one thread, one poll()
 * loop, non-blocking sockets, a fixed number of connection slots. Every
 * answer closes its connection. What a client can cost is bounded: one
 * slot, a request of at most NL_HTTP_REQ_MAX bytes, one rendered answer,
 * and the timeout; a client that sends garbage, stops reading or just
 * holds a connection open loses its slot, never the server's.
 */
#ifndef NETLAT_HTTP_SERVE_H
#define NETLAT_HTTP_SERVE_H

#include <stddef.h>
#include <stdint.h>

#define NL_HTTP_REQ_MAX		8192	/* request line + headers */

struct nl_http_reply {
	int status;			/* 200, 404, ... */
	const char *ctype;		/* Content-Type */
	char *body;			/* malloc'd; the server frees it */
	size_t len;
};

/* Answer one request (GET or HEAD; accept is "" when absent). Runs on the server thread. */
typedef void (*nl_http_handler)(void *arg, const char *path, const char *accept,
				struct nl_http_reply *r);

struct nl_http_cfg {
	const char *listen;		/* "ADDR:PORT", "[V6ADDR]:PORT" */
	unsigned int max_conns;		/* connection slots */
	uint64_t timeout_ns;		/* a request must arrive, or an answer progress, within this */
	nl_http_handler handle;
	void *arg;
};

struct nl_http;

/* Parse "ADDR:PORT": 0, or -EINVAL. Used by option parsing to fail early. */
int nl_http_parse_listen(const char *s, char *addr, size_t addrlen, uint16_t *port);

/* Bind and listen: 0, or a negative errno with a one-line reason in why. */
int nl_http_open(struct nl_http **h, const struct nl_http_cfg *cfg, char *why, size_t whylen);
/* Serve until nl_http_stop(); returns 0 or a negative errno. */
int nl_http_run(struct nl_http *h);
/* From any thread or a signal handler: make nl_http_run return. */
void nl_http_stop(struct nl_http *h);
/* Connections closed unanswered so far (over the limit, malformed, too slow). */
uint64_t nl_http_rejected(const struct nl_http *h);
void nl_http_close(struct nl_http *h);

#endif
