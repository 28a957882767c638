// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs plumbing: mount, netlat's private instance, repair of what a
 * SIGKILLed run left behind, and exact save/restore of top-level files.
 *
 * Anything that outlives a SIGKILL must be findable by the next run from
 * its name alone: instances are "netlat-<pid>", saved top-level files live
 * in /run/netlat/toplevel-<pid>/. A pid that no longer exists owns nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <tracefs.h>

#include "netlat/cleanup.h"
#include "netlat/func.h"
#include "netlat/tracefs_session.h"
#include "netlat/util.h"

#define TRACEFS_MAGIC_NR	0x74726163
#define NL_RUN_DIR		"/run/netlat"
#define NL_TRACEFS_DEFAULT	"/sys/kernel/tracing"
#define NL_MAX_INSTANCES	4
#define NL_MAX_SAVED		32

/* Short fixed sizes keep every joined path provably below PATH_MAX. */
#define NL_DIR_MAX	512

static char tracefs_path[NL_DIR_MAX];

struct nl_inst_slot {
	struct tracefs_instance *inst;
	int handle;
	char dir[PATH_MAX];	/* kept here so a signal-time undo needs no allocation */
};
static struct nl_inst_slot inst_slots[NL_MAX_INSTANCES];

struct nl_saved {
	char file[128];		/* relative to the tracefs root */
	char copy[PATH_MAX];	/* the saved content under /run/netlat */
};
static struct nl_saved saved[NL_MAX_SAVED];
static int nsaved;

static bool is_tracefs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (unsigned long)st.f_type == TRACEFS_MAGIC_NR;
}

/* Undo our own mount, so the kernel is left as found (fails harmlessly if busy). */
static void umount_cb(void *arg)
{
	umount((const char *)arg);
}

const char *nl_tracefs_dir(char *why, size_t whylen)
{
	int h;

	if (tracefs_path[0])
		return tracefs_path;
	if (is_tracefs(NL_TRACEFS_DEFAULT)) {
		snprintf(tracefs_path, sizeof(tracefs_path), "%s", NL_TRACEFS_DEFAULT);
		return tracefs_path;
	}
	if (is_tracefs("/sys/kernel/debug/tracing")) {
		snprintf(tracefs_path, sizeof(tracefs_path), "%s", "/sys/kernel/debug/tracing");
		return tracefs_path;
	}
	if (mount("nodev", NL_TRACEFS_DEFAULT, "tracefs", 0, NULL) < 0) {
		snprintf(why, whylen, "tracefs is not mounted and mounting it at %s failed: %s",
			 NL_TRACEFS_DEFAULT, strerror(errno));
		return NULL;
	}
	h = nl_cleanup_push(umount_cb, (void *)NL_TRACEFS_DEFAULT, "umount tracefs");
	if (h < 0) {
		umount(NL_TRACEFS_DEFAULT);
		snprintf(why, whylen, "cleanup list full");
		return NULL;
	}
	snprintf(tracefs_path, sizeof(tracefs_path), "%s", NL_TRACEFS_DEFAULT);
	/* libtracefs found no mount when it first looked; point it at ours. */
	tracefs_set_tracing_dir(tracefs_path);
	return tracefs_path;
}

/* Write all of buf to fd; tracefs parsers may take one token per write(). */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = write_all(fd, s, strlen(s));
	close(fd);
	return err;
}

/* Stop an instance's events and tracing, then remove it (kernel frees its buffers). */
static int instance_remove_dir(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/tracing_on", dir);
	write_str(path, "0");
	snprintf(path, sizeof(path), "%s/events/enable", dir);
	write_str(path, "0");
	if (rmdir(dir) < 0)
		return -errno;
	return 0;
}

/* A pid that owns leftovers only if it does not exist (EPERM still means alive). */
static bool pid_dead(const char *digits)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(digits, &end, 10);
	if (errno || end == digits || *end || pid <= 0 || pid > INT_MAX)
		return false;
	if (pid == getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int cleanup_stale_instances(const char *root)
{
	char dir[NL_DIR_MAX + 16];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/instances", root);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[PATH_MAX], digits[32];
		size_t plen = strlen(NL_INSTANCE_PREFIX);

		if (strncmp(de->d_name, NL_INSTANCE_PREFIX, plen))
			continue;
		/* "netlat-<pid>" and the function collector's "netlat-<pid>-func" */
		snprintf(digits, sizeof(digits), "%s", de->d_name + plen);
		digits[strcspn(digits, "-")] = '\0';
		if (!pid_dead(digits))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (instance_remove_dir(path) == 0) {
			n++;
			nl_info("removed stale tracefs instance %s", de->d_name);
		} else {
			nl_warn("cannot remove stale tracefs instance %s: %s", de->d_name, strerror(errno));
		}
	}
	closedir(d);
	return n;
}

/* Saved copies name their file with '/' turned into '@' (never in a tracefs name). */
static void encode_name(char *out, size_t len, const char *file)
{
	snprintf(out, len, "%s", file);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '@';
}

static void decode_name(char *out, size_t len, const char *enc)
{
	snprintf(out, len, "%s", enc);
	for (char *p = out; *p; p++)
		if (*p == '@')
			*p = '/';
}

static char *read_file(const char *path, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		len += (size_t)n;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (buf) {
		buf[len] = '\0';
		*lenp = len;
	}
	return buf;
}

/*
 * Turn one line of what a tracefs file showed into what it accepts back:
 * "local [mono] boot" (trace_clock) -> "mono"; "7 (expanded: 1408)"
 * (buffer_size_kb before first use) -> "7"; an event filter shown as
 * "none" is cleared with "0". NULL for lines to skip ("#" comments).
 */
static bool is_filter(const char *file)
{
	const char *base = strrchr(file, '/');

	return !strcmp(base ? base + 1 : file, "filter");
}

static char *restore_line(const char *file, char *line)
{
	char *open_br, *close_br, *paren;

	if (line[0] == '#' || line[0] == '\0')
		return NULL;
	open_br = strchr(line, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (close_br) {
		*close_br = '\0';
		return open_br + 1;
	}
	paren = strstr(line, " (");
	if (paren)
		*paren = '\0';
	if (is_filter(file) && !strcmp(line, "none"))
		return "0";
	return line;
}

/*
 * Put saved content back into a top-level file: truncate (clears lists like
 * set_event), then write each line on its own.
 */
static int restore_content(const char *target, const char *file, char *content)
{
	char *line, *save = NULL;
	int fd, err = 0;

	fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (line = strtok_r(content, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *out = restore_line(file, line);

		if (!out)
			continue;
		err = write_all(fd, out, strlen(out));
		/* A filter is one line; what follows is the kernel's report of a bad write. */
		if (err || is_filter(file))
			break;
	}
	close(fd);
	return err;
}

static int restore_copy(const char *root, const char *file, const char *copy)
{
	char target[PATH_MAX];
	size_t len;
	char *content;
	int err;

	content = read_file(copy, &len);
	if (!content)
		return -errno;
	snprintf(target, sizeof(target), "%s/%s", root, file);
	err = restore_content(target, file, content);
	free(content);
	if (err)
		return err;
	unlink(copy);
	return 0;
}

/*
 * Restore and remove /run/netlat/toplevel-<pid>/ of one dead pid. A copy
 * that cannot be written back is dropped after one warning: its owner is
 * gone and retrying on every run would only repeat the warning.
 */
static int restore_stale_dir(const char *root, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char file[256], copy[PATH_MAX];
		int err;

		if (de->d_name[0] == '.')
			continue;
		decode_name(file, sizeof(file), de->d_name);
		/* Precisions bound the length for the compiler: dir < NL_DIR_MAX, a name < 256. */
		snprintf(copy, sizeof(copy), "%.*s/%.255s", NL_DIR_MAX - 1, dir, de->d_name);
		err = restore_copy(root, file, copy);
		if (err) {
			nl_warn("cannot restore tracefs %s from %s: %s", file, copy, strerror(-err));
			unlink(copy);
		} else {
			n++;
		}
	}
	closedir(d);
	rmdir(dir);
	return n;
}

struct stale_dir {
	char dir[NL_DIR_MAX];
	struct timespec mtime;
};

/* Newest first, so the oldest saved state (the one before any netlat ran) is written last. */
static int stale_newest_first(const void *a, const void *b)
{
	const struct stale_dir *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return 0;
}

static int cleanup_stale_saves(const char *root)
{
	static const char prefix[] = "toplevel-";
	struct stale_dir stale[64];
	struct dirent *de;
	DIR *d = opendir(NL_RUN_DIR);
	size_t ns = 0;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && ns < ARRAY_SIZE(stale)) {
		struct stat st;

		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) ||
		    !pid_dead(de->d_name + sizeof(prefix) - 1))
			continue;
		snprintf(stale[ns].dir, sizeof(stale[ns].dir), "%s/%s", NL_RUN_DIR, de->d_name);
		if (stat(stale[ns].dir, &st) < 0)
			continue;
		stale[ns++].mtime = st.st_mtim;
	}
	closedir(d);
	qsort(stale, ns, sizeof(stale[0]), stale_newest_first);
	for (size_t i = 0; i < ns; i++)
		n += restore_stale_dir(root, stale[i].dir);
	rmdir(NL_RUN_DIR);	/* only succeeds when nothing else is saved there */
	return n;
}

int nl_tracefs_cleanup_stale(void)
{
	char why[128];
	const char *root = nl_tracefs_dir(why, sizeof(why));
	int n;

	if (!root)
		return 0;
	/* Instances first: a stale one may hold events the restored files refer to. */
	n = cleanup_stale_instances(root);
	n += nl_func_cleanup_stale(root);	/* kprobe events, once no instance enables them */
	return n + cleanup_stale_saves(root);
}

/* Cleanup-list callback: the instance and everything it traced. */
static void instance_destroy_cb(void *arg)
{
	struct nl_inst_slot *slot = arg;

	instance_remove_dir(slot->dir);
}

static struct nl_inst_slot *slot_of(struct tracefs_instance *inst)
{
	for (int i = 0; i < NL_MAX_INSTANCES; i++)
		if (inst_slots[i].inst == inst)
			return &inst_slots[i];
	return NULL;
}

/*
 * The name of this process's next instance: "netlat-<pid>", then
 * "netlat-<pid>-2", ... while one of ours holds it (record --raw runs a
 * second tracefs collector beside the first). The stale-instance repair
 * reads the pid before the first '-', so every one of them is repaired.
 */
static void instance_name(char *name, size_t len)
{
	for (int k = 1; ; k++) {
		bool used = false;

		if (k == 1)
			snprintf(name, len, NL_INSTANCE_PREFIX "%d", (int)getpid());
		else
			snprintf(name, len, NL_INSTANCE_PREFIX "%d-%d", (int)getpid(), k);
		for (int i = 0; i < NL_MAX_INSTANCES && !used; i++) {
			const char *slash = strrchr(inst_slots[i].dir, '/');

			used = inst_slots[i].inst && slash && !strcmp(slash + 1, name);
		}
		if (!used)
			return;
	}
}

/* Remove an instance we hold no slot for (a leftover under our own name). */
static void instance_remove(struct tracefs_instance *inst)
{
	char *dir = tracefs_instance_get_dir(inst);

	if (dir) {
		instance_remove_dir(dir);
		tracefs_put_tracing_file(dir);
	}
}

struct tracefs_instance *nl_tracefs_instance_create(char *why, size_t whylen)
{
	char name[64];
	struct tracefs_instance *inst;
	struct nl_inst_slot *slot = slot_of(NULL);

	if (!nl_tracefs_dir(why, whylen))
		return NULL;
	if (!slot) {
		snprintf(why, whylen, "too many tracefs instances");
		return NULL;
	}
	instance_name(name, sizeof(name));
	inst = tracefs_instance_create(name);
	/* An existing one is a leftover of a dead process that had our pid: start fresh. */
	if (inst && !tracefs_instance_is_new(inst)) {
		instance_remove(inst);
		tracefs_instance_free(inst);
		inst = tracefs_instance_create(name);
	}
	if (!inst) {
		snprintf(why, whylen, "cannot create tracefs instance %s: %s", name, strerror(errno));
		return NULL;
	}
	snprintf(slot->dir, sizeof(slot->dir), "%s/instances/%s", tracefs_path, name);
	slot->handle = nl_cleanup_push(instance_destroy_cb, slot, "tracefs instance");
	if (slot->handle < 0) {
		instance_remove(inst);
		tracefs_instance_free(inst);
		snprintf(why, whylen, "cleanup list full");
		return NULL;
	}
	slot->inst = inst;
	return inst;
}

void nl_tracefs_instance_destroy(struct tracefs_instance *inst)
{
	struct nl_inst_slot *slot;

	if (!inst)
		return;
	slot = slot_of(inst);
	if (slot) {
		/* Runs the destroy callback once, and only if a signal has not already. */
		nl_cleanup_run_one(slot->handle);
		slot->inst = NULL;
		slot->handle = -1;
	} else {
		instance_remove(inst);
	}
	tracefs_instance_free(inst);
}

static void saved_restore_cb(void *arg)
{
	struct nl_saved *s = arg;
	char dir[PATH_MAX], *slash;
	int err;

	err = restore_copy(tracefs_path, s->file, s->copy);
	if (err) {
		/* Keep the copy: the next run retries once this pid is gone. */
		return;
	}
	snprintf(dir, sizeof(dir), "%s", s->copy);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		rmdir(dir);
		rmdir(NL_RUN_DIR);
	}
}

static int save_copy(const char *copy, const char *content, size_t len)
{
	char tmp[PATH_MAX];
	int fd, err;

	snprintf(tmp, sizeof(tmp), "%s.tmp", copy);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = write_all(fd, content, len);
	if (!err && fsync(fd) < 0)
		err = -errno;
	close(fd);
	if (!err && rename(tmp, copy) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int nl_tracefs_toplevel_save(const char *file)
{
	char why[128], src[PATH_MAX], dir[NL_DIR_MAX], enc[256];
	struct nl_saved *s;
	const char *root = nl_tracefs_dir(why, sizeof(why));
	size_t len;
	char *content;
	int err;

	if (!root)
		return -ENOENT;
	for (int i = 0; i < nsaved; i++)
		if (!strcmp(saved[i].file, file))
			return 0;	/* the first copy is the state to return to */
	if (nsaved >= NL_MAX_SAVED || strlen(file) >= sizeof(saved[0].file))
		return -ENOSPC;
	snprintf(src, sizeof(src), "%s/%s", root, file);
	content = read_file(src, &len);
	if (!content)
		return -errno;
	snprintf(dir, sizeof(dir), "%s/toplevel-%d", NL_RUN_DIR, (int)getpid());
	if ((mkdir(NL_RUN_DIR, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0700) < 0 && errno != EEXIST)) {
		err = -errno;
		goto out_free;
	}
	s = &saved[nsaved];
	snprintf(s->file, sizeof(s->file), "%s", file);
	encode_name(enc, sizeof(enc), file);
	snprintf(s->copy, sizeof(s->copy), "%s/%s", dir, enc);
	err = save_copy(s->copy, content, len);
	if (err)
		goto out_free;
	if (nl_cleanup_push(saved_restore_cb, s, "tracefs top-level file") < 0) {
		unlink(s->copy);
		err = -ENOMEM;
		goto out_free;
	}
	nsaved++;
out_free:
	free(content);
	return err;
}
