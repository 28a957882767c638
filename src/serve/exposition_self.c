// SPDX-License-Identifier: GPL-2.0
/*
 * netlat's own metrics in the exposition: its cost (process CPU time) and
 * health (intervals cut, scrapes, refused connections, which metrics are
 * measured). The events the kernel dropped and anything else the
 * collectors report under the "session" pseudo-metric are exported with
 * the measured values (netlat_session_lost_events_total, ...), so a
 * collector that adds a session value (such as the BPF programs' run
 * time) reaches the scraper without a change here.
 */
#include <stdio.h>
#include <string.h>

#include "netlat/expo.h"

static struct nl_expo_simple *add(struct nl_expo_simple *out, size_t *n, size_t max, const char *name,
				  bool counter, const char *unit, const char *help)
{
	struct nl_expo_simple *f;

	if (*n >= max)
		return NULL;
	f = &out[(*n)++];
	f->name = name;
	f->counter = counter;
	f->unit = unit;
	f->help = help;
	f->n = 0;
	return f;
}

static void sample(struct nl_expo_simple *f, const char *key, double v)
{
	if (!f || f->n >= NL_EXPO_SELF_SAMPLES)
		return;
	snprintf(f->s[f->n].key, sizeof(f->s[f->n].key), "%s", key);
	f->s[f->n++].value = v;
}

size_t nl_expo_self_list(const struct nl_expo_self *s, struct nl_expo_simple *out, size_t max)
{
	struct nl_expo_simple *f;
	size_t n = 0;

	f = add(out, &n, max, "netlat_process_cpu_seconds", true, "seconds",
		"CPU time of the netlat process, all threads (getrusage); BPF program run time is not in it");
	sample(f, "mode=user", s->cpu_user_s);
	sample(f, "mode=system", s->cpu_system_s);
	f = add(out, &n, max, "netlat_start_time_seconds", false, "seconds", "unix time the collectors started");
	sample(f, "", s->start_time_s);
	f = add(out, &n, max, "netlat_intervals", true, "",
		"intervals cut by the record loop and folded into the values served");
	sample(f, "", (double)s->intervals);
	f = add(out, &n, max, "netlat_serve_scrapes", true, "", "/metrics requests answered");
	sample(f, "", (double)s->scrapes);
	f = add(out, &n, max, "netlat_serve_rejected_connections", true, "",
		"connections closed unanswered: over the limit, malformed, or too slow");
	sample(f, "", (double)s->rejected);
	f = add(out, &n, max, "netlat_metric_up", false, "",
		"1 when the metric is measured (by backend), 0 when this kernel cannot measure it");
	for (size_t i = 0; i < s->nmetrics; i++) {
		char key[NL_KEY_MAX];

		snprintf(key, sizeof(key), "metric=%s backend=%s", s->metrics[i].name,
			 s->metrics[i].backend[0] ? s->metrics[i].backend : "none");
		sample(f, key, s->metrics[i].up ? 1 : 0);
	}
	return n;
}
