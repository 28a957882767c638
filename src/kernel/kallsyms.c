// SPDX-License-Identifier: GPL-2.0
/*
 * The one reader of /proc/kallsyms: the symbolizer (kernel/ksyms.c) and the func
 * collector's target resolution (collect/func/function_targets.c) each keep what they need
 * from the lines it hands over.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netlat/ksyms.h"

/* "ffffffff81000000 T _stext\t[mod]": false when line is not a kallsyms line. */
static bool parse_line(const char *line, struct nl_kallsym *ks)
{
	const char *p = line;
	uint64_t addr = 0;

	/* by hand, not sscanf: 120k lines here, and this is on the func collector's arm path */
	for (; *p && *p != ' '; p++) {
		int c = *p | 0x20;
		int d = *p >= '0' && *p <= '9' ? *p - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return false;
		addr = addr << 4 | (uint64_t)d;
	}
	if (p == line || p[0] != ' ' || !p[1] || p[2] != ' ')
		return false;
	ks->addr = addr;
	ks->type = p[1];
	ks->name = p + 3;
	ks->len = strcspn(ks->name, " \t\n");
	return ks->len > 0;
}

int nl_kallsyms_each(int (*fn)(void *arg, const struct nl_kallsym *ks), void *arg)
{
	FILE *fp = fopen("/proc/kallsyms", "re");
	struct nl_kallsym ks;
	char line[512];
	int err = 0;

	if (!fp)
		return -errno;
	/* kallsyms is generated per read(): fewer, larger reads */
	setvbuf(fp, NULL, _IOFBF, 256 << 10);
	while (!err && fgets(line, sizeof(line), fp))
		if (parse_line(line, &ks))
			err = fn(arg, &ks);
	fclose(fp);
	return err;
}
