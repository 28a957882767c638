// SPDX-License-Identifier: GPL-2.0
/*
 * The memcpy reference's size: the last-level cache read from a sysfs-like
 * tree written here (indexN/level, type, size as the kernel spells them),
 * and the copy size derived from it, clamped, with the documented
 * assumption when sysfs says nothing.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlat/memcpy_bw.h"
#include "unit.h"

static void put(const char *root, const char *index, const char *file, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, index);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", root, index, file);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%s\n", text);
		fclose(f);
	}
}

static void cache(const char *root, const char *index, const char *level, const char *type,
		  const char *size)
{
	put(root, index, "level", level);
	put(root, index, "type", type);
	put(root, index, "size", size);
}

static void rm_tree(const char *root)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
}

static void test_llc(void)
{
	char root[] = "/tmp/netlat-test-cache-XXXXXX";

	CHECK(mkdtemp(root) != NULL);
	CHECK_EQ_U64(nl_llc_bytes(root), 0);		/* no indexN: sysfs does not say */
	cache(root, "index0", "1", "Data", "48K");
	cache(root, "index1", "1", "Instruction", "32K");
	CHECK_EQ_U64(nl_llc_bytes(root), 48 << 10);
	cache(root, "index2", "2", "Unified", "1024K");
	CHECK_EQ_U64(nl_llc_bytes(root), 1 << 20);
	cache(root, "index3", "3", "Unified", "32768K");
	CHECK_EQ_U64(nl_llc_bytes(root), 32 << 20);
	/* an instruction cache at a higher level is no place for data */
	cache(root, "index4", "4", "Instruction", "65536K");
	CHECK_EQ_U64(nl_llc_bytes(root), 32 << 20);
	rm_tree(root);
	CHECK_EQ_U64(nl_llc_bytes("/nonexistent/netlat"), 0);
}

static void test_copy_bytes(void)
{
	CHECK_EQ_U64(nl_memcpy_copy_bytes(0), NL_LLC_ASSUMED_BYTES);
	CHECK_EQ_U64(nl_memcpy_copy_bytes(1 << 20), 4 << 20);		/* at least 4 MiB */
	CHECK_EQ_U64(nl_memcpy_copy_bytes(32ULL << 20), 32ULL << 20);
	CHECK_EQ_U64(nl_memcpy_copy_bytes(1ULL << 30), 128ULL << 20);	/* at most 128 MiB */
}

int main(void)
{
	test_llc();
	test_copy_bytes();
	UNIT_DONE();
}
