// SPDX-License-Identifier: GPL-2.0
/*
 * The recording file (netlat.data): a 16-byte header, then TLV sections
 * {u32 type, u32 flags, u64 length, payload, u32 crc32(header + payload)}, ending
 * with an END section. Every integer is little-endian and encoded field by
 * field, never as a struct dump. docs/file-format.md is the specification;
 * keep the two in step.
 *
 * The reader treats the file as hostile: every length is checked against
 * what is left before it is used, so any input gives either a recording or
 * one line saying where the file went wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "netlat/cleanup.h"
#include "netlat/recording.h"
#include "netlat/util.h"

static const unsigned char nl_magic[8] = { 'N', 'E', 'T', 'L', 'A', 'T', 0, 0 };

/* Major: bumped when an old reader would misread the file. Minor: compatible additions. */
#define NL_FMT_MAJOR	1
#define NL_FMT_MINOR	0
#define NL_HDR_LEN	16
#define NL_SEC_HDR_LEN	16	/* type, flags, length */
#define NL_SEC_CRC_LEN	4

enum nl_sec_type {
	NL_SEC_META = 1,
	NL_SEC_METRIC = 2,
	NL_SEC_INTERVAL = 3,
	NL_SEC_END = 0x454e44,	/* "END": easy to spot in a hex dump */
};

/* Section flag: a reader that does not know this section type must refuse the file. */
#define NL_SECF_REQUIRED	0x1u

/* ---------------------------------------------------------------- encoding */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
};

static void wb_reserve(struct wbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	unsigned char *p;

	if (b->len + n <= b->cap)
		return;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		nl_err("out of memory");
		abort();
	}
	b->p = p;
	b->cap = cap;
}

static void wb_le(struct wbuf *b, uint64_t v, int nbytes)
{
	int i;

	wb_reserve(b, (size_t)nbytes);
	for (i = 0; i < nbytes; i++)
		b->p[b->len++] = (unsigned char)(v >> (8 * i));
}

static void wb_u8(struct wbuf *b, uint8_t v)   { wb_le(b, v, 1); }
static void wb_u16(struct wbuf *b, uint16_t v) { wb_le(b, v, 2); }
static void wb_u32(struct wbuf *b, uint32_t v) { wb_le(b, v, 4); }
static void wb_u64(struct wbuf *b, uint64_t v) { wb_le(b, v, 8); }

static void wb_bytes(struct wbuf *b, const void *src, size_t n)
{
	wb_reserve(b, n);
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

/* Strings: u32 length, then the bytes, no terminating NUL. */
static void wb_str(struct wbuf *b, const char *s)
{
	size_t n = strlen(s ? s : "");

	wb_u32(b, (uint32_t)n);
	wb_bytes(b, s ? s : "", n);
}

static void put_le_at(struct wbuf *b, size_t off, uint64_t v, int nbytes)
{
	int i;

	for (i = 0; i < nbytes; i++)
		b->p[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
	return (uint32_t)crc32_z(crc32_z(0L, Z_NULL, 0), p, n);
}

/* Start a section; returns the offset of its header, for sec_end(). */
static size_t sec_begin(struct wbuf *b, uint32_t type)
{
	size_t off = b->len;

	wb_u32(b, type);
	wb_u32(b, 0);		/* flags: every section written today is optional to unknown readers */
	wb_u64(b, 0);		/* length, patched by sec_end() */
	return off;
}

/*
 * The CRC covers the section header too: with only the payload covered, a
 * flipped type byte would turn a known section into an unknown one, and the
 * reader would skip it silently.
 */
static void sec_end(struct wbuf *b, size_t off, uint32_t *nsections)
{
	size_t len = b->len - off - NL_SEC_HDR_LEN;

	put_le_at(b, off + 8, len, 8);
	wb_u32(b, crc_of(b->p + off, NL_SEC_HDR_LEN + len));
	(*nsections)++;
}

/* A record: u32 length of what follows, so later minor versions can append fields. */
static size_t rec_begin(struct wbuf *b)
{
	size_t off = b->len;

	wb_u32(b, 0);
	return off;
}

static void rec_end(struct wbuf *b, size_t off)
{
	put_le_at(b, off, b->len - off - 4, 4);
}

static void enc_meta(struct wbuf *b, const struct nl_recording *rec, uint32_t *nsec)
{
	size_t off = sec_begin(b, NL_SEC_META), i;

	wb_u32(b, (uint32_t)rec->nmeta);
	for (i = 0; i < rec->nmeta; i++) {
		wb_str(b, rec->meta[i].key);
		wb_str(b, rec->meta[i].val);
	}
	sec_end(b, off, nsec);
}

static void enc_metrics(struct wbuf *b, const struct nl_recording *rec, uint32_t *nsec)
{
	size_t off = sec_begin(b, NL_SEC_METRIC), i;

	wb_u32(b, (uint32_t)rec->nmetrics);
	for (i = 0; i < rec->nmetrics; i++) {
		const struct nl_metric_status *m = &rec->metrics[i];
		size_t r = rec_begin(b);

		wb_str(b, m->name);
		wb_u8(b, m->state);
		wb_str(b, m->backend);
		wb_str(b, m->detail);
		wb_str(b, m->reason);
		rec_end(b, r);
	}
	sec_end(b, off, nsec);
}

/* Histograms are sparse on disk: most of the 720 buckets of a latency are empty. */
static void enc_hist(struct wbuf *b, const struct nl_hist *h)
{
	uint32_t nnz = 0;
	unsigned int i;

	wb_u64(b, h->count);
	wb_u64(b, h->sum);
	wb_u64(b, h->min);
	wb_u64(b, h->max);
	for (i = 0; i < NL_HIST_BUCKETS; i++)
		nnz += h->buckets[i] != 0;
	wb_u32(b, nnz);
	for (i = 0; i < NL_HIST_BUCKETS; i++) {
		if (!h->buckets[i])
			continue;
		wb_u16(b, (uint16_t)i);
		wb_u64(b, h->buckets[i]);
	}
}

static void enc_interval(struct wbuf *b, const struct nl_interval *iv, uint32_t *nsec)
{
	size_t off = sec_begin(b, NL_SEC_INTERVAL), i;

	wb_u32(b, iv->run);
	wb_u64(b, iv->start_ns);
	wb_u64(b, iv->end_ns);
	wb_u32(b, (uint32_t)iv->n);
	for (i = 0; i < iv->n; i++) {
		const struct nl_value *v = &iv->v[i];
		size_t r = rec_begin(b);

		wb_str(b, v->metric);
		wb_str(b, v->key);
		wb_str(b, v->stat);
		wb_str(b, v->unit);
		wb_u8(b, v->kind);
		if (v->kind == NL_HIST)
			enc_hist(b, v->hist);
		else
			wb_u64(b, v->counter);
		rec_end(b, r);
	}
	sec_end(b, off, nsec);
}

static void enc_header(struct wbuf *b)
{
	wb_bytes(b, nl_magic, sizeof(nl_magic));
	wb_u16(b, NL_FMT_MAJOR);
	wb_u16(b, NL_FMT_MINOR);
	wb_u8(b, NL_HIST_SUB_BITS);
	wb_u8(b, NL_HIST_MAX_BITS);
	wb_u16(b, 0);		/* reserved */
}

/* Metadata, metric status, rec's intervals, END: everything after what was already written. */
static void enc_rest(struct wbuf *b, const struct nl_recording *rec, uint32_t *nsec)
{
	size_t off, i;

	enc_meta(b, rec, nsec);
	enc_metrics(b, rec, nsec);
	for (i = 0; i < rec->niv; i++)
		enc_interval(b, rec->iv[i], nsec);
	off = sec_begin(b, NL_SEC_END);
	wb_u32(b, *nsec);
	sec_end(b, off, nsec);
}

static void encode(struct wbuf *b, const struct nl_recording *rec)
{
	uint32_t nsec = 0;

	enc_header(b);
	enc_rest(b, rec, &nsec);
}

/* ---------------------------------------------------------------- writing */

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Make the rename durable too; failure here loses nothing already written, so it is ignored. */
static void fsync_parent(const char *path)
{
	char *copy = nl_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int nl_rec_write(const struct nl_recording *rec, const char *path)
{
	struct wbuf b = { 0 };
	char tmp[PATH_MAX];
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	encode(&b, rec);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		goto out_free;
	}
	ret = write_all(fd, b.p, b.len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		goto out_unlink;
	fsync_parent(path);
	free(b.p);
	return 0;

out_unlink:
	unlink(tmp);
out_free:
	free(b.p);
	return ret;
}

/*
 * Streaming: the header and each interval go to <path>.tmp.<pid> as they are
 * cut, so a long recording's memory does not grow with its duration; the
 * reader takes sections in any order, so metadata and metric status follow
 * at the end. The temporary file is removed on every exit path that can run
 * code (cleanup list), and only a complete file is renamed to path.
 */
struct nl_rec_stream {
	int fd;
	int err;
	uint32_t nsec;
	size_t niv;
	int cleanup;
	char tmp[PATH_MAX];
};

static void stream_unlink(void *arg)
{
	unlink(((struct nl_rec_stream *)arg)->tmp);
}

static void stream_put(struct nl_rec_stream *s, struct wbuf *b)
{
	if (!s->err)
		s->err = write_all(s->fd, b->p, b->len);
	free(b->p);
	*b = (struct wbuf){ 0 };
}

int nl_rec_stream_open(struct nl_rec_stream **out, const char *path)
{
	struct nl_rec_stream *s = nl_xcalloc(1, sizeof(*s));
	struct wbuf b = { 0 };

	if (snprintf(s->tmp, sizeof(s->tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(s->tmp)) {
		free(s);
		return -ENAMETOOLONG;
	}
	s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		int err = -errno;

		free(s);
		return err;
	}
	s->cleanup = nl_cleanup_push(stream_unlink, s, "recording's temporary file");
	enc_header(&b);
	stream_put(s, &b);
	*out = s;
	return s->err;
}

int nl_rec_stream_add(struct nl_rec_stream *s, const struct nl_interval *iv)
{
	struct wbuf b = { 0 };

	enc_interval(&b, iv, &s->nsec);
	stream_put(s, &b);
	s->niv++;
	return s->err;
}

size_t nl_rec_stream_nintervals(const struct nl_rec_stream *s)
{
	return s->niv;
}

static void stream_free(struct nl_rec_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->cleanup >= 0)
		nl_cleanup_run_one(s->cleanup);	/* unlinks tmp: a no-op once renamed */
	free(s);
}

int nl_rec_stream_finish(struct nl_rec_stream *s, const struct nl_recording *rec, const char *path)
{
	struct wbuf b = { 0 };
	int ret;

	enc_rest(&b, rec, &s->nsec);
	s->niv += rec->niv;
	stream_put(s, &b);
	ret = s->err;
	if (!ret && fsync(s->fd))
		ret = -errno;
	if (close(s->fd) && !ret)
		ret = -errno;
	s->fd = -1;
	if (!ret)
		ret = nl_rec_backup_old(path);
	if (!ret && rename(s->tmp, path))
		ret = -errno;
	if (!ret)
		fsync_parent(path);
	stream_free(s);
	return ret;
}

void nl_rec_stream_abort(struct nl_rec_stream *s)
{
	if (s)
		stream_free(s);
}

int nl_rec_backup_old(const char *path)
{
	char old[PATH_MAX];
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (snprintf(old, sizeof(old), "%s.old", path) >= (int)sizeof(old))
		return -ENAMETOOLONG;
	if (rename(path, old))
		return -errno;
	return 0;
}

/* ---------------------------------------------------------------- decoding */

/* A read cursor over [p, p + len); any overrun sets bad and reads as zero from then on. */
struct rbuf {
	const unsigned char *p;
	size_t len, off;
	bool bad;
};

static bool rb_need(struct rbuf *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static uint64_t rb_le(struct rbuf *r, int nbytes)
{
	uint64_t v = 0;
	int i;

	if (!rb_need(r, (size_t)nbytes))
		return 0;
	for (i = 0; i < nbytes; i++)
		v |= (uint64_t)r->p[r->off + (size_t)i] << (8 * i);
	r->off += (size_t)nbytes;
	return v;
}

static uint8_t rb_u8(struct rbuf *r)   { return (uint8_t)rb_le(r, 1); }
static uint16_t rb_u16(struct rbuf *r) { return (uint16_t)rb_le(r, 2); }
static uint32_t rb_u32(struct rbuf *r) { return (uint32_t)rb_le(r, 4); }
static uint64_t rb_u64(struct rbuf *r) { return rb_le(r, 8); }

/* A string into a fixed field: too long or holding a NUL means the file is bad. */
static void rb_str(struct rbuf *r, char *dst, size_t dstlen)
{
	uint32_t n = rb_u32(r);

	dst[0] = '\0';
	if (!rb_need(r, n))
		return;
	if (n >= dstlen || memchr(r->p + r->off, 0, n)) {
		r->bad = true;
		return;
	}
	memcpy(dst, r->p + r->off, n);
	dst[n] = '\0';
	r->off += n;
}

/* A string of any length, allocated; NULL (and bad set) on error. */
static char *rb_strdup(struct rbuf *r)
{
	uint32_t n = rb_u32(r);
	char *s;

	if (!rb_need(r, n))
		return NULL;
	if (memchr(r->p + r->off, 0, n)) {
		r->bad = true;
		return NULL;
	}
	s = nl_xcalloc(1, (size_t)n + 1);
	memcpy(s, r->p + r->off, n);
	r->off += n;
	return s;
}

/* Cut a sub-cursor of n bytes (one record) out of r. */
static struct rbuf rb_sub(struct rbuf *r, size_t n)
{
	struct rbuf s = { .p = r->p, .len = 0, .off = 0, .bad = true };

	if (!rb_need(r, n))
		return s;
	s.p = r->p + r->off;
	s.len = n;
	s.bad = false;
	r->off += n;
	return s;
}

static struct rbuf rb_record(struct rbuf *r)
{
	uint32_t n = rb_u32(r);

	return rb_sub(r, n);
}

static int dec_meta(struct rbuf *r, struct nl_recording *rec)
{
	uint32_t n = rb_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		char *k = rb_strdup(r);
		char *v = rb_strdup(r);

		if (k && v)
			nl_rec_set_meta(rec, k, v);
		free(k);
		free(v);
	}
	return r->bad ? -EINVAL : 0;
}

static int dec_metrics(struct rbuf *r, struct nl_recording *rec)
{
	uint32_t n = rb_u32(r), i;

	for (i = 0; i < n && !r->bad; i++) {
		struct rbuf s = rb_record(r);
		struct nl_metric_status m = { 0 };
		struct nl_metric_status *dst;

		rb_str(&s, m.name, sizeof(m.name));
		m.state = rb_u8(&s);
		rb_str(&s, m.backend, sizeof(m.backend));
		rb_str(&s, m.detail, sizeof(m.detail));
		rb_str(&s, m.reason, sizeof(m.reason));
		if (s.bad)
			return -EINVAL;
		dst = nl_rec_metric(rec, m.name, true);
		*dst = m;
	}
	return r->bad ? -EINVAL : 0;
}

/* Sparse buckets: strictly increasing indices, and they must add up to count. */
static int dec_hist(struct rbuf *r, struct nl_hist *h)
{
	uint64_t total = 0;
	uint32_t nnz, i;
	int last = -1;

	h->count = rb_u64(r);
	h->sum = rb_u64(r);
	h->min = rb_u64(r);
	h->max = rb_u64(r);
	nnz = rb_u32(r);
	for (i = 0; i < nnz && !r->bad; i++) {
		uint16_t idx = rb_u16(r);
		uint64_t c = rb_u64(r);

		if (idx >= NL_HIST_BUCKETS || (int)idx <= last || !c || total + c < total)
			return -EINVAL;
		h->buckets[idx] = c;
		total += c;
		last = idx;
	}
	if (r->bad || total != h->count || (h->count && h->min > h->max))
		return -EINVAL;
	return 0;
}

static int dec_value(struct rbuf *s, struct nl_interval *iv)
{
	char metric[NL_NAME_MAX], key[NL_KEY_MAX], stat[NL_NAME_MAX], unit[NL_UNIT_MAX];
	struct nl_hist h;
	uint8_t kind;

	rb_str(s, metric, sizeof(metric));
	rb_str(s, key, sizeof(key));
	rb_str(s, stat, sizeof(stat));
	rb_str(s, unit, sizeof(unit));
	kind = rb_u8(s);
	if (s->bad || nl_iv_find(iv, metric, key, stat))
		return -EINVAL;
	if (kind == NL_COUNTER) {
		uint64_t c = rb_u64(s);

		if (s->bad)
			return -EINVAL;
		nl_iv_add_counter(iv, metric, key, stat, unit, c);
	} else if (kind == NL_HIST) {
		memset(&h, 0, sizeof(h));
		if (dec_hist(s, &h))
			return -EINVAL;
		*nl_iv_hist(iv, metric, key, stat, unit) = h;
	}
	/* An unknown kind comes from a newer minor version: its record length lets us skip it. */
	return 0;
}

static int dec_interval(struct rbuf *r, struct nl_recording *rec)
{
	uint32_t run = rb_u32(r), n, i;
	uint64_t start = rb_u64(r), end = rb_u64(r);
	struct nl_interval *iv;

	n = rb_u32(r);
	if (r->bad)
		return -EINVAL;
	iv = nl_rec_add_interval(rec, run, start, end);
	for (i = 0; i < n; i++) {
		struct rbuf s = rb_record(r);

		if (s.bad || dec_value(&s, iv))
			return -EINVAL;
	}
	return 0;
}

struct reader {
	struct rbuf f;			/* the whole file */
	struct nl_recording *rec;
	char *err;
	size_t errlen;
};

static int fail(struct reader *rd, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *rd, int ret, const char *fmt, ...)
{
	va_list ap;

	if (rd->err && rd->errlen) {
		va_start(ap, fmt);
		vsnprintf(rd->err, rd->errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static int check_header(struct reader *rd)
{
	struct rbuf *f = &rd->f;
	size_t have = f->len < sizeof(nl_magic) ? f->len : sizeof(nl_magic);
	uint16_t major, minor;
	uint8_t sub_bits, max_bits;

	if (!f->len)
		return fail(rd, -EINVAL, "empty file, not a netlat recording");
	if (memcmp(f->p, nl_magic, have))
		return fail(rd, -EINVAL, "not a netlat recording");
	if (f->len < NL_HDR_LEN)
		return fail(rd, -EINVAL, "truncated at byte %zu", f->len);
	f->off = sizeof(nl_magic);
	major = rb_u16(f);
	minor = rb_u16(f);
	sub_bits = rb_u8(f);
	max_bits = rb_u8(f);
	rb_u16(f);		/* reserved */
	if (major > NL_FMT_MAJOR)
		return fail(rd, -ENOTSUP,
			    "recording format %u.%u is newer than this netlat reads (%u.x); use a newer netlat",
			    major, minor, NL_FMT_MAJOR);
	if (major < NL_FMT_MAJOR)
		return fail(rd, -ENOTSUP, "recording format %u.%u is not supported", major, minor);
	if (sub_bits != NL_HIST_SUB_BITS || max_bits != NL_HIST_MAX_BITS)
		return fail(rd, -ENOTSUP,
			    "histogram layout %u/%u differs from this netlat's %u/%u",
			    sub_bits, max_bits, NL_HIST_SUB_BITS, NL_HIST_MAX_BITS);
	return 0;
}

/* Decode one known section's payload; unknown types are skipped by the caller. */
static int dec_section(struct reader *rd, uint32_t type, struct rbuf *pl, uint32_t nsec,
		       bool *end)
{
	int ret = -EINVAL;

	switch (type) {
	case NL_SEC_META:
		ret = dec_meta(pl, rd->rec);
		break;
	case NL_SEC_METRIC:
		ret = dec_metrics(pl, rd->rec);
		break;
	case NL_SEC_INTERVAL:
		ret = dec_interval(pl, rd->rec);
		break;
	case NL_SEC_END:
		*end = true;
		ret = rb_u32(pl) == nsec && !pl->bad ? 0 : -EINVAL;
		break;
	}
	return ret;
}

static int read_sections(struct reader *rd)
{
	struct rbuf *f = &rd->f;
	uint32_t nsec = 0;
	bool end = false;

	while (!end) {
		size_t at = f->off;
		uint32_t type, flags, crc;
		uint64_t len;
		struct rbuf pl;

		if (f->len - at < NL_SEC_HDR_LEN)
			return fail(rd, -EINVAL, "truncated at byte %zu", f->len);
		type = rb_u32(f);
		flags = rb_u32(f);
		len = rb_u64(f);
		if (len > f->len - f->off || f->len - f->off - len < NL_SEC_CRC_LEN)
			return fail(rd, -EINVAL, "truncated at byte %zu", f->len);
		pl = rb_sub(f, (size_t)len);
		crc = rb_u32(f);
		if (crc != crc_of(f->p + at, NL_SEC_HDR_LEN + pl.len))
			return fail(rd, -EINVAL, "corrupt section at byte %zu (checksum)", at);
		if (type != NL_SEC_META && type != NL_SEC_METRIC &&
		    type != NL_SEC_INTERVAL && type != NL_SEC_END) {
			if (flags & NL_SECF_REQUIRED)
				return fail(rd, -ENOTSUP,
					    "section type %#x at byte %zu needs a newer netlat", type, at);
			nsec++;
			continue;
		}
		if (dec_section(rd, type, &pl, nsec, &end))
			return fail(rd, -EINVAL, "corrupt section at byte %zu", at);
		nsec++;
	}
	if (f->off != f->len)
		return fail(rd, -EINVAL, "trailing data at byte %zu", f->off);
	return 0;
}

static int slurp(const char *path, unsigned char **out, size_t *outlen)
{
	unsigned char *p = NULL;
	size_t len = 0, cap = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			unsigned char *np;

			cap = cap ? cap * 2 : 65536;
			np = realloc(p, cap);
			if (!np) {
				ret = -ENOMEM;
				break;
			}
			p = np;
		}
		n = read(fd, p + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (ret) {
		free(p);
		return ret;
	}
	*out = p;
	*outlen = len;
	return 0;
}

int nl_rec_read(const char *path, struct nl_recording **out, char *err, size_t errlen)
{
	struct reader rd = { .err = err, .errlen = errlen };
	unsigned char *data = NULL;
	size_t len = 0;
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	ret = slurp(path, &data, &len);
	if (ret)
		return fail(&rd, ret, "%s", strerror(-ret));
	rd.f.p = data;
	rd.f.len = len;
	rd.rec = nl_rec_new();
	ret = check_header(&rd);
	if (!ret)
		ret = read_sections(&rd);
	free(data);
	if (ret) {
		nl_rec_free(rd.rec);
		return ret;
	}
	*out = rd.rec;
	return 0;
}
