/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces seen from user space (src/kernel/netns_walk.c), their stable
 * names, devices and qdiscs; and what the recording keeps of them
 * (src/record/netns_notes.c): meta "netns.<inode>" = name, "qdisc.<inode>.<dev>.<handle>"
 * = "<kind> <parent>", so diff and stat can match rows across namespaces
 * (src/gate/portable_keys.c).
 */
#ifndef NETLAT_NETNS_H
#define NETLAT_NETNS_H

#include <stddef.h>
#include <stdint.h>

#include "recording.h"
#include "session.h"

struct nl_netns_link {
	int ifindex;
	char name[32];
};

struct nl_netns_qdisc {
	int ifindex;
	uint32_t handle, parent;
	char kind[16];
};

struct nl_netns {
	uint64_t ino;
	char name[64];		/* "init", the /run/netns name, or "" */
	int fd;
	struct nl_netns_link *links;
	size_t nlinks;
	struct nl_netns_qdisc *qdiscs;
	size_t nqdiscs;
};

struct nl_netns_set {
	struct nl_netns *ns;
	size_t n, cap;
};

/* Every namespace reachable (init first, then /run/netns, own, any process's). Never fails: may be empty. */
void nl_netns_scan(struct nl_netns_set *s);
void nl_netns_free(struct nl_netns_set *s);
/* Its devices and qdiscs, by rtnetlink from inside it: 0 or a negative errno. */
int nl_netns_read(struct nl_netns *ns);
const char *nl_netns_ifname(const struct nl_netns *ns, int ifindex);
/* "root", "ingress", "1:", "1:10" */
void nl_netns_fmt_parent(char *buf, size_t len, uint32_t parent);

/* ---- what record/stat/triage keep and check (src/record/netns_notes.c) ---- */

/* Before arming: filters that match nothing get a warning; a pid that does not exist is an error (-ESRCH). */
int nl_notes_begin(const struct nl_session_cfg *cfg);
/* Every interval as it is cut (record streams them out of memory): did a row name a filter's value? */
void nl_notes_iv(const struct nl_session_cfg *cfg, const struct nl_interval *iv);
/*
 * After the session: netns names, qdisc kinds and parents, netlat's own CPU
 * time since nl_notes_begin, and the filters that matched nothing, into rec's metadata.
 */
void nl_notes_end(const struct nl_session_cfg *cfg, struct nl_recording *rec);

#endif
