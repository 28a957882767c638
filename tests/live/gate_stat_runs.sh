#!/bin/sh
# gate_stat_runs: `netlat stat -r 5` holds five runs, and the spread it prints is that of the runs.
# Situation: five runs of a UDP burst over loopback. Ground truth: the file
# itself, read back independently per run through `netlat report --format csv`
# (one total row per run), from which awk computes median, min and max of every
# counter and of histogram counts, p50 and p99; `netlat stat -i FILE -x` must
# print the same numbers (and an RSD within 0.01 points of awk's).
# Also: `report --run K` shows run K only; a run that does not exist exits 2.
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

F="$NLTMP/five.data"
"$NETLAT" stat -r 5 -m napi,gso,softirq -o "$F" -- "$LOAD" udp-burst -n 300 -a 127.0.0.1 \
	>"$NLTMP/stat.txt" 2>"$NLTMP/stat.err" || { cat "$NLTMP/stat.err"; fail "netlat stat -r 5 failed"; }
grep -q "(5 runs)" "$NLTMP/stat.txt" || fail "stat output does not say 5 runs"
"$NETLAT" report -i "$F" --format csv >"$NLTMP/all.csv" || fail "report of the stat file failed"
runs=$(awk -F, 'NR > 1 && $2 == "total" { r[$1] = 1 } END { n = 0; for (k in r) n++; print n }' "$NLTMP/all.csv")
[ "$runs" = 5 ] || fail "the file holds $runs runs, want 5"
"$NETLAT" report -i "$F" --format json | grep -q '"runs":5' || fail "report json does not say runs 5"

# report --run K: that run only
"$NETLAT" report -i "$F" --format csv --run 3 >"$NLTMP/r3.csv" || fail "report --run 3 failed"
other=$(awk -F, 'NR > 1 && $1 != 3' "$NLTMP/r3.csv" | head -n 1)
[ -z "$other" ] || fail "report --run 3 shows another run: $other"
a=$(awk -F, 'NR > 1 && $1 == 3' "$NLTMP/all.csv")
b=$(awk -F, 'NR > 1' "$NLTMP/r3.csv")
[ -n "$a" ] && [ "$a" = "$b" ] || fail "report --run 3 rows differ from run 3's rows of the whole file"
"$NETLAT" report -i "$F" --run 5 >/dev/null 2>"$NLTMP/r5.err"
rc=$?
[ $rc = 2 ] && grep -q "no run 5" "$NLTMP/r5.err" || fail "report --run 5 exited $rc: $(cat "$NLTMP/r5.err")"

# the printed spread against the per-run values
# --match strict: the summary keyed as the CSV is (recorded keys), so rows pair one to one
"$NETLAT" stat -i "$F" -x --match strict >"$NLTMP/spread.csv" || fail "netlat stat -i failed"
# (busybox awk may lack math functions: square root by Newton, powers by multiplication)
awk -F, -v nruns=5 '
function root(x,    r, i) {
	if (x <= 0) return 0
	r = x > 1 ? x : 1
	for (i = 0; i < 200; i++) r = (r + x / r) / 2
	return r
}
function check(id, st, med, lo, hi, rsd,    n, i, j, t, v, m, s, sq, sd) {
	n = 0
	for (i = 0; i < nruns; i++) {
		if ((id SUBSEP i) in val) v[n++] = val[id, i]
		else if (st == "count") v[n++] = 0	# a counter absent from a run counted 0 there
	}
	if (n == 0) return
	for (i = 1; i < n; i++) { t = v[i]; for (j = i - 1; j >= 0 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
	m = n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
	s = 0; for (i = 0; i < n; i++) s += v[i]; s /= n
	sq = 0; for (i = 0; i < n; i++) sq += (v[i] - s) * (v[i] - s)
	sd = (n > 1 && s != 0) ? root(sq / (n - 1)) / (s < 0 ? -s : s) * 100 : 0
	checked++
	if (m != med || v[0] != lo || v[n - 1] != hi || (rsd - sd > 0.01 || sd - rsd > 0.01)) {
		bad++
		printf "  mismatch %s %s: stat says median %s min %s max %s rsd %s; runs give %s %s %s %.4f\n",
			id, st, med, lo, hi, rsd, m, v[0], v[n - 1], sd
	}
}
FNR == 1 { file++; next }
file == 1 && $2 == "total" && $7 == "counter" { val[$3 "," $4 "," $5 ",count", $1] = $8 }
file == 1 && $2 == "total" && $7 == "hist" {
	val[$3 "," $4 "," $5 ",count", $1] = $9
	if ($9 > 0) { val[$3 "," $4 "," $5 ",p50", $1] = $13; val[$3 "," $4 "," $5 ",p99", $1] = $15 }
}
file == 2 && ($4 == "count" || $4 == "p50" || $4 == "p99") {
	check($1 "," $2 "," $3 "," $4, $4, $7 + 0, $8 + 0, $9 + 0, $11 + 0)
}
END {
	printf "  %d statistics checked against the per-run values, %d mismatches\n", checked, bad
	exit (bad > 0 || checked < 10)
}' "$NLTMP/all.csv" "$NLTMP/spread.csv" || fail "stat's spread does not match the runs in the file"
exit 0
