#!/bin/sh
# plain: yes
# The sample tier's rate: a default recording samples at the always-on rate
# docs/funclat.md documents, and --sample-freq changes it. Ground truth: what
# perf itself takes at the same rate: each recording runs under `perf record
# -a -k mono -e cpu-clock -F HZ`, and perf's samples between netlat's
# armed_monotonic_ns and the end of its window are the count netlat's
# cpu_samples must match within 15%; rate x seconds x CPUs bounds both from
# above. (The clock alone is no truth where timer ticks get lost: in the
# software-emulated VM a 1000 Hz recording got 702 Hz per CPU, and a guest
# under a busy host loses them too. The sample tier's code does not depend on
# the kernel, so this test runs on the host only; perf is not in the guest.)
# The rate is also what the metric's detail ("sample 99 Hz"), its status
# reason and record's line say.
. "$NLROOT/tests/lib/common.sh"
need_root

doc_hz=$(sed -n 's/.*default sample rate is \*\*\([0-9]*\) Hz\*\* per CPU.*/\1/p' "$NLROOT/docs/funclat.md" | head -n 1)
[ -n "$doc_hz" ] || fail "docs/funclat.md does not state the default sample rate"

# json_num FILE KEY: a top-level number of the JSON report
json_num() { "$NETLAT" report -i "$1" --format json | grep -o "\"$2\":[0-9][0-9.e+-]*" | head -n 1 | cut -d: -f2; }
# cpu_samples FILE METRIC: cpu_samples of the metric's first sampled function, whole run
cpu_samples() {
	"$NETLAT" report -i "$1" --format csv -m "$2" |
		awk -F, '$2 == "total" && $5 == "cpu_samples" { print $8; exit }'
}
command -v perf >/dev/null || fail "perf not installed (make deps installs linux-perf)"
# sampled_record HZ OUT ARGS...: netlat record ARGS -o OUT under perf sampling at HZ (OUT.perf)
sampled_record() {
	_hz=$1 _out=$2
	shift 2
	perf record -q -a -k mono -e cpu-clock -F "$_hz" -o "$_out.perf" -- "$NETLAT" record "$@" -o "$_out"
}
# check_rate FILE METRIC HZ: detail, reason and the kernel's sample count agree with HZ
check_rate() {
	hdr=$("$NETLAT" report --full -i "$1" -m "$2" | grep -m1 "^# $2 ")
	case $hdr in
	*"sample $3 Hz)"*) ;;
	*) fail "$2: heading does not say 'sample $3 Hz': $hdr" ;;
	esac
	"$NETLAT" report -i "$1" --format json | grep -q "\"$2\":{[^}]*\"reason\":\"sampled at $3 Hz per CPU" ||
		fail "$2: status reason does not start with 'sampled at $3 Hz per CPU'"
	n=$(cpu_samples "$1" "$2")
	d=$(json_num "$1" duration_s)
	c=$(json_num "$1" ncpus)
	[ -n "$n" ] && [ -n "$d" ] && [ -n "$c" ] || fail "$2: no cpu_samples/duration/ncpus in the report"
	"$NETLAT" report -i "$1" --format json >"$1.json" || fail "$2: report --format json failed"
	t0=$(jq -r '.meta.armed_monotonic_ns' "$1.json")
	dur=$(jq -r '.meta.duration_ns' "$1.json")
	p=$(perf script -i "$1.perf" -F time 2>/dev/null |
		awk -v a="$t0" -v d="$dur" '{ t = ($1 + 0) * 1e9; if (t >= a && t < a + d) n++ } END { print n + 0 }')
	note "$2: $n samples in ${d}s on $c CPUs, asked $3 Hz; perf took $p in the same window"
	awk -v n="$n" -v p="$p" -v d="$d" -v c="$c" -v hz="$3" 'BEGIN {
		printf "  %.1f Hz per CPU measured, perf %.1f\n", n / d / c, p / d / c
		exit (p <= 0 || n < 0.85 * p || n > 1.15 * p || n > 1.15 * hz * d * c) }' ||
		fail "$2: $n samples in ${d}s x $c CPUs is not $3 Hz per CPU: perf took $p at that rate in the same window"
}

# 1. The default recording: every function metric that fell to the sample tier.
sampled_record "$doc_hz" "$NLTMP/def.data" -d 2s 2>"$NLTMP/def.err" >/dev/null ||
	fail "default record failed: $(cat "$NLTMP/def.err")"
sampled=""
for m in ehash copyfn; do
	"$NETLAT" report --full -i "$NLTMP/def.data" -m "$m" | grep -q "^# $m (func, [^)]*sample" && sampled="$sampled $m"
done
if [ -n "$sampled" ]; then
	for m in $sampled; do
		check_rate "$NLTMP/def.data" "$m" "$doc_hz"
	done
	grep -q "sampled at $doc_hz Hz per CPU.*--sample-freq" "$NLTMP/def.err" ||
		fail "record does not say the rate and how to ask for more: $(cat "$NLTMP/def.err")"
	note "record said: $(grep -m1 sampled "$NLTMP/def.err")"
else
	note "no function metric of the default set fell to the sample tier on this kernel"
fi

# 2. The sample tier forced, at its default rate and at 1000 Hz.
sampled_record "$doc_hz" "$NLTMP/forced.data" -q -m ehash --probe sample -d 1s || fail "record --probe sample failed"
check_rate "$NLTMP/forced.data" ehash "$doc_hz"
sampled_record 1000 "$NLTMP/fast.data" -q -m ehash --probe sample --sample-freq 1000 -d 1s ||
	fail "record --sample-freq 1000 failed"
check_rate "$NLTMP/fast.data" ehash 1000

# 3. A bad rate is a usage error with one line.
for bad in 0 -5 abc 100001 99x; do
	"$NETLAT" record -q -m ehash --sample-freq "$bad" -d 1s -o "$NLTMP/bad.data" 2>"$NLTMP/bad.err"
	rc=$?
	[ "$rc" = 2 ] || fail "--sample-freq $bad: exit $rc, expected 2"
	[ "$(wc -l <"$NLTMP/bad.err")" = 1 ] && grep -q "invalid sample frequency" "$NLTMP/bad.err" ||
		fail "--sample-freq $bad: not one clear line: $(cat "$NLTMP/bad.err")"
done
exit 0
