// SPDX-License-Identifier: GPL-2.0
/* Parsers (durations, CPU lists, name lists), messages, and the cleanup list with its signals. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netlat/cleanup.h"
#include "netlat/stat.h"
#include "netlat/util.h"
#include "unit.h"

static void test_duration_ok(void)
{
	static const struct { const char *s; uint64_t ns; } ok[] = {
		{ "5s", 5000000000ULL }, { "500ms", 500000000ULL }, { "2m", 120000000000ULL },
		{ "1h", 3600000000000ULL }, { "100us", 100000ULL }, { "10ns", 10 },
		{ "3", 3000000000ULL }, { "1.5s", 1500000000ULL }, { "0.5", 500000000ULL },
		{ ".25s", 250000000ULL }, { "2.", 2000000000ULL }, { "2.5ms", 2500000ULL },
		{ "1.5ns", 1 }, { "0", 0 }, { "0ms", 0 }, { "007s", 7000000000ULL },
		{ "0.000000001", 1 }, { "1.0000000000000000000001s", 1000000000ULL },
		{ "1.5m", 90000000000ULL }, { "0.1h", 360000000000ULL },
		{ "18446744073709551615ns", UINT64_MAX },
		{ "18446744073s", 18446744073000000000ULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		uint64_t v = 12345;
		int ret = nl_parse_duration_ns(ok[i].s, &v);

		if (ret || v != ok[i].ns) {
			fprintf(stderr, "  duration \"%s\": ret %d value %llu, expected %llu\n",
				ok[i].s, ret, (unsigned long long)v, (unsigned long long)ok[i].ns);
			unit_failures++;
		}
	}
}

static void test_duration_bad(void)
{
	static const char *const bad[] = {
		"", "s", "ms", ".", ".s", "abc", "-1", "-1s", "+5", "5x", "5 s", " 5", "5s ",
		"1.5.5", "5sec", "1e3", "0x10", "5S", "5ss", "1,5s", "--", "5s5",
		"18446744073709551616ns", "18446744074s", "99999999999999999999999",
		"307445734561825861m", "5124095576030432h",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = 777;

		if (nl_parse_duration_ns(bad[i], &v) != -EINVAL || v != 777) {
			fprintf(stderr, "  duration \"%s\" accepted as %llu\n", bad[i],
				(unsigned long long)v);
			unit_failures++;
		}
	}
	CHECK(nl_parse_duration_ns(NULL, &(uint64_t){ 0 }) == -EINVAL);
}

/* The truth for nl_ncpus(): highest CPU in the possible list + 1, read here on our own. */
static int possible_from_sysfs(void)
{
	char buf[256];
	char *p;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = buf + strcspn(buf, "\n");
	while (p > buf && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return atoi(p) + 1;
}

static void test_ncpus(void)
{
	int truth = possible_from_sysfs();

	CHECK(nl_ncpus() >= 1);
	if (truth > 0)
		CHECK_EQ_U64(nl_ncpus(), truth);
}

static void test_cpulist(void)
{
	static const char *const bad[] = {
		"", ",", "0,", ",0", "a", "-1", "0-", "-", "1-0", "0--1", "0 1", "0,,1",
		"0-1-2", " 0", "0\n", "99999999999999999999", "1024", "0x1",
	};
	int ncpu = nl_ncpus();
	uint64_t mask[16];
	char buf[64];
	size_t i;

	CHECK(!nl_parse_cpulist("0", mask, 16));
	CHECK_EQ_U64(mask[0], 1);
	for (i = 1; i < 16; i++)
		CHECK_EQ_U64(mask[i], 0);
	snprintf(buf, sizeof(buf), "%d", ncpu - 1);
	CHECK(!nl_parse_cpulist(buf, mask, 16));
	CHECK_EQ_U64(mask[(ncpu - 1) / 64], 1ULL << ((ncpu - 1) % 64));
	snprintf(buf, sizeof(buf), "0-%d", ncpu - 1);
	CHECK(!nl_parse_cpulist(buf, mask, 16));
	CHECK_EQ_U64(mask[0], ncpu >= 64 ? UINT64_MAX : (1ULL << ncpu) - 1);
	if (ncpu >= 2) {
		CHECK(!nl_parse_cpulist("1,0", mask, 16));
		CHECK_EQ_U64(mask[0], 3);
		CHECK(!nl_parse_cpulist("1-1,1", mask, 16));
		CHECK_EQ_U64(mask[0], 2);
	}
	/* one past the last possible CPU is refused, alone or as a range end */
	snprintf(buf, sizeof(buf), "%d", ncpu);
	CHECK(nl_parse_cpulist(buf, mask, 16) == -EINVAL);
	snprintf(buf, sizeof(buf), "0-%d", ncpu);
	CHECK(nl_parse_cpulist(buf, mask, 16) == -EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (nl_parse_cpulist(bad[i], mask, 16) != -EINVAL) {
			fprintf(stderr, "  cpulist \"%s\" accepted\n", bad[i]);
			unit_failures++;
		}
	}
	CHECK(nl_parse_cpulist(NULL, mask, 16) == -EINVAL);
	CHECK(nl_parse_cpulist("0", mask, 0) == -EINVAL);
}

static void test_list_has(void)
{
	CHECK(nl_list_has("napi,qdisc,tcp", "napi"));
	CHECK(nl_list_has("napi,qdisc,tcp", "qdisc"));
	CHECK(nl_list_has("napi,qdisc,tcp", "tcp"));
	CHECK(nl_list_has("napi", "napi"));
	CHECK(!nl_list_has("napi,qdisc", "nap"));
	CHECK(!nl_list_has("napix,qdisc", "napi"));
	CHECK(!nl_list_has("napi,qdisc", "qdis"));
	CHECK(!nl_list_has("napi,qdisc", "napi,qdisc"));
	CHECK(!nl_list_has("", "napi"));
	CHECK(!nl_list_has(NULL, "napi"));
	CHECK(!nl_list_has("napi", NULL));
}

/* Run fn with stderr sent to a file; return what it printed (caller frees). */
static char *capture_stderr(void (*fn)(void))
{
	char path[] = "/tmp/nl-test-util-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char *out = calloc(1, 4096);

	fflush(stderr);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (pread(fd, out, 4095, 0) < 0)
		out[0] = '\0';
	close(fd);
	unlink(path);
	return out;
}

static void say_things(void)
{
	nl_verbose = 0;
	nl_err("bad %s %d", "thing", 42);
	nl_warn("lost %d events", 7);
	nl_info("hidden");
	nl_verbose = 1;
	nl_info("shown %s", "now");
	nl_verbose = 0;
}

static void test_messages(void)
{
	char *out = capture_stderr(say_things);

	CHECK_STR(out, "netlat: bad thing 42\nnetlat: warning: lost 7 events\nnetlat: shown now\n");
	free(out);
}

static void test_alloc_clock(void)
{
	char *s = nl_xstrdup("veth0");
	unsigned char *z = nl_xcalloc(100, 3);
	uint64_t a, b;
	int i, nz = 0;

	CHECK_STR(s, "veth0");
	for (i = 0; i < 300; i++)
		nz += z[i] != 0;
	CHECK_EQ_U64(nz, 0);
	free(s);
	free(z);
	a = nl_now_ns();
	b = nl_now_ns();
	CHECK(b >= a);
	CHECK(nl_realtime_ns() > 1600000000ULL * 1000000000ULL);	/* after 2020 */
}

static char order[16];
static size_t norder;

static void note(void *arg)
{
	order[norder++] = *(const char *)arg;
}

static void test_cleanup_list(void)
{
	static const char a = 'a', b = 'b', c = 'c', d = 'd';
	int ha, hb, hc, hd;

	ha = nl_cleanup_push(note, (void *)&a, "a");
	hb = nl_cleanup_push(note, (void *)&b, "b");
	hc = nl_cleanup_push(note, (void *)&c, "c");
	hd = nl_cleanup_push(note, (void *)&d, "d");
	CHECK(ha >= 0 && hb >= 0 && hc >= 0 && hd >= 0);
	nl_cleanup_run_one(hb);			/* undone by hand: runs now, never again */
	nl_cleanup_drop(hc);			/* forgotten: never runs */
	nl_cleanup_run_all();			/* newest first */
	nl_cleanup_run_all();			/* safe twice */
	nl_cleanup_run_one(hb);
	order[norder] = '\0';
	CHECK_STR(order, "bda");
	/* freed slots are reused, so pushing and popping forever does not run out */
	for (ha = 0; ha < 10000; ha++) {
		hb = nl_cleanup_push(note, (void *)&a, "loop");
		if (hb < 0)
			break;
		nl_cleanup_drop(hb);
	}
	CHECK_EQ_U64(ha, 10000);
}

static int sig_pipe[2];

static void write_mark(void *arg)
{
	(void)arg;
	if (write(sig_pipe[1], "U", 1) != 1)
		_exit(99);
}

/*
 * In a child: the first SIGTERM interrupts a blocking read with EINTR (no
 * SA_RESTART) and sets the flags; the second one runs the undo list and
 * exits 128 + signal. Exit 10 + step means a step went wrong.
 */
static void signal_child(int block_fd)
{
	char ch;

	nl_signals_install();
	nl_cleanup_push(write_mark, NULL, "mark");
	if (read(block_fd, &ch, 1) != -1 || errno != EINTR)
		_exit(11);
	if (!nl_stop_requested || nl_stop_signal != SIGTERM)
		_exit(12);
	raise(SIGINT);
	_exit(13);	/* not reached: the second signal exits */
}

static void test_signals(void)
{
	int block[2], status = 0;
	char buf[8];
	ssize_t n;
	pid_t pid;

	if (pipe(block) || pipe(sig_pipe)) {
		unit_failures++;
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(sig_pipe[0]);
		signal_child(block[0]);
	}
	close(sig_pipe[1]);
	usleep(200000);		/* let the child block in read() */
	kill(pid, SIGTERM);
	/* a read restarted after the signal (SA_RESTART) would block forever: give up after 5 s */
	for (n = 0; n < 500 && waitpid(pid, &status, WNOHANG) == 0; n++)
		usleep(10000);
	if (n == 500) {
		fprintf(stderr, "  child still blocked after SIGTERM\n");
		unit_failures++;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	n = read(sig_pipe[0], buf, sizeof(buf));
	CHECK(WIFEXITED(status));
	CHECK_EQ_U64(WEXITSTATUS(status), 128 + SIGINT);
	CHECK_EQ_U64(n, 1);		/* the undo ran exactly once (the atexit path was skipped by _exit) */
	close(sig_pipe[0]);
	close(block[0]);
	close(block[1]);
}

/* A normal exit() runs what is left on the list, through atexit. */
static void test_atexit(void)
{
	int status = 0;
	char buf[8];
	ssize_t n;
	pid_t pid;

	if (pipe(sig_pipe)) {
		unit_failures++;
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(sig_pipe[0]);
		nl_cleanup_push(write_mark, NULL, "mark");
		exit(0);
	}
	close(sig_pipe[1]);
	waitpid(pid, &status, 0);
	n = read(sig_pipe[0], buf, sizeof(buf));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ_U64(n, 1);
	close(sig_pipe[0]);
}

/* One duration formatter for every command: stat's and diff's cells print what report and triage print. */
static void test_fmt_ns(void)
{
	static const struct { double ns; const char *want; } c[] = {
		{ 0, "0ns" }, { 812, "812ns" }, { 999.4, "999ns" }, { 999.6, "1.00us" }, { 12345, "12.3us" },
		{ 4560000, "4.56ms" }, { 20400000, "20.4ms" }, { 1.2e9, "1.20s" }, { 7.2e12, "7200s" },
		{ -1500, "-1.50us" },
	};
	char a[32], b[32];

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		nl_fmt_ns(a, sizeof(a), c[i].ns);
		CHECK_STR(a, c[i].want);
		nl_fmt_value(b, sizeof(b), c[i].ns, "ns");
		CHECK_STR(b, a);
	}
	nl_fmt_ns(a, sizeof(a), 0.0 / 0.0);
	CHECK_STR(a, "-");
}

int main(void)
{
	test_duration_ok();
	test_duration_bad();
	test_ncpus();
	test_cpulist();
	test_list_has();
	test_messages();
	test_alloc_clock();
	test_cleanup_list();
	test_signals();
	test_atexit();
	test_fmt_ns();
	UNIT_DONE();
}
