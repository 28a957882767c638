# An independent reader of tracepoints, for ground-truth live tests (POSIX sh,
# busybox awk; source after common.sh). It shares no code with netlat: it
# makes its own tracefs instance "nltruth-<pid>", enables events (optionally
# filtered), reads the *text* `trace` file and counts lines with awk.
#
#   nl_truth_open [BUFFER_KB]       new instance, tracing off (default 16384 KB per CPU)
#   nl_truth_event SYS/EVENT [FILTER]
#   nl_truth_on ; ... ; nl_truth_off
#   nl_truth_dump FILE              trace text to FILE; fails if the instance lost events
#   nl_truth_close                  remove the instance (also done at exit)
#
# Counters read a dump FILE; see each one. Text output hashes pointers (%p),
# consistently within a boot, so skbaddr still pairs enqueue with dequeue.

. "$NLROOT/tests/lib/probe.sh"

NL_TRUTH=""
NL_TRACEFS=""

nl_truth_tracefs() {
	for _t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$_t/instances" ] && { NL_TRACEFS=$_t; return 0; }
	done
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	[ -d /sys/kernel/tracing/instances ] && { NL_TRACEFS=/sys/kernel/tracing; return 0; }
	skip "no tracefs instances"
}

nl_truth_open() {
	[ -n "$NL_TRACEFS" ] || nl_truth_tracefs
	NL_TRUTH="$NL_TRACEFS/instances/nltruth-$$"
	[ -d "$NL_TRUTH" ] && rmdir "$NL_TRUTH"
	mkdir "$NL_TRUTH" || fail "mkdir $NL_TRUTH"
	echo 0 > "$NL_TRUTH/tracing_on"
	echo "${1:-16384}" > "$NL_TRUTH/buffer_size_kb" || fail "buffer_size_kb"
	# one clock for every CPU, so markers and events order exactly in the merged text
	echo mono > "$NL_TRUTH/trace_clock" 2>/dev/null
	echo > "$NL_TRUTH/trace"
}

# nl_truth_event SYS/EVENT [FILTER]: skip the test when the kernel lacks the event.
nl_truth_event() {
	[ -d "$NL_TRUTH/events/$1" ] || skip "no tracepoint $1"
	if [ -n "$2" ]; then
		echo "$2" > "$NL_TRUTH/events/$1/filter" || fail "filter '$2' on $1"
	fi
	echo 1 > "$NL_TRUTH/events/$1/enable" || fail "enable $1"
}

nl_truth_on() { echo 1 > "$NL_TRUTH/tracing_on"; }
nl_truth_off() { echo 0 > "$NL_TRUTH/tracing_on"; }

# nl_truth_mark WORD: a marker line "tracing_mark_write: WORD-<pid>" in the instance.
nl_truth_mark() { echo "$1-$$" > "$NL_TRUTH/trace_marker" || fail "trace_marker"; }

# nl_truth_window FILE OUT: the lines of FILE between the "begin" and "end" markers.
nl_truth_window() {
	awk -v b="begin-$$" -v e="end-$$" '
	/tracing_mark_write:/ { if ($NF == b) { on = 1; seen++ } else if ($NF == e) on = 0; next }
	on' "$1" > "$2"
	grep -q "tracing_mark_write: begin-$$" "$1" || fail "truth: begin marker missing"
	grep -q "tracing_mark_write: end-$$" "$1" || fail "truth: end marker missing"
}

# Sum of per-CPU overruns and dropped events: a truth that lost events is no truth.
nl_truth_lost() {
	cat "$NL_TRUTH"/per_cpu/cpu*/stats 2>/dev/null |
		awk '/^overrun:/ { n += $2 } /^dropped events:/ { n += $3 } END { print n + 0 }'
}

nl_truth_dump() {
	cat "$NL_TRUTH/trace" > "$1" || fail "read $NL_TRUTH/trace"
	_lost=$(nl_truth_lost)
	[ "$_lost" = 0 ] || fail "truth reader lost $_lost events (raise its buffer)"
	grep -q 'LOST.*EVENTS' "$1" && fail "truth reader trace shows lost events"
	return 0
}

nl_truth_close() {
	[ -n "$NL_TRUTH" ] && [ -d "$NL_TRUTH" ] || return 0
	echo 0 > "$NL_TRUTH/tracing_on"
	rmdir "$NL_TRUTH" 2>/dev/null || fail "rmdir $NL_TRUTH"
	NL_TRUTH=""
}

# Remove the instance on every exit path, then common.sh's nl_cleanup.
trap 'nl_truth_close; nl_cleanup' EXIT
trap 'nl_truth_close; nl_cleanup; exit 1' INT TERM HUP

# ---- counters over a dump file ----
# A text line: "<task>-<pid> [CPU] <flags> <secs.usecs>: <event>: <fields>".
# The awk prelude finds the timestamp field, so task names with spaces are fine.
NL_TRUTH_AWK_PRE='
function parse(   i) {
	ev = ""; cpu = -1
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^\[[0-9]+\]$/ && cpu < 0) { cpu = substr($i, 2, length($i) - 2) + 0 }
		if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1) + 0; ev = $(i + 1); return i + 2 }
	}
	return 0
}
function val(name,   i, p) {
	for (i = 1; i <= NF; i++) {
		p = index($i, name "=")
		if (p == 1) return substr($i, length(name) + 2)
	}
	return ""
}'

# nl_truth_netlat_window TRACE DATA OUT: the lines of TRACE inside netlat's own
# recording window, from the recording's metadata (armed_monotonic_ns, when its
# collectors started, and duration_ns; the truth instance runs on the mono
# clock too). Counts over OUT are the independent reader's count "for the same
# window"; only events within microseconds of the two edges can differ.
nl_truth_netlat_window() {
	"$NETLAT" report -i "$2" --format json > "$3.json" 2>/dev/null || fail "netlat report -i $2 --format json"
	_t0=$(sed -n 's/.*"armed_monotonic_ns":"\([0-9]*\)".*/\1/p' "$3.json")
	_d=$(sed -n 's/.*"duration_ns":"\([0-9]*\)".*/\1/p' "$3.json")
	[ -n "$_t0" ] && [ -n "$_d" ] || fail "no armed_monotonic_ns or duration_ns in $2"
	awk -v t0="$_t0" -v d="$_d" "$NL_TRUTH_AWK_PRE"'
	{ if (!parse()) next; t = ts * 1e9; if (t >= t0 && t <= t0 + d) print }' "$1" > "$3"
}

# nl_same_window NETLAT TRUTH LOST: 0 when netlat's count equals the reader's
# count over netlat's window, but for the events netlat reports lost (low side
# only) and 2 + 0.1% for the microseconds at the window's edges, where the
# collectors start and stop around the recorded timestamps.
nl_same_window() {
	awk -v n="$1" -v w="$2" -v l="$3" 'BEGIN {
		slack = 2 + int(w / 1000)
		exit !(n + l + slack >= w && n <= w + slack) }'
}

# nl_lost_confirmed SEEN READER LOST: 0 when netlat's loss figure is the one the reader
# confirms: the events netlat counted (SEEN) plus those it says it lost (LOST) equal the
# reader's count of the same events over netlat's window (READER), but for the edges'
# slack (as nl_same_window). A loss netlat reports that the reader did not see is no
# loss, and a shortfall netlat does not report is one it hides: both fail.
nl_lost_confirmed() {
	awk -v n="$1" -v w="$2" -v l="$3" 'BEGIN {
		slack = 2 + int(w / 1000); d = n + l - w; if (d < 0) d = -d
		exit !(d <= slack) }'
}

# nl_truth_napi FILE DEV: "polls exhausted" for napi_poll lines on device DEV
# (exhausted: work >= budget). DEV as printed, e.g. "(no_device)".
nl_truth_napi() {
	awk -v dev="$2" "$NL_TRUTH_AWK_PRE"'
	{ i = parse(); if (ev != "napi_poll:") next
	  # "napi poll on napi struct X for device D work W budget B"
	  for (j = i; j <= NF; j++) if ($j == "device") break
	  if ($(j + 1) != dev) next
	  polls++; if ($(j + 3) + 0 >= $(j + 5) + 0) ex++ }
	END { print polls + 0, ex + 0 }' "$1"
}

# nl_truth_napi_work FILE DEV: "polls sum p50 p90 max" of the work values of napi_poll
# lines on device DEV (percentiles nearest-rank, as netlat's).
nl_truth_napi_work() {
	awk -v dev="$2" "$NL_TRUTH_AWK_PRE"'
	{ i = parse(); if (ev != "napi_poll:") next
	  for (j = i; j <= NF; j++) if ($j == "device") break
	  if ($(j + 1) == dev) print $(j + 3) + 0 }' "$1" | sort -n |
	awk '{ v[NR] = $1; s += $1 }
	function q(p,   r) { r = int(p * NR); if (r < p * NR) r++; if (r < 1) r = 1; return v[r] }
	END { if (!NR) { print 0, 0, 0, 0, 0; exit }; print NR, s, q(0.5), q(0.9), v[NR] }'
}

# nl_truth_napi_runs_top FILE DEV CPU L: "polls work": how many napi_poll lines on device
# DEV, and how much work, the L NET_RX softirq runs of CPU that hold the most could hold
# (polls and work ranked separately), from softirq_entry/exit vec=3 and napi_poll lines.
# It bounds what L lost events on CPU can hide when a lost event may be a whole softirq
# run no program saw (the bpf collector's witness) and a run polls a device many times.
# Polls outside any run seen whole count as a run of their own; when the file has fewer
# than L runs, each missing one counts 1 poll and the device's budget in work (at most
# one event each).
nl_truth_napi_runs_top() {
	awk -v dev="$2" -v c="$3" "$NL_TRUTH_AWK_PRE"'
	function close_run() { if (p || w) { np[++r] = p; nw[r] = w }; p = 0; w = 0 }
	{ i = parse(); if (cpu != c) next
	  if ((ev == "softirq_entry:" || ev == "softirq_exit:") && val("vec") == 3) { close_run(); next }
	  if (ev != "napi_poll:") next
	  for (j = i; j <= NF; j++) if ($j == "device") break
	  if ($(j + 1) != dev) next
	  p++; w += $(j + 3); if ($(j + 5) + 0 > budget) budget = $(j + 5) + 0 }
	END { close_run(); for (k = 1; k <= r; k++) { print "p", np[k]; print "w", nw[k] }
	      print "budget", budget + 0 }' "$1" |
	sort -k1,1 -k2,2nr | awk -v l="$4" '
	$1 == "budget" { budget = $2; next }
	$1 == "p" && ++kp <= l { sp += $2 }
	$1 == "w" && ++kw <= l { sw += $2 }
	END { if (kp < l) { sp += l - kp; sw += (l - kp) * budget }; print sp + 0, sw + 0 }'
}

# nl_softnet_delta BEFORE AFTER CPU COLUMN: the increase of a /proc/net/softnet_stat
# column (1 processed, 3 time_squeeze; hex) on CPU (the 13th column, else the line).
nl_softnet_delta() {
	for _f in "$1" "$2"; do
		awk -v c="$3" -v k="$4" '{ if (NF >= 13) { cpu = 0; h = $13 } else h = sprintf("%x", NR - 1)
			  for (i = 1; i <= length(h); i++) cpu = cpu * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			  if (cpu != c) next
			  h = $k; v = 0
			  for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
			  print v }' "$_f"
	done | awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }'
}

# nl_truth_count FILE EVENT DEV: lines of EVENT ("netif_receive_skb") whose dev= is DEV.
nl_truth_count() {
	awk -v e="$2:" -v dev="$3" "$NL_TRUTH_AWK_PRE"'
	{ parse(); if (ev == e && val("dev") == dev) n++ }
	END { print n + 0 }' "$1"
}

# nl_truth_gso FILE DEV: "xmits segments" from net_dev_start_xmit on DEV (gso_segs 0 = one segment).
nl_truth_gso() {
	awk -v dev="$2" "$NL_TRUTH_AWK_PRE"'
	{ parse(); if (ev != "net_dev_start_xmit:" || val("dev") != dev) next
	  x++; s = val("gso_segs") + 0; seg += (s > 0 ? s : 1) }
	END { print x + 0, seg + 0 }' "$1"
}

# nl_truth_softirq FILE VEC: "cpu count" lines of softirq_entry vec=VEC, one per CPU seen.
nl_truth_softirq() {
	awk -v vec="$2" "$NL_TRUTH_AWK_PRE"'
	{ parse(); if (ev == "softirq_entry:" && val("vec") == vec) n[cpu]++ }
	END { for (c in n) print c, n[c] }' "$1" | sort -n
}

# nl_truth_softirq_events FILE: "cpu event vec count" lines for every irq:softirq_*
# line of FILE (event without the colon: softirq_entry, softirq_raise, softirq_exit).
nl_truth_softirq_events() {
	awk "$NL_TRUTH_AWK_PRE"'
	{ parse(); if (ev !~ /^softirq_/) next; n[cpu " " substr(ev, 1, length(ev) - 1) " " val("vec")]++ }
	END { for (k in n) print k, n[k] }' "$1" | sort -n
}

# nl_truth_softirq_time FILE CPU VEC: "microseconds pairs": the time between each
# softirq_entry and the next softirq_exit of vector VEC on CPU, summed.
nl_truth_softirq_time() {
	awk -v c="$2" -v vec="$3" "$NL_TRUTH_AWK_PRE"'
	{ parse(); if (cpu != c || val("vec") != vec) next
	  if (ev == "softirq_entry:") t0 = ts
	  else if (ev == "softirq_exit:" && t0 != "") { sum += ts - t0; n++; t0 = "" } }
	END { printf "%.0f %d\n", sum * 1e6, n }' "$1"
}

# nl_truth_qdisc FILE IFINDEX HANDLE_MAJOR_HEX: one sojourn per line (microseconds),
# enqueue -> first non-empty dequeue of the same hashed skbaddr on that root qdisc.
# The last line is "# packets=N unpaired=U".
nl_truth_qdisc() {
	_hx=$(echo "$3" | tr 'a-f' 'A-F')
	awk -v ifi="$2" -v h="0x${_hx}0000" "$NL_TRUTH_AWK_PRE"'
	{ parse()
	  if (ev != "qdisc_enqueue:" && ev != "qdisc_dequeue:") next
	  if (val("ifindex") != ifi || val("handle") != h) next
	  skb = val("skbaddr")
	  if (ev == "qdisc_enqueue:") { enq[skb] = ts; ne++; fifo[ne] = ts; next }
	  if (val("packets") + 0 == 0) next	# empty dequeue
	  nd++
	  # first in, first out (tbf over its default fifo): the k-th dequeue is the k-th enqueue
	  if (head < ne) { head++; fsoj[++nf] = (ts - fifo[head]) * 1e6 }
	  if (!(skb in enq)) { unp++; next }
	  soj[++pk] = (ts - enq[skb]) * 1e6; delete enq[skb] }
	END {
	  # Pair by address where the kernel prints the same address at both ends.
	  # Linux 6.1 prints skbaddr raw (%px) at enqueue and hashed (%p) at
	  # dequeue, so nothing matches there: pair in FIFO order instead.
	  if (pk * 2 >= nd) { for (i = 1; i <= pk; i++) printf "%.0f\n", soj[i]
	                      print "# packets=" pk + 0 " unpaired=" unp + 0 }
	  else { for (i = 1; i <= nf; i++) printf "%.0f\n", fsoj[i]
	         print "# packets=" nf + 0 " unpaired=" nd - nf " (paired in FIFO order: the addresses differ in print)" } }' "$1"
}

# nl_truth_qdisc_enq FILE IFINDEX HANDLE_MAJOR_HEX: the reader's enqueue times on that root
# qdisc, one per line (seconds, the trace clock), in the order the packets were queued.
nl_truth_qdisc_enq() {
	_hx=$(echo "$3" | tr 'a-f' 'A-F')
	awk -v ifi="$2" -v h="0x${_hx}0000" "$NL_TRUTH_AWK_PRE"'
	{ parse()
	  if (ev != "qdisc_enqueue:" || val("ifindex") != ifi || val("handle") != h) next
	  printf "%.6f\n", ts }' "$1"
}

# nl_tbf_median ENQ_FILE WIRE BURST RATE_BIT: the median sojourn (microseconds) a FIFO tbf
# gives packets of WIRE bytes queued at the times in ENQ_FILE: the bucket starts full
# (BURST bytes), fills at RATE_BIT/8 bytes a second up to BURST, and a packet leaves when
# the one before it has left and the bucket holds its bytes. With every packet queued
# at once this is the closed formula of gt_qdisc_tbf; with a sender slower than that
# (the emulated VM) the arithmetic follows the real arrivals.
nl_tbf_median() {
	awk -v w="$2" -v b="$3" -v r="$4" '
	{ e = $1 + 0
	  if (NR == 1) { tok = b; tp = e; dprev = e }
	  t = e > dprev ? e : dprev
	  tok += (t - tp) * r / 8; if (tok > b) tok = b
	  if (tok < w) { t += (w - tok) * 8 / r; tok = w }
	  tok -= w; tp = t; dprev = t
	  printf "%.0f\n", (t - e) * 1e6 }' "$1" |
		sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# nl_truth_median FILE_OF_NUMBERS: the median of numeric lines (comments skipped).
nl_truth_median() {
	grep -v '^#' "$1" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "" }'
}

# nl_truth_rank_range FILE SLACK_PCT: "LO HI", the values (one per line, "#" lines skipped)
# at the ranks SLACK_PCT% of the count below and above the median's (nearest rank).
# For a median taken by another instance of the same events in an emulated guest, whose
# clock can jump between two instances' writes of one event (docs/testing.md).
nl_truth_rank_range() {
	grep -v '^#' "$1" | sort -n | awk -v p="$2" '{ v[NR] = $1 }
	END {
		if (!NR) exit
		m = int((NR + 1) / 2); k = int(NR * p / 100)
		lo = m - k; hi = m + k; if (lo < 1) lo = 1; if (hi > NR) hi = NR
		print v[lo], v[hi] }'
}

# ---- the netlat side, and comparisons ----

# nl_hist_mid NS: the value netlat reports for a percentile that falls in NS's
# histogram bucket (src/collect/bpf/hist_shared.h: exact below 16; above, each power of two
# [2^e, 2^(e+1)) in 16 buckets of width 2^(e-4); a percentile is its bucket's middle).
nl_hist_mid() {
	awk -v v="$1" 'BEGIN {
		v = int(v); if (v < 16) { printf "%d\n", v; exit }
		p = 1; e = 0; while (p * 2 <= v) { p *= 2; e++ }
		w = 1; for (i = 4; i < e; i++) w *= 2	# 2^(e-4): busybox awk (the VM) has no math
		lo = int(v / w) * w
		printf "%.0f\n", lo + int(w / 2) }'
}

# nl_hist_near NETLAT_NS EXPECTED_US PCT: 0 when netlat's percentile NETLAT_NS is the
# middle of a bucket that holds a value within PCT% of EXPECTED_US: "within PCT%" up to
# the histogram's own resolution (a bucket is up to 1/16 of its value wide).
nl_hist_near() {
	for _v in $(awk -v e="$2" -v p="$3" 'BEGIN {
		for (f = -p; f <= p + 1e-9; f += p / 12) printf "%.0f\n", e * 1000 * (1 + f / 100) }'); do
		[ "$(nl_hist_mid "$_v")" = "$1" ] && return 0
	done
	return 1
}

# nl_same_bucket NETLAT_NS READER_US: 0 when netlat's percentile NETLAT_NS is the bucket
# middle of the reader's value at the same rank (READER_US, text-trace microseconds),
# allowing the neighbouring bucket only when the reader's value is within 0.1% of the
# edge: the two read the same events, so the value can differ only by the microseconds
# between the tracepoint's clock reads.
nl_same_bucket() {
	_r=$(awk -v u="$2" 'BEGIN { printf "%.0f\n", u * 1000 }')
	for _v in "$_r" $(awk -v r="$_r" 'BEGIN { printf "%.0f %.0f\n", r * 0.999, r * 1.001 }'); do
		[ "$(nl_hist_mid "$_v")" = "$1" ] && return 0
	done
	return 1
}

# nl_gt_record COLLECTOR OUT LOADLOG [RECORD ARGS...] -- COMMAND...
# With the truth instance on, run `netlat record` on COMMAND, which itself is
# wrapped by begin/end markers. So three nested windows:
#   inner (markers, the workload only) <= netlat's window <= outer (the instance on)
# and a count of the same events satisfies inner <= netlat <= outer; when the
# workload is the only source of those events, all three are equal.
# COMMAND's stdout goes to LOADLOG. Returns netlat's exit status.
# The tracefs collector gets a buffer big enough for the tests' bursts
# (NL_GT_BUFFER_KB, default 16384 KB per CPU): its default one loses events
# when a 30 ms TCP transfer emits 20,000 of them, and says so in lost_events.
nl_gt_record() {
	_c=$1 _out=$2 _log=$3
	shift 3
	_args=$(nl_gt_collector_args "$_c")
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_args="$_args $1"
		shift
	done
	[ "$1" = "--" ] && shift
	nl_truth_on
	# shellcheck disable=SC2086
	NLGT_M="$NL_TRUTH/trace_marker" NLGT_TAG="$$" NLGT_LOG="$_log" \
	"$NETLAT" record -q --collector "$_c" -o "$_out" $_args -- sh -c '
		echo "begin-$NLGT_TAG" > "$NLGT_M"
		"$@" > "$NLGT_LOG"; rc=$?
		echo "end-$NLGT_TAG" > "$NLGT_M"
		exit $rc' nlgt "$@" 2> "$_out.err"
	_rc=$?
	nl_truth_off
	[ -s "$_out.err" ] && sed 's/^/  netlat: /' "$_out.err"
	return $_rc
}

# nl_gt_collector_args COLLECTOR: extra `netlat record` options the tests use with it.
nl_gt_collector_args() {
	[ "$1" = tracefs ] && echo "--buffer-kb ${NL_GT_BUFFER_KB:-16384}"
	return 0
}

# nl_gt_lost REPORT_CSV: netlat's session lost_events summed over all keys (0 without
# rows): "cpu=N" (ring-buffer losses) and whatever a collector adds (the bpf one
# reports recursion misses as "bpf=<metric>").
nl_gt_lost() {
	_l=$(nl_csv_sum "$1" session '' lost_events value)
	echo "${_l:-0}"
}

# nl_csv REPORT_CSV METRIC KEY STAT COLUMN: a total-row field of `netlat report --format csv`.
# COLUMN: value|count|p50|p90|mean. KEY is matched exactly. Empty if there is no such row.
nl_csv() {
	awk -F, -v m="$2" -v k="$3" -v s="$4" -v c="$5" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["interval"] == "total" && $col["metric"] == m && $col["key"] == k && $col["stat"] == s {
		print $col[c]; exit }' "$1"
}

# nl_csv_sum REPORT_CSV METRIC KEYREGEX STAT COLUMN: the sum over total rows whose key matches.
nl_csv_sum() {
	awk -F, -v m="$2" -v k="$3" -v s="$4" -v c="$5" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["interval"] == "total" && $col["metric"] == m && $col["key"] ~ k && $col["stat"] == s {
		n += $col[c]; any = 1 }
	END { if (any) print n + 0 }' "$1"
}

# nl_report OUT.data OUT.csv: the CSV report of a recording.
nl_report() {
	"$NETLAT" report -i "$1" --format csv > "$2" 2> "$2.err" || {
		cat "$2.err"
		fail "netlat report -i $1 failed"
	}
}

# nl_within A B PCT: 0 when |A - B| <= PCT% of B (B > 0).
nl_within() {
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN {
		if (a == "" || b == "" || b + 0 <= 0) exit 1
		d = a - b; if (d < 0) d = -d
		exit !(d <= b * p / 100) }'
}

# nl_collector_usable NAME METRIC: 0 when `netlat record --collector NAME` can arm METRIC
# here; 1, with NL_COLLECTOR_WHY set to probe's reason, when `netlat probe --json` says
# this kernel cannot. Anything else fails the test: a recording that fails (a crash or
# sanitizer abort included) where probe says the collector is available, or one that
# works where probe says it cannot.
nl_collector_usable() {
	NL_COLLECTOR_WHY=""
	_pc=$(nl_probe_collector "$1" "$2")
	[ -n "$_pc" ] || fail "netlat probe --json says nothing of --collector $1 for metric $2"
	_pok=${_pc%% *} _pwhy=${_pc#* }
	if "$NETLAT" record -q --collector "$1" -m "$2" -d 100ms -o "$NLTMP/probe-$1.data" \
		> "$NLTMP/probe-$1.out" 2>&1; then
		nl_sanitizer_check "$NLTMP/probe-$1.out" "record --collector $1 -m $2"
		[ "$_pok" = yes ] ||
			fail "record --collector $1 -m $2 works where netlat probe says it cannot ($_pwhy)"
		return 0
	fi
	[ "$_pok" = no ] || {
		sed 's/^/  netlat: /' "$NLTMP/probe-$1.out" | head -n 5
		fail "collector $1 cannot record $2 though netlat probe says it can ($_pwhy)"
	}
	NL_COLLECTOR_WHY="$1: $_pwhy (netlat probe)"
	return 1
}

# nl_gt_collectors METRIC: set NL_COLLECTORS to the collectors to run ("bpf tracefs"
# minus the unusable ones, each dropped with a note). Skips the test when none is usable.
# Call it directly, not in $(...): skip and fail must end the test itself.
# NL_GT_COLLECTORS (e.g. "tracefs") narrows the list when chasing one collector.
nl_gt_collectors() {
	NL_COLLECTORS=""
	for _c in ${NL_GT_COLLECTORS:-bpf tracefs}; do
		if nl_collector_usable "$_c" "$1"; then
			NL_COLLECTORS="$NL_COLLECTORS $_c"
		else
			note "collector skipped: $NL_COLLECTOR_WHY"
		fi
	done
	[ -n "$NL_COLLECTORS" ] || skip "no collector can record $1"
}

# ---- socket-queue wait by bytes (netlat-load paced-reader --log) ----

# nl_truth_sockq LOG OUT: from LOG.send ("t start end send_ns" per write, byte offsets)
# and LOG.read ("# pid N", then "t bytes" per read), one line per read into OUT: the wait of the oldest
# byte the read took (read time - send time of that byte), ns. OUT.bytes gets
# "wait bytes" for every (read, write) overlap: the byte-weighted waits.
nl_truth_sockq() {
	awk -v bytes="$2.bytes" 'FNR == NR { t[NR] = $1; e[NR] = $3; n = NR; next }
	/^#/ { next }
	{	w = 0
		while (w < n && e[w + 1] <= off) w++
		printf "%.0f\n", $1 - t[w + 1]
		left = $2; pos = off; k = w + 1
		while (left > 0 && k <= n) {
			take = (e[k] < pos + left ? e[k] : pos + left) - pos
			printf("%.0f %d\n", $1 - t[k], take) > bytes
			pos += take; left -= take; k++
		}
		off += $2 }' "$1.send" "$1.read" > "$2"
}

# nl_pct FILE P: the P-th percentile (nearest rank) of the numbers in FILE.
nl_pct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
		if (!NR) exit; r = int(NR * p / 100 + 0.999999); if (r < 1) r = 1; print v[r] }'
}

# nl_wpct FILE P: the same over "value weight" lines.
nl_wpct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1; w[NR] = $2; tot += $2 } END {
		if (!NR) exit; need = tot * p / 100
		for (i = 1; i <= NR; i++) { acc += w[i]; if (acc >= need) { print v[i]; exit } } }'
}

# nl_netstat NS FIELD: a TcpExt counter of /proc/net/netstat inside namespace NS.
nl_netstat() {
	ip netns exec "$1" cat /proc/net/netstat | awk -v f="$2" '
	$1 == "TcpExt:" && !names { for (i = 2; i <= NF; i++) col[$i] = i; names = 1; next }
	$1 == "TcpExt:" && names { print $col[f] + 0; exit }'
}

# nl_sender_free LOG.send: 0 when no write of the log waited in the sender: no earlier write's
# bytes were still unsent after it (SIOCOUTQNSD, 5th field, beyond the write's own bytes,
# which TCP may be handing to the device at that moment: a closed window shows there first)
# and none took 100 ms or more (a write blocked on a full send buffer returns only after
# reads free room; stalls of 30 ms were seen from the scheduler alone on this shared 2-CPU
# machine while triage recorded every metric). Else 1 and NL_WHY says which.
nl_sender_free() {
	NL_WHY=$(awk '$5 < 0 || $5 > $3 - $2 { print "write at " $1 " left " $5 " bytes unsent"; exit }
		$4 >= 100000000 { print "write at " $1 " took " $4 " ns"; exit }' "$1")
	[ -z "$NL_WHY" ]
}
