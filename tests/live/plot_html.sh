# netlat report --html on a real recording, opened in headless Chromium.
# The recording is a 4 s one with the default metrics (tcp-bulk over loopback);
# the page must stay under 1 MiB with every chart an inline <svg>, lead with the
# findings and the ladders: in Chromium at 1280x800, the findings heading and the
# whole rx ladder table lie inside the first screen (their layout boxes, read by
# a copy of the page with a measuring script added, the page's own
# Content-Security-Policy taken out of the copy only).
# Ground truth: Chromium itself. Its log shows every console message
# ("CONSOLE" lines: script errors, blocked loads, CSP violations) and its
# net log every request; a request made for the page carries the page's
# file:// site, Chromium's own background requests do not. A control page
# that does fetch and log proves both detectors fire. The screenshot is
# decoded by tests/tools/png_stat.c and must not be blank.
. "$NLROOT/tests/lib/common.sh"
need_root
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot not installed (apt-get install gnuplot-nox)"
CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
	skip "chromium not installed (Debian package chromium; not in the VM tier)"
command -v cc >/dev/null 2>&1 || skip "no C compiler to build tests/tools/png_stat.c"
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
PNGSTAT="$NLTMP/png_stat"
cc -O2 -o "$PNGSTAT" "$NLROOT/tests/tools/png_stat.c" -lz 2>"$NLTMP/cc.err" ||
	{ cat "$NLTMP/cc.err"; skip "cannot build png_stat (zlib1g-dev missing?)"; }
PORT=$((20000 + $$ % 20000))

# browse PAGE TAG: load PAGE headless, offline; leaves TAG.log, TAG.netlog, TAG.png.
browse() {
	_prof=$(mktemp -d "$NLTMP/chromium.XXXXXX")
	# No DNS and a proxy on a closed port: nothing could be fetched even if something tried.
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$_prof" --host-resolver-rules="MAP * ~NOTFOUND" \
		--proxy-server=127.0.0.1:9 --enable-logging=stderr --v=0 \
		--log-net-log="$NLTMP/$2.netlog" --window-size=1280,800 \
		--screenshot="$NLTMP/$2.png" "file://$1" >"$NLTMP/$2.out" 2>"$NLTMP/$2.log"
	_rc=$?
	rm -rf "$_prof"
	return $_rc
}
page_fetched() { grep -q 'site=file://' "$NLTMP/$1.netlog"; }
page_logged() { grep -q 'CONSOLE' "$NLTMP/$1.log"; }

# The control: a page that fetches an image and logs an error must trip both detectors.
printf '<!DOCTYPE html><html><body><img src="http://netlat.invalid/x.png">%s</body></html>\n' \
	'<script>console.error("control")</script>' >"$NLTMP/control.html"
browse "$NLTMP/control.html" control || { tail -5 "$NLTMP/control.log"; fail "chromium exited $? on the control page"; }
page_fetched control || fail "the net log shows no request from a page that makes one: detector broken"
page_logged control || fail "the log shows no console message from a page that logs one: detector broken"

DATA="$NLTMP/r.data"
"$NETLAT" record -q -o "$DATA" -- \
	"$NLBIN/netlat-load" tcp-bulk -d 4s -p "$PORT" >"$NLTMP/rec.out" 2>&1 ||
	{ cat "$NLTMP/rec.out"; fail "netlat record exited $?"; }
mkdir "$NLTMP/tmp" || fail "mkdir"
TMPDIR="$NLTMP/tmp" "$NETLAT" report -i "$DATA" --html "$NLTMP/report.html" 2>"$NLTMP/html.err" ||
	{ cat "$NLTMP/html.err"; fail "report --html exited $?"; }
[ -z "$(ls -A "$NLTMP/tmp")" ] || fail "report --html left files in TMPDIR: $(ls "$NLTMP/tmp")"
H="$NLTMP/report.html"
size=$(wc -c <"$H")
nsvg=$(grep -c '^<svg' "$H")
note "page: $size bytes, $nsvg inline <svg> charts"
[ "$size" -lt 1048576 ] || fail "the page of a 4 s recording is $size bytes (at most 1 MiB)"
[ "$nsvg" -ge 5 ] || fail "only $nsvg inline <svg> charts in the page"
grep -q 'data:image' "$H" && fail "the page still carries data: images"
grep -q '<h2 id="findings">' "$H" || fail "no findings section"
grep -q '<table id="ladder-rx">' "$H" || fail "no rx ladder table"
grep -q '<details id="m-softirq">' "$H" || fail "no collapsed softirq section"
grep -q '<pre># softirq (' "$H" || fail "no softirq tables in the page"
# ids unique across charts: each chart's ids carry its own prefix
[ "$(grep -o "id='c[0-9]*-gpPt0'" "$H" | sort | uniq -d | wc -l)" = 0 ] || fail "two charts share an id"
grep -q 'Content-Security-Policy' "$H" || fail "no Content-Security-Policy in the page"
if grep -Eqi '(src|href|action|srcset)=["'"'"']?(https?:)?//|url\(|@import' "$H"; then
	grep -Eoi '(src|href|action|srcset)=["'"'"']?(https?:)?//[^"]*|url\([^)]*\)|@import' "$H" | head -3
	fail "the page references something outside itself"
fi

browse "$H" page || { tail -5 "$NLTMP/page.log"; fail "chromium exited $? on the report"; }
if page_logged page; then
	grep 'CONSOLE' "$NLTMP/page.log" | head -5
	fail "the page logged console messages"
fi
page_fetched page && fail "the page made a network request: $(grep -o '"url":"[^"]*"' "$NLTMP/page.netlog" | head -3)"
out=$("$PNGSTAT" "$NLTMP/page.png") || fail "cannot decode the screenshot"
set -- $out
[ "$3" -gt 100 ] && [ "$4" -gt 1 ] || fail "screenshot is blank or empty: $out"
note "screenshot ${2}x${3}, $4+ colours"

# The first screen: a copy with a script that measures where the findings heading and the
# rx ladder table are, and says so in the title that --dump-dom prints.
sed '/Content-Security-Policy/d' "$H" >"$NLTMP/measure.html"
cat >>"$NLTMP/measure.html" <<'JS'
<script>
var f = document.getElementById("findings").getBoundingClientRect();
var l = document.getElementById("ladder-rx").getBoundingClientRect();
document.title = "FIRSTSCREEN " + Math.round(f.top) + " " + Math.round(l.bottom) + " " + window.innerHeight;
</script>
JS
_prof=$(mktemp -d "$NLTMP/chromium.XXXXXX")
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$_prof" \
	--host-resolver-rules="MAP * ~NOTFOUND" --proxy-server=127.0.0.1:9 --window-size=1280,800 \
	--dump-dom "file://$NLTMP/measure.html" >"$NLTMP/measure.dom" 2>"$NLTMP/measure.log"
rm -rf "$_prof"
set -- $(sed -n 's/.*<title>FIRSTSCREEN \([-0-9]*\) \([-0-9]*\) \([0-9]*\)<\/title>.*/\1 \2 \3/p' "$NLTMP/measure.dom")
[ $# = 3 ] || { tail -3 "$NLTMP/measure.log"; fail "the measuring copy reported no layout"; }
note "first screen ($3 px high): findings heading at y=$1, rx ladder ends at y=$2"
[ "$1" -ge 0 ] && [ "$1" -lt "$3" ] || fail "the findings heading (y=$1) is not on the first screen"
[ "$2" -gt 0 ] && [ "$2" -le "$3" ] || fail "the rx ladder (ends at y=$2) is not on the first screen"
exit 0
