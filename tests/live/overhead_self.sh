#!/bin/sh
# plain: yes
# netlat measures its own cost (include/netlat/self_cost.h): every recording
# carries an "overhead" object, and it is plausible.
# - Under a UDP flood with kernel.bpf_stats_enabled=1 (set here, restored at
#   exit) the kernel times every run, netlat reads without scaling, and its
#   run count is at least the session's "events": every event was handled
#   by a program run (the ground truth is that inequality, from the kernel's
#   own run counter against netlat's event count).
# - With the sysctl at 0 (as found), netlat holds BPF_ENABLE_STATS only for a
#   slice of each interval, says "sampled", and leaves the sysctl at 0; the
#   scaled count of the transmit program is at least half the datagrams
#   netlat-load says it sent (each is one transmit on the namespace's lo;
#   other tests' traffic can only add; half: four 100 ms slices at random
#   points of a paced 4 s flood on a busy shared machine are an estimate,
#   and the exact check is the one above).
# - An idle 1 s recording costs near nothing: BPF under 0.5% and netlat's
#   process under 5% of the recorded CPUs.
# - record -v names every program with the tracepoint it runs on, and the
#   time to armed; JSON has the overhead object with the same numbers.
# - Where a function metric falls to perf sampling, the samples taken match
#   what perf itself takes at the same rate over netlat's window: a
#   `perf record -a -k mono` around the recording, its samples counted
#   between armed_monotonic_ns and the end (the clock alone, 4 kHz per CPU,
#   is an upper bound only: a guest's timer ticks are lost whenever the
#   host does not run its vCPU, and both tools lose them alike).
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || skip "netlat-load not built"
SYSCTL=/proc/sys/kernel/bpf_stats_enabled
[ -r "$SYSCTL" ] || skip "no kernel.bpf_stats_enabled: kernel without BPF run-time statistics"
METRICS=napi,softirq,gso,gro

nl_netns_add selfcost >/dev/null
ns="netlat-t-$$-selfcost"

# tot CSV STAT [KEYPART]: total overhead value of the global row, or summed over program rows matching KEYPART
tot() {
	awk -F, -v s="$2" -v p="$3" '$2 == "total" && $3 == "overhead" && $5 == s &&
		((p == "" && $4 == "") || (p != "" && index($4, p))) { t += $8; any = 1 }
		END { if (any) print t }' "$1"
}
events() { awk -F, '$2 == "total" && $3 == "session" && $5 == "events" { t += $8 } END { print t + 0 }' "$1"; }

flood() {
	tag=$1
	shift
	"$NETLAT" record -v -q --collector bpf -m $METRICS -d 10s -o "$NLTMP/$tag.data" "$@" -- \
		"$LOAD" udp-flood -d 4s -s 200 --rate 10000 --netns "$ns" --peer-netns "$ns" \
		>"$NLTMP/$tag.log" 2>&1 || { cat "$NLTMP/$tag.log"; fail "$tag: record failed"; }
	"$NETLAT" report -i "$NLTMP/$tag.data" --format csv >"$NLTMP/$tag.csv" || fail "$tag: report failed"
}

# --- always on: exact counts ---
[ "$(cat $SYSCTL)" = 0 ] || note "kernel.bpf_stats_enabled was $(cat $SYSCTL) already"
nl_sysctl_set kernel/bpf_stats_enabled 1
flood always
! grep -q "^netlat: own cost: 0 BPF programs" "$NLTMP/always.log" ||
	fail "always: the bpf collector listed no programs (its progs() op, include/netlat/collector.h)"
runs=$(tot "$NLTMP/always.csv" bpf_runs)
ns_run=$(tot "$NLTMP/always.csv" bpf_run_ns)
ev=$(events "$NLTMP/always.csv")
note "always on: runs=$runs run_ns=$ns_run events=$ev"
"$NETLAT" report --full -i "$NLTMP/always.data" | grep -q "^# overhead: .*always: kernel.bpf_stats_enabled=1, not scaled" ||
	fail "always: the header does not say the statistics were always on"
[ -n "$runs" ] && [ "$runs" -gt 0 ] && [ "$ns_run" -gt 0 ] || fail "always: no BPF runs measured under a flood"
[ "$ev" -gt 0 ] || fail "always: the recording counted no events"
[ "$runs" -ge "$ev" ] || fail "always: $runs program runs < $ev events handled"
nl_cleanup	# the sysctl back as it was, and the namespace gone: make a new one
nl_netns_add selfcost >/dev/null

# --- sampled (the sysctl as found) ---
before=$(cat $SYSCTL)
flood sampled
[ "$(cat $SYSCTL)" = "$before" ] || fail "sampled: kernel.bpf_stats_enabled changed from $before to $(cat $SYSCTL)"
log="$NLTMP/sampled.log"
sent=$(sed -n 's/.*udp-flood: sent_msgs=\([0-9]*\).*/\1/p' "$log")
[ -n "$sent" ] && [ "$sent" -gt 1000 ] || { cat "$log"; fail "sampled: netlat-load sent ${sent:-nothing}"; }
if [ "$before" = 0 ]; then
	grep -q "^netlat: own cost: .*sampled: BPF stats on 100ms of each interval at a random point, scaled" "$log" ||
		{ cat "$log"; fail "sampled: record -v does not say the statistics are sampled"; }
	on=$(tot "$NLTMP/sampled.csv" stats_on_ns)
	span=$("$NETLAT" report -i "$NLTMP/sampled.data" --format json | jq .nintervals)
	# each interval held the statistics for a slice (100 ms, up to one 100 ms poll more), not all of it
	[ "$on" -gt 0 ] && [ "$on" -le $((span * 260000000)) ] ||
		fail "sampled: statistics on for $on ns over $span intervals: not a slice of each"
fi
xmit=$(tot "$NLTMP/sampled.csv" runs "at=tp_btf/net_dev_start_xmit")
[ -n "$xmit" ] || xmit=$(tot "$NLTMP/sampled.csv" runs "net_dev_start_xmit")
note "sampled: sent=$sent transmit program runs (scaled)=$xmit, all runs=$(tot "$NLTMP/sampled.csv" bpf_runs)"
[ -n "$xmit" ] && [ "$((xmit * 2))" -ge "$sent" ] ||
	fail "sampled: transmit program ran ${xmit:-0} times (scaled) for $sent datagrams sent"

# record -v: every program with its tracepoint, then the time to armed
nprog=$(grep -c "^netlat: bpf: program [a-z0-9_]* on [a-z_]*/[a-z0-9_]*$" "$log")
[ "$nprog" -gt 0 ] || { cat "$log"; fail "record -v names no program and tracepoint"; }
grep -q "^netlat: own cost: $nprog BPF programs" "$log" || { cat "$log"; fail "record -v: program count differs"; }
grep -Eq "^netlat: armed [0-9]+ ms after netlat started$" "$log" || { cat "$log"; fail "record -v: no time to armed"; }

# JSON: the same numbers as the CSV
"$NETLAT" report -i "$NLTMP/sampled.data" --format json >"$NLTMP/sampled.json" || fail "json report failed"
jruns=$(jq '.overhead.runs' "$NLTMP/sampled.json")
jprog=$(jq '.overhead.programs' "$NLTMP/sampled.json")
[ "$(jq '.overhead.measured' "$NLTMP/sampled.json")" = true ] || fail "json: overhead.measured is not true"
# the CSV holds what was measured; JSON extrapolates over intervals cut before their slice
# (exactly as tests/unit/test_overhead.c works out), so it is equal or, with such an interval, more
crun=$(tot "$NLTMP/sampled.csv" bpf_runs)
if [ "$(jq '.overhead.unmeasured_intervals' "$NLTMP/sampled.json")" = 0 ]; then
	[ "$jruns" = "$crun" ] || fail "json: overhead.runs $jruns differs from the CSV's $crun"
else
	[ "$jruns" -gt "$crun" ] || fail "json: overhead.runs $jruns not extrapolated from the CSV's $crun"
fi
[ "$jprog" = "$nprog" ] || fail "json: overhead.programs $jprog, record -v named $nprog"
[ "$(jq '.overhead.costliest | length' "$NLTMP/sampled.json")" = 3 ] || fail "json: not three costliest programs"

# --- the sampling tier's cost: perf samples taken, where ehash falls to sampling (netlat probe) ---
# Truth from an independent reader: perf's own cpu-clock sampling at the same 4 kHz on every CPU,
# around the recording, counted over netlat's window (CLOCK_MONOTONIC on both sides). Seen
# agreeing within 0.1% (15272 netlat, 15286 perf); 5% either way covers the window's edges.
# The clock (cpus x seconds x 4000) bounds both from above.
command -v perf >/dev/null || fail "perf not installed (make deps installs linux-perf)"
perf record -q -a -k mono -e cpu-clock -F 4000 -o "$NLTMP/perf.data" -- \
	"$NETLAT" record -v -q -m ehash --sample-freq 4000 -d 2s -o "$NLTMP/ehash.data" >"$NLTMP/ehash.log" 2>&1 ||
	{ cat "$NLTMP/ehash.log"; fail "ehash: record (under perf record) failed"; }
if grep -q "^netlat: ehash: .* -> sample" "$NLTMP/ehash.log"; then
	"$NETLAT" report -i "$NLTMP/ehash.data" --format json >"$NLTMP/ehash.json" || fail "ehash: report failed"
	got=$(jq '.overhead.perf_samples' "$NLTMP/ehash.json")
	clock=$(jq '.overhead.cpus * .duration_s * 4000 | floor' "$NLTMP/ehash.json")
	t0=$(jq -r '.meta.armed_monotonic_ns' "$NLTMP/ehash.json")
	dur=$(jq -r '.meta.duration_ns' "$NLTMP/ehash.json")
	want=$(perf script -i "$NLTMP/perf.data" -F time 2>/dev/null |
		awk -v a="$t0" -v d="$dur" '{ t = ($1 + 0) * 1e9; if (t >= a && t < a + d) n++ } END { print n + 0 }')
	note "sampling tier: $got perf samples; perf took $want over netlat's window; the clock allows $clock"
	awk -v g="$got" -v w="$want" -v c="$clock" \
		'BEGIN { exit !(g != "null" && w > 0 && g >= 0.95 * w && g <= 1.05 * w && g <= 1.05 * c) }' ||
		fail "ehash sampled: $got perf samples reported, perf took $want over the same window (clock: $clock)"
	"$NETLAT" report --full -i "$NLTMP/ehash.data" | grep -Eq "^# overhead: .*, [0-9.]+k? perf samples" ||
		fail "ehash sampled: the header does not give the perf samples"
else
	note "ehash is not sampled on this kernel: no perf samples to check"
fi

# --- idle: near zero (other tests' traffic also runs these programs: retry a busy moment) ---
try=1
while :; do
	"$NETLAT" record -q --collector bpf -m $METRICS -d 1s -o "$NLTMP/idle.data" >"$NLTMP/idle.log" 2>&1 ||
		{ cat "$NLTMP/idle.log"; fail "idle: record failed"; }
	"$NETLAT" report -i "$NLTMP/idle.data" --format json >"$NLTMP/idle.json" || fail "idle: report failed"
	bpf=$(jq '.overhead.bpf_cpu_pct' "$NLTMP/idle.json")
	proc=$(jq '.overhead.process_cpu_pct' "$NLTMP/idle.json")
	note "idle try $try: BPF $bpf%, process $proc%"
	[ "$(jq '.overhead.measured' "$NLTMP/idle.json")" = true ] || fail "idle: overhead not measured"
	awk -v b="$bpf" -v p="$proc" 'BEGIN { exit !(b >= 0 && b < 0.5 && p >= 0 && p < 5) }' && break
	[ "$try" -lt 5 ] || fail "idle: 1 s recording cost BPF $bpf%, process $proc% of the CPUs, 5 times"
	try=$((try + 1))
	sleep 2
done
exit 0
