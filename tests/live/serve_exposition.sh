#!/bin/sh
# serve_exposition: what `netlat serve` answers, read by Prometheus's own strict parser.
# With every metric armed and TCP traffic over loopback, /metrics in the 0.0.4 text format
# passes `promtool check metrics` (parse and lint, from Debian's prometheus package); the
# same scrape asked for OpenMetrics is OpenMetrics (content type, # UNIT, # EOF), asked
# for protobuf is length-delimited protobuf; histograms are cumulative and end at +Inf
# with _count; /healthz and / answer, an unknown path is 404; bad options exit 2.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/prom.sh"
need_root
command -v promtool >/dev/null 2>&1 || fail "no promtool: run make deps"
LOAD="$NLBIN/netlat-load"

# usage errors: one line, exit 2, before anything is armed
for bad in "--listen nope" "--listen 127.0.0.1:0" "--buckets 3" "--max-clients 0" "--listen 10.1.2.3:9"; do
	# shellcheck disable=SC2086
	"$NETLAT" serve -d 1s $bad > "$NLTMP/bad.out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "netlat serve $bad: exit $rc, want 2"
	[ "$(wc -l < "$NLTMP/bad.out")" = 1 ] || { cat "$NLTMP/bad.out"; fail "netlat serve $bad: not one line"; }
	note "serve $bad: $(cat "$NLTMP/bad.out")"
done

SP=$(nl_free_port 20000)
nl_serve_start "$SP" -q
# traffic in a namespace of the test's own: the default port on the host's loopback may be taken
NS=$(nl_netns_add load)
"$LOAD" tcp-rr -d 1s -a 127.0.0.1 --netns "$NS" --peer-netns "$NS" > "$NLTMP/load" 2>&1 ||
	{ cat "$NLTMP/load"; fail "load failed"; }
sleep 2
curl -sf -D "$NLTMP/text.h" "$NL_SERVE_URL/metrics" > "$NLTMP/text" || fail "GET /metrics failed"
grep -qi '^content-type: text/plain; version=0.0.4' "$NLTMP/text.h" || fail "text scrape: wrong content type"
promtool check metrics < "$NLTMP/text" > "$NLTMP/promtool.out" 2>&1 ||
	{ cat "$NLTMP/promtool.out"; fail "promtool check metrics rejected the exposition"; }
[ -s "$NLTMP/promtool.out" ] && { cat "$NLTMP/promtool.out"; fail "promtool check metrics has complaints"; }
note "promtool check metrics: clean ($(grep -vc '^#' "$NLTMP/text") samples)"
grep -q '^netlat_softirq_duration_seconds_bucket{.*le="+Inf"}' "$NLTMP/text" || fail "no softirq histogram after traffic"
grep -q '^netlat_metric_up{metric="qdisc"' "$NLTMP/text" || fail "no netlat_metric_up"
grep -q '^netlat_process_cpu_seconds_total{mode="user"}' "$NLTMP/text" || fail "no process cpu metric"

# every histogram: cumulative buckets, ascending le, +Inf == _count
awk '
/^#/ { next }
{
	split($0, a, "{"); name = a[1]; v = $NF
	if (name ~ /_bucket$/) {
		base = substr(name, 1, length(name) - 7)
		lbl = $0; sub(/,?le="[^"]*"/, "", lbl); sub(/ [^ ]*$/, "", lbl); sub(/^[^{]*/, "", lbl)
		match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5)
		k = base lbl
		if (k == prevk && (v + 0 < prevv + 0 || (le != "+Inf" && le + 0 <= prevle + 0))) { print "not cumulative: " $0; bad = 1 }
		if (le == "+Inf") inf[base lbl] = v
		prevk = k; prevv = v; prevle = le
	} else if (name ~ /_count$/ && (substr(name, 1, length(name) - 6) a[2]) != "") {
		base = substr(name, 1, length(name) - 6); lbl = $0; sub(/ [^ ]*$/, "", lbl); sub(/^[^{]*/, "", lbl)
		cnt[base lbl] = v
	}
}
END { for (k in inf) if (!(k in cnt) || cnt[k] != inf[k]) { print "+Inf != _count for " k; bad = 1 }
      exit bad }' "$NLTMP/text" || fail "a histogram is not a cumulative family"

curl -sf -D "$NLTMP/om.h" -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5' \
	"$NL_SERVE_URL/metrics" > "$NLTMP/om" || fail "OpenMetrics scrape failed"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$NLTMP/om.h" || fail "OpenMetrics: wrong content type"
[ "$(tail -n 1 "$NLTMP/om")" = "# EOF" ] || fail "OpenMetrics: no # EOF at the end"
grep -q '^# UNIT netlat_softirq_duration_seconds seconds$' "$NLTMP/om" || fail "OpenMetrics: no # UNIT"
grep -q '^# TYPE netlat_softirq_entries counter$' "$NLTMP/om" || fail "OpenMetrics: counter family named with _total"

curl -sf -D "$NLTMP/pb.h" -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;q=0.3' \
	"$NL_SERVE_URL/metrics" > "$NLTMP/pb" || fail "protobuf scrape failed"
grep -qi '^content-type: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' \
	"$NLTMP/pb.h" || fail "protobuf: wrong content type"
# walk the length prefixes: they must tile the body exactly, each message naming a family
python3 - "$NLTMP/pb" <<-'PY' || fail "protobuf body is not length-delimited MetricFamily messages"
import sys
b = open(sys.argv[1], "rb").read()
i = n = 0
while i < len(b):
    size = shift = 0
    while True:
        c = b[i]; i += 1
        size |= (c & 0x7f) << shift; shift += 7
        if c < 0x80: break
    msg = b[i:i + size]
    assert len(msg) == size and msg[0] == 0x0a and msg[2:2 + 7] == b"netlat_", msg[:20]
    i += size; n += 1
print("  protobuf: %d families" % n)
PY

curl -sf "$NL_SERVE_URL/healthz" | grep -q '^ok: serving' || fail "/healthz not ok"
curl -sf "$NL_SERVE_URL/" | grep -q 'href="/metrics"' || fail "/ has no link to /metrics"
code=$(curl -s -o /dev/null -w '%{http_code}' "$NL_SERVE_URL/nope")
[ "$code" = 404 ] || fail "/nope answered $code, want 404"
nl_serve_stop || fail "netlat serve exited non-zero after SIGTERM"
exit 0
