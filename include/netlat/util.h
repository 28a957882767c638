/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by every subcommand: messages, parsing, time. */
#ifndef NETLAT_UTIL_H
#define NETLAT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern int nl_verbose;	/* -v count */
extern int nl_quiet;	/* -q */

/* "netlat: <msg>" on stderr. */
void nl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nl_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* only with -v */

/* "5s", "500ms", "2m", "1h", "100us", bare number = seconds. 0 on success, -EINVAL otherwise. */
int nl_parse_duration_ns(const char *s, uint64_t *out_ns);
/* Nanoseconds in three significant digits of the largest unit >= 1: "812ns", "12.3us", "1.20s". */
void nl_fmt_ns(char *buf, size_t len, double ns);
/* "0-3,5" into a bitmask of up to 1024 CPUs; -EINVAL on junk or a CPU >= ncpu_possible. */
int nl_parse_cpulist(const char *s, uint64_t *mask, int nwords);
/* Comma-separated list membership: does "a,b,c" contain name? */
bool nl_list_has(const char *list, const char *name);

uint64_t nl_now_ns(void);		/* CLOCK_MONOTONIC */
uint64_t nl_realtime_ns(void);		/* CLOCK_REALTIME */
int nl_ncpus(void);			/* possible CPUs, as the kernel's per-CPU maps count them */

void *nl_xcalloc(size_t n, size_t sz);	/* aborts with a message on OOM */
char *nl_xstrdup(const char *s);

#endif
