// SPDX-License-Identifier: GPL-2.0
/*
 * qdisc rows across recordings (diff, stat): a qdisc's handle is what tc or
 * the kernel picked that run (8001: one run, 8003: the next), so the portable
 * key names the qdisc by its kind and parent instead, as noted at record
 * time in the meta "qdisc.<netns inode>.<dev>.<handle>" = "<kind> <parent>"
 * (qdisc_netns_notes, called by src/record/netns_notes.c for every
 * namespace). A file without the note keeps its handle.
 */
#include <stdio.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/netns.h"
#include "netlat/recording.h"

/* The descriptor's netns_notes: kind and parent of every qdisc of ns, keyed by its handle. */
void qdisc_netns_notes(struct nl_recording *rec, const struct nl_netns *ns)
{
	char key[160], val[64], parent[24];

	for (size_t q = 0; q < ns->nqdiscs; q++) {
		const struct nl_netns_qdisc *qd = &ns->qdiscs[q];
		const char *dev = nl_netns_ifname(ns, qd->ifindex);
		unsigned int major = qd->handle >> 16, minor = qd->handle & 0xffff;

		if (!dev)
			continue;
		/* the handle as the qdisc rows spell it: tc's "1:" or "1:10" */
		if (minor)
			snprintf(key, sizeof(key), "qdisc.%llu.%s.%x:%x", (unsigned long long)ns->ino, dev,
				 major, minor);
		else
			snprintf(key, sizeof(key), "qdisc.%llu.%s.%x:", (unsigned long long)ns->ino, dev, major);
		nl_netns_fmt_parent(parent, sizeof(parent), qd->parent);
		snprintf(val, sizeof(val), "%s %s", qd->kind, parent);
		nl_rec_set_meta(rec, key, val);
	}
}

/* "kind parent" of the qdisc dev/handle in namespace ino ("" = any namespace), or NULL. */
static const char *qdisc_meta(const struct nl_recording *rec, const char *ino, const char *dev,
			      const char *handle)
{
	char k[3 * NL_KEY_MAX + 16], tail[2 * NL_KEY_MAX + 8];
	size_t t;

	if (*ino) {
		snprintf(k, sizeof(k), "qdisc.%s.%s.%s", ino, dev, handle);
		return nl_rec_meta(rec, k);
	}
	snprintf(tail, sizeof(tail), ".%s.%s", dev, handle);
	t = strlen(tail);
	for (size_t i = 0; i < rec->nmeta; i++) {
		const char *mk = rec->meta[i].key;
		size_t n = strlen(mk);

		if (!strncmp(mk, "qdisc.", 6) && n > t && !strcmp(mk + n - t, tail))
			return rec->meta[i].val;
	}
	return NULL;
}

/* The descriptor's portable_field: handle=<h> -> "qdisc=<kind> parent=<parent>". */
bool qdisc_portable_field(const struct nl_recording *rec, const char *key, const char *field,
			  const char *val, char *out, size_t len)
{
	char ino[NL_KEY_MAX] = "", dev[NL_KEY_MAX] = "", kind[NL_KEY_MAX] = "", parent[NL_KEY_MAX] = "";
	const char *q;

	if (strcmp(field, "handle") || !nl_key_get(key, "dev", dev, sizeof(dev)) || !*dev)
		return false;
	nl_key_get(key, "netns", ino, sizeof(ino));
	q = qdisc_meta(rec, ino, dev, val);
	if (!q)
		return false;
	sscanf(q, "%95s %95s", kind, parent);
	snprintf(out, len, "qdisc=%s parent=%s", kind, parent);
	return true;
}
