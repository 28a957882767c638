// SPDX-License-Identifier: GPL-2.0
/*
 * netlat-load: a small, bounded load generator for netlat's live tests.
 *
 * One receiver and one sender, each optionally inside a named network
 * namespace. Traffic only goes to the address given with -a (default
 * loopback). Every loop is bounded in count and in time, so a test can
 * never hang on it. The one-line summary on stdout gives the counts a
 * test uses as truth:
 *   netlat-load MODE: sent_msgs=N sent_bytes=N recv_msgs=N recv_bytes=N errors=N elapsed_s=F [...]
 * paced-reader can also log every send and every read (--log), the truth
 * of each byte's wait in the socket queue (read time minus send time).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S	1000000000ULL
#define NS_PER_MS	1000000ULL
#define MAX_DURATION_NS	(3600 * NS_PER_S)
#define MAX_COUNT	100000000ULL
#define MAX_TCP_MSG	(1 << 20)
#define MAX_UDP_MSG	65507
#define GRACE_NS	(10 * NS_PER_S)	/* how long a receiver waits after the sender is done */
#define UDP_IDLE_NS	(300 * NS_PER_MS)	/* a UDP receiver stops after this much silence */
#define RR_MAX_SAMPLES	(1 << 20)
#define BIG_BUF		(256 << 20)	/* SO_{SND,RCV}BUFFORCE cap */

enum mode { M_TCP_BULK, M_TCP_RR, M_UDP_FLOOD, M_UDP_BURST, M_TCP_CONNECT, M_SLOW_READER, M_PACED_READER };

static const char *const mode_names[] = {
	"tcp-bulk", "tcp-rr", "udp-flood", "udp-burst", "tcp-connect", "slow-reader", "paced-reader",
};

struct opts {
	enum mode mode;
	const char *addr;
	unsigned int port;
	uint64_t duration_ns;
	uint64_t count;		/* 0: not given */
	unsigned int size;
	uint64_t rate;		/* udp-flood messages per second, 0 = unpaced */
	uint64_t delay_ns;	/* slow-reader: reader sleeps this long once readable */
	uint64_t period_ns;	/* slow-reader, paced-reader: sender period */
	uint64_t read_period_ns;	/* paced-reader: the reader wakes this often */
	uint64_t read_size;	/* paced-reader: bytes per read, 0 = all that is queued */
	uint64_t rcvbuf;	/* paced-reader: SO_RCVBUF(FORCE) of the listener, 0 = default */
	const char *log;	/* paced-reader: LOG.send and LOG.read */
	const char *netns;	/* sender's namespace */
	const char *peer_netns;	/* receiver's namespace */
	int cpu, peer_cpu;	/* -1 = not pinned */
	int server_only, client_only;
	int abort_close;	/* tcp-connect --abort: close with SO_LINGER 0 (a RST) */
	int refused;		/* tcp-connect --refused: nobody listens; each connect is refused */
};

struct counts {
	uint64_t sent_msgs, sent_bytes, recv_msgs, recv_bytes, errors;
	uint64_t elapsed_ns;
};

struct rr_stats {
	uint64_t *lat_ns;
	size_t n;
};

static void die(const char *msg)
{
	fprintf(stderr, "netlat-load: %s: %s\n", msg, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / NS_PER_S), (long)(ns % NS_PER_S) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: netlat-load MODE [OPTIONS]\n"
		"modes:\n"
		"  tcp-bulk     stream -s byte writes for -d (or -n writes)\n"
		"  tcp-rr       -s byte request, -s byte response, for -d; prints latency percentiles\n"
		"  udp-flood    datagrams for -d, optionally paced with --rate PPS\n"
		"  udp-burst    -n datagrams as fast as possible (SO_SNDBUFFORCE: never blocks)\n"
		"  tcp-connect  -n connections, each opened and closed\n"
		"               --abort: the receiver sends 1 byte, the sender reads it and\n"
		"               closes with SO_LINGER 0 (one RST each; recv_msgs counts the\n"
		"               receiver's ECONNRESETs)\n"
		"               --refused: no receiver; each connect must be refused (one RST\n"
		"               each from the peer's kernel; recv_msgs counts ECONNREFUSED)\n"
		"  slow-reader  -n messages, one per --period; reader polls, sleeps --delay, reads\n"
		"  paced-reader -s bytes every --period for -d; the reader wakes every --read-period\n"
		"               and makes one read of --read-size bytes (0: everything queued)\n"
		"options:\n"
		"  -a, --addr ADDR       receiver address, IPv4 or IPv6 (default 127.0.0.1)\n"
		"  -p, --port PORT       port (default 5299)\n"
		"  -d, --duration D      e.g. 1s, 500ms (default 1s)\n"
		"  -n, --count N         messages / datagrams / connections\n"
		"  -s, --size BYTES      message size (default 1000; slow-reader 64)\n"
		"      --rate PPS        udp-flood pacing\n"
		"      --delay D         slow-reader: reader's sleep (default 20ms)\n"
		"      --period P        slow-reader: sender's period, > delay (default 30ms)\n"
		"      --read-period P   paced-reader: reader's period (default 30ms)\n"
		"      --read-size N     paced-reader: bytes per read, 0 = all queued (default 0)\n"
		"      --rcvbuf N        paced-reader: receive buffer set before listen (SO_RCVBUFFORCE)\n"
		"      --log PATH        paced-reader: write PATH.send (\"t_ns start end send_ns unsent\" per\n"
		"                        write, byte offsets [start,end)) and PATH.read (\"# pid N\", then\n"
		"                        \"t_ns bytes\" per read), CLOCK_MONOTONIC\n"
		"      --netns NAME      run the sender in /var/run/netns/NAME\n"
		"      --peer-netns NAME run the receiver in /var/run/netns/NAME\n"
		"      --cpu N           pin the sender to CPU N\n"
		"      --peer-cpu N      pin the receiver to CPU N\n"
		"      --server          receiver only (tcp modes and udp modes)\n"
		"      --connect         sender only\n"
		"  -h, --help\n"
		"Everything is bounded: durations <= 1h, counts <= 1e8, receivers give up\n"
		"10 s after the sender is done.\n");
}

/* "1s", "500ms", "100us", "2m", "1.5s"; a bare number is seconds. */
static int parse_duration(const char *s, uint64_t *out)
{
	char *end;
	double v, mul = 1e9;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		mul = 1e6;
	else if (!strcmp(end, "us"))
		mul = 1e3;
	else if (!strcmp(end, "ns"))
		mul = 1;
	else if (!strcmp(end, "m"))
		mul = 60e9;
	else if (*end && strcmp(end, "s"))
		return -EINVAL;
	v *= mul;
	if (!isfinite(v) || v > (double)MAX_DURATION_NS)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int usage_err(const char *opt, const char *val)
{
	fprintf(stderr, "netlat-load: bad value for %s: '%s' (see --help)\n", opt, val);
	return 2;
}

enum { O_RATE = 256, O_DELAY, O_PERIOD, O_NETNS, O_PEER_NETNS, O_CPU, O_PEER_CPU, O_SERVER, O_CONNECT,
       O_ABORT, O_REFUSED, O_READ_PERIOD, O_READ_SIZE, O_RCVBUF, O_LOG };

static const struct option long_opts[] = {
	{ "addr", required_argument, NULL, 'a' },
	{ "port", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "count", required_argument, NULL, 'n' },
	{ "size", required_argument, NULL, 's' },
	{ "rate", required_argument, NULL, O_RATE },
	{ "delay", required_argument, NULL, O_DELAY },
	{ "period", required_argument, NULL, O_PERIOD },
	{ "read-period", required_argument, NULL, O_READ_PERIOD },
	{ "read-size", required_argument, NULL, O_READ_SIZE },
	{ "rcvbuf", required_argument, NULL, O_RCVBUF },
	{ "log", required_argument, NULL, O_LOG },
	{ "netns", required_argument, NULL, O_NETNS },
	{ "peer-netns", required_argument, NULL, O_PEER_NETNS },
	{ "cpu", required_argument, NULL, O_CPU },
	{ "peer-cpu", required_argument, NULL, O_PEER_CPU },
	{ "server", no_argument, NULL, O_SERVER },
	{ "connect", no_argument, NULL, O_CONNECT },
	{ "abort", no_argument, NULL, O_ABORT },
	{ "refused", no_argument, NULL, O_REFUSED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_one(struct opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'a': o->addr = arg; return 0;
	case 'p':
		if (parse_u64(arg, 65535, &v) || v == 0)
			return usage_err("--port", arg);
		o->port = (unsigned int)v;
		return 0;
	case 'd': return parse_duration(arg, &o->duration_ns) ? usage_err("--duration", arg) : 0;
	case 'n':
		if (parse_u64(arg, MAX_COUNT, &o->count) || o->count == 0)
			return usage_err("--count", arg);
		return 0;
	case 's':
		if (parse_u64(arg, MAX_TCP_MSG, &v) || v == 0)
			return usage_err("--size", arg);
		o->size = (unsigned int)v;
		return 0;
	case O_RATE: return parse_u64(arg, 100000000, &o->rate) ? usage_err("--rate", arg) : 0;
	case O_DELAY: return parse_duration(arg, &o->delay_ns) ? usage_err("--delay", arg) : 0;
	case O_PERIOD: return parse_duration(arg, &o->period_ns) ? usage_err("--period", arg) : 0;
	case O_READ_PERIOD:
		if (parse_duration(arg, &o->read_period_ns) || !o->read_period_ns)
			return usage_err("--read-period", arg);
		return 0;
	case O_READ_SIZE: return parse_u64(arg, MAX_TCP_MSG, &o->read_size) ? usage_err("--read-size", arg) : 0;
	case O_RCVBUF: return parse_u64(arg, BIG_BUF, &o->rcvbuf) ? usage_err("--rcvbuf", arg) : 0;
	case O_LOG: o->log = arg; return 0;
	case O_NETNS: o->netns = arg; return 0;
	case O_PEER_NETNS: o->peer_netns = arg; return 0;
	case O_CPU:
	case O_PEER_CPU:
		if (parse_u64(arg, CPU_SETSIZE - 1, &v))
			return usage_err(c == O_CPU ? "--cpu" : "--peer-cpu", arg);
		*(c == O_CPU ? &o->cpu : &o->peer_cpu) = (int)v;
		return 0;
	case O_SERVER: o->server_only = 1; return 0;
	case O_CONNECT: o->client_only = 1; return 0;
	case O_ABORT: o->abort_close = 1; return 0;
	case O_REFUSED: o->refused = o->client_only = 1; return 0;
	case 'h': usage(stdout); exit(0);
	default: return 2;
	}
}

static int check_opts(struct opts *o)
{
	int udp = o->mode == M_UDP_FLOOD || o->mode == M_UDP_BURST;

	if ((o->mode == M_UDP_BURST || o->mode == M_TCP_CONNECT || o->mode == M_SLOW_READER) && !o->count) {
		fprintf(stderr, "netlat-load: %s needs -n COUNT\n", mode_names[o->mode]);
		return 2;
	}
	if (udp && o->size > MAX_UDP_MSG) {
		fprintf(stderr, "netlat-load: UDP size must be <= %d\n", MAX_UDP_MSG);
		return 2;
	}
	if ((o->abort_close || o->refused) && o->mode != M_TCP_CONNECT) {
		fprintf(stderr, "netlat-load: --abort and --refused are for tcp-connect\n");
		return 2;
	}
	if (o->mode == M_SLOW_READER && o->period_ns <= o->delay_ns) {
		fprintf(stderr, "netlat-load: slow-reader needs --period > --delay\n");
		return 2;
	}
	if (o->mode == M_PACED_READER && (o->server_only || o->client_only)) {
		fprintf(stderr, "netlat-load: paced-reader runs both ends\n");
		return 2;
	}
	if (o->server_only && o->client_only) {
		fprintf(stderr, "netlat-load: --server and --connect exclude each other\n");
		return 2;
	}
	return 0;
}

static int parse_args(struct opts *o, int argc, char **argv)
{
	int c, rc, m;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		exit(argc < 2 ? 2 : 0);
	}
	for (m = 0; m < (int)(sizeof(mode_names) / sizeof(mode_names[0])); m++)
		if (!strcmp(argv[1], mode_names[m]))
			break;
	if (m == (int)(sizeof(mode_names) / sizeof(mode_names[0]))) {
		fprintf(stderr, "netlat-load: unknown mode '%s' (see --help)\n", argv[1]);
		return 2;
	}
	o->mode = (enum mode)m;
	if (o->mode == M_SLOW_READER)
		o->size = 64;
	optind = 2;
	while ((c = getopt_long(argc, argv, "a:p:d:n:s:h", long_opts, NULL)) != -1)
		if ((rc = parse_one(o, c, optarg)))
			return rc;
	if (optind < argc) {
		fprintf(stderr, "netlat-load: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return check_opts(o);
}

/* ---- sockets ---- */

static int make_sockaddr(const struct opts *o, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, o->addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)o->port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, o->addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)o->port);
		*len = sizeof(*s6);
		return 0;
	}
	fprintf(stderr, "netlat-load: bad address '%s'\n", o->addr);
	return -EINVAL;
}

static int is_udp(const struct opts *o)
{
	return o->mode == M_UDP_FLOOD || o->mode == M_UDP_BURST;
}

/* Large buffers so a UDP burst neither blocks the sender nor overflows the receiver. */
static void force_buf(int fd, int opt_force, int opt, uint64_t want)
{
	int v = want > BIG_BUF ? BIG_BUF : (int)want;

	if (setsockopt(fd, SOL_SOCKET, opt_force, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

static uint64_t udp_buf_bytes(const struct opts *o)
{
	/* truesize is about size + 1 KiB of skb overhead per datagram */
	uint64_t n = o->count ? o->count : 65536;

	return n * ((uint64_t)o->size + 1024) * 2;
}

static int server_socket(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (make_sockaddr(o, &ss, &len))
		return -1;
	fd = socket(ss.ss_family, is_udp(o) ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (is_udp(o))
		force_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, udp_buf_bytes(o));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
	/* before listen, so the accepted socket inherits it and its window scale fits */
	if (o->rcvbuf)
		force_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, o->rcvbuf);
	if (!is_udp(o) && listen(fd, 128) < 0)
		die("listen");
	return fd;
}

static int client_socket(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (make_sockaddr(o, &ss, &len))
		exit(2);
	fd = socket(ss.ss_family, is_udp(o) ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (is_udp(o))
		force_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, udp_buf_bytes(o));
	if (o->mode == M_TCP_RR || o->mode == M_SLOW_READER || o->mode == M_PACED_READER)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	return fd;
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	if (!name)
		return;
	if (strchr(name, '/')) {
		fprintf(stderr, "netlat-load: bad netns name '%s'\n", name);
		exit(2);
	}
	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (setns(fd, CLONE_NEWNET) < 0)
		die("setns");
	close(fd);
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity");
}

/* ---- receivers ---- */

/* Wait for fd readable; also returns when stop_fd fires or the deadline passes. 1 readable, 0 not. */
static int wait_readable(int fd, int stop_fd, uint64_t deadline, int *stopped, uint64_t max_wait_ns)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { stop_fd, POLLIN, 0 } };
	uint64_t now = now_ns();
	uint64_t wait = deadline > now ? deadline - now : 0;
	int n;

	if (wait > max_wait_ns)
		wait = max_wait_ns;
	n = poll(p, stop_fd >= 0 ? 2 : 1, (int)(wait / NS_PER_MS) + 1);
	if (n < 0 && errno != EINTR)
		die("poll");
	if (n > 0 && stop_fd >= 0 && p[1].revents) {
		*stopped = 1;
		close(stop_fd);
	}
	return n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR));
}

static void recv_udp(const struct opts *o, int fd, int stop_fd, struct counts *c)
{
	char *buf = malloc(65536);
	uint64_t deadline = now_ns() + o->duration_ns + GRACE_NS, last = now_ns();
	int stopped = 0;

	if (!buf)
		die("malloc");
	if (o->mode == M_UDP_BURST)
		deadline = now_ns() + 60 * NS_PER_S;
	while (now_ns() < deadline) {
		if (o->count && c->recv_msgs >= o->count)
			break;
		if (stop_fd < 0 && c->recv_msgs)
			stopped = 1;	/* --server: no sender to tell us; stop on silence */
		if (stopped && now_ns() - last > UDP_IDLE_NS)
			break;
		if (!wait_readable(fd, stopped ? -1 : stop_fd, deadline, &stopped, UDP_IDLE_NS))
			continue;
		for (;;) {
			ssize_t n = recv(fd, buf, 65536, MSG_DONTWAIT);

			if (n < 0)
				break;
			c->recv_msgs++;
			c->recv_bytes += (uint64_t)n;
			last = now_ns();
		}
	}
	free(buf);
}

/* Accept one connection, bounded by the deadline. */
static int accept_one(int lfd, int stop_fd, uint64_t deadline, int *stopped)
{
	while (now_ns() < deadline) {
		if (wait_readable(lfd, *stopped ? -1 : stop_fd, deadline, stopped, NS_PER_S)) {
			int fd = accept(lfd, NULL, NULL);

			if (fd >= 0)
				return fd;
		}
		if (*stopped)
			return -1;
	}
	return -1;
}

static int read_all(int fd, char *buf, size_t len, uint64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n;
		struct pollfd p = { fd, POLLIN, 0 };
		uint64_t now = now_ns();

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)((deadline - now) / NS_PER_MS) + 1) <= 0)
			continue;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		got += (size_t)n;
	}
	return 0;
}

static void recv_tcp_stream(const struct opts *o, int fd, int stop_fd, uint64_t deadline, struct counts *c)
{
	size_t bufsz = o->size > 65536 ? o->size : 65536;
	char *buf = malloc(bufsz);
	int stopped = 0;

	if (!buf)
		die("malloc");
	while (now_ns() < deadline) {
		ssize_t n;

		if (!wait_readable(fd, stopped ? -1 : stop_fd, deadline, &stopped, NS_PER_S))
			continue;
		if (o->mode == M_SLOW_READER)
			sleep_ns(o->delay_ns);	/* the data now waits in the socket queue */
		n = o->mode == M_TCP_RR ? read(fd, buf, o->size) : recv(fd, buf, bufsz, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			c->errors++;
			break;
		}
		c->recv_bytes += (uint64_t)n;
		if (o->mode == M_TCP_RR) {
			/* echo a full response once a full request is in */
			if (n < (ssize_t)o->size && read_all(fd, buf + n, o->size - (size_t)n, deadline))
				break;
			c->recv_bytes += o->size - (uint64_t)n;
			c->recv_msgs++;
			if (write(fd, buf, o->size) != (ssize_t)o->size)
				c->errors++;
		}
		if (o->mode == M_SLOW_READER)	/* drain what else is queued */
			while ((n = recv(fd, buf, bufsz, MSG_DONTWAIT)) > 0)
				c->recv_bytes += (uint64_t)n;
	}
	if (o->mode != M_TCP_RR)
		c->recv_msgs = c->recv_bytes / o->size;
	free(buf);
}

/* ---- paced-reader's log: lines kept in memory, written once at the end ---- */

struct tlog {
	char *buf;
	size_t len, cap;
};

static void tlog_add(struct tlog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tlog_add(struct tlog *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->cap - l->len < 128) {
		l->cap = l->cap ? l->cap * 2 : 1 << 16;
		l->buf = realloc(l->buf, l->cap);
		if (!l->buf)
			die("realloc");
	}
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n;
}

/* Write the log to PATH.SUFFIX (nothing without --log), and let it go. */
static void tlog_write(const struct opts *o, struct tlog *l, const char *suffix)
{
	char path[4096];
	FILE *f;

	if (!o->log) {
		free(l->buf);
		return;
	}
	snprintf(path, sizeof(path), "%s.%s", o->log, suffix);
	f = fopen(path, "w");
	if (!f || fwrite(l->buf ? l->buf : "", 1, l->len, f) != l->len || fclose(f))
		die(path);
	free(l->buf);
}

/*
 * One read per --read-period tick (absolute schedule, so reads do not drift
 * with the time they take), of --read-size bytes or everything queued,
 * until the sender is done. What is left unread is discarded with the socket.
 */
static void recv_paced(const struct opts *o, int fd, int stop_fd, struct counts *c)
{
	size_t bufsz = o->read_size ? o->read_size : (4 << 20);
	char *buf = malloc(bufsz);
	uint64_t t0 = now_ns(), k = 0, deadline = t0 + MAX_DURATION_NS;
	struct tlog log = { NULL, 0, 0 };
	int stopped = 0;

	if (!buf)
		die("malloc");
	tlog_add(&log, "# pid %d\n", (int)getpid());	/* the reader, as netlat should name it */
	while (!stopped && now_ns() < deadline) {
		uint64_t due = t0 + ++k * o->read_period_ns, now = now_ns();
		struct pollfd p = { stop_fd, POLLIN, 0 };
		ssize_t n;

		/*
		 * sleep to the tick, but wake at once when the sender is done;
		 * asked every time, also when behind schedule (a slow machine)
		 */
		if (poll(&p, stop_fd >= 0 ? 1 : 0, due > now ? (int)((due - now) / NS_PER_MS) : 0) > 0)
			break;
		now = now_ns();		/* once: read twice, it can pass due in between */
		if (due > now)
			sleep_ns(due - now);
		n = recv(fd, buf, bufsz, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			c->errors++;
			break;
		}
		tlog_add(&log, "%llu %zd\n", (unsigned long long)now_ns(), n);
		c->recv_msgs++;
		c->recv_bytes += (uint64_t)n;
	}
	tlog_write(o, &log, "read");
	free(buf);
}

static void recv_connect(const struct opts *o, int lfd, int stop_fd, uint64_t deadline, struct counts *c)
{
	int stopped = 0;

	while (c->recv_msgs < o->count) {
		int fd = accept_one(lfd, stop_fd, deadline, &stopped);

		if (fd < 0)
			break;
		if (o->abort_close) {
			/* say "accepted", then wait for the sender's RST: ECONNRESET, nothing sent back */
			char b = 1;

			if (write(fd, &b, 1) != 1 || read(fd, &b, 1) >= 0 || errno != ECONNRESET)
				c->errors++;
			else
				c->recv_msgs++;
		} else {
			c->recv_msgs++;
		}
		close(fd);
	}
}

static void run_receiver(const struct opts *o, int lfd, int stop_fd, struct counts *c)
{
	uint64_t t0 = now_ns();
	uint64_t deadline = t0 + o->duration_ns + GRACE_NS;
	int stopped = 0, fd;

	if (o->mode == M_SLOW_READER || o->mode == M_TCP_CONNECT || o->mode == M_PACED_READER || o->count)
		deadline = t0 + MAX_DURATION_NS;	/* count-bounded; the sender's end stops us */
	if (is_udp(o)) {
		recv_udp(o, lfd, stop_fd, c);
	} else if (o->mode == M_TCP_CONNECT) {
		recv_connect(o, lfd, stop_fd, deadline, c);
	} else if ((fd = accept_one(lfd, stop_fd, deadline, &stopped)) >= 0) {
		if (o->mode == M_PACED_READER)
			recv_paced(o, fd, stopped ? -1 : stop_fd, c);
		else
			recv_tcp_stream(o, fd, stopped ? -1 : stop_fd, deadline, c);
		close(fd);
	}
	c->elapsed_ns = now_ns() - t0;
}

/* ---- senders ---- */

static void send_udp(const struct opts *o, int fd, struct counts *c)
{
	char *buf = calloc(1, o->size);
	uint64_t t0 = now_ns(), end = t0 + o->duration_ns;
	uint64_t limit = o->mode == M_UDP_BURST ? o->count : MAX_COUNT;

	if (!buf)
		die("calloc");
	if (o->mode == M_UDP_BURST)
		end = t0 + 60 * NS_PER_S;
	while (c->sent_msgs < limit) {
		uint64_t now = now_ns();

		if (now >= end)
			break;
		if (o->rate && o->mode == M_UDP_FLOOD) {
			uint64_t due = t0 + c->sent_msgs * NS_PER_S / o->rate;

			if (due > now)
				sleep_ns(due - now);
		}
		if (send(fd, buf, o->size, 0) < 0) {
			c->errors++;
			if (errno != ENOBUFS && errno != ECONNREFUSED && errno != EAGAIN)
				break;
			continue;
		}
		c->sent_msgs++;
		c->sent_bytes += o->size;
	}
	free(buf);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void send_rr(const struct opts *o, int fd, struct counts *c, struct rr_stats *rr)
{
	char *buf = calloc(1, o->size);
	uint64_t end = now_ns() + o->duration_ns;
	uint64_t limit = o->count ? o->count : MAX_COUNT;

	rr->lat_ns = calloc(RR_MAX_SAMPLES, sizeof(*rr->lat_ns));
	if (!buf || !rr->lat_ns)
		die("calloc");
	while (now_ns() < end && c->sent_msgs < limit) {
		uint64_t t = now_ns();

		if (write(fd, buf, o->size) != (ssize_t)o->size) {
			c->errors++;
			break;
		}
		c->sent_msgs++;
		c->sent_bytes += o->size;
		if (read_all(fd, buf, o->size, end + GRACE_NS)) {
			c->errors++;
			break;
		}
		if (rr->n < RR_MAX_SAMPLES)
			rr->lat_ns[rr->n++] = now_ns() - t;
	}
	free(buf);
}

static void send_stream(const struct opts *o, int fd, struct counts *c)
{
	char *buf = calloc(1, o->size);
	uint64_t end = now_ns() + o->duration_ns;
	uint64_t limit = o->count ? o->count : MAX_COUNT;

	if (!buf)
		die("calloc");
	if (o->count)
		end = now_ns() + MAX_DURATION_NS;
	while (c->sent_msgs < limit && now_ns() < end) {
		size_t off = 0;

		while (off < o->size) {
			ssize_t n = write(fd, buf + off, o->size - off);

			if (n <= 0) {
				c->errors++;
				goto out;
			}
			off += (size_t)n;
		}
		c->sent_msgs++;
		c->sent_bytes += o->size;
		if (o->mode == M_SLOW_READER && c->sent_msgs < limit)
			sleep_ns(o->period_ns);
	}
out:
	free(buf);
}

/* --refused: one connect to a port nobody listens on; ECONNREFUSED is the expected answer. */
static void connect_refused(const struct opts *o, struct counts *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	if (make_sockaddr(o, &ss, &len))
		exit(2);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	c->sent_msgs++;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno == ECONNREFUSED)
		c->recv_msgs++;
	else
		c->errors++;
	close(fd);
}

/* --abort: wait for the receiver's byte (it has accepted), then close with a RST. */
static void close_abort(int fd, struct counts *c)
{
	struct linger lg = { 1, 0 };
	char b;

	if (read(fd, &b, 1) != 1 || setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		c->errors++;
}

/* Bytes written but not yet sent (SIOCOUTQNSD); -1 when the kernel cannot say. */
static int unsent_bytes(int fd)
{
	int n;

	return ioctl(fd, SIOCOUTQNSD, &n) ? -1 : n;
}

/* -s bytes every --period for -d, on an absolute schedule; every write and how long it took is logged. */
static void send_paced(const struct opts *o, int fd, struct counts *c)
{
	char *buf = calloc(1, o->size);
	uint64_t t0 = now_ns(), end = t0 + o->duration_ns, k = 0;
	struct tlog log = { NULL, 0, 0 };

	if (!buf)
		die("calloc");
	for (;;) {
		uint64_t due = t0 + k++ * o->period_ns, t;
		ssize_t n;

		if (due >= end)
			break;
		t = now_ns();
		if (due > t)
			sleep_ns(due - t);
		t = now_ns();
		n = write(fd, buf, o->size);
		if (n <= 0) {
			c->errors++;
			break;
		}
		/*
		 * start of the send: the bytes are in the socket once write
		 * returns, send_ns later; unsent (SIOCOUTQNSD) > 0 means they
		 * then still waited in the sender, behind a closed window
		 */
		tlog_add(&log, "%llu %llu %llu %llu %d\n", (unsigned long long)t,
			 (unsigned long long)c->sent_bytes, (unsigned long long)(c->sent_bytes + (uint64_t)n),
			 (unsigned long long)(now_ns() - t), unsent_bytes(fd));
		c->sent_msgs++;
		c->sent_bytes += (uint64_t)n;
	}
	tlog_write(o, &log, "send");
	free(buf);
}

static void send_connects(const struct opts *o, struct counts *c)
{
	uint64_t end = now_ns() + MAX_DURATION_NS;

	while (c->sent_msgs < o->count && now_ns() < end) {
		int fd;

		if (o->refused) {
			connect_refused(o, c);
			continue;
		}
		fd = client_socket(o);
		c->sent_msgs++;
		if (o->abort_close)
			close_abort(fd, c);
		close(fd);
	}
}

static void run_sender(const struct opts *o, struct counts *c, struct rr_stats *rr)
{
	uint64_t t0 = now_ns();
	int fd;

	if (o->mode == M_TCP_CONNECT) {
		send_connects(o, c);
	} else {
		fd = client_socket(o);
		if (is_udp(o))
			send_udp(o, fd, c);
		else if (o->mode == M_TCP_RR)
			send_rr(o, fd, c, rr);
		else if (o->mode == M_PACED_READER)
			send_paced(o, fd, c);
		else
			send_stream(o, fd, c);
		if (!is_udp(o))
			shutdown(fd, SHUT_WR);
		close(fd);
	}
	c->elapsed_ns = now_ns() - t0;
}

/* ---- the two processes ---- */

struct peer {
	pid_t pid;
	int result_fd;	/* receiver's counts arrive here */
	int stop_fd;	/* write end: tells the receiver the sender is done */
};

static void receiver_child(const struct opts *o, int ready_w, int result_w, int stop_r)
{
	struct counts c = { 0 };
	int lfd;
	char ok = 1;

	enter_netns(o->peer_netns);
	pin_cpu(o->peer_cpu);
	lfd = server_socket(o);
	if (lfd < 0)
		_exit(2);
	if (write(ready_w, &ok, 1) != 1)
		_exit(1);
	close(ready_w);
	run_receiver(o, lfd, stop_r, &c);
	if (write(result_w, &c, sizeof(c)) != sizeof(c))
		_exit(1);
	_exit(0);
}

static int start_receiver(const struct opts *o, struct peer *p)
{
	int ready[2], result[2], stop[2];
	char ok = 0;

	if (pipe(ready) || pipe(result) || pipe(stop))
		die("pipe");
	p->pid = fork();
	if (p->pid < 0)
		die("fork");
	if (p->pid == 0) {
		close(ready[0]);
		close(result[0]);
		close(stop[1]);
		receiver_child(o, ready[1], result[1], stop[0]);
	}
	close(ready[1]);
	close(result[1]);
	close(stop[0]);
	p->result_fd = result[0];
	p->stop_fd = stop[1];
	if (read(ready[0], &ok, 1) != 1 || ok != 1) {
		close(ready[0]);
		fprintf(stderr, "netlat-load: receiver failed to start\n");
		waitpid(p->pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	return 0;
}

static int finish_receiver(struct peer *p, struct counts *rc)
{
	struct pollfd pf = { p->result_fd, POLLIN, 0 };
	int status = 0;

	close(p->stop_fd);	/* EOF on the receiver's stop pipe */
	/* the receiver gives up GRACE_NS after stop; allow it a little more */
	if (poll(&pf, 1, (int)((GRACE_NS + 5 * NS_PER_S) / NS_PER_MS)) <= 0 ||
	    read(p->result_fd, rc, sizeof(*rc)) != sizeof(*rc)) {
		fprintf(stderr, "netlat-load: receiver did not report\n");
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		return -1;
	}
	close(p->result_fd);
	waitpid(p->pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void print_summary(const struct opts *o, const struct counts *s, const struct counts *r,
			  struct rr_stats *rr)
{
	uint64_t el = s->elapsed_ns > r->elapsed_ns ? s->elapsed_ns : r->elapsed_ns;

	printf("netlat-load %s: sent_msgs=%llu sent_bytes=%llu recv_msgs=%llu recv_bytes=%llu errors=%llu elapsed_s=%.6f",
	       mode_names[o->mode], (unsigned long long)s->sent_msgs, (unsigned long long)s->sent_bytes,
	       (unsigned long long)r->recv_msgs, (unsigned long long)r->recv_bytes,
	       (unsigned long long)(s->errors + r->errors), (double)el / 1e9);
	if (rr->n) {
		qsort(rr->lat_ns, rr->n, sizeof(*rr->lat_ns), cmp_u64);
		printf(" rate=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f",
		       (double)rr->n * 1e9 / (double)(s->elapsed_ns ? s->elapsed_ns : 1),
		       rr->lat_ns[rr->n / 2] / 1e3, rr->lat_ns[rr->n * 9 / 10] / 1e3,
		       rr->lat_ns[rr->n * 99 / 100] / 1e3);
	}
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct opts o = {
		.addr = "127.0.0.1", .port = 5299, .duration_ns = NS_PER_S, .size = 1000,
		.delay_ns = 20 * NS_PER_MS, .period_ns = 30 * NS_PER_MS, .cpu = -1, .peer_cpu = -1,
		.read_period_ns = 30 * NS_PER_MS,
	};
	struct counts sent = { 0 }, recvd = { 0 };
	struct rr_stats rr = { NULL, 0 };
	struct peer p = { -1, -1, -1 };
	struct sockaddr_storage ss;
	socklen_t sslen;
	int rc, err = 0;

	if ((rc = parse_args(&o, argc, argv)))
		return rc;
	if (make_sockaddr(&o, &ss, &sslen))	/* a bad address is usage, caught before any fork */
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (o.server_only) {
		int lfd;

		enter_netns(o.peer_netns ? o.peer_netns : o.netns);
		pin_cpu(o.peer_cpu >= 0 ? o.peer_cpu : o.cpu);
		lfd = server_socket(&o);
		if (lfd < 0)
			return 2;
		run_receiver(&o, lfd, -1, &recvd);
		close(lfd);
	} else {
		if (!o.client_only && start_receiver(&o, &p))
			return 1;
		enter_netns(o.netns);
		pin_cpu(o.cpu);
		run_sender(&o, &sent, &rr);
		if (!o.client_only && finish_receiver(&p, &recvd))
			err = 1;
	}
	if (o.refused)	/* no receiver: the refusals the sender saw are what came back */
		recvd.recv_msgs = sent.recv_msgs;
	print_summary(&o, &sent, &recvd, &rr);
	free(rr.lat_ns);
	/* UDP send errors (ENOBUFS) are load, not failure; they are in the summary */
	if (sent.errors && !is_udp(&o))
		err = 1;
	return err;
}
