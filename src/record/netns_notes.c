// SPDX-License-Identifier: GPL-2.0
/*
 * What record, stat and triage note around a session: filters that match
 * nothing (a warning at the start naming what exists, a line in the file at
 * the end so the report can say so), the names of the network namespaces
 * and what metrics note about each (their descriptors' netns_notes, such as
 * what diff's portable keys need), and netlat's own CPU time.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "netlat/metric.h"
#include "netlat/netns.h"
#include "netlat/util.h"

#define LIST_MAX 400

static uint64_t cpu_at_begin_ns;

/* Which filters matched nothing at the start (bit per filter). */
enum { MISS_DEV = 1, MISS_NETNS = 2, MISS_COMM = 4, MISS_PORT = 8 };
static unsigned int missing_at_begin;
/* ... and which of those a row named later */
static unsigned int seen_mask;

static uint64_t self_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

/* "name" of a namespace for people: its name, else "netns INODE". */
static void ns_label(const struct nl_netns *ns, char *buf, size_t len)
{
	if (ns->name[0])
		snprintf(buf, len, "%s", ns->name);
	else
		snprintf(buf, len, "netns %llu", (unsigned long long)ns->ino);
}

static void list_add(char *list, const char *item)
{
	size_t n = strlen(list);

	if (n + strlen(item) + 8 >= LIST_MAX) {
		if (!strstr(list, ", ..."))
			snprintf(list + n, LIST_MAX - n, ", ...");
		return;
	}
	snprintf(list + n, LIST_MAX - n, "%s%s", n ? ", " : "", item);
}

static bool dev_exists(struct nl_netns_set *s, const char *dev, char *list)
{
	bool found = false;
	char item[128], label[80];

	/* two passes: the initial namespace's devices first */
	for (size_t k = 0; k < 2 * s->n; k++) {
		size_t i = k % s->n;

		if ((k < s->n) != !strcmp(s->ns[i].name, "init") || nl_netns_read(&s->ns[i]))
			continue;
		ns_label(&s->ns[i], label, sizeof(label));
		for (size_t l = 0; l < s->ns[i].nlinks; l++) {
			found |= !strcmp(s->ns[i].links[l].name, dev);
			bool init = !strcmp(s->ns[i].name, "init");

			/* devices of the initial namespace bare, the others as dev@namespace */
			snprintf(item, sizeof(item), "%s%s%s", s->ns[i].links[l].name,
				 init ? "" : "@", init ? "" : label);
			if (list)
				list_add(list, item);
		}
	}
	return found;
}

static bool netns_exists(const struct nl_netns_set *s, uint64_t ino, char *list)
{
	char item[128], label[80];
	bool found = false;

	for (size_t i = 0; i < s->n; i++) {
		found |= s->ns[i].ino == ino;
		ns_label(&s->ns[i], label, sizeof(label));
		if (s->ns[i].name[0])
			snprintf(item, sizeof(item), "%s=%llu", label, (unsigned long long)s->ns[i].ino);
		else
			snprintf(item, sizeof(item), "%llu", (unsigned long long)s->ns[i].ino);
		if (list)
			list_add(list, item);
	}
	return found;
}

static bool comm_exists(const char *comm)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	bool found = false;

	while (d && !found && (de = readdir(d))) {
		char path[300], c[64] = "";
		FILE *f;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(c, sizeof(c), f))
			c[strcspn(c, "\n")] = '\0';
		fclose(f);
		found = !strcmp(c, comm);
	}
	if (d)
		closedir(d);
	return found;
}

/* A socket with local or remote port in one /proc/net/{tcp,udp}{,6} file (ports are hex fields). */
static bool port_in_file(FILE *f, unsigned int port)
{
	char line[512];

	if (!fgets(line, sizeof(line), f))	/* header */
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned int lp = 0, rp = 0;
		char *l = strchr(line, ':'), *p;

		if (!l || !(l = strchr(l + 1, ':')))
			continue;
		lp = (unsigned int)strtoul(l + 1, &p, 16);
		if ((l = strchr(p, ':')))
			rp = (unsigned int)strtoul(l + 1, NULL, 16);
		if (lp == port || rp == port)
			return true;
	}
	return false;
}

/* Sockets of every namespace: /proc/thread-self/net follows the thread's namespace at open. */
static bool port_exists(const struct nl_netns_set *s, unsigned int port)
{
	static const char *const files[] = { "tcp", "tcp6", "udp", "udp6" };
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	bool found = false;

	if (self < 0)
		return true;	/* cannot tell: say nothing rather than something wrong */
	for (size_t i = 0; i < s->n && !found; i++) {
		if (setns(s->ns[i].fd, CLONE_NEWNET))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(files) && !found; k++) {
			char path[64];
			FILE *f;

			snprintf(path, sizeof(path), "/proc/thread-self/net/%s", files[k]);
			f = fopen(path, "r");
			if (!f)
				continue;
			found = port_in_file(f, port);
			fclose(f);
		}
	}
	if (setns(self, CLONE_NEWNET)) {
		nl_err("cannot return to netlat's own network namespace: %s", strerror(errno));
		abort();
	}
	close(self);
	return found;
}

int nl_notes_begin(const struct nl_session_cfg *cfg)
{
	const struct nl_record_opts *o = &cfg->opts;
	struct nl_netns_set s;
	char *list = nl_xcalloc(1, LIST_MAX);

	cpu_at_begin_ns = self_cpu_ns();
	missing_at_begin = 0;
	seen_mask = 0;
	if (o->pid && kill(o->pid, 0) && errno == ESRCH) {
		nl_err("no process with pid %d", o->pid);
		free(list);
		return -ESRCH;
	}
	nl_netns_scan(&s);
	if (o->dev[0] && !dev_exists(&s, o->dev, list)) {
		nl_warn("no device '%s' in any namespace (devices: %s); recording anyway, it may appear later",
			o->dev, *list ? list : "none found");
		missing_at_begin |= MISS_DEV;
	}
	list[0] = '\0';
	if (o->netns && !netns_exists(&s, o->netns, list)) {
		nl_warn("no network namespace with inode %llu (namespaces: %s); recording anyway",
			(unsigned long long)o->netns, list);
		missing_at_begin |= MISS_NETNS;
	}
	if (o->comm[0] && !comm_exists(o->comm)) {
		nl_warn("no running process is named '%s' (its /proc/PID/comm); recording anyway,"
			" it may start later", o->comm);
		missing_at_begin |= MISS_COMM;
	}
	if (o->port && !port_exists(&s, o->port)) {
		nl_warn("no socket uses port %u in any namespace; recording anyway, one may open later",
			o->port);
		missing_at_begin |= MISS_PORT;
	}
	nl_netns_free(&s);
	free(list);
	return 0;
}

/* ---- at the end ---- */

/* Which filters an interval's rows show matched something (a row naming the value). */
static unsigned int seen_in(const struct nl_record_opts *o, const struct nl_interval *iv)
{
	char dev[32], netns[40], comm[32], p1[16], p2[16];
	unsigned int m = 0;

	snprintf(netns, sizeof(netns), "netns=%llu", (unsigned long long)o->netns);
	snprintf(comm, sizeof(comm), "comm=%s", o->comm);
	snprintf(p1, sizeof(p1), ":%u>", o->port);
	snprintf(p2, sizeof(p2), ":%u ", o->port);
	for (size_t k = 0; k < iv->n; k++) {
		const char *key = iv->v[k].key;

		if (o->dev[0] && nl_key_get(key, "dev", dev, sizeof(dev)) && !strcmp(dev, o->dev))
			m |= MISS_DEV;
		if (o->netns && strstr(key, netns))
			m |= MISS_NETNS;
		if (o->comm[0] && strstr(key, comm))
			m |= MISS_COMM;
		if (o->port && (strstr(key, p1) || strstr(key, p2)))
			m |= MISS_PORT;
	}
	return m;
}

void nl_notes_iv(const struct nl_session_cfg *cfg, const struct nl_interval *iv)
{
	if (missing_at_begin)
		seen_mask |= seen_in(&cfg->opts, iv);
}

/* Names of namespaces, and each metric's notes about each (armed or not), as metadata. */
static void note_namespaces(struct nl_netns_set *s, struct nl_recording *rec)
{
	char key[64];

	for (size_t i = 0; i < s->n; i++) {
		struct nl_netns *ns = &s->ns[i];

		if (ns->name[0]) {
			snprintf(key, sizeof(key), "netns.%llu", (unsigned long long)ns->ino);
			nl_rec_set_meta(rec, key, ns->name);
		}
		if (nl_netns_read(ns))
			continue;
		for (size_t k = 0; k < nl_nmetrics; k++)
			if (nl_metrics[k]->netns_notes)
				nl_metrics[k]->netns_notes(rec, ns);
	}
}

/* A filter counts as unmatched when nothing had it at the start, nothing at the end, and no row named it. */
static void note_unmatched(const struct nl_session_cfg *cfg, struct nl_netns_set *s,
			   struct nl_recording *rec)
{
	const struct nl_record_opts *o = &cfg->opts;
	unsigned int miss = missing_at_begin;
	char out[512] = "";
	size_t n = 0;

	for (size_t i = 0; i < rec->niv; i++)
		seen_mask |= seen_in(o, rec->iv[i]);
	miss &= ~seen_mask;
	if ((miss & MISS_DEV) && !dev_exists(s, o->dev, NULL))
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s--dev %s (no such device appeared)",
				      n ? "; " : "", o->dev);
	if ((miss & MISS_NETNS) && !netns_exists(s, o->netns, NULL))
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s--netns %llu (no such namespace appeared)",
				      n ? "; " : "", (unsigned long long)o->netns);
	if ((miss & MISS_COMM) && !comm_exists(o->comm))
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s--comm %s (no such process seen)",
				      n ? "; " : "", o->comm);
	if ((miss & MISS_PORT) && !port_exists(s, o->port))
		snprintf(out + n, sizeof(out) - n, "%s--port %u (no socket on that port seen)", n ? "; " : "",
			 o->port);
	if (out[0])
		nl_rec_set_meta(rec, "filter_unmatched", out);
}

void nl_notes_end(const struct nl_session_cfg *cfg, struct nl_recording *rec)
{
	struct nl_netns_set s;

	nl_rec_set_metaf(rec, "netlat_cpu_ns", "%llu",
			 (unsigned long long)(self_cpu_ns() - cpu_at_begin_ns));
	nl_netns_scan(&s);
	note_namespaces(&s, rec);
	if (missing_at_begin)
		note_unmatched(cfg, &s, rec);
	nl_netns_free(&s);
}
