#!/bin/sh
# gate_tbf_regression: `netlat diff` names a qdisc that got slower, and only that.
# Situation: UDP bursts through a tbf root qdisc on a veth between two test
# namespaces, recorded with `netlat stat -r 3`; then the same workload with the
# tbf rate halved. Ground truth: tbf releases packet k at (k+1)*wire*8/rate, so
# halving the rate doubles every sojourn (computed expectation: +100%).
# Asserts: BASE -> NEW exits 1 and every regression named is qdisc sojourn on
# this test's device and handle; NEW -> BASE exits 0 and reports the sojourn
# as improved; JUnit output is well-formed XML (xmllint, when installed) with
# testcase/failure counts equal to the text verdicts; markdown has one table
# row per compared statistic.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
command -v tc >/dev/null 2>&1 || skip "no tc (iproute2) here"

# The sender's own time per datagram (s) shifts every sojourn: packet k waits
# ((k+1) * wire - burst) * 8 / rate - k * s, so halving the rate gives
# slightly more than +100% when s is not negligible against the transmit
# time (at 8 mbit, 1.04 ms per packet, s = 0.15-0.2 ms on this loaded host
# gave +118% and +129%). At 1 mbit (8.3 ms per packet) s moves the median
# ratio by under 3%. Base sojourn p50 about 154 ms (N = 40).
N=40 SIZE=1000 RATE=1000 BURST=1600 RUNS=5
# An emulated sender (vm tier) is about ten times slower: shape at 500 kbit there.
[ "${NL_TIER:-}" = vm ] && RATE=500
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
H=$(nl_topo_handle)

stat_runs() { # OUT RATE_KBIT
	nl_topo_tbf "$A" "$NL_DEV_A" "${2}kbit" "$BURST" 1mb
	"$NETLAT" stat -q -r "$RUNS" -m qdisc,gso,gro -o "$1" -- \
		"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		>"$1.stat" 2>"$1.err" || { cat "$1.err"; fail "netlat stat at ${2}kbit failed"; }
}
# sojourn_count: BASE and NEW median sojourn counts of this test's qdisc in fwd.txt
sojourn_count() {
	awk -v d=" dev=$NL_DEV_A " 'index($0, d) && / qdisc / && /sojourn\.count +[0-9]/ {
		for (i = 1; i <= NF; i++) if ($i ~ /sojourn\.count$/) { print $(i + 1), $(i + 2); exit } }' "$NLTMP/fwd.txt"
}
# A run whose recording missed a packet's events (lost events) has its p50 at
# another rank, one bucket off: record both sides again (up to 3 times).
try=1
while :; do
	stat_runs "$NLTMP/base.data" "$RATE"
	stat_runs "$NLTMP/new.data" $((RATE / 2))
	"$NETLAT" diff "$NLTMP/base.data" "$NLTMP/new.data" >"$NLTMP/fwd.txt" 2>"$NLTMP/fwd.err"
	rc=$?
	cnt=$(sojourn_count)
	[ "$cnt" = "$N $N" ] && break
	[ "$try" -lt 3 ] || fail "sojourn counts (BASE NEW) '$cnt' in $try attempts, want $N $N: packets' events lost"
	note "sojourn counts (BASE NEW) $cnt, not $N $N: recording both again"
	try=$((try + 1))
done
sed -n '/^REGRESSION/p;/^summary/p' "$NLTMP/fwd.txt" | sed 's/^/  /'
[ $rc = 1 ] || { cat "$NLTMP/fwd.txt" "$NLTMP/fwd.err"; fail "rate halved: diff exited $rc, want 1"; }
# "REGRESSION: qdisc <key fields> sojourn.<statistic> ...", the key holding dev= and handle=
ours="^REGRESSION: qdisc dev=$NL_DEV_A\( [a-z]*=[^ ]*\)* sojourn\."
grep "$ours" "$NLTMP/fwd.txt" | grep -q " handle=$H: " ||
	fail "the regression named is not the qdisc sojourn on $NL_DEV_A handle $H:"
other=$(grep '^REGRESSION' "$NLTMP/fwd.txt" | grep -v "$ours" ; grep "$ours" "$NLTMP/fwd.txt" | grep -v " handle=$H: ")
[ -z "$other" ] || fail "regressions other than the qdisc sojourn: $other"
# The expected doubling: the change printed for p50. Exactly +100% but for the
# sender's time per packet (under 3% at 1 mbit, see above) and the histogram:
# its buckets are the same at twice the value (log-linear), so a doubled
# median lands in the matching bucket unless that small shift crosses an edge,
# one bucket (up to 1/16) off. Measured on this host: +100.0% in 4 of 5
# clean runs, +110.8% in one whose NEW side had lost an event (now retried).
chg=$(awk -v d="$NL_DEV_A" '$1 == "regressed" && $2 == "qdisc" && $0 ~ ("dev=" d) && $0 ~ /sojourn\.p50/ {
	for (i = 1; i <= NF; i++) if ($i ~ /^[+-][0-9.]+%$/) { sub(/%/, "", $i); print $i + 0; exit } }' \
	"$NLTMP/fwd.txt")
note "sojourn p50 change: ${chg}% (computed: +100%)"
# an emulated CPU (vm tier) adds its own delay to both sides, which shrinks the
# ratio: not measured there, the old bounds stay
lo=93 hi=107
[ "${NL_TIER:-}" = vm ] && lo=50 hi=125
[ -n "$chg" ] && awk -v c="$chg" -v lo=$lo -v hi=$hi 'BEGIN { exit !(c >= lo && c <= hi) }' ||
	fail "sojourn p50 change '$chg%' is not within +$lo%..+$hi% of the computed +100%"

"$NETLAT" diff "$NLTMP/new.data" "$NLTMP/base.data" >"$NLTMP/rev.txt" 2>"$NLTMP/rev.err"
rc=$?
[ $rc = 0 ] || { cat "$NLTMP/rev.txt"; fail "reverse order: diff exited $rc, want 0"; }
grep "^improved  *qdisc  *dev=$NL_DEV_A .*sojourn\.p50 " "$NLTMP/rev.txt" | grep -q " handle=$H: " ||
	{ cat "$NLTMP/rev.txt"; fail "reverse order: qdisc sojourn p50 not reported as improved"; }

# the same verdicts as JUnit and markdown
sum=$(grep '^summary:' "$NLTMP/fwd.txt")
ncmp=$(echo "$sum" | awk '{ print $2 }')
nreg=$(echo "$sum" | awk '{ print $4 }')
"$NETLAT" diff --format junit "$NLTMP/base.data" "$NLTMP/new.data" >"$NLTMP/j.xml"
[ $? = 1 ] || fail "junit: exit status is not 1"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$NLTMP/j.xml" || fail "junit output is not well-formed XML"
	suites=$(xmllint --xpath 'count(/testsuites/testsuite)' "$NLTMP/j.xml")
	cases=$(xmllint --xpath 'count(/testsuites/testsuite/testcase)' "$NLTMP/j.xml")
	fails=$(xmllint --xpath 'count(/testsuites/testsuite/testcase/failure)' "$NLTMP/j.xml")
	top=$(xmllint --xpath 'string(/testsuites/@failures)' "$NLTMP/j.xml")
	[ "$suites" -ge 1 ] || fail "junit: no testsuite element"
else
	note "xmllint not installed here (${NL_TIER:-?} tier): well-formedness not checked, counts by grep"
	cases=$(grep -c '<testcase ' "$NLTMP/j.xml")
	fails=$(grep -c '<failure ' "$NLTMP/j.xml")
	top=$(sed -n 's/^<testsuites .*failures="\([0-9]*\)".*/\1/p' "$NLTMP/j.xml")
fi
note "text: $ncmp compared, $nreg regressed; junit: $cases testcases, $fails failures"
[ "$cases" = "$ncmp" ] || fail "junit has $cases testcases, text compared $ncmp"
[ "$fails" = "$nreg" ] && [ "$top" = "$nreg" ] || fail "junit has $fails/$top failures, text $nreg regressions"
"$NETLAT" diff --format markdown "$NLTMP/base.data" "$NLTMP/new.data" >"$NLTMP/m.md"
rows=$(grep -c '^| ' "$NLTMP/m.md")
sep=$(grep -c '^|---' "$NLTMP/m.md")
[ "$sep" = 1 ] && [ "$rows" = $((ncmp + 1)) ] ||
	fail "markdown: $rows table lines (want $ncmp rows + header), $sep separator lines"
mreg=$(grep -c '^| :x: regressed |' "$NLTMP/m.md")
[ "$mreg" = "$nreg" ] || fail "markdown shows $mreg regressions, text $nreg"
# JSON: parses, and says the same (python3 only where installed: not in the VM)
"$NETLAT" diff --format json "$NLTMP/base.data" "$NLTMP/new.data" >"$NLTMP/d.json"
[ $? = 1 ] || fail "json: exit status is not 1"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$NLTMP/d.json" "$ncmp" "$nreg" "$RUNS" <<'PY' || fail "json output disagrees with the text"
import json, sys
d = json.load(open(sys.argv[1]))
regs = [c for c in d["comparisons"] if c["verdict"] == "regressed"]
assert d["schema"] == "netlat-diff/1" and d["method"] == "rank" and d["spread_available"]
assert len(d["comparisons"]) == int(sys.argv[2]) == d["summary"]["compared"]
assert len(regs) == int(sys.argv[3]) == d["summary"]["regressed"] and d["exit"] == 1
assert all(c["metric"] == "qdisc" and c["stat"] == "sojourn" for c in regs)
assert all(len(c["base_runs"]["values"]) == int(sys.argv[4]) for c in d["comparisons"])
PY
else
	note "python3 not installed here: JSON content not checked"
fi
exit 0
