// SPDX-License-Identifier: GPL-2.0
/*
 * netlat serve: the record loop, run until stopped, with its totals served
 * over HTTP for Prometheus (src/serve_*.c, src/http_serve.c, src/expo_*.c).
 * The record loop runs on the main thread as in `netlat record`; the HTTP
 * server has a thread of its own with the stop signals blocked, so SIGTERM
 * reaches the record loop, which disarms everything as `record` does.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "netlat/cleanup.h"
#include "netlat/http_serve.h"
#include "netlat/record_opts.h"
#include "netlat/serve.h"
#include "netlat/util.h"

#define DEFAULT_MAX_CLIENTS	8
#define CLIENT_TIMEOUT_NS	(10ULL * 1000000000ULL)

static const char *const serve_usage[] = { "netlat serve [<options>]", NULL };

struct serve_args {
	struct nl_session_cfg cfg;
	const char *listen;
	struct nl_expo_opts expo;
	unsigned int max_clients;
};

static int listen_opt(const struct nl_opt *opt, const char *arg)
{
	char addr[64];
	uint16_t port;

	if (nl_http_parse_listen(arg, addr, sizeof(addr), &port)) {
		nl_err("invalid --listen '%s' (ADDR:PORT, e.g. 127.0.0.1:9465 or [::1]:9465)", arg);
		return -EINVAL;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static int buckets_opt(const struct nl_opt *opt, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || (v != 1 && v != 2 && v != 4 && v != 8 && v != 16)) {
		nl_err("invalid --buckets '%s' (boundaries per power of two: 1, 2, 4, 8 or 16)", arg);
		return -EINVAL;
	}
	*(unsigned int *)opt->value = (unsigned int)v;
	return 0;
}

static int max_clients_opt(const struct nl_opt *opt, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || arg[0] == '-' || v < 1 || v > 1024) {
		nl_err("invalid --max-clients '%s' (1 to 1024)", arg);
		return -EINVAL;
	}
	*(unsigned int *)opt->value = (unsigned int)v;
	return 0;
}

/* 0 to go on, 1 after --help, -EINVAL on bad usage (already reported). */
static int parse_args(struct serve_args *a, int argc, char **argv)
{
	struct nl_session_cfg *cfg = &a->cfg;
	const struct nl_opt opts[] = {
		NL_OPT_CALLBACK_ROW('l', "listen", &a->listen, "<addr:port>",
				    "serve HTTP here (default " NL_SERVE_DEFAULT_LISTEN ", loopback only;\n"
				    "another address, e.g. 0.0.0.0:9465, is an explicit choice)", listen_opt),
		NL_OPT_CALLBACK_ROW(0, "buckets", &a->expo.per_octave, "<n>",
				    "histogram boundaries per power of two: 1, 2 (default), 4, 8\n"
				    "or 16 (every netlat bucket edge); docs/metrics.md", buckets_opt),
		NL_OPT_FLAG_ROW(0, "flow-labels", &a->expo.flow_labels,
				"label flow rows by flow and pid (high cardinality)"),
		NL_OPT_CALLBACK_ROW(0, "max-clients", &a->max_clients, "<n>",
				    "concurrent HTTP connections (default 8)", max_clients_opt),
		NL_ROW_INTERVAL(cfg, &nl_interval_live, "fold the collectors' counts this often (default 1s)"),
		NL_ROW_DURATION(cfg, "stop after this long (default: until SIGTERM or Ctrl-C)"),
		NL_ROW_METRICS(&cfg->metrics, "metrics to measure (default all)"),
		NL_ROW_ALL_CPUS,
		NL_ROW_COLLECTOR(cfg),
		NL_ROWS_FILTERS(cfg),
		NL_ROW_BUFFER_KB(cfg),
		NL_ROW_FUNC,
		NL_ROW_PROBE,
		NL_ROW_SAMPLE_FREQ,
		NL_ROW_SYSCALL_TIME(cfg),
		NL_ROW_PAIR_SAMPLE(cfg),
		NL_ROW_QUIET("no status line"),
		NL_ROW_OVERHEAD_BUDGET(cfg),
		NL_ROW_VERBOSE,
		NL_OPT_END_ROW,
	};
	const struct nl_opt_cmd cmd = { "serve", serve_usage, opts, 0 };
	int err = nl_record_parse(&cmd, cfg, argc, argv);

	if (err == NL_OPT_HELP) {
		nl_opt_usage(stdout, &cmd);
		fputs("\n Pages: /metrics (Prometheus text, OpenMetrics or protobuf with native histograms,\n"
		      " by the Accept header), /healthz, /. Runs as a service: see netlat.service.\n\n", stdout);
	}
	return err;
}

/* The record loop's callback: fold the interval, then drop it (a service runs for months). */
static void on_interval(struct nl_recording *rec, struct nl_interval *iv, void *arg)
{
	nl_serve_state_fold(arg, rec, iv);
	for (size_t i = 0; i < rec->niv; i++)
		nl_iv_free(rec->iv[i]);
	rec->niv = 0;
}

static void *http_thread(void *arg)
{
	sigset_t set;
	int err;

	/* stop signals go to the record loop's thread, which ends the session */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	err = nl_http_run(arg);
	if (err) {
		nl_err("HTTP server failed: %s", strerror(-err));
		nl_stop_requested = 1;
	}
	return NULL;
}

static int serve(struct serve_args *a)
{
	struct nl_serve_state state;
	struct nl_serve_web web = { .state = &state, .expo = a->expo, .interval_ns = a->cfg.opts.interval_ns };
	struct nl_http_cfg hc = {
		.listen = a->listen, .max_conns = a->max_clients, .timeout_ns = CLIENT_TIMEOUT_NS,
		.handle = nl_serve_handle, .arg = &web,
	};
	struct nl_recording *rec;
	struct nl_http *http;
	char why[256] = "";
	pthread_t th;
	int err, cmd_exit;

	/* listen before arming: a busy port is a usage error, with nothing to undo */
	err = nl_http_open(&http, &hc, why, sizeof(why));
	if (err) {
		nl_err("%s", why);
		return err;
	}
	web.http = http;
	web.started_ns = nl_now_ns();
	nl_serve_state_init(&state, a->expo.flow_labels);
	err = pthread_create(&th, NULL, http_thread, http);
	if (err) {
		nl_err("cannot start the HTTP thread: %s", strerror(err));
		nl_http_close(http);
		nl_serve_state_free(&state);
		return -err;
	}
	if (!nl_quiet)
		fprintf(stderr, "netlat: serving http://%s/metrics\n", a->listen);
	a->cfg.on_interval = on_interval;
	a->cfg.on_interval_arg = &state;
	rec = nl_rec_new();
	err = nl_session_record(&a->cfg, rec, &cmd_exit);
	nl_http_stop(http);
	pthread_join(th, NULL);
	nl_http_close(http);
	nl_rec_free(rec);
	nl_serve_state_free(&state);
	return err;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_args a = { .listen = NL_SERVE_DEFAULT_LISTEN, .max_clients = DEFAULT_MAX_CLIENTS,
				.expo = { .per_octave = 2 } };
	int err = parse_args(&a, argc, argv);

	if (err)
		return err > 0 ? NL_EXIT_OK : NL_EXIT_USAGE;
	if (nl_record_start(&a.cfg, NULL, ""))
		return NL_EXIT_USAGE;
	a.cfg.status_line = false;	/* a service's stderr is a journal, not a terminal */
	err = serve(&a);
	nl_cleanup_run_all();
	return err ? NL_EXIT_USAGE : NL_EXIT_OK;
}
