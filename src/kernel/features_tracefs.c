// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs feature tries: enable an event, set a tracer, add a hist trigger
 * in netlat's private instance, and create/delete a kprobe event. Anything
 * outside the private instance (a kprobe event, the top-level tracer) is on
 * the cleanup list for exactly as long as it exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/features.h"
#include "netlat/tracefs_session.h"

/* Write s to path in one write(); tracefs parses each write as one command. */
static int write_file(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(s))
		err = -EIO;
	close(fd);
	return err;
}

/* First line of a small file into buf, newline stripped. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "re");
	int err = 0;

	if (!fp)
		return -errno;
	if (!fgets(buf, (int)len, fp))
		err = ferror(fp) ? -EIO : -ENODATA;
	fclose(fp);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

/* "sys:name" -> "<dir>/events/sys/name/<file>". */
static int event_path(char *out, size_t len, const char *dir, const char *tp, const char *file)
{
	const char *c = strchr(tp, ':');

	if (!c)
		return -EINVAL;
	snprintf(out, len, "%s/events/%.*s/%s/%s", dir, (int)(c - tp), tp, c + 1, file);
	return 0;
}

/*
 * The declared name of one "field:TYPE NAME[N];" line: the word before the array suffix.
 * The suffix is cut by matching brackets from the end, not at the first '[': the type may
 * hold one ("__data_loc char[] name") and the size may hold spaces (5.10's tcp_probe:
 * "__u8 saddr[sizeof(struct sockaddr_in6)]").
 */
static int field_name(const char *line, char *name, size_t len)
{
	const char *p = strstr(line, "field:"), *end, *start;
	int depth = 0;

	if (!p)
		return -ENOENT;
	end = strchr(p, ';');
	if (!end)
		return -EINVAL;
	while (end > p && end[-1] == ']') {
		do {
			end--;
			if (*end == ']')
				depth++;
			else if (*end == '[')
				depth--;
		} while (end > p && depth > 0);
		if (depth)
			return -EINVAL;
	}
	start = end;
	while (start > p && start[-1] != ' ' && start[-1] != '\t' && start[-1] != ':')
		start--;
	snprintf(name, len, "%.*s", (int)(end - start), start);
	return name[0] ? 0 : -EINVAL;
}

static void fields_free(char **fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(fields[i]);
	free(fields);
}

int nl_tracepoint_fields(const char *dir, const char *tp, char ***fieldsp, size_t *np)
{
	char path[PATH_MAX], line[512], name[128];
	char **fields = NULL;
	size_t n = 0;
	FILE *fp;
	int err = 0;

	*fieldsp = NULL;
	*np = 0;
	if (event_path(path, sizeof(path), dir, tp, "format"))
		return -EINVAL;
	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		char **nf;

		if (field_name(line, name, sizeof(name)) || !strncmp(name, "common_", 7))
			continue;
		nf = realloc(fields, (n + 1) * sizeof(*fields));
		if (!nf || !(nf[n] = strdup(name))) {
			fields = nf ? nf : fields;
			err = -ENOMEM;
			break;
		}
		fields = nf;
		n++;
	}
	fclose(fp);
	if (err) {
		fields_free(fields, n);
		return err;
	}
	*fieldsp = fields;
	*np = n;
	return 0;
}

int nl_feature_tracepoint_enable(const char *inst_dir, const char *tp, char *why, size_t len)
{
	char path[PATH_MAX];
	int err;

	if (event_path(path, sizeof(path), inst_dir, tp, "enable"))
		return snprintf(why, len, "%s: not sys:name", tp), -EINVAL;
	err = write_file(path, "1", O_TRUNC);
	if (err) {
		snprintf(why, len, "enable %s in a private instance: %s", tp, nl_errname(err));
		return err;
	}
	write_file(path, "0", O_TRUNC);
	snprintf(why, len, "%s enabled in a private instance", tp);
	return 0;
}

/*
 * Hist triggers live on the instance's event, so removing the instance
 * removes them; the explicit "!" removal keeps the instance reusable.
 */
int nl_feature_hist_trigger(const char *inst_dir, const char *tp, char *why, size_t len)
{
	static const char trig[] = "hist:keys=common_pid";
	char path[PATH_MAX];
	int err;

	if (event_path(path, sizeof(path), inst_dir, tp, "trigger"))
		return snprintf(why, len, "%s: not sys:name", tp), -EINVAL;
	err = write_file(path, trig, O_APPEND);
	if (err) {
		snprintf(why, len, "hist trigger on %s: %s", tp, nl_errname(err));
		return err;
	}
	err = write_file(path, "!hist:keys=common_pid", O_APPEND);
	if (err)
		snprintf(why, len, "hist trigger on %s: added, but removing it failed: %s",
			 tp, nl_errname(err));
	else
		snprintf(why, len, "hist trigger on %s added and removed", tp);
	return err;
}

/* Is word in a space-separated list? */
static bool word_in(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n'))
			return true;
	return false;
}

/* The top-level current_tracer we may have changed, for the cleanup list. */
static char tracer_undo_path[PATH_MAX];

static void tracer_undo_cb(void *arg)
{
	(void)arg;
	write_file(tracer_undo_path, "nop", O_TRUNC);
}

/*
 * Some tracers (function_graph before 6.12 or so) exist only at the top
 * level. Try there only when nobody uses the top-level tracer ("nop"), with
 * current_tracer saved through tracefs_session so even a SIGKILL is repaired
 * by the next run, and put it back straight away.
 */
static int try_toplevel_tracer(const char *dir, const char *tracer, char *why, size_t len)
{
	char path[PATH_MAX], cur[64];
	int err, h;

	snprintf(path, sizeof(path), "%s/current_tracer", dir);
	err = read_line(path, cur, sizeof(cur));
	if (err) {
		snprintf(why, len, "%s: top-level only, and current_tracer is unreadable: %s",
			 tracer, nl_errname(err));
		return err;
	}
	if (strcmp(cur, "nop")) {
		snprintf(why, len, "%s: top-level only, and the top-level tracer is in use (%s)",
			 tracer, cur);
		return -EBUSY;
	}
	/*
	 * The saved copy survives a SIGKILL; where it cannot be written (no
	 * /run in a minimal initramfs) an in-process undo still covers signals.
	 */
	snprintf(tracer_undo_path, sizeof(tracer_undo_path), "%s", path);
	if (nl_tracefs_toplevel_save("current_tracer") == 0)
		h = -1;
	else if ((h = nl_cleanup_push(tracer_undo_cb, NULL, "top-level current_tracer")) < 0)
		return snprintf(why, len, "%s: cleanup list full", tracer), h;
	err = write_file(path, tracer, O_TRUNC);
	write_file(path, "nop", O_TRUNC);
	nl_cleanup_drop(h);
	if (err)
		snprintf(why, len, "%s: setting top-level current_tracer failed: %s", tracer,
			 nl_errname(err));
	else
		snprintf(why, len, "%s: set at the top level (not allowed in instances)", tracer);
	return err;
}

int nl_feature_tracer(const char *dir, const char *inst_dir, const char *tracer,
		      bool *toplevel_only, char *why, size_t len)
{
	char path[PATH_MAX], top[512] = "", inst[512] = "";
	int err;

	*toplevel_only = false;
	snprintf(path, sizeof(path), "%s/available_tracers", dir);
	read_line(path, top, sizeof(top));
	snprintf(path, sizeof(path), "%s/available_tracers", inst_dir);
	read_line(path, inst, sizeof(inst));
	if (!word_in(top, tracer)) {
		snprintf(why, len, "%s: not in available_tracers (%s)", tracer, top);
		return -ENOENT;
	}
	if (!word_in(inst, tracer)) {
		err = try_toplevel_tracer(dir, tracer, why, len);
		*toplevel_only = !err;
		return err;
	}
	snprintf(path, sizeof(path), "%s/current_tracer", inst_dir);
	err = write_file(path, tracer, O_TRUNC);
	write_file(path, "nop", O_TRUNC);
	if (err)
		snprintf(why, len, "%s: setting current_tracer in a private instance failed: %s",
			 tracer, nl_errname(err));
	else
		snprintf(why, len, "%s: set in a private instance", tracer);
	return err;
}

/* The kprobe event of this process, for the cleanup list (no allocation at signal time). */
static struct {
	char file[PATH_MAX];
	char del[96];
} kprobe_undo;

static void kprobe_undo_cb(void *arg)
{
	(void)arg;
	write_file(kprobe_undo.file, kprobe_undo.del, O_APPEND);
}

int nl_feature_kprobe_events(const char *dir, const char *func, char *why, size_t len)
{
	char add[192];
	int err, h;

	snprintf(kprobe_undo.file, sizeof(kprobe_undo.file), "%s/kprobe_events", dir);
	if (access(kprobe_undo.file, F_OK) < 0) {
		err = -errno;
		snprintf(why, len, "no kprobe_events in %s (kernel without CONFIG_KPROBE_EVENTS)", dir);
		return err;
	}
	snprintf(kprobe_undo.del, sizeof(kprobe_undo.del), "-:netlat/netlat_probe_%d", (int)getpid());
	snprintf(add, sizeof(add), "p:netlat/netlat_probe_%d %s", (int)getpid(), func);
	/* Armed before the write: a signal between create and delete must not leak the event. */
	h = nl_cleanup_push(kprobe_undo_cb, NULL, "kprobe event netlat_probe");
	if (h < 0)
		return snprintf(why, len, "kprobe_events: cleanup list full"), h;
	err = write_file(kprobe_undo.file, add, O_APPEND);
	if (err) {
		nl_cleanup_drop(h);
		snprintf(why, len, "kprobe_events: creating '%s' failed: %s", add, nl_errname(err));
		return err;
	}
	err = write_file(kprobe_undo.file, kprobe_undo.del, O_APPEND);
	if (err) {
		/* Leave the entry armed: exit retries the removal. */
		snprintf(why, len, "kprobe_events: created '%s' but removing it failed: %s",
			 add, nl_errname(err));
		return err;
	}
	nl_cleanup_drop(h);
	snprintf(why, len, "kprobe event on %s created and removed", func);
	return 0;
}
