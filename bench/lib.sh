# bench/lib.sh: what every bench section shares. Sourced by bench/run.sh (POSIX sh).
#
# Tools: bare (no tracer), bpf and tracefs (netlat record --collector ...),
# bpftrace (bench/netlat-equiv.bt) and perf (perf record -a of the same
# tracepoints). Every tracer runs the measured command itself, once its
# probes are armed, so the measuring window (nlbench run) holds the
# workload only, never the tracer's start-up or tear-down.

BENCH_PORT=${BENCH_PORT:-5391}

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

# The bpftrace program without the probes of tracepoints this kernel lacks.
make_bt() {
	_tfs=/sys/kernel/tracing/events
	[ -d "$_tfs" ] || _tfs=/sys/kernel/debug/tracing/events
	while IFS= read -r _l; do
		case "$_l" in
		tracepoint:*)
			_tp=${_l#tracepoint:}
			_tp=${_tp%% *}
			[ -d "$_tfs/${_tp%%:*}/${_tp#*:}" ] || continue ;;
		esac
		printf '%s\n' "$_l"
	done < "$BENCH_DIR/netlat-equiv.bt" > "$WORK/equiv.bt"
	# perf gets exactly the tracepoints bpftrace got
	PERF_EVENTS=$(sed -n 's/^tracepoint:\([a-z_0-9]*:[a-z_0-9]*\) .*/-e \1/p' "$WORK/equiv.bt" | tr '\n' ' ')
	NTP=$(grep -c '^tracepoint:' "$WORK/equiv.bt")
}

# under TOOL OUTBASE CMD...: run CMD under TOOL; the tracer's own output and
# data go to OUTBASE.*. Returns the tracer's exit status.
under() {
	_tool=$1 _ob=$2
	shift 2
	case "$_tool" in
	bare) "$@" ;;
	bpf|tracefs)
		"$NETLAT" record -v --collector "$_tool" -o "$_ob.data" -- "$@" 2> "$_ob.err" ;;
	full)
		# everything netlat can arm at full rate: every skb paired, syscalls timed,
		# functions sampled at 4 kHz, no overhead budget
		"$NETLAT" record -v --collector bpf --syscall-time --sample-freq 4000 --overhead-budget 0 \
			-o "$_ob.data" -- "$@" 2> "$_ob.err" ;;
	bpftrace)
		# bpftrace -c takes one string; our commands have no spaces in arguments
		bpftrace -o "$_ob.out" -c "$*" "$WORK/equiv.bt" 2> "$_ob.err" ;;
	perf)
		# shellcheck disable=SC2086
		perf record -q -a $PERF_EVENTS -o "$_ob.data" -- "$@" 2> "$_ob.err" ;;
	*) die "unknown tool $_tool" ;;
	esac
}

# tool_events TOOL OUTBASE: print "EVENTS LOST" the tracer counted, then
# remove its (possibly large) data.
tool_events() {
	case "$1" in
	bare) echo "0 0" ;;
	bpf|tracefs|full)
		"$NETLAT" report -i "$2.data" --format csv 2>/dev/null | awk -F, '
			$2 == "total" && $3 == "session" && $5 == "events" { e += $8 }
			$2 == "total" && $3 == "session" && $5 == "lost_events" { l += $8 }
			END { printf "%d %d\n", e, l }' ;;
	bpftrace)
		awk '/^@ev:/ { e = $2 } END { printf "%d 0\n", e }' "$2.out" 2>/dev/null || echo "0 0" ;;
	perf)
		# LOST_SAMPLES lines per event give the samples perf dropped
		perf report -i "$2.data" --stats 2>/dev/null | awk '
			/^ *SAMPLE events:/ && !agg { e = $3; agg = 1 }
			/stats:$/ { per = 1 }
			per && /LOST_SAMPLES events:/ { l += $3 }
			END { printf "%d %d\n", e, l }' ;;
	esac
	rm -f "$2.data" "$2.data.old" "$2.out"
}

# kv FILE KEY: the value of KEY=... in a file of key=value words or lines.
kv() {
	tr ' ' '\n' < "$1" | sed -n "s/^$2=//p" | tail -n 1
}

# install_tools: bpftrace and perf from Debian, only when missing (idempotent).
install_tools() {
	_miss=
	command -v bpftrace >/dev/null 2>&1 || _miss="$_miss bpftrace"
	command -v perf >/dev/null 2>&1 || _miss="$_miss linux-perf"
	[ -z "$_miss" ] && return 0
	log "installing$_miss"
	# shellcheck disable=SC2086
	env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $_miss \
		</dev/null >/dev/null 2>&1 || {
		env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null 2>&1
		env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $_miss \
			</dev/null >/dev/null 2>&1
	} || die "cannot install$_miss"
}

# median/min/max of the numbers on stdin: prints "MIN MEDIAN MAX" (or "- - -").
mmm() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.6g %.6g %.6g\n", v[1], m, v[NR] }'
}
