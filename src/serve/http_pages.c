// SPDX-License-Identifier: GPL-2.0
/* The pages of `netlat serve`: /metrics (negotiated exposition), /healthz, / (links). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "netlat/http_serve.h"
#include "netlat/serve.h"
#include "netlat/util.h"

#define CT_TEXT		"text/plain; version=0.0.4; charset=utf-8"
#define CT_OM		"application/openmetrics-text; version=1.0.0; charset=utf-8"
#define CT_PROTOBUF	"application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

/* One media range of an Accept header: the format it names (or -1) and its q. */
static int media_range(const char *r, size_t len, double *q)
{
	char buf[256], *save = NULL, *type, *param;
	int fmt = -1;
	bool mf_proto = false;

	snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), r);
	*q = 1;
	type = strtok_r(buf, ";", &save);
	if (!type)
		return -1;
	while (*type == ' ')
		type++;
	type[strcspn(type, " ")] = '\0';
	while ((param = strtok_r(NULL, ";", &save))) {
		while (*param == ' ')
			param++;
		if (!strncasecmp(param, "q=", 2))
			*q = strtod(param + 2, NULL);
		else if (!strncasecmp(param, "proto=", 6))
			mf_proto = !strncmp(param + 6, "io.prometheus.client.MetricFamily", 33);
	}
	if (!strcasecmp(type, "application/vnd.google.protobuf") && mf_proto)
		fmt = NL_EXPO_PROTOBUF;
	else if (!strcasecmp(type, "application/openmetrics-text"))
		fmt = NL_EXPO_OPENMETRICS;
	else if (!strcasecmp(type, "text/plain") || !strcmp(type, "*/*") || !strcasecmp(type, "text/*"))
		fmt = NL_EXPO_TEXT;
	return fmt;
}

enum nl_expo_format nl_serve_negotiate(const char *accept)
{
	enum nl_expo_format best = NL_EXPO_TEXT;
	double best_q = -1;

	/* the highest q wins; among equal q, the first listed */
	while (accept && *accept) {
		size_t len = strcspn(accept, ",");
		double q;
		int fmt = media_range(accept, len, &q);

		if (fmt >= 0 && q > 0 && q > best_q) {
			best = (enum nl_expo_format)fmt;
			best_q = q;
		}
		accept += len;
		if (*accept == ',')
			accept++;
	}
	return best;
}

static void self_now(struct nl_serve_web *w, const struct nl_serve_snap *snap, struct nl_expo_self *s)
{
	struct rusage ru;

	memset(s, 0, sizeof(*s));
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		s->cpu_user_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
		s->cpu_system_s = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	}
	s->scrapes = w->scrapes;
	s->rejected = nl_http_rejected(w->http);
	if (snap) {
		s->start_time_s = snap->start_time_s;
		s->intervals = snap->intervals;
		s->metrics = snap->metrics;
		s->nmetrics = snap->nmetrics;
	}
}

static void page_metrics(struct nl_serve_web *w, const char *accept, struct nl_http_reply *r)
{
	enum nl_expo_format fmt = nl_serve_negotiate(accept);
	struct nl_serve_snap *snap = nl_serve_snap_get(w->state);
	struct nl_expo_self self;
	FILE *f = open_memstream(&r->body, &r->len);

	if (!f) {
		nl_serve_snap_put(snap);
		r->status = 503;
		return;
	}
	w->scrapes++;
	self_now(w, snap, &self);
	r->status = 200;
	if (fmt == NL_EXPO_PROTOBUF && nl_expo_protobuf(f, snap ? snap->totals : NULL, &self, &w->expo) == 0) {
		r->ctype = CT_PROTOBUF;
	} else {
		/* a protobuf that could not be encoded falls back to text, as a scraper allows */
		rewind(f);
		fmt = fmt == NL_EXPO_OPENMETRICS ? NL_EXPO_OPENMETRICS : NL_EXPO_TEXT;
		nl_expo_text(f, snap ? snap->totals : NULL, &self, &w->expo, fmt == NL_EXPO_OPENMETRICS);
		r->ctype = fmt == NL_EXPO_OPENMETRICS ? CT_OM : CT_TEXT;
	}
	fclose(f);
	nl_serve_snap_put(snap);
}

/* 200 while the record loop cuts intervals on time, 503 once it is three intervals late. */
static void page_healthz(struct nl_serve_web *w, struct nl_http_reply *r)
{
	struct nl_serve_snap *snap = nl_serve_snap_get(w->state);
	uint64_t now = nl_now_ns(), since = snap ? snap->cut_ns : w->started_ns;
	uint64_t late = 3 * w->interval_ns + 1000000000ULL;
	FILE *f = open_memstream(&r->body, &r->len);

	if (f) {
		if (now - since <= late)
			fprintf(f, "ok: %s, last interval %.1fs ago\n", snap ? "serving" : "starting",
				(now - since) / 1e9);
		else
			fprintf(f, "stale: no interval for %.1fs (interval %.1fs)\n",
				(now - since) / 1e9, w->interval_ns / 1e9);
		fclose(f);
	}
	r->status = now - since <= late ? 200 : 503;
	nl_serve_snap_put(snap);
}

static void page_index(struct nl_http_reply *r)
{
	static const char html[] =
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>netlat serve</title></head>\n"
		"<body><h1>netlat serve</h1>\n<p>Network-stack latency, measured continuously on this host.</p>\n"
		"<ul>\n<li><a href=\"/metrics\">/metrics</a>: Prometheus text 0.0.4, OpenMetrics 1.0.0 or "
		"protobuf with native histograms, by the Accept header</li>\n"
		"<li><a href=\"/healthz\">/healthz</a>: 200 while the collectors report on time</li>\n"
		"</ul>\n<p>Metric names and labels: docs/metrics.md in the netlat sources.</p>\n"
		"</body></html>\n";

	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	r->body = nl_xstrdup(html);
	r->len = strlen(html);
}

void nl_serve_handle(void *arg, const char *path, const char *accept, struct nl_http_reply *r)
{
	struct nl_serve_web *w = arg;

	if (!strcmp(path, "/metrics")) {
		page_metrics(w, accept, r);
	} else if (!strcmp(path, "/healthz")) {
		page_healthz(w, r);
	} else if (!strcmp(path, "/")) {
		page_index(r);
	} else {
		r->status = 404;
		r->body = nl_xstrdup("not found: try /, /metrics or /healthz\n");
		r->len = strlen(r->body);
	}
}
