#!/bin/sh
# bench/run.sh: netlat's overhead, lost events, start-up, memory and report
# speed, against bpftrace and perf (`make bench`; docs/performance.md).
#
# Env: NETLAT (netlat binary), NLBIN (dir with netlat-load), BENCH_QUICK=1
# (short runs and soaks: a smoke run), BENCH_SECTIONS (subset of
# "overhead probecost selfcost lost startup memory report"), BENCH_RESULTS (default
# bench/results), BENCH_DOC (default docs/performance.md: its generated block).
# Needs root. Traffic: loopback only. Restores what it changes (nothing
# system-wide beyond installing bpftrace and perf when missing).
set -u

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
NETLAT=${NETLAT:-$ROOT/build/netlat}
NLBIN=${NLBIN:-$(dirname "$NETLAT")/tools}
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 1 ] || QUICK=0
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
SECTIONS=${BENCH_SECTIONS:-overhead probecost selfcost lost startup memory report}

. "$BENCH_DIR/lib.sh"
. "$BENCH_DIR/overhead.sh"
. "$BENCH_DIR/lost.sh"
. "$BENCH_DIR/startup.sh"
. "$BENCH_DIR/memory.sh"
. "$BENCH_DIR/report_speed.sh"
. "$BENCH_DIR/probecost.sh"
. "$BENCH_DIR/selfcost.sh"
. "$BENCH_DIR/publish.sh"

if [ "$QUICK" = 1 ]; then
	OV_DUR=${OV_DUR:-1} OV_REPS=${OV_REPS:-2}
	LOST_DUR=${LOST_DUR:-1} LOST_RATES=${LOST_RATES:-"10000 40000 max"}
	SU_REPS=${SU_REPS:-2} MEM_SECONDS=${MEM_SECONDS:-"5 30"} RS_SECONDS=${RS_SECONDS:-"2"}
	SC_DUR=${SC_DUR:-2} SC_REPS=${SC_REPS:-1} SC_ARM_REPS=${SC_ARM_REPS:-3}
else
	OV_DUR=${OV_DUR:-3} OV_REPS=${OV_REPS:-5}
	LOST_DUR=${LOST_DUR:-3} LOST_RATES=${LOST_RATES:-"5000 10000 20000 40000 80000 max"}
	SU_REPS=${SU_REPS:-10} MEM_SECONDS=${MEM_SECONDS:-"60 600"} RS_SECONDS=${RS_SECONDS:-"2 10 30"}
	SC_DUR=${SC_DUR:-10} SC_REPS=${SC_REPS:-5} SC_ARM_REPS=${SC_ARM_REPS:-10}
fi
OV_WORKLOADS=${OV_WORKLOADS:-"tcp_rr udp_small tcp_bulk"}
OV_TOOLS=${OV_TOOLS:-"bpf full tracefs bpftrace perf"}

[ "$(id -u)" = 0 ] || die "needs root (tracing)"
[ -x "$NETLAT" ] || die "no netlat at $NETLAT (make first, or set NETLAT)"
[ -x "$NLBIN/netlat-load" ] || die "no netlat-load in $NLBIN"
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (sender and receiver are pinned to CPUs 0 and 1)"
install_tools

WORK=$(mktemp -d /tmp/nlbench.XXXXXX) || die "mktemp failed"
BG_PIDS=
STATS_OLD=
cleanup() {
	stop_background
	# probecost turns the kernel's BPF run-time statistics on; put them back
	[ -n "$STATS_OLD" ] && echo "$STATS_OLD" > /proc/sys/kernel/bpf_stats_enabled
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

NLBENCH=$WORK/nlbench
${CC:-cc} -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -o "$NLBENCH" "$BENCH_DIR/nlbench.c" ||
	die "cannot build bench/nlbench.c"
make_bt
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
cd "$WORK" || die "cannot enter $WORK"
log "netlat $NETLAT, quick=$QUICK, sections: $SECTIONS, load average $LOAD_START"

# every section file exists even when the section is skipped
for _f in overhead probecost probecost.progs selfcost armed lost startup memory report; do
	: > "$WORK/$_f.tsv"
done
: > "$WORK/overhead.sum.tsv"
for _s in $SECTIONS; do
	case "$_s" in
	overhead) run_overhead ;;
	probecost) run_probecost ;;
	selfcost) run_selfcost ;;
	lost) run_lost ;;
	startup) run_startup ;;
	memory) run_memory ;;
	report) run_report_speed ;;
	*) die "unknown section $_s" ;;
	esac
done
publish
