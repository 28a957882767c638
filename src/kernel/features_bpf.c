// SPDX-License-Identifier: GPL-2.0
/*
 * BPF and perf feature tries. Each try loads "r0 = 0; exit" as the program
 * type in question and attaches it the way a collector would, then closes
 * everything: a program type that loads but cannot attach (fentry on a
 * function with too many arguments for the trampoline: ENOTSUPP on 6.1) is
 * of no use, so both steps are part of the answer.
 *
 * Only file descriptors are created here; the kernel detaches programs and
 * frees perf/kprobe PMU events when the process exits, whatever the path,
 * so there is nothing for the cleanup list.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "netlat/features.h"
#include "netlat/vmlinux_btf.h"

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"

static const struct bpf_insn ret0_insns[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/*
 * What the func collector's fentry/fexit programs need besides attaching:
 * their arguments and return value through bpf_get_func_arg/_ret, helpers
 * of Linux 5.17 (funclat.bpf.c). r0 = bpf_get_func_arg_cnt(ctx); r0 = 0;
 * exit: a kernel without them refuses it as it would refuse funclat.
 */
static const struct bpf_insn func_arg_insns[] = {
	{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_func_arg_cnt },
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* libbpf's own warnings would duplicate our one-line reasons. */
static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

/* Load r0=0;exit (fentry/fexit: with the function-argument helper too); an fd or a negative errno. */
static int load_ret0(enum bpf_prog_type type, enum bpf_attach_type eat, int btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		.expected_attach_type = eat,
		.attach_btf_id = (__u32)btf_id,
	);
	bool fargs = type == BPF_PROG_TYPE_TRACING && (eat == BPF_TRACE_FENTRY || eat == BPF_TRACE_FEXIT);
	const struct bpf_insn *insns = fargs ? func_arg_insns : ret0_insns;
	size_t n = fargs ? sizeof(func_arg_insns) / sizeof(func_arg_insns[0]) :
		sizeof(ret0_insns) / sizeof(ret0_insns[0]);
	int fd = bpf_prog_load(type, "netlat_probe", "GPL", insns, n, &opts);

	return fd < 0 ? (errno ? -errno : fd) : fd;
}

static long perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Split "sys:name" into its event name; NULL if there is no colon. */
static const char *tp_event(const char *tp)
{
	const char *c = strchr(tp, ':');

	return c ? c + 1 : NULL;
}

int nl_feature_btf(char *why, size_t len)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		err = -errno;
		snprintf(why, len, "/sys/kernel/btf/vmlinux: %s", nl_errname(err));
	} else if (!nl_vmlinux_btf(&err)) {
		snprintf(why, len, "/sys/kernel/btf/vmlinux: parse failed: %s", nl_errname(err));
	} else {
		err = 0;
		snprintf(why, len, "/sys/kernel/btf/vmlinux");
	}
	libbpf_set_print(old);
	return err;
}

/* Load a TRACING program against BTF id of name/kind and, if attach, attach it. */
static int try_tracing_as(const char *what, const char *target, const char *btf_name, int kind,
			  enum bpf_attach_type eat, bool attach, char *why, size_t len)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet_print);
	struct btf *btf;
	int err, id, prog = -1, link;

	btf = nl_vmlinux_btf(&err);
	if (!btf) {
		snprintf(why, len, "%s %s: no vmlinux BTF: %s", what, target, nl_errname(err));
		goto out;
	}
	id = btf__find_by_name_kind(btf, btf_name, kind);
	if (id < 0) {
		err = -ENOENT;
		snprintf(why, len, "%s %s: not in vmlinux BTF", what, target);
		goto out;
	}
	prog = load_ret0(BPF_PROG_TYPE_TRACING, eat, id);
	if (prog < 0) {
		err = prog;
		snprintf(why, len, "%s %s: load failed: %s", what, target, nl_errname(err));
		goto out;
	}
	if (!attach) {
		err = 0;
		snprintf(why, len, "%s %s: loaded", what, target);
		goto out;
	}
	/* Tracing programs attach by their BTF target; the name must be NULL. */
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		err = errno ? -errno : link;
		snprintf(why, len, "%s %s: attach failed: %s", what, target, nl_errname(err));
		goto out;
	}
	close(link);
	err = 0;
	snprintf(why, len, "%s %s: loaded and attached", what, target);
out:
	if (prog >= 0)
		close(prog);
	libbpf_set_print(old);
	return err;
}

static int try_tracing(const char *what, const char *target, const char *btf_name, int kind,
		       enum bpf_attach_type eat, char *why, size_t len)
{
	return try_tracing_as(what, target, btf_name, kind, eat, true, why, len);
}

int nl_feature_fentry_load(const char *func, char *why, size_t len)
{
	return try_tracing_as("fentry", func, func, BTF_KIND_FUNC, BPF_TRACE_FENTRY, false, why, len);
}

int nl_feature_fentry(const char *func, char *why, size_t len)
{
	int err = try_tracing("fentry", func, func, BTF_KIND_FUNC, BPF_TRACE_FENTRY, why, len);

	if (err)
		return err;
	return try_tracing("fexit", func, func, BTF_KIND_FUNC, BPF_TRACE_FEXIT, why, len);
}

/* Does the running kernel's enum bpf_func_id name BPF_FUNC_loop? */
static bool kernel_has_bpf_loop(void)
{
	int err, id;
	struct btf *btf = nl_vmlinux_btf(&err);
	const struct btf_type *t;
	const struct btf_enum *e;

	id = btf ? btf__find_by_name_kind(btf, "bpf_func_id", BTF_KIND_ENUM) : -1;
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	e = t ? btf_enum(t) : NULL;
	for (int i = 0; e && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), "BPF_FUNC_loop"))
			return true;
	return false;
}

int nl_feature_tp_btf(const char *tp, char *why, size_t len)
{
	const char *ev = tp_event(tp);
	char tname[128];

	if (!ev)
		return snprintf(why, len, "tp_btf %s: not sys:name", tp), -EINVAL;
	/*
	 * The BPF collector's tp_btf build calls global functions with pointer
	 * arguments (Linux 5.12) and bpf_loop (5.17): where bpf_loop is not in
	 * the kernel's helper enum, the collector loads its raw_tp build.
	 */
	if (!kernel_has_bpf_loop()) {
		snprintf(why, len, "tp_btf %s: netlat's tp_btf programs need bpf_loop (Linux 5.17), not in this kernel", ev);
		return -EOPNOTSUPP;
	}
	/* Each tracepoint has a BTF typedef btf_trace_<name> describing its raw arguments. */
	snprintf(tname, sizeof(tname), "btf_trace_%s", ev);
	return try_tracing("tp_btf", ev, tname, BTF_KIND_TYPEDEF, BPF_TRACE_RAW_TP, why, len);
}

int nl_feature_raw_tp(const char *tp, char *why, size_t len)
{
	const char *ev = tp_event(tp);
	int prog, link, err;

	if (!ev)
		return snprintf(why, len, "raw_tp %s: not sys:name", tp), -EINVAL;
	prog = load_ret0(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
	if (prog < 0) {
		snprintf(why, len, "raw_tp %s: load failed: %s", ev, nl_errname(prog));
		return prog;
	}
	link = bpf_raw_tracepoint_open(ev, prog);
	err = link < 0 ? (errno ? -errno : link) : 0;
	if (err)
		snprintf(why, len, "raw_tp %s: attach failed: %s", ev, nl_errname(err));
	else
		snprintf(why, len, "raw_tp %s: loaded and attached", ev);
	if (link >= 0)
		close(link);
	close(prog);
	return err;
}

/* Read one integer from a small sysfs/tracefs file; negative errno on failure. */
static int read_long(const char *path, long *v)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	*v = strtol(buf, NULL, 10);
	return 0;
}

/* Attach prog to a perf event fd: the path of both tracepoint and kprobe programs. */
static int perf_attach(int pfd, int prog)
{
	return ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog) < 0 ? -errno : 0;
}

int nl_feature_bpf_tracepoint(const char *tracefs, const char *tp, char *why, size_t len)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
					.sample_period = 1, .sample_type = PERF_SAMPLE_RAW };
	const char *ev = tp_event(tp);
	char path[512];
	long id;
	int err, prog = -1, pfd = -1;

	if (!ev || !tracefs || !*tracefs)
		return snprintf(why, len, "tracepoint %s: no tracefs for the event id", tp), -ENOENT;
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/id", tracefs, (int)(ev - tp - 1), tp, ev);
	err = read_long(path, &id);
	if (err) {
		snprintf(why, len, "tracepoint %s: read id: %s", ev, nl_errname(err));
		return err;
	}
	attr.config = (__u64)id;
	pfd = (int)perf_open(&attr, 0);
	if (pfd < 0) {
		err = -errno;
		snprintf(why, len, "tracepoint %s: perf_event_open failed: %s", ev, nl_errname(err));
		goto out;
	}
	prog = load_ret0(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (prog < 0) {
		err = prog;
		snprintf(why, len, "tracepoint %s: load failed: %s", ev, nl_errname(err));
		goto out;
	}
	err = perf_attach(pfd, prog);
	if (err)
		snprintf(why, len, "tracepoint %s: attach failed: %s", ev, nl_errname(err));
	else
		snprintf(why, len, "tracepoint %s: loaded and attached", ev);
out:
	if (prog >= 0)
		close(prog);
	if (pfd >= 0)
		close(pfd);
	return err;
}

/* The bit of attr.config that makes a kprobe PMU event a kretprobe ("config:0"). */
static int kprobe_retprobe_bit(void)
{
	char buf[32] = "";
	int bit = 0;
	FILE *fp = fopen(KPROBE_PMU "/format/retprobe", "re");

	if (fp) {
		if (fgets(buf, sizeof(buf), fp))
			sscanf(buf, "config:%d", &bit);
		fclose(fp);
	}
	return bit;
}

/* One kprobe (ret=false) or kretprobe PMU event on func with a KPROBE program attached. */
static int try_kprobe(int type, const char *func, bool ret, char *why, size_t len)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = (__u32)type,
					.sample_period = 1 };
	const char *what = ret ? "kretprobe" : "kprobe";
	int err, prog = -1, pfd;

	attr.config1 = (__u64)(uintptr_t)func;	/* kprobe_func */
	attr.config2 = 0;			/* probe_offset */
	if (ret)
		attr.config = 1ULL << kprobe_retprobe_bit();
	pfd = (int)perf_open(&attr, 0);
	if (pfd < 0) {
		err = -errno;
		snprintf(why, len, "%s %s: perf_event_open failed: %s", what, func, nl_errname(err));
		return err;
	}
	prog = load_ret0(BPF_PROG_TYPE_KPROBE, 0, 0);
	if (prog < 0) {
		err = prog;
		snprintf(why, len, "%s %s: load failed: %s", what, func, nl_errname(err));
		goto out;
	}
	err = perf_attach(pfd, prog);
	if (err)
		snprintf(why, len, "%s %s: attach failed: %s", what, func, nl_errname(err));
	else
		snprintf(why, len, "%s %s: loaded and attached", what, func);
out:
	if (prog >= 0)
		close(prog);
	close(pfd);
	return err;
}

int nl_feature_kprobe(const char *func, char *why, size_t len)
{
	long type;
	int err;

	err = read_long(KPROBE_PMU "/type", &type);
	if (err) {
		snprintf(why, len, "kprobe: not supported (no kprobe PMU)");
		return -EOPNOTSUPP;
	}
	err = try_kprobe((int)type, func, false, why, len);
	if (err)
		return err;
	return try_kprobe((int)type, func, true, why, len);
}

int nl_feature_perf_cpu_clock(char *why, size_t len)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.freq = 1,
		.sample_freq = 99,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_CALLCHAIN,
		.exclude_user = 1,
		.disabled = 1,
	};
	int fd = (int)perf_open(&attr, 0);

	if (fd < 0) {
		int err = -errno;

		snprintf(why, len, "cpu-clock on cpu 0, all pids: perf_event_open failed: %s",
			 nl_errname(err));
		return err;
	}
	close(fd);
	snprintf(why, len, "cpu-clock sampling with kernel callchains on cpu 0, all pids");
	return 0;
}
