// SPDX-License-Identifier: GPL-2.0
/*
 * qdisc rows across recordings (diff, stat): a qdisc's handle is what tc or
 * the kernel picked that run (8001: one run, 8003: the next), so the portable
 * key names the qdisc by its kind and parent instead, as noted at record
 * time in the meta "qdisc.<netns inode>.<dev>.<handle>" = "<kind> <parent>"
 * (src/record/netns_notes.c). A file without the note keeps its handle.
 */
#include <stdio.h>
#include <string.h>

#include "netlat/metric.h"
#include "netlat/recording.h"

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
