#!/bin/sh
# serve_bad_clients: hostile or broken HTTP clients cost `netlat serve` only their own
# connection. While a well-behaved scraper fetches /metrics every 0.2 s, three bad clients
# run, five rounds in a row: one sends 1 MB of garbage, one opens 200 connections and
# holds them without a word, one asks for /metrics with a tiny receive window and never
# reads. Asserts: every good scrape is a complete 200 answer; serve is alive and answers
# after; its resident memory after the fifth round is within 1 MiB of the first round's
# (measured from /proc/PID/status VmRSS), so a round leaves nothing behind; and the record
# loop cut its 1 s intervals on time throughout (the scrapes never held it up).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/prom.sh"
need_root
LOAD="$NLBIN/netlat-load"

# Under ASan (live-san tier) freed memory sits in a quarantine of up to 256 MB by
# design, which would read as growth: measure with the quarantine off.
[ "${NL_TIER:-}" = live-san ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
SP=$(nl_free_port 20000)
# --buckets 16: an answer of a few hundred KB, more than the socket buffers hold, so the
# non-reader really stalls its send
nl_serve_start "$SP" -q -m softirq,napi,qdisc --max-clients 8 --buckets 16
# traffic in a namespace of the test's own: the default port on the host's loopback may be taken
NS=$(nl_netns_add load)
"$LOAD" tcp-rr -d 1s -a 127.0.0.1 --netns "$NS" --peer-netns "$NS" > "$NLTMP/load" 2>&1 ||
	{ cat "$NLTMP/load"; fail "load failed"; }
sleep 1.5
note "answer size: $(curl -sf "$NL_SERVE_URL/metrics" | wc -c) bytes"

# the good scraper: runs until the stop file appears, logs one line per scrape
good_scraper() {
	: > "$NLTMP/good.log"
	while [ ! -e "$NLTMP/stop" ]; do
		code=$(curl -s -m 5 -o "$NLTMP/good.body" -w '%{http_code}' "$NL_SERVE_URL/metrics")
		if [ "$code" = 200 ] && grep -q '^netlat_serve_scrapes_total ' "$NLTMP/good.body"; then
			echo ok >> "$NLTMP/good.log"
		else
			echo "bad $code" >> "$NLTMP/good.log"
		fi
		sleep 0.2
	done
}

bad_round() {
	python3 - "$SP" <<-'PY'
	import socket, sys, time, os
	port = int(sys.argv[1])
	def conn(rcvbuf=0):
	    s = socket.socket()
	    if rcvbuf:
	        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
	    s.connect(("127.0.0.1", port))
	    return s
	# 1 MB of garbage: the server may stop reading and close long before the end
	g = conn()
	sent = 0
	try:
	    g.settimeout(5)
	    junk = os.urandom(65536)
	    while sent < 1 << 20:
	        sent += g.send(junk)
	except OSError:
	    pass
	g.close()
	# a reader that never reads: a 1 KB window, then silence
	r = conn(1024)
	r.send(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
	# 200 connections, held open without a request
	idle = []
	for _ in range(200):
	    try:
	        idle.append(conn())
	    except OSError:
	        break
	time.sleep(2)
	for s in idle:
	    s.close()
	r.close()
	print("  round: garbage %d bytes taken, 200 idle connections, 1 non-reader" % sent)
	PY
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$NL_SERVE_PID/status"; }

# the record loop must keep cutting its 1 s intervals whatever the clients do
intervals() { curl -sf "$NL_SERVE_URL/metrics" | awk '$1 == "netlat_intervals_total" { print $2 }'; }
IV0=$(intervals)
S0=$(date +%s)
good_scraper &
GOOD=$!
bad_round || fail "bad client round 1 failed to run"
RSS1=$(rss_kb)
for r in 2 3 4 5; do
	bad_round || fail "bad client round $r failed to run"
done
RSS5=$(rss_kb)
sleep 0.5
: > "$NLTMP/stop"
wait $GOOD
ok=$(grep -c '^ok' "$NLTMP/good.log")
bad=$(grep -vc '^ok' "$NLTMP/good.log")
note "good scraper: $ok complete answers, $bad failed; VmRSS after round 1: $RSS1 kB, after round 5: $RSS5 kB"
[ "$bad" = 0 ] || { sort "$NLTMP/good.log" | uniq -c; fail "the good scraper was refused or cut off $bad times"; }
[ "$ok" -ge 20 ] || fail "only $ok good scrapes: the scraper was held up"
[ $((RSS5 - RSS1)) -le 1024 ] || fail "VmRSS grew by $((RSS5 - RSS1)) kB over four rounds of bad clients"
curl -sf "$NL_SERVE_URL/healthz" | grep -q '^ok' || fail "serve unhealthy after the bad clients"
IV1=$(intervals)
S1=$(date +%s)
note "record loop: $((IV1 - IV0)) intervals in $((S1 - S0)) s of bad clients"
[ $((IV1 - IV0)) -ge $((S1 - S0 - 2)) ] || fail "the record loop fell behind: $((IV1 - IV0)) intervals in $((S1 - S0)) s"
curl -sf "$NL_SERVE_URL/metrics" | grep '^netlat_serve_rejected_connections_total' | sed 's/^/  /'
nl_serve_stop || fail "netlat serve exited non-zero after SIGTERM"
exit 0
