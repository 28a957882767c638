# netlat report --plot on real recordings.
# Ground truth: gnuplot's exit status, and the PNG files themselves, decoded by
# tests/tools/png_stat.c (zlib, nothing of netlat's): every image is 900x520 and
# not blank (more than one colour). Every chart type is produced from loopback
# TCP traffic; a one-interval recording and a metric that saw no events still
# plot, the empty chart saying "no events"; a script re-runs with plain gnuplot;
# without gnuplot, --plot fails with one line naming the package while the text
# and JSON reports still work.
. "$NLROOT/tests/lib/common.sh"
need_root
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot not installed (apt-get install gnuplot-nox)"
command -v cc >/dev/null 2>&1 || skip "no C compiler to build tests/tools/png_stat.c"
PNGSTAT="$NLTMP/png_stat"
cc -O2 -o "$PNGSTAT" "$NLROOT/tests/tools/png_stat.c" -lz 2>"$NLTMP/cc.err" ||
	{ cat "$NLTMP/cc.err"; skip "cannot build png_stat (zlib1g-dev missing?)"; }
PORT=$((20000 + $$ % 20000))

# check_pngs DIR: every .gp has its .dat and a 900x520 PNG with more than one colour.
check_pngs() {
	n=0
	for gp in "$1"/*.gp; do
		[ -e "$gp" ] || fail "no chart in $1"
		base=${gp%.gp}
		[ -s "$base.dat" ] || fail "$base.gp has no .dat beside it"
		[ -s "$base.png" ] || fail "$base.gp has no .png"
		out=$("$PNGSTAT" "$base.png") || fail "png_stat cannot read $base.png"
		set -- "$1" $out
		[ "$3" = 900 ] && [ "$4" = 520 ] || fail "$base.png is $3x$4, expected 900x520"
		[ "$5" -gt 1 ] || fail "$base.png is blank (one colour)"
		n=$((n + 1))
	done
	note "$n charts in $1, each 900x520 and not blank"
}

# ---- a recording with intervals: every chart type ----
A="$NLTMP/a.data"
"$NETLAT" record -q -d 4s -I 500ms -m softirq,napi,gro,gso,qdisc,rx,tx -o "$A" -- \
	"$NLBIN/netlat-load" tcp-bulk -d 2s -p "$PORT" >"$NLTMP/rec-a.out" 2>&1 ||
	{ cat "$NLTMP/rec-a.out"; fail "netlat record exited $?"; }
"$NETLAT" report -i "$A" --plot "$NLTMP/a" 2>"$NLTMP/plot-a.err" ||
	{ cat "$NLTMP/plot-a.err"; fail "report --plot exited $?"; }
[ ! -s "$NLTMP/plot-a.err" ] || { cat "$NLTMP/plot-a.err"; fail "report --plot printed warnings"; }
check_pngs "$NLTMP/a"
for c in softirq.cpu napi.cpu gro_ratio.time gso_segs_per_xmit.time; do
	[ -s "$NLTMP/a/$c.png" ] || fail "no $c chart"
done
for kind in dist time heat; do
	ls "$NLTMP/a"/softirq_duration_*NET_RX."$kind".png >/dev/null 2>&1 ||
		fail "no softirq duration .$kind chart"
done
"$NETLAT" report -i "$A" --format json >"$NLTMP/a.json" || fail "report --format json exited $?"
for m in rx tx; do
	if grep -q "\"$m\":{\"status\":\"ok\"" "$NLTMP/a.json"; then
		[ -s "$NLTMP/a/${m}_latency.ladder.png" ] || fail "$m measured but no ladder chart"
		grep -q '^0 "' "$NLTMP/a/${m}_latency.ladder.dat" || fail "$m ladder has no stage rows"
	else
		note "$m not measured on this kernel: no ladder expected"
	fi
done

# A script is plain gnuplot: re-run by hand, elsewhere, as SVG.
mkdir "$NLTMP/hand" && cp "$NLTMP/a/softirq.cpu.gp" "$NLTMP/a/softirq.cpu.dat" "$NLTMP/hand/" ||
	fail "copy a chart"
(cd "$NLTMP/hand" && gnuplot -e 'fmt="svg"' softirq.cpu.gp) 2>"$NLTMP/hand.err" ||
	{ cat "$NLTMP/hand.err"; fail "gnuplot softirq.cpu.gp by hand exited $?"; }
grep -q '<svg' "$NLTMP/hand/softirq.cpu.svg" || fail "hand re-run wrote no SVG"

# ---- one interval, and a metric with no events (lo has no qdisc: noqueue) ----
B="$NLTMP/b.data"
"$NETLAT" record -q -d 1s -I 10s -m softirq,qdisc --dev lo -o "$B" -- \
	"$NLBIN/netlat-load" udp-flood -d 500ms --rate 2000 -p "$PORT" >"$NLTMP/rec-b.out" 2>&1 ||
	{ cat "$NLTMP/rec-b.out"; fail "netlat record (one interval) exited $?"; }
niv=$("$NETLAT" report --full -i "$B" | awk '/^# intervals:/ { print $3 }')
[ "$niv" = 1 ] || fail "recording B has $niv intervals, expected 1"
"$NETLAT" report -i "$B" --plot "$NLTMP/b" 2>"$NLTMP/plot-b.err" ||
	{ cat "$NLTMP/plot-b.err"; fail "report --plot (one interval) exited $?"; }
check_pngs "$NLTMP/b"
if "$NETLAT" report -i "$B" --format csv | awk -F, '$2 == "total" && $3 == "qdisc" { f = 1 } END { exit f }'; then
	grep -q 'no events' "$NLTMP/b/qdisc_sojourn.dist.dat" ||
		fail "qdisc saw nothing but its chart does not say 'no events'"
	grep -q '"no events"' "$NLTMP/b/qdisc_sojourn.heat.gp" || fail "empty heatmap script lacks 'no events'"
	note "qdisc saw no events: its charts say so"
else
	note "qdisc saw events on lo (unexpected); the empty case is covered by test_plot"
fi
"$NETLAT" report -i "$B" --plot "$NLTMP/bsvg" --plot-format svg 2>/dev/null || fail "--plot-format svg exited $?"
ls "$NLTMP/bsvg"/*.svg >/dev/null 2>&1 || fail "--plot-format svg wrote no SVG"
! ls "$NLTMP/bsvg"/*.png >/dev/null 2>&1 || fail "--plot-format svg wrote PNGs"

# ---- no gnuplot: one clear line, and the other reports still work ----
NETLAT_GNUPLOT=/nonexistent/gnuplot "$NETLAT" report -i "$B" --plot "$NLTMP/none" \
	>"$NLTMP/ng.out" 2>"$NLTMP/ng.err"
rc=$?
[ "$rc" = 2 ] || fail "--plot without gnuplot exited $rc, expected 2"
[ "$(wc -l <"$NLTMP/ng.err")" = 1 ] || { cat "$NLTMP/ng.err"; fail "expected one line on stderr"; }
grep -q 'gnuplot-nox' "$NLTMP/ng.err" || fail "the error does not name the package: $(cat "$NLTMP/ng.err")"
[ ! -e "$NLTMP/none" ] || fail "--plot without gnuplot created its directory"
NETLAT_GNUPLOT=/nonexistent/gnuplot "$NETLAT" report -i "$B" >/dev/null || fail "text report without gnuplot"
NETLAT_GNUPLOT=/nonexistent/gnuplot "$NETLAT" report -i "$B" --format json >/dev/null ||
	fail "JSON report without gnuplot"
note "without gnuplot: $(cat "$NLTMP/ng.err")"
exit 0
