// SPDX-License-Identifier: GPL-2.0
/* netlat's own cost per interval (include/netlat/self_cost.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "netlat/features.h"
#include "netlat/self_cost.h"
#include "netlat/util.h"

struct sc_prog {
	struct nl_prog_ref ref;
	uint32_t id;
	uint64_t cnt0, ns0;	/* counters when the current slice began */
	uint64_t cnt, ns;	/* counted in this interval's slices */
};

struct nl_self_cost {
	enum nl_self_cost_mode mode;
	char why[128];
	struct sc_prog *p;
	int n;
	uint64_t slice_ns, interval_ns;
	uint64_t next_on;	/* when the next slice starts (monotonic ns), 0 = none pending */
	uint64_t rng;		/* xorshift state: where in each interval the slice goes */
	int stats_fd;		/* held while a slice is on, else -1 */
	bool on;		/* a slice is running (always in NL_SC_ALWAYS) */
	uint64_t on_since;
	uint64_t on_ns;		/* statistics time in this interval */
	uint64_t cpu_prev;
};

static uint64_t process_start_ns;

__attribute__((constructor)) static void note_start(void)
{
	process_start_ns = nl_now_ns();
}

uint64_t nl_self_start_ns(void)
{
	return process_start_ns;
}

uint64_t nl_self_cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

/* kernel.bpf_stats_enabled: 1, 0, or -1 when unreadable. */
static int stats_sysctl(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int prog_counters(int fd, uint32_t *id, uint64_t *cnt, uint64_t *ns)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (id)
		*id = info.id;
	*cnt = info.run_cnt;
	*ns = info.run_time_ns;
	return 0;
}

static void read_all(struct nl_self_cost *sc, bool start)
{
	for (int i = 0; i < sc->n; i++) {
		struct sc_prog *p = &sc->p[i];
		uint64_t cnt, ns;

		if (prog_counters(p->ref.fd, NULL, &cnt, &ns))
			continue;
		if (!start) {
			/* unsigned: a counter never goes back while the program is loaded */
			p->cnt += cnt - p->cnt0;
			p->ns += ns - p->ns0;
		}
		p->cnt0 = cnt;
		p->ns0 = ns;
	}
}

struct nl_self_cost *nl_self_cost_new(const struct nl_prog_ref *progs, int n, uint64_t slice_ns,
				      uint64_t interval_ns)
{
	struct nl_self_cost *sc = nl_xcalloc(1, sizeof(*sc));

	sc->stats_fd = -1;
	sc->slice_ns = slice_ns;
	sc->interval_ns = interval_ns;
	sc->rng = nl_now_ns() | 1;
	if (n > 0) {
		sc->p = nl_xcalloc((size_t)n, sizeof(*sc->p));
		for (int i = 0; i < n; i++) {
			uint64_t c, t;

			sc->p[sc->n].ref = progs[i];
			if (prog_counters(progs[i].fd, &sc->p[sc->n].id, &c, &t) == 0)
				sc->n++;
		}
	}
	if (!sc->n) {
		sc->mode = NL_SC_NO_PROGS;
	} else if (stats_sysctl() == 1) {
		sc->mode = NL_SC_ALWAYS;
	} else {
		/* try it once now, so a kernel that refuses is said before recording */
		int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

		if (fd < 0) {
			sc->mode = NL_SC_UNAVAILABLE;
			snprintf(sc->why, sizeof(sc->why), "bpf(BPF_ENABLE_STATS): %s", nl_errname(-errno));
		} else {
			close(fd);
			sc->mode = NL_SC_SLICED;
		}
	}
	return sc;
}

static void slice_start(struct nl_self_cost *sc)
{
	if (sc->mode == NL_SC_SLICED) {
		sc->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (sc->stats_fd < 0)
			return;		/* this interval goes unmeasured: stats_on_ns 0 says so */
	} else if (sc->mode != NL_SC_ALWAYS) {
		return;
	}
	read_all(sc, true);
	sc->on = true;
	sc->on_since = nl_now_ns();
}

static void slice_end(struct nl_self_cost *sc)
{
	uint64_t end;

	if (!sc->on)
		return;
	read_all(sc, false);
	end = nl_now_ns();
	sc->on_ns += end - sc->on_since;
	sc->on = false;
	if (sc->stats_fd >= 0) {
		close(sc->stats_fd);
		sc->stats_fd = -1;
	}
}

/*
 * The next slice starts at a random point of the interval that begins at
 * now, so that a workload with a rhythm of its own (a burst at each
 * second, a command that starts just after arming) is not always seen at
 * the same phase: the scaled estimate has no bias, only sampling noise.
 */
static void plan_slice(struct nl_self_cost *sc, uint64_t now)
{
	uint64_t room = sc->interval_ns > sc->slice_ns ? sc->interval_ns - sc->slice_ns : 0;

	if (sc->mode == NL_SC_ALWAYS) {
		slice_start(sc);	/* always on: the "slice" is the whole interval */
		return;
	}
	sc->rng ^= sc->rng << 13;
	sc->rng ^= sc->rng >> 7;
	sc->rng ^= sc->rng << 17;
	sc->next_on = now + (room ? sc->rng % room : 0);
	if (sc->next_on == now)
		nl_self_cost_tick(sc, now);
}

void nl_self_cost_begin(struct nl_self_cost *sc, uint64_t now)
{
	sc->cpu_prev = nl_self_cpu_ns();
	plan_slice(sc, now);
}

void nl_self_cost_tick(struct nl_self_cost *sc, uint64_t now)
{
	if (sc->mode != NL_SC_SLICED)
		return;
	if (sc->on && now - sc->on_since >= sc->slice_ns) {
		slice_end(sc);
	} else if (!sc->on && sc->next_on && now >= sc->next_on) {
		sc->next_on = 0;
		slice_start(sc);
	}
}

/* x * num / den without overflowing for the sizes met here (ns in an interval, runs). */
static uint64_t scale(uint64_t x, uint64_t num, uint64_t den)
{
	return den ? (uint64_t)((double)x * (double)num / (double)den + 0.5) : 0;
}

bool nl_self_cost_cut(struct nl_self_cost *sc, struct nl_interval *iv, uint64_t start, uint64_t now,
		      uint64_t *bpf_run_ns)
{
	bool measured = false;
	uint64_t cpu = nl_self_cpu_ns(), span = now > start ? now - start : 0;
	uint64_t runs = 0, run_ns = 0;

	slice_end(sc);
	nl_iv_add_counter(iv, "overhead", "", "process_cpu_ns", "ns", cpu - sc->cpu_prev);
	sc->cpu_prev = cpu;
	if (sc->mode == NL_SC_SLICED || sc->mode == NL_SC_ALWAYS) {
		/*
		 * Runs in the slice, times interval over slice: an estimate whose
		 * noise is that of a sample of the interval (said in the report).
		 * Always on, or a slice as long as the interval: the factor is 1.
		 */
		uint64_t num = sc->mode == NL_SC_ALWAYS ? 1 : span;
		uint64_t den = sc->mode == NL_SC_ALWAYS ? 1 : sc->on_ns;

		nl_iv_add_counter(iv, "overhead", "", "stats_on_ns", "ns", sc->on_ns);
		for (int i = 0; i < sc->n && den; i++) {
			struct sc_prog *p = &sc->p[i];
			char key[NL_KEY_MAX];
			uint64_t c = scale(p->cnt, num, den), t = scale(p->ns, num, den);

			snprintf(key, sizeof(key), "prog=%s id=%u at=%s", p->ref.name, p->id,
				 p->ref.attach[0] ? p->ref.attach : "?");
			nl_iv_add_counter(iv, "overhead", key, "runs", "", c);
			nl_iv_add_counter(iv, "overhead", key, "run_ns", "ns", t);
			runs += c;
			run_ns += t;
		}
		/* cut before its slice came (a short last interval): stats_on_ns 0 says it went unmeasured */
		measured = den > 0;
		if (measured) {
			nl_iv_add_counter(iv, "overhead", "", "bpf_runs", "", runs);
			nl_iv_add_counter(iv, "overhead", "", "bpf_run_ns", "ns", run_ns);
		}
	}
	for (int i = 0; i < sc->n; i++)
		sc->p[i].cnt = sc->p[i].ns = 0;
	sc->on_ns = 0;
	if (bpf_run_ns)
		*bpf_run_ns = run_ns;
	plan_slice(sc, now);
	return measured;
}

enum nl_self_cost_mode nl_self_cost_mode(const struct nl_self_cost *sc)
{
	return sc->mode;
}

void nl_self_cost_describe(const struct nl_self_cost *sc, char *buf, size_t len)
{
	switch (sc->mode) {
	case NL_SC_SLICED:
		snprintf(buf, len, "sampled: BPF stats on %llums of each interval at a random point, scaled",
			 (unsigned long long)(sc->slice_ns / 1000000));
		break;
	case NL_SC_ALWAYS:
		snprintf(buf, len, "always: kernel.bpf_stats_enabled=1, not scaled");
		break;
	case NL_SC_NO_PROGS:
		snprintf(buf, len, "none: no BPF programs");
		break;
	default:
		snprintf(buf, len, "unavailable: %s", sc->why);
	}
}

void nl_self_cost_free(struct nl_self_cost *sc)
{
	if (!sc)
		return;
	if (sc->stats_fd >= 0)
		close(sc->stats_fd);
	free(sc->p);
	free(sc);
}
