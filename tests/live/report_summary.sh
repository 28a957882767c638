#!/bin/sh
# report_summary: the default `netlat report` of the `make demo` recording fits one screen.
# Situation: what `make demo` records (netlat record -- netlat-load tcp-bulk -d 2s).
# Asserts: the default report has at most 60 lines of at most 120 columns; it holds the
# ladder section with an rx and a tx row, one line per metric the recording measured
# (the metric names from the JSON, counted independently), and the findings section
# with the same number of findings as `netlat triage -i`; copy's line says that its
# time per KiB needs --syscall-time; `--full` (and -v) holds a
# chart for every histogram with samples that the JSON holds; --top and --sort narrow.
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
command -v python3 >/dev/null 2>&1 || skip "no python3 to read the JSON report"
F="$NLTMP/demo.data"
"$NETLAT" record -q -o "$F" -- "$LOAD" tcp-bulk -d 2s >/dev/null 2>"$NLTMP/rec.err" ||
	{ cat "$NLTMP/rec.err"; fail "netlat record failed"; }

"$NETLAT" report -i "$F" >"$NLTMP/sum.txt" 2>"$NLTMP/sum.err" || fail "default report failed"
lines=$(wc -l <"$NLTMP/sum.txt")
cols=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$NLTMP/sum.txt")
note "default report: $lines lines, widest $cols columns"
sed 's/^/    | /' "$NLTMP/sum.txt"
[ "$lines" -le 60 ] || fail "default report has $lines lines (at most 60)"
[ "$cols" -le 120 ] || fail "default report has a line of $cols columns (at most 120)"
grep -q '^## ladders' "$NLTMP/sum.txt" || fail "no ladder section"
grep -q '^  rx  lo ' "$NLTMP/sum.txt" || fail "no rx ladder row for lo"
grep -q '^  tx  lo ' "$NLTMP/sum.txt" || fail "no tx ladder row for lo"
grep '^  rx  lo ' "$NLTMP/sum.txt" | grep -q '\*' || fail "the rx ladder marks no slowest stage"
grep -q '^## netlat\|^# netlat report' "$NLTMP/sum.txt" || fail "no run header"
grep -q "^# lost events: \|^# LOST EVENTS: " "$NLTMP/sum.txt" || fail "no lost-events line in the header"
grep -Eq '^# overhead: +[0-9]+ BPF programs, ' "$NLTMP/sum.txt" || fail "no overhead line in the header"
# recorded without --syscall-time: copy's time per KiB is "-", and the line says why
grep '^  copy ' "$NLTMP/sum.txt" | grep -q 'ns/KiB - (needs record --syscall-time)' ||
	fail "the copy line does not say why ns/KiB is not measured: $(grep '^  copy ' "$NLTMP/sum.txt")"

# one line per measured metric, the names taken from the JSON report
"$NETLAT" report -i "$F" --format json >"$NLTMP/r.json" || fail "json report failed"
python3 - "$NLTMP/r.json" >"$NLTMP/metrics.txt" <<'PY' || fail "cannot read the JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
for name, m in d["metrics"].items():
    if m.get("status") == "ok":
        print(name)
PY
n=0
for m in $(cat "$NLTMP/metrics.txt"); do
	c=$(sed -n '/^## metrics/,/^## findings/p' "$NLTMP/sum.txt" | grep -c "^  $m  *[^ ]")
	[ "$c" = 1 ] || fail "metric $m has $c lines in the metrics section (want 1)"
	n=$((n + 1))
done
[ $n -ge 8 ] || fail "only $n measured metrics in the demo recording"

# the findings: the same rules as triage -i
grep -q '^## findings' "$NLTMP/sum.txt" || fail "no findings section"
want=$("$NETLAT" triage -i "$F" | grep -c '^#[0-9]')
got=$(sed -n 's/^## findings .*: \([0-9]*\), most severe first$/\1/p' "$NLTMP/sum.txt")
note "findings: $got in the report, $want from netlat triage -i"
[ "$got" = "$want" ] || fail "the report counts $got findings, triage -i $want"

# --full: every histogram with samples in the JSON has its chart
"$NETLAT" report -i "$F" --full >"$NLTMP/full.txt" || fail "--full failed"
"$NETLAT" report -i "$F" -v | cmp -s - "$NLTMP/full.txt" || fail "-v differs from --full"
python3 - "$NLTMP/r.json" "$NLTMP/full.txt" <<'PY' || fail "--full lacks histograms the JSON has"
import json, sys
d = json.load(open(sys.argv[1]))
full = open(sys.argv[2]).read()
missing, n = [], 0
for name, m in d["metrics"].items():
    for row in m.get("rows", []):
        key = " ".join("%s=%s" % kv for kv in row["key"].items())
        for stat, v in row.items():
            if isinstance(v, dict) and "buckets" in v and v.get("count"):
                n += 1
                if "  %s %s %s (" % (name, stat, key) not in full:
                    missing.append("%s %s %s" % (name, stat, key))
print("  --full: %d histograms in the JSON, %d without a chart" % (n, len(missing)))
if missing or n == 0:
    print("  missing: " + "; ".join(missing[:10]))
    sys.exit(1)
PY

# --top 1 keeps one row per metric line; --sort name orders them
"$NETLAT" report -i "$F" --top 1 -m copy >"$NLTMP/top.txt" || fail "--top failed"
grep '^  copy ' "$NLTMP/top.txt" | grep -q ', +[0-9]* more' || fail "--top 1 did not cut the copy rows"
first=$("$NETLAT" report -i "$F" --sort name -m copy | sed -n 's/^  copy  *\([a-z]*\) .*/\1/p')
[ "$first" = rx ] || fail "--sort name: the copy line starts with '$first', want rx"
"$NETLAT" report -i "$F" --sort nosuch >/dev/null 2>&1
[ $? = 2 ] || fail "--sort nosuch did not exit 2"
exit 0
