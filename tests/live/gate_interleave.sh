#!/bin/sh
# gate_interleave: `netlat stat --base CMD -- CMD` runs the two alternately and writes both.
# Situation: three pairs of short loopback TCP request-response runs, the baseline
# command given as one shell string. Ground truth: the clock. Each run's start time
# (run.K.start_realtime_ns in each file) must go base 0 < new 0 < base 1 < new 1 < ...;
# each file holds 3 runs; the baseline's runs were its own command (a marker file it
# touches once per run counts 3); diff on the pair works (exit 0 or 1, not 2);
# --calibrate on the pair writes one floor per compared statistic, and with them
# as --noise the same pair exits 0.
# Usage errors: --base without a command, or naming the same file twice, exit 2.
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
command -v python3 >/dev/null 2>&1 || skip "no python3 to read the JSON reports"

"$NETLAT" stat -q -r 3 -m softirq -o "$NLTMP/new.data" --base-output "$NLTMP/base.data" \
	--base "echo x >>$NLTMP/marker; $LOAD tcp-rr -d 300ms" -- "$LOAD" tcp-rr -d 300ms \
	>/dev/null 2>"$NLTMP/stat.err" || { cat "$NLTMP/stat.err"; fail "netlat stat --base failed"; }
[ "$(wc -l <"$NLTMP/marker")" = 3 ] || fail "the baseline command ran $(wc -l <"$NLTMP/marker") times, want 3"
for f in base new; do
	"$NETLAT" report -i "$NLTMP/$f.data" --format json >"$NLTMP/$f.json" || fail "report of $f failed"
done
python3 - "$NLTMP/base.json" "$NLTMP/new.json" <<'PY' || fail "the runs did not alternate base, new, base, new, ..."
import json, sys
b, n = (json.load(open(p)) for p in sys.argv[1:3])
assert b["runs"] == 3 and n["runs"] == 3, (b["runs"], n["runs"])
t = []
for k in range(3):
    t.append(("base", k, int(b["meta"]["run.%d.start_realtime_ns" % k])))
    t.append(("new", k, int(n["meta"]["run.%d.start_realtime_ns" % k])))
order = [x[:2] for x in sorted(t, key=lambda x: x[2])]
print("  order by start time:", " ".join("%s%d" % o for o in order))
assert order == [(s, k) for k in range(3) for s in ("base", "new")], order
PY
"$NETLAT" diff "$NLTMP/base.data" "$NLTMP/new.data" >/dev/null 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "diff of the interleaved pair exited $rc"
# the same pair as an A/A calibration: a floor per compared statistic, then used as --noise
"$NETLAT" diff --calibrate "$NLTMP/base.data" "$NLTMP/new.data" -o "$NLTMP/noise.txt" 2>/dev/null ||
	fail "diff --calibrate exited $?"
ncmp=$("$NETLAT" diff "$NLTMP/base.data" "$NLTMP/new.data" 2>/dev/null | sed -n 's/^summary: \([0-9]*\) compared.*/\1/p')
nfl=$(grep -vc '^#' "$NLTMP/noise.txt")
[ -n "$ncmp" ] && [ "$nfl" = "$ncmp" ] || fail "--calibrate wrote $nfl floors for $ncmp compared statistics"
"$NETLAT" diff --noise "$NLTMP/noise.txt" "$NLTMP/base.data" "$NLTMP/new.data" >/dev/null 2>&1
[ $? = 0 ] || fail "the pair against its own noise floors still exits non-zero"

"$NETLAT" stat -q -r 2 --base "true" -d 100ms >/dev/null 2>"$NLTMP/e1.err"
[ $? = 2 ] && grep -q -- "--base interleaves two commands" "$NLTMP/e1.err" || fail "--base without -- CMD not refused"
"$NETLAT" stat -q -r 2 --base "true" -o "$NLTMP/x.data" --base-output "$NLTMP/x.data" -- true \
	>/dev/null 2>"$NLTMP/e2.err"
[ $? = 2 ] && grep -q "name the same file" "$NLTMP/e2.err" || fail "--base-output = -o not refused"
exit 0
