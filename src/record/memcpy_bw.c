// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy bandwidth, the memory limit of a copy. One buffer of twice the
 * last-level cache: each run copies its first half onto its second, so a
 * run streams 2 x LLC through a cache of LLC and reads and writes memory,
 * not cache, without the 2 x 64 MiB (and 172 MB peak RSS) the fixed size
 * used to take. Best of BW_RUNS. A cache that keeps part of the buffer only
 * makes the reference faster, so triage's copy-cost rule (100 x memcpy) is
 * if anything stricter. The result is cached per boot under /run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlat/memcpy_bw.h"
#include "netlat/util.h"

#define BW_RUNS		5
#define COPY_MIN	(4ULL << 20)
#define COPY_MAX	(128ULL << 20)	/* a 256 MiB buffer: enough for today's largest LLC slices */
#define BOOT_ID_PATH	"/proc/sys/kernel/random/boot_id"

static int read_word(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "re");
	int ok;

	if (!fp)
		return -errno;
	ok = fscanf(fp, "%63s", buf) == 1 && len > 63;
	fclose(fp);
	return ok ? 0 : -EINVAL;
}

/* "32768K", "1M" or plain bytes, as sysfs writes cache sizes. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return 0;
	if (*end == 'K')
		return v << 10;
	if (*end == 'M')
		return v << 20;
	if (*end == 'G')
		return v << 30;
	return *end ? 0 : v;
}

uint64_t nl_llc_bytes(const char *cache_dir)
{
	DIR *d = opendir(cache_dir);
	struct dirent *de;
	uint64_t best = 0;
	int best_level = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[512], level[64], type[64], size[64];
		int lv;

		if (strncmp(de->d_name, "index", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s/level", cache_dir, de->d_name);
		if (read_word(path, level, sizeof(level)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/type", cache_dir, de->d_name);
		if (read_word(path, type, sizeof(type)) || !strcmp(type, "Instruction"))
			continue;
		snprintf(path, sizeof(path), "%s/%s/size", cache_dir, de->d_name);
		if (read_word(path, size, sizeof(size)))
			continue;
		lv = atoi(level);
		if (lv > best_level && parse_size(size)) {
			best_level = lv;
			best = parse_size(size);
		}
	}
	closedir(d);
	return best;
}

uint64_t nl_memcpy_copy_bytes(uint64_t llc)
{
	uint64_t n = llc ? llc : NL_LLC_ASSUMED_BYTES;

	if (n < COPY_MIN)
		n = COPY_MIN;
	if (n > COPY_MAX)
		n = COPY_MAX;
	return n;
}

/* Best of BW_RUNS copies of copy bytes; 0 or -ENOMEM. */
static int measure(struct nl_memcpy_ref *r)
{
	size_t n = (size_t)r->copy_bytes;
	char *buf = mmap(NULL, 2 * n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED)
		return -ENOMEM;
	/* Touch both halves first: page faults are not part of a copy's cost. */
	memset(buf, 0x5a, 2 * n);
	for (int i = 0; i < BW_RUNS; i++) {
		uint64_t t0 = nl_now_ns(), d;

		memcpy(buf + n, buf, n);
		/* keep the copy observable so it is not optimized away */
		__asm__ volatile("" : : "r"(buf) : "memory");
		d = nl_now_ns() - t0;
		if (d && (!r->ns || d < r->ns))
			r->ns = d;
	}
	munmap(buf, 2 * n);
	return r->ns ? 0 : -EINVAL;
}

/* The cache file: "boot_id ID", "llc_bytes N", "copy_bytes N", "ns N". 0 when it is this boot's. */
static int cache_read(const char *boot, struct nl_memcpy_ref *r)
{
	FILE *fp = fopen(NL_MEMCPY_CACHE, "re");
	char id[64] = "";
	unsigned long long llc = 0, copy = 0, ns = 0;
	int n;

	if (!fp)
		return -errno;
	n = fscanf(fp, "boot_id %63s llc_bytes %llu copy_bytes %llu ns %llu", id, &llc, &copy, &ns);
	fclose(fp);
	if (n != 4 || strcmp(id, boot) || !copy || !ns)
		return -ESTALE;
	r->llc_bytes = llc;
	r->copy_bytes = copy;
	r->ns = ns;
	r->cached = true;
	return 0;
}

/* Written to a temporary file and renamed: a reader never sees half of it. */
static void cache_write(const char *boot, const struct nl_memcpy_ref *r)
{
	char tmp[sizeof(NL_MEMCPY_CACHE) + 32];
	FILE *fp;

	if (mkdir(NL_MEMCPY_CACHE_DIR, 0755) < 0 && errno != EEXIST)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%d", NL_MEMCPY_CACHE, (int)getpid());
	fp = fopen(tmp, "wex");
	if (!fp)
		return;
	fprintf(fp, "boot_id %s\nllc_bytes %llu\ncopy_bytes %llu\nns %llu\n", boot,
		(unsigned long long)r->llc_bytes, (unsigned long long)r->copy_bytes,
		(unsigned long long)r->ns);
	if (fclose(fp) || rename(tmp, NL_MEMCPY_CACHE) < 0)
		unlink(tmp);
}

int nl_memcpy_ref(struct nl_memcpy_ref *out)
{
	static struct nl_memcpy_ref ref;
	static int err = 1;	/* 1: not tried yet */
	char boot[64] = "";

	if (err == 1) {
		bool have_boot = read_word(BOOT_ID_PATH, boot, sizeof(boot)) == 0;

		err = have_boot ? cache_read(boot, &ref) : -ENOENT;
		if (err) {
			memset(&ref, 0, sizeof(ref));
			ref.llc_bytes = nl_llc_bytes(NL_LLC_SYSFS);
			ref.copy_bytes = nl_memcpy_copy_bytes(ref.llc_bytes);
			err = measure(&ref);
			if (!err && have_boot)
				cache_write(boot, &ref);
		}
		if (!err)
			ref.bytes_per_s = (double)ref.copy_bytes * 1e9 / (double)ref.ns;
		nl_info("memcpy reference: %.2f GB/s over %llu bytes (LLC %s), %s", ref.bytes_per_s / 1e9,
			(unsigned long long)ref.copy_bytes, ref.llc_bytes ? "from sysfs" : "unknown: assumed",
			err ? "not measured" : ref.cached ? "cached for this boot in " NL_MEMCPY_CACHE : "measured");
	}
	if (out)
		*out = ref;
	return err;
}

void nl_memcpy_ref_meta(struct nl_recording *rec)
{
	struct nl_memcpy_ref r;

	if (nl_memcpy_ref(&r))
		return;
	nl_rec_set_metaf(rec, "memcpy_bytes_per_s", "%.0f", r.bytes_per_s);
	nl_rec_set_metaf(rec, "memcpy_copy_bytes", "%llu", (unsigned long long)r.copy_bytes);
	nl_rec_set_metaf(rec, "memcpy_ns", "%llu", (unsigned long long)r.ns);
	nl_rec_set_metaf(rec, "memcpy_llc_bytes", "%llu", (unsigned long long)r.llc_bytes);
	nl_rec_set_meta(rec, "memcpy_source", r.cached ? "cache" : "measured");
}

double nl_memcpy_bw_of(const struct nl_recording *rec)
{
	const char *m = rec ? nl_rec_meta(rec, "memcpy_bytes_per_s") : NULL;
	char *end;
	double v;

	if (!m || !*m)
		return 0;
	v = strtod(m, &end);
	return !*end && v > 0 ? v : 0;
}

double nl_memcpy_bw(uint64_t *bytes, uint64_t *ns)
{
	struct nl_memcpy_ref r;
	int err = nl_memcpy_ref(&r);

	if (bytes)
		*bytes = err ? 0 : r.copy_bytes;
	if (ns)
		*ns = err ? 0 : r.ns;
	return err ? 0 : r.bytes_per_s;
}
