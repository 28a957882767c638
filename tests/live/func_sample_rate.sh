#!/bin/sh
# vm: yes
# The sample tier's rate: a default recording samples at the always-on rate
# docs/funclat.md documents, and --sample-freq changes it. Ground truth: the
# rate times time. cpu-clock fires on every CPU whether it is busy or idle,
# so the samples the kernel delivered (cpu_samples, counted over all CPUs)
# must be rate x seconds x CPUs, within 15%. The rate is also what the
# metric's detail ("sample 99 Hz"), its status reason and record's line say.
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
# check_rate FILE METRIC HZ: detail, reason and the kernel's sample count agree with HZ
check_rate() {
	hdr=$("$NETLAT" report -i "$1" -m "$2" | grep -m1 "^# $2 ")
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
	note "$2: $n samples in ${d}s on $c CPUs, asked $3 Hz"
	awk -v n="$n" -v d="$d" -v c="$c" -v hz="$3" 'BEGIN {
		want = hz * d * c; r = n / want
		printf "  %.1f Hz per CPU measured\n", n / d / c
		exit (r < 0.85 || r > 1.15) }' ||
		fail "$2: $n samples in ${d}s x $c CPUs is not $3 Hz per CPU (within 15%)"
}

# 1. The default recording: every function metric that fell to the sample tier.
"$NETLAT" record -d 2s -o "$NLTMP/def.data" 2>"$NLTMP/def.err" >/dev/null || fail "default record failed: $(cat "$NLTMP/def.err")"
sampled=""
for m in ehash copyfn; do
	"$NETLAT" report -i "$NLTMP/def.data" -m "$m" | grep -q "^# $m (func, [^)]*sample" && sampled="$sampled $m"
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
"$NETLAT" record -q -m ehash --probe sample -d 1s -o "$NLTMP/forced.data" || fail "record --probe sample failed"
check_rate "$NLTMP/forced.data" ehash "$doc_hz"
"$NETLAT" record -q -m ehash --probe sample --sample-freq 1000 -d 1s -o "$NLTMP/fast.data" ||
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
