// SPDX-License-Identifier: GPL-2.0
/*
 * The recording file: round trips, a file built by hand from
 * docs/file-format.md (so the code and the spec cannot drift apart alone),
 * every truncation of a valid file, damaged copies, versioning rules and
 * the write/backup file handling.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "netlat/recording.h"
#include "unit.h"

static char dir[64];
static char path[256];

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void write_bytes(const char *p, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(p, "w");

	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(p);
		exit(2);
	}
	fclose(f);
}

static unsigned char *read_bytes(const char *p, size_t *len)
{
	unsigned char *buf = malloc(1 << 20);
	FILE *f = fopen(p, "r");

	if (!f) {
		perror(p);
		exit(2);
	}
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* Read buf as a file: returns nl_rec_read's result, err filled, recording freed. */
static int try_read(const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	struct nl_recording *rec = (void *)1;
	int ret;

	write_bytes(path, buf, len);
	ret = nl_rec_read(path, &rec, err, errlen);
	if (ret) {
		CHECK(rec == NULL);
		CHECK(err[0] != '\0');
		return ret;
	}
	/* a file that parses must be usable: totals and percentiles on everything */
	{
		struct nl_interval *tot = nl_rec_total(rec, -1);
		size_t i;

		for (i = 0; i < tot->n; i++)
			if (tot->v[i].kind == NL_HIST)
				(void)nl_hist_percentile(tot->v[i].hist, 0.99);
		nl_iv_free(tot);
	}
	nl_rec_free(rec);
	return 0;
}

/* ------------------------------------------------------------ a sample recording */

static void add_hist(struct nl_interval *iv, const char *m, const char *k, const char *s, int n)
{
	struct nl_hist *h = nl_iv_hist(iv, m, k, s, "ns");
	int i;

	for (i = 0; i < n; i++)
		nl_hist_add(h, (rng() >> (rng() % 64)));
	if (n)
		nl_hist_add(h, 0);
}

static struct nl_recording *sample(void)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_metric_status *m;
	struct nl_interval *iv;
	char reason[NL_REASON_MAX];
	int i;

	nl_rec_set_meta(rec, "netlat_version", "0.1.0");
	nl_rec_set_meta(rec, "cmdline", "netlat record -a -- sh -c 'sleep 1'");
	nl_rec_set_meta(rec, "empty", "");
	nl_rec_set_meta(rec, "weird", "\xff\x01 tab\there \"q\"");
	m = nl_rec_metric(rec, "napi", true);
	m->state = NL_METRIC_OK;
	strcpy(m->backend, "bpf");
	strcpy(m->detail, "tp_btf");
	m = nl_rec_metric(rec, "qdisc", true);
	m->state = NL_METRIC_UNAVAILABLE;
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = '\0';
	memcpy(m->reason, reason, sizeof(reason));
	nl_rec_metric(rec, "tcp", true);
	for (i = 0; i < 3; i++) {
		iv = nl_rec_add_interval(rec, i == 2, (uint64_t)i * 1000000000ULL,
					 (uint64_t)(i + 1) * 1000000000ULL);
		nl_iv_add_counter(iv, "napi", "dev=veth0", "polls", "", 1000 + (uint64_t)i);
		nl_iv_add_counter(iv, "napi", "", "polls", "", 0);
		nl_iv_add_counter(iv, "session", "cpu=1", "lost_events", "", UINT64_MAX - (uint64_t)i);
		add_hist(iv, "napi", "dev=veth0", "work", 500);
		add_hist(iv, "softirq", "cpu=1 vec=NET_RX", "duration", 37);
		add_hist(iv, "qdisc", "dev=lo handle=1:", "sojourn", 0);	/* empty */
	}
	return rec;
}

static bool hist_equal(const struct nl_hist *a, const struct nl_hist *b)
{
	return a->count == b->count && a->sum == b->sum && a->min == b->min &&
	       a->max == b->max && !memcmp(a->buckets, b->buckets, sizeof(a->buckets));
}

static bool iv_equal(const struct nl_interval *a, const struct nl_interval *b)
{
	size_t i;

	if (a->run != b->run || a->start_ns != b->start_ns || a->end_ns != b->end_ns || a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		const struct nl_value *x = &a->v[i], *y = &b->v[i];

		if (strcmp(x->metric, y->metric) || strcmp(x->key, y->key) ||
		    strcmp(x->stat, y->stat) || strcmp(x->unit, y->unit) || x->kind != y->kind)
			return false;
		if (x->kind == NL_COUNTER && x->counter != y->counter)
			return false;
		if (x->kind == NL_HIST && !hist_equal(x->hist, y->hist))
			return false;
	}
	return true;
}

static bool rec_equal(const struct nl_recording *a, const struct nl_recording *b)
{
	size_t i;

	if (a->nmeta != b->nmeta || a->nmetrics != b->nmetrics || a->niv != b->niv)
		return false;
	for (i = 0; i < a->nmeta; i++)
		if (strcmp(a->meta[i].key, b->meta[i].key) || strcmp(a->meta[i].val, b->meta[i].val))
			return false;
	for (i = 0; i < a->nmetrics; i++) {
		const struct nl_metric_status *x = &a->metrics[i], *y = &b->metrics[i];

		if (strcmp(x->name, y->name) || x->state != y->state ||
		    strcmp(x->backend, y->backend) || strcmp(x->detail, y->detail) ||
		    strcmp(x->reason, y->reason))
			return false;
	}
	for (i = 0; i < a->niv; i++)
		if (!iv_equal(a->iv[i], b->iv[i]))
			return false;
	return true;
}

static int count_dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_roundtrip(void)
{
	struct nl_recording *rec = sample(), *back = NULL, *back2 = NULL;
	char err[256] = "";
	struct stat st;

	CHECK_EQ_U64(nl_rec_write(rec, path), 0);
	CHECK(!stat(path, &st) && (st.st_mode & 07777) == 0600);
	CHECK_EQ_U64(count_dir_entries(), 1);		/* no temporary file left behind */
	CHECK_EQ_U64(nl_rec_read(path, &back, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(back && rec_equal(rec, back));
	CHECK_STR(back ? nl_rec_meta(back, "weird") : NULL, "\xff\x01 tab\there \"q\"");
	CHECK(back && back->iv[2]->run == 1 && nl_rec_nruns(back) == 2);

	/* writing over an existing file replaces it; the copy reads back identical */
	if (back) {
		nl_rec_set_meta(back, "host", "second");
		CHECK_EQ_U64(nl_rec_write(back, path), 0);
		CHECK_EQ_U64(nl_rec_read(path, &back2, err, sizeof(err)), 0);
		CHECK(back2 && rec_equal(back, back2));
		CHECK(back2 && !rec_equal(rec, back2));
	}
	nl_rec_free(rec);
	nl_rec_free(back);
	nl_rec_free(back2);
	unlink(path);
}

/* The bytes of an empty recording, as printed in docs/file-format.md. */
static void test_empty_bytes(void)
{
	static const unsigned char want[88] = {
		0x4e, 0x45, 0x54, 0x4c, 0x41, 0x54, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x30, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0xb4, 0x9b, 0xb4, 0x69, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7e, 0xd6, 0x1d, 0xc6,
		0x44, 0x4e, 0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x0f, 0xc8, 0xcd, 0x5a,
	};
	struct nl_recording *rec = nl_rec_new();
	unsigned char *got;
	size_t len;

	CHECK_EQ_U64(nl_rec_write(rec, path), 0);
	got = read_bytes(path, &len);
	CHECK_EQ_U64(len, sizeof(want));
	CHECK(len == sizeof(want) && !memcmp(got, want, len));
	free(got);
	nl_rec_free(rec);
}

/* ------------------------------------------------------------ an encoder written from the spec */

struct buf {
	unsigned char p[4096];
	size_t len;
};

static void put(struct buf *b, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		b->p[b->len++] = (unsigned char)(v >> (8 * i));
}

static void put_str(struct buf *b, const char *s, size_t n)
{
	put(b, n, 4);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define PUT_STR(b, s) put_str(b, s, strlen(s))

static void put_section(struct buf *f, uint32_t type, uint32_t flags, const struct buf *pl)
{
	size_t start = f->len;

	put(f, type, 4);
	put(f, flags, 4);
	put(f, pl->len, 8);
	memcpy(f->p + f->len, pl->p, pl->len);
	f->len += pl->len;
	put(f, crc32(0, f->p + start, (uInt)(16 + pl->len)), 4);	/* header + payload */
}

/* Append r as a record: its u32 length, then its bytes. */
static void put_record(struct buf *b, const struct buf *r)
{
	put(b, r->len, 4);
	memcpy(b->p + b->len, r->p, r->len);
	b->len += r->len;
}

enum variant {
	V_GOOD, V_MINOR, V_MAJOR2, V_MAJOR0, V_LAYOUT, V_REQUIRED, V_ENDCOUNT, V_TRAILING,
	V_BUCKET_ORDER, V_BUCKET_SUM, V_BUCKET_RANGE, V_DUP, V_NUL, V_LONGNAME, V_NOEND,
	V_MINMAX, V_ZEROBUCKET, V_NVARIANTS
};

static void build(struct buf *f, enum variant v)
{
	struct buf pl = { .len = 0 }, r = { .len = 0 };
	unsigned int nsec = 0;

	f->len = 0;
	memcpy(f->p, "NETLAT\0\0", 8);
	f->len = 8;
	put(f, v == V_MAJOR2 ? 2 : v == V_MAJOR0 ? 0 : 1, 2);
	put(f, v == V_MINOR ? 5 : 0, 2);
	put(f, v == V_LAYOUT ? 5 : 4, 1);
	put(f, 48, 1);
	put(f, v == V_MINOR ? 0xbeef : 0, 2);		/* reserved: ignored */

	put(&pl, 1, 4);
	PUT_STR(&pl, "host");
	PUT_STR(&pl, "h1");
	put_section(f, 1, v == V_MINOR ? 0x80000000u : 0, &pl);	/* unknown flag bits: ignored */
	nsec++;

	pl.len = 0;
	put(&pl, 1, 4);
	PUT_STR(&r, v == V_LONGNAME ? "a_name_of_exactly_32_bytes______" : "napi");
	put(&r, 1, 1);
	PUT_STR(&r, "bpf");
	PUT_STR(&r, "raw_tp");
	PUT_STR(&r, "");
	put(&r, 0xabcdef, 3);		/* a field from a future minor version */
	put_record(&pl, &r);
	put_section(f, 2, 0, &pl);
	nsec++;

	pl.len = 0;
	put_str(&pl, "future", 6);
	put_section(f, 99, v == V_REQUIRED ? 1 : 0, &pl);	/* unknown section */
	nsec++;

	pl.len = 0;
	put(&pl, 3, 4);			/* run */
	put(&pl, 5, 8);
	put(&pl, 9, 8);
	put(&pl, v == V_DUP ? 4 : 3, 4);
	r.len = 0;			/* a counter */
	PUT_STR(&r, "tx");
	if (v == V_NUL)
		put_str(&r, "dev=l\0o", 7);
	else
		PUT_STR(&r, "dev=lo");
	PUT_STR(&r, "packets");
	PUT_STR(&r, "pkts");
	put(&r, 1, 1);
	put(&r, 42, 8);
	put(&r, 0x55aa, 2);		/* a field from a future minor version */
	put_record(&pl, &r);
	if (v == V_DUP)
		put_record(&pl, &r);
	r.len = 0;			/* a value of a kind from the future */
	PUT_STR(&r, "tx");
	PUT_STR(&r, "dev=lo");
	PUT_STR(&r, "gauge");
	PUT_STR(&r, "");
	put(&r, 9, 1);
	put(&r, 0x1122334455667788ULL, 8);
	put_record(&pl, &r);
	r.len = 0;			/* a histogram of {1, 1000, 1000}: buckets 1 and 111 */
	PUT_STR(&r, "qdisc");
	PUT_STR(&r, "dev=lo handle=1:");
	PUT_STR(&r, "sojourn");
	PUT_STR(&r, "ns");
	put(&r, 2, 1);
	put(&r, 3, 8);
	put(&r, 2001, 8);
	put(&r, v == V_MINMAX ? 2000 : 1, 8);
	put(&r, 1000, 8);
	put(&r, v == V_ZEROBUCKET ? 3 : 2, 4);
	put(&r, v == V_BUCKET_ORDER ? 200 : 1, 2);
	put(&r, 1, 8);
	if (v == V_ZEROBUCKET) {
		put(&r, 50, 2);
		put(&r, 0, 8);
	}
	put(&r, v == V_BUCKET_RANGE ? 720 : 111, 2);
	put(&r, v == V_BUCKET_SUM ? 3 : 2, 8);
	put_record(&pl, &r);
	put_section(f, 3, 0, &pl);
	nsec++;

	if (v == V_NOEND)
		return;
	pl.len = 0;
	put(&pl, v == V_ENDCOUNT ? nsec - 1 : nsec, 4);
	put_section(f, 0x454e44, 0, &pl);
	if (v == V_TRAILING)
		put(f, 0, 1);
}

static void test_handbuilt(void)
{
	struct nl_recording *rec = NULL;
	const struct nl_value *c, *h;
	const struct nl_metric_status *m;
	char err[256];
	struct buf f;
	int v;

	build(&f, V_GOOD);
	write_bytes(path, f.p, f.len);
	CHECK_EQ_U64(nl_rec_read(path, &rec, err, sizeof(err)), 0);
	if (!rec) {
		fprintf(stderr, "  hand-built file refused: %s\n", err);
		unit_failures++;
		return;
	}
	CHECK_STR(nl_rec_meta(rec, "host"), "h1");
	m = nl_rec_metric_const(rec, "napi");
	CHECK(m && m->state == NL_METRIC_OK);
	CHECK_STR(m ? m->backend : NULL, "bpf");
	CHECK_STR(m ? m->detail : NULL, "raw_tp");
	CHECK_EQ_U64(rec->niv, 1);
	CHECK(rec->iv[0]->run == 3 && rec->iv[0]->start_ns == 5 && rec->iv[0]->end_ns == 9);
	CHECK_EQ_U64(rec->iv[0]->n, 2);		/* the future kind was skipped */
	c = nl_iv_find(rec->iv[0], "tx", "dev=lo", "packets");
	CHECK(c && c->kind == NL_COUNTER && c->counter == 42);
	CHECK_STR(c ? c->unit : NULL, "pkts");
	h = nl_iv_find(rec->iv[0], "qdisc", "dev=lo handle=1:", "sojourn");
	CHECK(h && h->kind == NL_HIST && h->hist->count == 3 && h->hist->sum == 2001);
	CHECK(h && h->hist->buckets[1] == 1 && h->hist->buckets[111] == 2);
	CHECK(h && h->hist->min == 1 && h->hist->max == 1000);
	CHECK(h && nl_hist_percentile(h->hist, 0.5) == 1000);
	nl_rec_free(rec);

	/* what the versioning rules accept and refuse */
	for (v = V_MINOR; v < V_NVARIANTS; v++) {
		int ret;

		build(&f, (enum variant)v);
		ret = try_read(f.p, f.len, err, sizeof(err));
		if (v == V_MINOR) {
			CHECK_EQ_U64(ret, 0);
			continue;
		}
		if (!ret) {
			fprintf(stderr, "  variant %d accepted\n", v);
			unit_failures++;
		}
		if (v == V_MAJOR2) {
			CHECK(ret == -ENOTSUP && strstr(err, "newer"));
		} else if (v == V_MAJOR0 || v == V_LAYOUT || v == V_REQUIRED) {
			CHECK_EQ_U64(ret, -ENOTSUP);
		} else if (v == V_NOEND) {
			char want[64];

			snprintf(want, sizeof(want), "truncated at byte %zu", f.len);
			CHECK_STR(err, want);
		} else if (v == V_TRAILING) {
			CHECK(!strncmp(err, "trailing data", 13));
		} else {
			CHECK(ret == -EINVAL && !strncmp(err, "corrupt section at byte", 23));
		}
	}
}

/* ------------------------------------------------------------ damaged files */

static unsigned char *valid_file(size_t *len)
{
	struct nl_recording *rec = nl_rec_new();
	struct nl_interval *iv;

	nl_rec_set_meta(rec, "host", "x");
	nl_rec_metric(rec, "napi", true)->state = NL_METRIC_OK;
	iv = nl_rec_add_interval(rec, 0, 0, 1000);
	nl_iv_add_counter(iv, "napi", "dev=lo", "polls", "", 3);
	nl_hist_add(nl_iv_hist(iv, "napi", "dev=lo", "work", "pkts"), 64);
	nl_hist_add(nl_iv_hist(iv, "napi", "dev=lo", "work", "pkts"), 5000);
	if (nl_rec_write(rec, path))
		exit(2);
	nl_rec_free(rec);
	return read_bytes(path, len);
}

static void test_truncation(void)
{
	size_t len, n;
	unsigned char *buf = valid_file(&len);
	char err[256], want[64];
	int bad = 0;

	CHECK_EQ_U64(try_read(buf, len, err, sizeof(err)), 0);
	for (n = 0; n < len; n++) {
		int ret = try_read(buf, n, err, sizeof(err));

		if (n == 0)
			snprintf(want, sizeof(want), "empty file, not a netlat recording");
		else
			snprintf(want, sizeof(want), "truncated at byte %zu", n);
		if (ret != -EINVAL || strcmp(err, want)) {
			if (bad++ < 5)
				fprintf(stderr, "  prefix %zu: ret %d \"%s\"\n", n, ret, err);
		}
	}
	CHECK_EQ_U64(bad, 0);
	free(buf);
}

static void test_bad_files(void)
{
	size_t len;
	unsigned char *buf = valid_file(&len);
	unsigned char *copy = malloc(len + 1);
	char err[256];

	memcpy(copy, buf, len);
	copy[0] = 'n';
	CHECK_EQ_U64(try_read(copy, len, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "not a netlat recording");
	CHECK_EQ_U64(try_read((const unsigned char *)"hello world\n", 12, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "not a netlat recording");

	/* a flipped payload byte of the first section (at byte 16) fails its checksum */
	memcpy(copy, buf, len);
	copy[16 + 16 + 2] ^= 0x40;
	CHECK_EQ_U64(try_read(copy, len, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "corrupt section at byte 16 (checksum)");

	/* a section length pointing far past the end */
	memcpy(copy, buf, len);
	memset(copy + 16 + 8, 0xff, 8);
	CHECK_EQ_U64(try_read(copy, len, err, sizeof(err)), -EINVAL);
	CHECK(!strncmp(err, "truncated at byte", 17));

	/* a newer major version */
	memcpy(copy, buf, len);
	copy[8] = 7;
	CHECK_EQ_U64(try_read(copy, len, err, sizeof(err)), -ENOTSUP);
	CHECK_STR(err, "recording format 7.0 is newer than this netlat reads (1.x); use a newer netlat");

	/* a missing file */
	{
		struct nl_recording *rec = (void *)1;

		CHECK_EQ_U64(nl_rec_read("/nonexistent/netlat.data", &rec, err, sizeof(err)), -ENOENT);
		CHECK(rec == NULL && strlen(err) > 0);
	}
	free(buf);
	free(copy);
}

/* Recompute every section CRC after damage, so the decoders behind the checksum get fuzzed too. */
static void fix_crcs(unsigned char *p, size_t len)
{
	size_t off = 16;

	while (len - off >= 16) {
		uint64_t l = 0;
		uint32_t c;
		int i;

		for (i = 0; i < 8; i++)
			l |= (uint64_t)p[off + 8 + (size_t)i] << (8 * i);
		if (l > len - off - 16 || len - off - 16 - l < 4)
			return;
		c = (uint32_t)crc32(0, p + off, (uInt)(16 + l));
		for (i = 0; i < 4; i++)
			p[off + 16 + l + (size_t)i] = (unsigned char)(c >> (8 * i));
		off += 16 + l + 4;
	}
}

static void test_fuzz(void)
{
	size_t len;
	unsigned char *buf = valid_file(&len);
	unsigned char *copy = malloc(len);
	int iter, parsed[2] = { 0, 0 }, refused[2] = { 0, 0 }, raw_missed = 0;
	char err[256];

	for (iter = 0; iter < 6000; iter++) {
		int fixed = iter & 1, flips = 1 + (int)(rng() % 4), i;
		bool only_ignored = true;

		memcpy(copy, buf, len);
		for (i = 0; i < flips; i++) {
			size_t at = fixed ? 16 + rng() % (len - 16) : rng() % len;

			copy[at] ^= (unsigned char)(1 + rng() % 255);
			/* header bytes 10-11 (minor version) and 14-15 (reserved) are ignored by design */
			if (at != 10 && at != 11 && at != 14 && at != 15)
				only_ignored = false;
		}
		if (fixed)
			fix_crcs(copy, len);
		err[0] = '\0';
		if (try_read(copy, len, err, sizeof(err))) {
			refused[fixed]++;
		} else {
			parsed[fixed]++;
			if (!fixed && !only_ignored)
				raw_missed++;
		}
	}
	/* raw damage outside ignored bytes is always caught; behind valid CRCs, mostly */
	CHECK_EQ_U64(raw_missed, 0);
	CHECK(refused[1] > 0);
	fprintf(stderr, "  fuzz: raw flips %d refused, %d parsed (ignored bytes only);"
		" crc-fixed flips %d refused, %d parsed\n",
		refused[0], parsed[0], refused[1], parsed[1]);

	/* random garbage after a valid header */
	for (iter = 0; iter < 2000; iter++) {
		size_t n = 16 + rng() % 200, i;

		memcpy(copy, buf, 16);
		for (i = 16; i < n && i < len; i++)
			copy[i] = (unsigned char)rng();
		try_read(copy, n < len ? n : len, err, sizeof(err));
	}
	free(buf);
	free(copy);
}

/* ------------------------------------------------------------ file handling */

static void test_backup_old(void)
{
	char old[300];
	unsigned char *got;
	size_t len;

	snprintf(old, sizeof(old), "%s.old", path);
	unlink(path);
	unlink(old);
	CHECK_EQ_U64(nl_rec_backup_old(path), 0);		/* nothing to do */
	CHECK(access(old, F_OK) != 0);
	write_bytes(path, (const unsigned char *)"first", 5);
	CHECK_EQ_U64(nl_rec_backup_old(path), 0);
	CHECK(access(path, F_OK) != 0);
	got = read_bytes(old, &len);
	CHECK(len == 5 && !memcmp(got, "first", 5));
	free(got);
	write_bytes(path, (const unsigned char *)"second", 6);
	CHECK_EQ_U64(nl_rec_backup_old(path), 0);		/* replaces the older .old */
	got = read_bytes(old, &len);
	CHECK(len == 6 && !memcmp(got, "second", 6));
	free(got);
	unlink(old);
}

static void test_write_errors(void)
{
	struct nl_recording *rec = sample();
	char p[300];

	snprintf(p, sizeof(p), "%s/no/such/dir/netlat.data", dir);
	CHECK_EQ_U64(nl_rec_write(rec, p), -ENOENT);
	/* a directory in the way: the rename fails and the temporary file is removed */
	snprintf(p, sizeof(p), "%s/adir", dir);
	mkdir(p, 0700);
	CHECK(nl_rec_write(rec, p) < 0);
	rmdir(p);
	unlink(path);
	CHECK_EQ_U64(count_dir_entries(), 0);
	nl_rec_free(rec);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/nl-test-recfile-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/netlat.data", dir);
	test_roundtrip();
	test_empty_bytes();
	test_handbuilt();
	test_truncation();
	test_bad_files();
	test_fuzz();
	test_backup_old();
	test_write_errors();
	unlink(path);
	rmdir(dir);
	UNIT_DONE();
}
