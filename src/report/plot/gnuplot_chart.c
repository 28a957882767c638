// SPDX-License-Identifier: GPL-2.0
/*
 * Writing one chart: NAME.dat (data), NAME.gp (netlat's variables, then the
 * embedded templates of reports/), and running gnuplot on it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlat/util.h"
#include "plot_int.h"
#include "plot_templates.h"

const char *plot_template(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(nl_gp_templates); i++)
		if (!strcmp(nl_gp_templates[i].name, name))
			return nl_gp_templates[i].text;
	return NULL;
}

/* A file-name piece: "cpu=0 vec=NET_RX" -> "cpu0_vecNET_RX"; anything odd becomes '_'. */
static void slug_append(char *out, size_t len, const char *s)
{
	size_t o = strlen(out);

	for (; *s && o + 1 < len; s++) {
		if (*s == '=')
			continue;
		out[o++] = (isalnum((unsigned char)*s) || *s == '-') ? *s : '_';
	}
	out[o] = '\0';
}

static bool name_taken(const struct nl_plot_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->set.n; i++)
		if (!strcmp(ctx->set.c[i].name, name))
			return true;
	return false;
}

static void chart_name(struct nl_plot_ctx *ctx, char *out, size_t len, const char *metric,
		       const char *stat, const char *key, const char *kind)
{
	char base[sizeof(((struct nl_plot_chart *)0)->name) - 8] = "";

	slug_append(base, sizeof(base), metric);
	if (stat && *stat) {
		slug_append(base, sizeof(base), "_");
		slug_append(base, sizeof(base), stat);
	}
	if (key && *key) {
		slug_append(base, sizeof(base), "_");
		slug_append(base, sizeof(base), key);
	}
	snprintf(out, len, "%s.%s", base, kind);
	/* Two keys can slug alike ("a b" and "a_b"): number the later ones. */
	for (int n = 2; name_taken(ctx, out); n++)
		snprintf(out, len, "%s-%d.%s", base, n, kind);
}

static FILE *open_in_dir(const struct nl_plot_ctx *ctx, const char *name, const char *ext)
{
	char path[PATH_MAX];
	int fd;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s%s", ctx->o.dir, name, ext) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

int plot_begin(struct nl_plot_ctx *ctx, struct plot_chart *c, const char *metric,
	       const char *stat, const char *key, const char *kind, const char *caption)
{
	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	chart_name(ctx, c->info.name, sizeof(c->info.name), metric, stat, key, kind);
	snprintf(c->info.metric, sizeof(c->info.metric), "%s", metric);
	snprintf(c->info.caption, sizeof(c->info.caption), "%s", caption);
	snprintf(c->title, sizeof(c->title), "%s", caption);
	c->vf = open_memstream(&c->vars, &c->vars_len);
	if (!c->vf)
		return -ENOMEM;
	c->dat = open_in_dir(ctx, c->info.name, ".dat");
	if (!c->dat) {
		int err = -errno;

		nl_err("cannot write %s/%s.dat: %s", ctx->o.dir, c->info.name, strerror(errno));
		fclose(c->vf);
		free(c->vars);
		return err;
	}
	fprintf(c->dat, "# netlat: %s\n# %s\n", caption, ctx->subtitle);
	return 0;
}

/* A gnuplot string literal: double quotes, with backslash and quote escaped. */
static void gp_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

void plot_var_num(struct plot_chart *c, const char *name, double v)
{
	if (isfinite(v))
		fprintf(c->vf, "%s = %.9g\n", name, v);
	else
		fprintf(c->vf, "%s = NaN\n", name);
}

void plot_var_str(struct plot_chart *c, const char *name, const char *v)
{
	fprintf(c->vf, "%s = ", name);
	gp_string(c->vf, v);
	fputc('\n', c->vf);
}

void plot_dat_num(FILE *f, double v, bool valid)
{
	if (valid && isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("NaN", f);
}

void plot_decades(double *lo, double *hi)
{
	if (!(*lo > 0))
		*lo = 1e-9;
	if (!(*hi > *lo))
		*hi = *lo;
	*lo = pow(10.0, floor(log10(*lo) + 1e-9));
	*hi = pow(10.0, ceil(log10(*hi) - 1e-9));
	if (*hi <= *lo)
		*hi = *lo * 10.0;
}

double plot_t(const struct nl_plot_ctx *ctx, uint64_t ns)
{
	uint64_t t0 = ctx->niv ? ctx->iv[0]->start_ns : 0;

	/* Intervals count from the run's start; the first one may begin a little after it. */
	return ns > t0 ? (double)(ns - t0) / 1e9 : 0.0;
}

static int write_script(struct plot_chart *c, const char *tmpl, bool empty, const char *why)
{
	const char *body = plot_template(empty ? "empty" : tmpl);
	FILE *f = open_in_dir(c->ctx, c->info.name, ".gp");
	int err = 0;

	if (!f)
		return -errno;
	fprintf(f, "# netlat chart: %s\n", c->info.caption);
	fprintf(f, "# Data: %s.dat. Restyle this script and re-run it with plain gnuplot:\n", c->info.name);
	fprintf(f, "#   gnuplot %s.gp                    -> %s.png\n", c->info.name, c->info.name);
	fprintf(f, "#   gnuplot -e 'fmt=\"svg\"' %s.gp   -> %s.svg\n", c->info.name, c->info.name);
	fprintf(f, "name = ");
	gp_string(f, c->info.name);
	fprintf(f, "\ndatafile = name . \".dat\"\nchart_title = ");
	gp_string(f, c->title);
	fprintf(f, "\nchart_subtitle = ");
	gp_string(f, c->ctx->subtitle);
	fputc('\n', f);
	if (empty) {
		fprintf(f, "empty_why = ");
		gp_string(f, why ? why : "");
		fputc('\n', f);
	}
	fwrite(c->vars, 1, c->vars_len, f);
	fputs(plot_template("common"), f);
	fputs(body ? body : "", f);
	if (!body)
		err = -ENOENT;
	if (fclose(f) && !err)
		err = -EIO;
	return err;
}

static int chart_record(struct nl_plot_ctx *ctx, const struct nl_plot_chart *info)
{
	if (ctx->set.n == ctx->set.cap) {
		size_t cap = ctx->set.cap ? ctx->set.cap * 2 : 16;
		void *p = realloc(ctx->set.c, cap * sizeof(*ctx->set.c));

		if (!p)
			return -ENOMEM;
		ctx->set.c = p;
		ctx->set.cap = cap;
	}
	ctx->set.c[ctx->set.n++] = *info;
	return 0;
}

int plot_end(struct plot_chart *c, const char *tmpl, bool empty, const char *why)
{
	struct nl_plot_ctx *ctx = c->ctx;
	int err = 0;

	if (empty)
		fprintf(c->dat, "# no events%s%s\n", why && *why ? ": " : "", why ? why : "");
	if (fclose(c->dat))
		err = -EIO;
	if (fclose(c->vf) && !err)
		err = -ENOMEM;
	if (!err)
		err = write_script(c, tmpl, empty, why);
	free(c->vars);
	c->info.empty = empty;
	if (err) {
		nl_err("cannot write %s/%s.gp: %s", ctx->o.dir, c->info.name, strerror(-err));
		return err;
	}
	if (!ctx->o.no_gnuplot)
		err = plot_run_gnuplot(ctx, c->info.name);
	return err ? err : chart_record(ctx, &c->info);
}

/* ---- running gnuplot ---- */

int nl_plot_find_gnuplot(char *out, size_t len)
{
	const char *env = getenv("NETLAT_GNUPLOT");
	const char *path = getenv("PATH");

	if (env && *env) {
		if (access(env, X_OK))
			return -ENOENT;
		snprintf(out, len, "%s", env);
		return 0;
	}
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && (size_t)snprintf(out, len, "%.*s/gnuplot", (int)n, path) < len &&
		    !access(out, X_OK))
			return 0;
		path += n;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}

/* Print gnuplot's complaints, each line prefixed with the script it came from. */
static void relay_errors(const struct nl_plot_ctx *ctx, const char *name, const char *errpath)
{
	FILE *f = fopen(errpath, "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line)
			nl_warn("gnuplot: %s/%s.gp: %s", ctx->o.dir, name, line);
	}
	fclose(f);
}

static void child_exec(const struct nl_plot_ctx *ctx, const char *name, const char *errpath)
{
	char script[PATH_MAX], fmt[32];
	int fd;

	snprintf(script, sizeof(script), "%s.gp", name);
	snprintf(fmt, sizeof(fmt), "fmt=\"%s\"", ctx->o.format == NL_PLOT_SVG ? "svg" : "png");
	/* Scripts name their files relative to themselves: run where they are. */
	if (chdir(ctx->o.dir))
		_exit(126);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
	}
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		dup2(fd, STDERR_FILENO);
	execl(ctx->gnuplot, "gnuplot", "-e", fmt, script, (char *)NULL);
	_exit(127);
}

int plot_run_gnuplot(struct nl_plot_ctx *ctx, const char *name)
{
	char errpath[PATH_MAX];
	int status;
	pid_t pid;

	if (snprintf(errpath, sizeof(errpath), "%s/.%s.gnuplot-err", ctx->o.dir, name) >=
	    (int)sizeof(errpath))
		return -ENAMETOOLONG;
	/* The child chdir()s, so it needs an absolute path for its error file. */
	if (errpath[0] != '/') {
		char cwd[PATH_MAX / 2];

		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(errpath, sizeof(errpath), "%s/%s/.%s.gnuplot-err", cwd, ctx->o.dir, name) >=
		    (int)sizeof(errpath))
			return -ENAMETOOLONG;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_exec(ctx, name, errpath);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	relay_errors(ctx, name, errpath);
	unlink(errpath);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	nl_err("gnuplot failed on %s/%s.gp (%s %d)", ctx->o.dir, name,
	       WIFEXITED(status) ? "exit" : "signal",
	       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -EIO;
}
