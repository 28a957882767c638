// SPDX-License-Identifier: GPL-2.0
/* softnet_stat parsing: CPU column, offline CPUs, 32-bit wrap. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "netlat/recording.h"
#include "netlat/softnet.h"
#include "unit.h"

static char *write_fixture(const char *text)
{
	static char path[64];
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/netlat-softnet-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		perror("fixture");
		exit(1);
	}

	fputs(text, f);
	fclose(f);
	return path;
}

static uint64_t counter(const struct nl_interval *iv, const char *key, const char *stat)
{
	const struct nl_value *v = nl_iv_find(iv, "napi", key, stat);

	return v ? v->counter : ~0ULL;
}

int main(void)
{
	struct nl_softnet *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct nl_record_opts o = { 0 };
	struct nl_interval *iv;
	char *p;

	/* 6.x layout: CPU 1 offline, so the second line is CPU 2 (column 13) */
	p = write_fixture(
		"00000010 00000001 00000002 0 0 0 0 0 0 0 0 0 00000000 0 0\n"
		"fffffff0 00000000 00000005 0 0 0 0 0 0 0 0 0 00000002 0 0\n");
	CHECK(nl_softnet_read(a, p) == 0);
	unlink(p);
	CHECK(a->cpu[0].seen && !a->cpu[1].seen && a->cpu[2].seen);
	CHECK_EQ_U64(a->cpu[2].time_squeeze, 5);

	p = write_fixture(
		"00000020 00000001 00000004 0 0 0 0 0 0 0 0 0 00000000 0 0\n"
		"00000010 00000000 00000009 0 0 0 0 0 0 0 0 0 00000002 0 0\n");
	CHECK(nl_softnet_read(b, p) == 0);
	unlink(p);

	iv = nl_iv_new(0, 0, 1);
	nl_softnet_delta(iv, "napi", b, a, &o);
	CHECK_EQ_U64(counter(iv, "cpu=0", "processed"), 0x10);
	CHECK_EQ_U64(counter(iv, "cpu=0", "time_squeeze"), 2);
	CHECK_EQ_U64(counter(iv, "cpu=2", "processed"), 0x20);	/* wrapped past 2^32 */
	CHECK_EQ_U64(counter(iv, "cpu=2", "time_squeeze"), 4);
	CHECK(nl_iv_find(iv, "napi", "cpu=1", "processed") == NULL);
	nl_iv_free(iv);

	/* -C 2 keeps only CPU 2 */
	o.cpus_set = true;
	o.cpumask[0] = 1ULL << 2;
	iv = nl_iv_new(0, 0, 1);
	nl_softnet_delta(iv, "napi", b, a, &o);
	CHECK(nl_iv_find(iv, "napi", "cpu=0", "processed") == NULL);
	CHECK_EQ_U64(counter(iv, "cpu=2", "dropped"), 0);
	nl_iv_free(iv);

	/* pre-5.10 layout without the CPU column: line order */
	p = write_fixture("00000001 00000000 00000000 0 0 0 0 0 0 0\n00000002 00000000 00000003 0 0 0 0 0 0 0\n");
	CHECK(nl_softnet_read(a, p) == 0);
	unlink(p);
	CHECK(a->cpu[1].seen);
	CHECK_EQ_U64(a->cpu[1].time_squeeze, 3);

	CHECK(nl_softnet_read(a, "/nonexistent/softnet") < 0);
	free(a);
	free(b);
	UNIT_DONE();
}
