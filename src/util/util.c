// SPDX-License-Identifier: GPL-2.0
/* Messages, command-line value parsers, clocks and allocation helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netlat/util.h"

int nl_verbose;
int nl_quiet;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "netlat: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void nl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

/* Warnings are not silenced by -q: they say the numbers may be wrong (lost events, fallbacks). */
void nl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void nl_info(const char *fmt, ...)
{
	va_list ap;

	if (nl_verbose <= 0)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

struct dur_unit {
	const char *suffix;
	uint64_t ns;
};

static const struct dur_unit dur_units[] = {
	{ "ns", 1ULL },
	{ "us", 1000ULL },
	{ "ms", 1000000ULL },
	{ "s", 1000000000ULL },
	{ "m", 60ULL * 1000000000ULL },
	{ "h", 3600ULL * 1000000000ULL },
	{ "", 1000000000ULL },		/* bare number: seconds, perf's habit */
};

static int dur_unit_ns(const char *suffix, uint64_t *ns)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dur_units); i++) {
		if (!strcmp(suffix, dur_units[i].suffix)) {
			*ns = dur_units[i].ns;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Digits [. digits] then a unit. The fraction is kept as an exact decimal
 * numerator (18 digits at most; later ones are read but cannot matter at ns
 * resolution), so "1.5s" is exactly 1500000000 and nothing goes through a
 * double.
 */
int nl_parse_duration_ns(const char *s, uint64_t *out_ns)
{
	unsigned __int128 whole = 0, frac = 0, fscale = 1, total;
	bool any_digit = false;
	uint64_t mult;

	if (!s)
		return -EINVAL;
	for (; is_digit(*s); s++) {
		whole = whole * 10 + (unsigned)(*s - '0');
		if (whole > UINT64_MAX)
			return -EINVAL;
		any_digit = true;
	}
	if (*s == '.') {
		for (s++; is_digit(*s); s++) {
			if (fscale < 1000000000000000000ULL) {
				frac = frac * 10 + (unsigned)(*s - '0');
				fscale *= 10;
			}
			any_digit = true;
		}
	}
	if (!any_digit || dur_unit_ns(s, &mult))
		return -EINVAL;
	total = whole * mult + frac * mult / fscale;
	if (total > UINT64_MAX)
		return -EINVAL;
	*out_ns = (uint64_t)total;
	return 0;
}

/* Parse an unsigned decimal; *p advances past it. -EINVAL when no digit or too large. */
static int parse_uint(const char **p, unsigned long *out, unsigned long limit)
{
	const char *s = *p;
	unsigned long v = 0;

	if (!is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > limit)
			return -EINVAL;
	}
	*out = v;
	*p = s;
	return 0;
}

/* One "N" or "N-M" item of a CPU list; *p advances past it. */
static int parse_range(const char **p, unsigned long *a, unsigned long *b, unsigned long limit)
{
	if (parse_uint(p, a, limit))
		return -EINVAL;
	*b = *a;
	if (**p == '-') {
		(*p)++;
		if (parse_uint(p, b, limit) || *b < *a)
			return -EINVAL;
	}
	return 0;
}

int nl_parse_cpulist(const char *s, uint64_t *mask, int nwords)
{
	unsigned long a, b, cpu, limit;
	int ncpu = nl_ncpus();

	if (!s || !*s || nwords <= 0)
		return -EINVAL;
	limit = (unsigned long)nwords * 64;
	if ((unsigned long)ncpu < limit)
		limit = (unsigned long)ncpu;
	memset(mask, 0, (size_t)nwords * sizeof(*mask));
	for (;;) {
		if (parse_range(&s, &a, &b, 1UL << 20) || b >= limit)
			return -EINVAL;
		for (cpu = a; cpu <= b; cpu++)
			mask[cpu / 64] |= 1ULL << (cpu % 64);
		if (!*s)
			return 0;
		if (*s != ',')
			return -EINVAL;
		s++;
	}
}

bool nl_list_has(const char *list, const char *name)
{
	size_t n;

	if (!list || !name)
		return false;
	n = strlen(name);
	for (;;) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && !strncmp(list, name, n))
			return true;
		if (!end)
			return false;
		list = end + 1;
	}
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t nl_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t nl_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/*
 * Per-CPU BPF maps are sized by the highest possible CPU + 1 (libbpf's
 * libbpf_num_possible_cpus() reads the same file), not by online CPUs.
 */
static int read_possible_cpus(void)
{
	const char *p;
	char buf[256];
	unsigned long a, b, max = 0;
	size_t n;
	FILE *f;

	f = fopen("/sys/devices/system/cpu/possible", "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (p = buf;;) {
		if (parse_range(&p, &a, &b, 1UL << 20))
			return -EINVAL;
		if (b + 1 > max)
			max = b + 1;
		if (!*p)
			return (int)max;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
}

int nl_ncpus(void)
{
	static int cached;
	long n;

	if (cached > 0)
		return cached;
	cached = read_possible_cpus();
	if (cached > 0)
		return cached;
	n = sysconf(_SC_NPROCESSORS_CONF);
	cached = n > 0 ? (int)n : 1;
	return cached;
}

void *nl_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p) {
		nl_err("out of memory");
		abort();
	}
	return p;
}

char *nl_xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		nl_err("out of memory");
		abort();
	}
	return p;
}
