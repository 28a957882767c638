// SPDX-License-Identifier: GPL-2.0
/*
 * The network namespaces of this host and what is in them: their inode and
 * stable name (init, the /run/netns name), their devices and their qdiscs.
 * Used for the filter warnings (a --dev that exists nowhere) and for the
 * portable row keys of diff/stat (a qdisc named by kind and parent instead of
 * its kernel-assigned handle). Namespaces are found through /proc/1, this
 * process, /run/netns and every process's /proc/PID/ns/net; each is read by
 * an rtnetlink socket created inside it (setns on this thread, then back).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlat/netns.h"
#include "netlat/util.h"

static void ns_add(struct nl_netns_set *s, const char *path, const char *name)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st)) {
		close(fd);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->ns[i].ino == (uint64_t)st.st_ino) {
			/* a better name than none: init and /run/netns come first anyway */
			if (!s->ns[i].name[0] && name)
				snprintf(s->ns[i].name, sizeof(s->ns[i].name), "%s", name);
			close(fd);
			return;
		}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct nl_netns *p = realloc(s->ns, cap * sizeof(*p));

		if (!p) {
			close(fd);
			return;
		}
		s->ns = p;
		s->cap = cap;
	}
	memset(&s->ns[s->n], 0, sizeof(s->ns[0]));
	s->ns[s->n].ino = (uint64_t)st.st_ino;
	s->ns[s->n].fd = fd;
	if (name)
		snprintf(s->ns[s->n].name, sizeof(s->ns[0].name), "%s", name);
	s->n++;
}

/*
 * Where /proc/1/ns/net cannot be opened (a sandbox hiding pid 1), the
 * initial namespace is still known by its inode: Linux gives init_net the
 * fixed PROC_NET_INIT_INO (0xEFFFFFF9) since 6.x; older kernels number it
 * like any other, and it then stays unnamed (ns1, ...).
 */
#define PROC_NET_INIT_INO 0xEFFFFFF9ULL

static void name_init(struct nl_netns_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ns[i].name, "init"))
			return;
	for (size_t i = 0; i < s->n; i++)
		if (s->ns[i].ino == PROC_NET_INIT_INO && !s->ns[i].name[0])
			snprintf(s->ns[i].name, sizeof(s->ns[i].name), "init");
}

void nl_netns_scan(struct nl_netns_set *s)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	memset(s, 0, sizeof(*s));
	ns_add(s, "/proc/1/ns/net", "init");
	d = opendir("/run/netns");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		ns_add(s, path, de->d_name);
	}
	if (d)
		closedir(d);
	ns_add(s, "/proc/self/ns/net", NULL);
	/* containers and unshare'd processes: namespaces held only by a process */
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		ns_add(s, path, NULL);
	}
	if (d)
		closedir(d);
	name_init(s);
}

void nl_netns_free(struct nl_netns_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		close(s->ns[i].fd);
		free(s->ns[i].links);
		free(s->ns[i].qdiscs);
	}
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

/* An rtnetlink socket inside namespace fd (this thread goes there and back). */
static int rtnl_socket_in(int nsfd)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), sk = -1;

	if (self < 0)
		return -1;
	if (!setns(nsfd, CLONE_NEWNET)) {
		sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (setns(self, CLONE_NEWNET)) {
			/* cannot come back: better to stop than to record in the wrong namespace */
			nl_err("cannot return to netlat's own network namespace: %s", strerror(errno));
			abort();
		}
	}
	close(self);
	return sk;
}

typedef void (*msg_fn)(struct nl_netns *ns, const struct nlmsghdr *h);

/* Send one dump request of type, hand every answer to fn. */
static int rtnl_dump(int sk, uint16_t type, void *body, size_t blen, struct nl_netns *ns, msg_fn fn)
{
	char buf[32768] __attribute__((aligned(4)));
	struct {
		struct nlmsghdr h;
		char body[64];
	} req = { 0 };
	ssize_t n;

	req.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(blen);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	memcpy(req.body, body, blen);
	if (send(sk, &req, req.h.nlmsg_len, 0) < 0)
		return -errno;
	while ((n = recv(sk, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (uint32_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			fn(ns, h);
		}
	}
	return n < 0 ? -errno : 0;
}

static void on_link(struct nl_netns *ns, const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	struct nl_netns_link *l;

	if (h->nlmsg_type != RTM_NEWLINK || len < 0)
		return;
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != IFLA_IFNAME)
			continue;
		l = realloc(ns->links, (ns->nlinks + 1) * sizeof(*l));
		if (!l)
			return;
		ns->links = l;
		l = &ns->links[ns->nlinks++];
		l->ifindex = ifi->ifi_index;
		snprintf(l->name, sizeof(l->name), "%.*s", (int)RTA_PAYLOAD(a), (const char *)RTA_DATA(a));
	}
}

static void on_qdisc(struct nl_netns *ns, const struct nlmsghdr *h)
{
	const struct tcmsg *t = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*t));
	struct nl_netns_qdisc *q;

	if (h->nlmsg_type != RTM_NEWQDISC || len < 0)
		return;
	q = realloc(ns->qdiscs, (ns->nqdiscs + 1) * sizeof(*q));
	if (!q)
		return;
	ns->qdiscs = q;
	q = &ns->qdiscs[ns->nqdiscs++];
	memset(q, 0, sizeof(*q));
	q->ifindex = t->tcm_ifindex;
	q->handle = t->tcm_handle;
	q->parent = t->tcm_parent;
	for (const struct rtattr *a = (const struct rtattr *)((const char *)t + NLMSG_ALIGN(sizeof(*t)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == TCA_KIND)
			snprintf(q->kind, sizeof(q->kind), "%.*s", (int)RTA_PAYLOAD(a),
				 (const char *)RTA_DATA(a));
}

int nl_netns_read(struct nl_netns *ns)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct tcmsg tc = { .tcm_family = AF_UNSPEC };
	int sk = rtnl_socket_in(ns->fd), err;

	if (sk < 0)
		return -errno;
	free(ns->links);
	free(ns->qdiscs);
	ns->links = NULL;
	ns->qdiscs = NULL;
	ns->nlinks = ns->nqdiscs = 0;
	err = rtnl_dump(sk, RTM_GETLINK, &ifi, sizeof(ifi), ns, on_link);
	if (!err)
		err = rtnl_dump(sk, RTM_GETQDISC, &tc, sizeof(tc), ns, on_qdisc);
	close(sk);
	return err;
}

const char *nl_netns_ifname(const struct nl_netns *ns, int ifindex)
{
	for (size_t i = 0; i < ns->nlinks; i++)
		if (ns->links[i].ifindex == ifindex)
			return ns->links[i].name;
	return NULL;
}

void nl_netns_fmt_parent(char *buf, size_t len, uint32_t parent)
{
	if (parent == TC_H_ROOT)
		snprintf(buf, len, "root");
	else if (parent == TC_H_INGRESS)
		snprintf(buf, len, "ingress");
	else if (parent & 0xffff)
		snprintf(buf, len, "%x:%x", parent >> 16, parent & 0xffff);
	else
		snprintf(buf, len, "%x:", parent >> 16);
}
