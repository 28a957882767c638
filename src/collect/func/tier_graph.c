// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 3: the function_graph tracer limited to the functions
 * (set_ftrace_filter restricts what is traced at all, set_graph_function,
 * where the kernel takes it, what starts a graph), durations from the raw funcgraph_exit entries
 * (rettime - calltime). In a private instance where the kernel allows it
 * (6.12+), else at the top level (6.1), and there only when nobody uses the
 * top-level tracer: every top-level file touched is saved first and
 * restored exactly on every exit path (nl_tracefs_toplevel_save).
 * No arguments or return values here: calls and durations only.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "metrics/flows.h"
#include "func_int.h"
#include "collect/tracefs/tracefs_int.h"
#include "netlat/features.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"

#define NLFG_MAX	NLF_MAX_TARGETS

struct nlfg_ctx {
	const struct nl_record_opts *o;
	struct nlf_trace *tr;
	int exit_id;
	struct tep_format_field *f_func, *f_call, *f_ret;
	struct nlf_target *t[NLFG_MAX];
	int n;
	char fail[NL_REASON_MAX];	/* set once: why this kernel has no graph tier */
	bool no_graph_filter;		/* set_graph_function refused: set_ftrace_filter alone */
};

static const char *const top_files[] = {
	"current_tracer", "set_ftrace_filter", "set_graph_function", "tracing_on", NULL,
};

/* Is tracer a word of the available_tracers file in dir? */
static bool has_tracer(const char *dir, const char *tracer)
{
	char path[PATH_MAX + 32], line[512], *tok, *save = NULL;

	snprintf(path, sizeof(path), "%s/available_tracers", dir);
	if (nlf_read_line(path, line, sizeof(line)))
		return false;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, tracer))
			return true;
	return false;
}

/* Why there is no graph tier: what available_tracers of root offers instead. */
static void no_graph(const char *root, char *why, size_t len)
{
	char path[PATH_MAX + 32], cur[64] = "";

	snprintf(path, sizeof(path), "%s/available_tracers", root);
	nlf_read_line(path, cur, sizeof(cur));
	snprintf(why, len, "graph: no function_graph in available_tracers (%s)", cur);
}

/* The top level, saved first; only when its tracer is unused. */
static struct nlf_trace *open_toplevel(const char *root, char *why, size_t len)
{
	char path[PATH_MAX + 32], cur[64] = "";

	if (!has_tracer(root, "function_graph")) {
		no_graph(root, why, len);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/current_tracer", root);
	if (nlf_read_line(path, cur, sizeof(cur)) || strcmp(cur, "nop")) {
		snprintf(why, len, "graph: the top-level tracer is in use (%s)", cur);
		return NULL;
	}
	for (int i = 0; top_files[i]; i++) {
		int err = nl_tracefs_toplevel_save(top_files[i]);

		if (err) {
			snprintf(why, len, "graph: cannot save top-level %s: %s", top_files[i], nl_errname(err));
			return NULL;
		}
	}
	return nlf_trace_open(false, why, len);
}

/* A private instance if it can hold function_graph, else the top level. */
static int ctx_open(struct nlfg_ctx *c, char *why, size_t len)
{
	struct tep_event *ev;
	char path[PATH_MAX + 32];
	const char *root = nl_tracefs_dir(why, len);

	if (!root)
		return -ENOENT;
	/*
	 * The top level lists every tracer the kernel has; an instance lists at
	 * most those. Without function_graph there, skip making (and removing)
	 * an instance only to find it missing: 20 ms of arm time here.
	 */
	if (!has_tracer(root, "function_graph")) {
		no_graph(root, why, len);
		return -EOPNOTSUPP;
	}
	c->tr = nlf_trace_open(true, why, len);
	if (c->tr && !has_tracer(nlf_trace_dir(c->tr), "function_graph")) {
		nlf_trace_close(c->tr);
		c->tr = open_toplevel(root, why, len);
	}
	if (!c->tr)
		return -EOPNOTSUPP;
	c->exit_id = nlf_trace_event(c->tr, "ftrace", "funcgraph_exit", &ev);
	if (c->exit_id < 0) {
		snprintf(why, len, "graph: no ftrace:funcgraph_exit format: %s", nl_errname(c->exit_id));
		return c->exit_id;
	}
	c->f_func = tep_find_field(ev, "func");
	c->f_call = tep_find_field(ev, "calltime");
	c->f_ret = tep_find_field(ev, "rettime");
	if (!c->f_func || !c->f_call || !c->f_ret) {
		snprintf(why, len, "graph: funcgraph_exit lacks func/calltime/rettime");
		return -ENOENT;
	}
	/* empty filters would trace every function: start from clean ones */
	snprintf(path, sizeof(path), "%s/set_ftrace_filter", nlf_trace_dir(c->tr));
	nlf_write(path, "", false);
	snprintf(path, sizeof(path), "%s/set_graph_function", nlf_trace_dir(c->tr));
	nlf_write(path, "", false);
	return 0;
}

static int graph_arm(void **ctxp, const struct nl_record_opts *o, struct nlf_target *t,
		     char *why, size_t len)
{
	struct nlfg_ctx *c = *ctxp;
	char path[PATH_MAX + 32];
	int err;

	if (o->netns && t->netns_arg)
		return snprintf(why, len, "graph: --netns: the graph has no arguments to take it from"),
		       -EOPNOTSUPP;
	if (!c) {
		c = nl_xcalloc(1, sizeof(*c));
		c->o = o;
		*ctxp = c;
		if (ctx_open(c, c->fail, sizeof(c->fail)) && !c->fail[0])
			snprintf(c->fail, sizeof(c->fail), "graph: not available");
	}
	if (c->fail[0])
		return snprintf(why, len, "%s", c->fail), -EOPNOTSUPP;
	if (c->n == NLFG_MAX)
		return snprintf(why, len, "graph: too many functions"), -E2BIG;
	snprintf(path, sizeof(path), "%s/set_ftrace_filter", nlf_trace_dir(c->tr));
	err = nlf_write(path, t->sym, true);
	if (err)
		return snprintf(why, len, "graph: set_ftrace_filter rejected %s: %s (not traceable)",
				t->sym, nl_errname(err)), err;
	/*
	 * set_ftrace_filter alone already limits the graph to the targets (no
	 * other function is traced, so none can start or join a graph); the
	 * graph filter only narrows it further. 6.12's instances refuse it
	 * (ENOENT) for functions their set_ftrace_filter took: go on without.
	 */
	snprintf(path, sizeof(path), "%s/set_graph_function", nlf_trace_dir(c->tr));
	err = c->no_graph_filter ? 0 : nlf_write(path, t->sym, true);
	if (err == -ENOENT) {
		/* empty, not partial: a graph filter holding only earlier targets would hide this one */
		nlf_write(path, "", false);
		c->no_graph_filter = true;
		err = 0;
	}
	if (err)
		return snprintf(why, len, "graph: set_graph_function rejected %s: %s", t->sym,
				nl_errname(err)), err;
	t->netns_rows = false;
	c->t[c->n++] = t;
	return 0;
}

static void on_record(void *arg, int cpu, uint64_t ts, const void *data, int size)
{
	struct nlfg_ctx *c = arg;
	uint16_t id;
	uint64_t func, call, ret;

	(void)cpu;
	(void)ts;
	if (size < 8)
		return;
	memcpy(&id, data, sizeof(id));
	if (id != c->exit_id || !nlf_task_ok(c->o, tfs_rec_tid(data, size)))
		return;
	func = tfs_num(c->f_func, data);
	call = tfs_num(c->f_call, data);
	ret = tfs_num(c->f_ret, data);
	for (int i = 0; i < c->n; i++) {
		struct nlf_target *t = c->t[i];

		/* func is the traced call site: the start, or just past an endbr64 */
		if (func >= t->start && func < t->end) {
			if (ret >= call)
				nlf_add_call(t, 0, ret - call, 0);
			return;
		}
	}
}

static int graph_start(void *ctx)
{
	struct nlfg_ctx *c = ctx;
	char path[PATH_MAX + 32];
	int err;

	if (!c || !c->n)
		return 0;
	snprintf(path, sizeof(path), "%s/current_tracer", nlf_trace_dir(c->tr));
	err = nlf_write(path, "function_graph", false);
	if (err)
		return err;
	return nlf_trace_start(c->tr, on_record, c);
}

static int graph_poll(void *ctx)
{
	struct nlfg_ctx *c = ctx;

	return c && c->n ? nlf_trace_poll(c->tr) : 0;
}

static int graph_collect(void *ctx)
{
	return graph_poll(ctx);
}

static void graph_close(void *ctx)
{
	struct nlfg_ctx *c = ctx;
	char path[PATH_MAX + 32];

	if (!c)
		return;
	if (c->tr) {
		/* tracer off before the filters: an empty filter traces everything */
		snprintf(path, sizeof(path), "%s/tracing_on", nlf_trace_dir(c->tr));
		nlf_write(path, "0", false);
		snprintf(path, sizeof(path), "%s/current_tracer", nlf_trace_dir(c->tr));
		nlf_write(path, "nop", false);
		nlf_trace_close(c->tr);
	}
	free(c);
}

static uint64_t graph_lost(void *ctx)
{
	struct nlfg_ctx *c = ctx;

	return c ? nlf_trace_lost(c->tr) : 0;
}

const struct nlf_tier nlf_tier_graph = {
	.id = NL_FTIER_GRAPH, .arm = graph_arm, .start = graph_start, .poll = graph_poll,
	.collect = graph_collect, .close = graph_close, .lost = graph_lost,
};
