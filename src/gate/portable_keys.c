// SPDX-License-Identifier: GPL-2.0
/*
 * Portable row keys for diff and stat: rows of two recordings made in
 * different network namespaces, containers or hosts must match, so the key
 * used for matching leaves out what the kernel assigns afresh each time:
 *   netns=<inode>  -> netns=<name>: "init", the /run/netns name (meta
 *                     netns.<inode>, noted at record time), else ns1, ns2, ...
 *                     for the unnamed ones in inode order (the order the
 *                     kernel created them in)
 *   a metric's own fields -> what its descriptor's portable_field says (qdisc:
 *                     handle=<h> -> qdisc=<kind> parent=<parent>)
 *   pid=<p>        -> left out (a new process every run)
 *   flow=A:p>B:q   -> the client's ephemeral port becomes '*' (the server's
 *                     address and port and the direction stay)
 * The recorded key is kept beside the portable one (attributes), and
 * `diff --match strict` matches on recorded keys as before.
 */
#include <stdlib.h>
#include <string.h>

#include "netlat/keys.h"
#include "netlat/metric.h"
#include "netlat/util.h"

/* Linux's default net.ipv4.ip_local_port_range starts here. */
#define EPHEMERAL_MIN 32768

struct pair {
	char portable[NL_KEY_MAX];
	char recorded[NL_KEY_MAX];
};

struct nl_keymap {
	const struct nl_recording *rec;
	uint64_t *unnamed;		/* inodes without a name, sorted */
	size_t nunnamed;
	struct pair *pairs;		/* first recorded key of every portable one */
	size_t npairs, cap;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *netns_meta(const struct nl_recording *rec, const char *ino)
{
	char k[NL_KEY_MAX + 8];

	snprintf(k, sizeof(k), "netns.%s", ino);
	return nl_rec_meta(rec, k);
}

static void collect_unnamed(struct nl_keymap *km)
{
	const struct nl_recording *rec = km->rec;
	size_t cap = 0;

	for (size_t i = 0; i < rec->niv; i++)
		for (size_t k = 0; k < rec->iv[i]->n; k++) {
			char ino[32];
			uint64_t v;
			size_t j;

			if (!nl_key_get(rec->iv[i]->v[k].key, "netns", ino, sizeof(ino)) ||
			    netns_meta(rec, ino))
				continue;
			v = strtoull(ino, NULL, 10);
			for (j = 0; j < km->nunnamed && km->unnamed[j] != v; j++)
				;
			if (j < km->nunnamed)
				continue;
			if (km->nunnamed == cap) {
				cap = cap ? cap * 2 : 8;
				km->unnamed = realloc(km->unnamed, cap * sizeof(*km->unnamed));
				if (!km->unnamed)
					abort();
			}
			km->unnamed[km->nunnamed++] = v;
		}
	if (km->nunnamed)
		qsort(km->unnamed, km->nunnamed, sizeof(*km->unnamed), cmp_u64);
}

struct nl_keymap *nl_keymap_new(const struct nl_recording *rec)
{
	struct nl_keymap *km = nl_xcalloc(1, sizeof(*km));

	km->rec = rec;
	collect_unnamed(km);
	return km;
}

void nl_keymap_free(struct nl_keymap *km)
{
	if (!km)
		return;
	free(km->unnamed);
	free(km->pairs);
	free(km);
}

static void netns_name(const struct nl_keymap *km, const char *ino, char *out, size_t len)
{
	const char *name = netns_meta(km->rec, ino);
	uint64_t v = strtoull(ino, NULL, 10);

	if (name) {
		snprintf(out, len, "%s", name);
		return;
	}
	for (size_t i = 0; i < km->nunnamed; i++)
		if (km->unnamed[i] == v) {
			snprintf(out, len, "ns%zu", i + 1);
			return;
		}
	snprintf(out, len, "%s", ino);
}

/* "A:p>B:q": the side with the ephemeral port (the client) loses its port. */
static void flow_portable(const char *flow, char *out, size_t len)
{
	const char *gt = strchr(flow, '>');
	const char *c1, *c2;
	unsigned long p1, p2;

	if (!gt || !(c1 = memrchr(flow, ':', (size_t)(gt - flow))) || !(c2 = strrchr(gt, ':'))) {
		snprintf(out, len, "%s", flow);
		return;
	}
	p1 = strtoul(c1 + 1, NULL, 10);
	p2 = strtoul(c2 + 1, NULL, 10);
	if (p1 >= EPHEMERAL_MIN && (p2 < EPHEMERAL_MIN || p1 > p2))
		snprintf(out, len, "%.*s:*%s", (int)(c1 - flow), flow, gt);
	else if (p2 >= EPHEMERAL_MIN && (p1 < EPHEMERAL_MIN || p2 > p1))
		snprintf(out, len, "%.*s:*", (int)(c2 - flow), flow);
	else
		snprintf(out, len, "%s", flow);
}

static void append(char *out, size_t len, size_t *o, const char *field, const char *val)
{
	if (*o < len)
		*o += (size_t)snprintf(out + *o, len - *o, "%s%s=%s", *o ? " " : "", field, val);
}

void nl_keymap_key(struct nl_keymap *km, const char *metric, const char *key, char *out, size_t len)
{
	const struct nl_metric_desc *m = nl_metric_find(metric);
	const char *p = key;
	size_t o = 0;

	out[0] = '\0';
	while (*p) {
		char field[NL_KEY_MAX], val[NL_KEY_MAX], tmp[2 * NL_KEY_MAX];
		const char *eq = strchr(p, '='), *end = strchr(p, ' ');

		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end) {
			/* not field=value: keep as it is */
			snprintf(field, sizeof(field), "%.*s", (int)(end - p), p);
			if (o < len)
				o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", field);
		} else {
			snprintf(field, sizeof(field), "%.*s", (int)(eq - p), p);
			snprintf(val, sizeof(val), "%.*s", (int)(end - eq - 1), eq + 1);
			if (!strcmp(field, "netns")) {
				netns_name(km, val, tmp, sizeof(tmp));
				append(out, len, &o, field, tmp);
			} else if (m && m->portable_field &&
				   m->portable_field(km->rec, key, field, val, tmp, sizeof(tmp))) {
				if (o < len)
					o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", tmp);
			} else if (!strcmp(field, "flow")) {
				flow_portable(val, tmp, sizeof(tmp));
				append(out, len, &o, field, tmp);
			} else if (strcmp(field, "pid")) {
				append(out, len, &o, field, val);
			}
		}
		p = *end ? end + 1 : end;
	}
}

static void remember(struct nl_keymap *km, const char *portable, const char *recorded)
{
	for (size_t i = 0; i < km->npairs; i++)
		if (!strcmp(km->pairs[i].portable, portable))
			return;
	if (km->npairs == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->pairs = realloc(km->pairs, km->cap * sizeof(*km->pairs));
		if (!km->pairs)
			abort();
	}
	snprintf(km->pairs[km->npairs].portable, NL_KEY_MAX, "%s", portable);
	snprintf(km->pairs[km->npairs].recorded, NL_KEY_MAX, "%s", recorded);
	km->npairs++;
}

const char *nl_keymap_recorded(const struct nl_keymap *km, const char *portable)
{
	for (size_t i = 0; km && i < km->npairs; i++)
		if (!strcmp(km->pairs[i].portable, portable))
			return km->pairs[i].recorded;
	return NULL;
}

struct nl_interval *nl_keymap_iv(struct nl_keymap *km, const struct nl_interval *iv)
{
	struct nl_interval *out = nl_iv_new(iv->run, iv->start_ns, iv->end_ns);

	for (size_t i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];
		char key[NL_KEY_MAX];

		nl_keymap_key(km, v->metric, v->key, key, sizeof(key));
		remember(km, key, v->key);
		/* rows that become one (flows of many client ports) add up */
		if (v->kind == NL_COUNTER)
			nl_iv_add_counter(out, v->metric, key, v->stat, v->unit, v->counter);
		else if (v->kind == NL_HIST && v->hist)
			nl_hist_merge(nl_iv_hist(out, v->metric, key, v->stat, v->unit), v->hist);
	}
	return out;
}
