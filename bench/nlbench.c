// SPDX-License-Identifier: GPL-2.0
/*
 * nlbench: the measuring half of `make bench` (bench/run.sh is the other).
 *
 *   nlbench now
 *       CLOCK_MONOTONIC in ns (the shell has no monotonic clock).
 *   nlbench run [-o FILE] [-r MS] -- CMD ...
 *       Runs CMD and appends key=value lines to FILE (default stderr):
 *       wall_ns, the system-wide busy CPU time from /proc/stat over exactly
 *       the command's life (busy_ns: everything but idle and iowait, so the
 *       tracer's own user-space work and its probes in every process count),
 *       the command's rusage (cpu_ns, maxrss_kb: with its waited-for children,
 *       so both ends of netlat-load, probes run in their context included),
 *       the CPU time our parent process (the tracer that started us) used
 *       meanwhile (parent_cpu_ns, from every thread's schedstat, so a busy
 *       machine's other work does not count) and, with -r, VmRSS of the
 *       command sampled every MS (rss_samples_kb, rss_max_kb). Exits with
 *       the command's status.
 *   nlbench mark -o FILE [-p PORT] [-n N]
 *       Appends exec_monotonic_ns=T to FILE (when a tracer ran us, it had
 *       armed its probes), then sends N (default 5) UDP datagrams to
 *       127.0.0.1:PORT (default 9, nobody listens): events every tracer
 *       must see, so "armed" is checked, not assumed.
 *   nlbench stats -- CMD ...
 *       Runs CMD while holding a bpf(BPF_ENABLE_STATS, BPF_STATS_RUN_TIME)
 *       file descriptor, so the kernel counts every BPF program's runs and
 *       run time for the command's whole life without the sysctl changing:
 *       the truth bench/selfcost.sh holds netlat's sampled figures against.
 *       Exits with the command's status (2 if the kernel refuses).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S	1000000000ULL
#define MAX_SAMPLES	4096	/* -r samples kept: 4096 * 10 s covers any soak */
#define RUN_LIMIT_NS	(3 * 3600 * NS_PER_S)	/* a run longer than this is killed */

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* SIGCHLD may cut it short: the caller re-checks */
}

/* Busy and total CPU time of all CPUs, in USER_HZ ticks, from the "cpu " line. */
static int proc_stat_ticks(uint64_t *busy, uint64_t *total)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		return -EINVAL;
	/* user nice system idle iowait irq softirq steal [guest guest_nice, already in user] */
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*total = *busy + v[3] + v[4];
	return 0;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* CPU time of every thread of pid, in ns (sum_exec_runtime from schedstat). */
static uint64_t proc_cpu_ns(pid_t pid)
{
	char path[96];
	unsigned long long v, sum = 0;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/schedstat", (int)pid, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &v) == 1)
			sum += v;
		fclose(f);
	}
	closedir(dir);
	return sum;
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * NS_PER_S + (uint64_t)tv.tv_usec * 1000ULL;
}

struct run_result {
	uint64_t wall_ns, busy_ticks, total_ticks, parent_cpu_ns;
	struct rusage ru;
	int status;
	long samples[MAX_SAMPLES];
	size_t nsamples;
	long rss_max;
};

/* Wait for pid, sampling its RSS every rss_ms (0: just wait). */
static void wait_child(pid_t pid, unsigned int rss_ms, uint64_t t0, struct run_result *r)
{
	uint64_t next = t0;

	for (;;) {
		pid_t w = wait4(pid, &r->status, rss_ms ? WNOHANG : 0, &r->ru);

		if (w == pid)
			return;
		if (w < 0 && errno != EINTR) {
			r->status = -1;
			return;
		}
		if (mono_ns() - t0 > RUN_LIMIT_NS)
			kill(pid, SIGKILL);
		if (rss_ms && mono_ns() >= next) {
			long kb = rss_kb(pid);

			if (kb > r->rss_max)
				r->rss_max = kb;
			if (kb >= 0 && r->nsamples < MAX_SAMPLES)
				r->samples[r->nsamples++] = kb;
			next += (uint64_t)rss_ms * 1000000ULL;
		}
		if (rss_ms)
			sleep_ms(rss_ms < 50 ? rss_ms : 50);
	}
}

static void print_result(FILE *f, const struct run_result *r, long ticks_per_s)
{
	uint64_t tick_ns = NS_PER_S / (uint64_t)ticks_per_s;
	int code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);

	fprintf(f, "wall_ns=%llu\n", (unsigned long long)r->wall_ns);
	fprintf(f, "busy_ns=%llu\n", (unsigned long long)(r->busy_ticks * tick_ns));
	fprintf(f, "total_cpu_ns=%llu\n", (unsigned long long)(r->total_ticks * tick_ns));
	fprintf(f, "cpu_ns=%llu\n", (unsigned long long)(tv_ns(r->ru.ru_utime) + tv_ns(r->ru.ru_stime)));
	fprintf(f, "parent_cpu_ns=%llu\n", (unsigned long long)r->parent_cpu_ns);
	fprintf(f, "maxrss_kb=%ld\n", r->ru.ru_maxrss);
	fprintf(f, "exit=%d\n", code);
	if (r->nsamples) {
		fprintf(f, "rss_max_kb=%ld\nrss_samples_kb=", r->rss_max);
		for (size_t i = 0; i < r->nsamples; i++)
			fprintf(f, "%s%ld", i ? "," : "", r->samples[i]);
		fprintf(f, "\n");
	}
}

static int cmd_run(int argc, char **argv)
{
	struct run_result *r = calloc(1, sizeof(*r));
	const char *out = NULL;
	unsigned int rss_ms = 0;
	uint64_t b0, t0c, b1, t1c, t0, p0;
	FILE *f = stderr;
	pid_t pid;
	int c, code;

	if (!r)
		return 2;
	while ((c = getopt(argc, argv, "+o:r:")) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'r')
			rss_ms = (unsigned int)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "nlbench run: no command\n");
		return 2;
	}
	if (proc_stat_ticks(&b0, &t0c))
		return 2;
	p0 = proc_cpu_ns(getppid());
	t0 = mono_ns();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "nlbench: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	r->rss_max = -1;
	wait_child(pid, rss_ms, t0, r);
	r->wall_ns = mono_ns() - t0;
	r->parent_cpu_ns = proc_cpu_ns(getppid()) - p0;
	if (proc_stat_ticks(&b1, &t1c))
		return 2;
	r->busy_ticks = b1 - b0;
	r->total_ticks = t1c - t0c;
	if (out && !(f = fopen(out, "a"))) {
		fprintf(stderr, "nlbench: cannot write %s: %s\n", out, strerror(errno));
		return 2;
	}
	print_result(f, r, sysconf(_SC_CLK_TCK));
	if (f != stderr)
		fclose(f);
	code = r->status < 0 ? 2 : WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
	free(r);
	return code;
}

static int cmd_mark(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *out = NULL;
	unsigned int port = 9, n = 5;
	uint64_t t = mono_ns();
	FILE *f;
	int c, fd;

	while ((c = getopt(argc, argv, "o:p:n:")) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'p')
			port = (unsigned int)strtoul(optarg, NULL, 10);
		else if (c == 'n')
			n = (unsigned int)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (!out || !(f = fopen(out, "a")))
		return 2;
	fprintf(f, "exec_monotonic_ns=%llu\n", (unsigned long long)t);
	fclose(f);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	for (unsigned int i = 0; i < n && i < 1000; i++) {
		(void)sendto(fd, "nlbench", 7, 0, (struct sockaddr *)&sa, sizeof(sa));
		sleep_ms(1);
	}
	close(fd);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	union bpf_attr attr;
	int fd, status;
	pid_t pid;

	if (argc < 3 || strcmp(argv[1], "--")) {
		fprintf(stderr, "usage: nlbench stats -- CMD ...\n");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.enable_stats.type = BPF_STATS_RUN_TIME;
	fd = (int)syscall(__NR_bpf, BPF_ENABLE_STATS, &attr, sizeof(attr));
	if (fd < 0) {
		fprintf(stderr, "nlbench: bpf(BPF_ENABLE_STATS): %s\n", strerror(errno));
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		close(fd);	/* the command need not hold it: we do */
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "now")) {
		printf("%llu\n", (unsigned long long)mono_ns());
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "mark"))
		return cmd_mark(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	fprintf(stderr, "usage: nlbench now | run [-o FILE] [-r MS] -- CMD ... | mark -o FILE [-p PORT] [-n N] | "
		"stats -- CMD ...\n");
	return 2;
}
