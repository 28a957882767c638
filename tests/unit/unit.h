/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal unit-test helpers: each test binary exits 0 on success, 1 on failure, 77 to skip. */
#ifndef NETLAT_UNIT_H
#define NETLAT_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failures;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		unit_failures++; \
	} \
} while (0)

#define CHECK_EQ_U64(a, b) do { \
	unsigned long long _a = (a), _b = (b); \
	if (_a != _b) { \
		fprintf(stderr, "%s:%d: %s == %llu, expected %s == %llu\n", \
			__FILE__, __LINE__, #a, _a, #b, _b); \
		unit_failures++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { \
		fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", \
			__FILE__, __LINE__, #a, _a ? _a : "(null)", _b ? _b : "(null)"); \
		unit_failures++; \
	} \
} while (0)

#define UNIT_DONE() return unit_failures ? 1 : 0

#endif
