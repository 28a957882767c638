#!/bin/sh
# serve_prometheus: a real Prometheus server scrapes `netlat serve` every second while
# the tbf truth runs, and its PromQL answers are checked against the truth and against
# netlat's own recording of the same packets.
# Ground truth: a tbf root qdisc (8 mbit/s, burst 1600 B) on a veth between two test
# namespaces and one burst of N=200 UDP datagrams of 1000 B (1042 B on the wire):
# packet k leaves at ((k+1) * 1042 - 1600) * 8 / 8e6 s, so the median sojourn is
# (100 * 1042 - 1600) * 8 / 8e6 s = 102.6 ms (see gt_qdisc_tbf.sh).
# Asserts:
#   - the target is up;
#   - histogram_quantile(0.5) of the qdisc sojourn over the burst's window is within
#     10% of 102.6 ms, and within the width of the exposed bucket that holds netlat's
#     own p50 (a `netlat record` of the same burst);
#   - the counter moved by exactly N over the window, and increase() is N scaled by
#     Prometheus's documented extrapolation to the window's edges.
# With NL_SERVE_NATIVE=1 (serve_native_hist.sh) Prometheus runs with native histograms,
# scrapes the protobuf exposition, and the native quantile must be within the bound
# docs/metrics.md derives (7.6%) of netlat's p50.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
. "$NLROOT/tests/lib/prom.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
NATIVE=${NL_SERVE_NATIVE:-0}

N=200 SIZE=1000 RATE=8000000 BURST=1600
WIRE=$((SIZE + 8 + 20 + 14))
EXP_US=$(( (N / 2 * WIRE - BURST) * 8 * 1000000 / RATE ))

nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "${RATE}bit" "$BURST" 1mb
H=$(nl_topo_handle)
SEL="handle=\"$H:\""
note "tbf $H: on $NL_DEV_A, $N x $SIZE B at 8 mbit/s, expected median ${EXP_US} us"

SP=$(nl_free_port 20000)
nl_serve_start "$SP" -q -m qdisc
if [ "$NATIVE" = 1 ]; then
	nl_prom_start "$SP" --enable-feature=native-histograms
else
	nl_prom_start "$SP"
fi
nl_prom_wait_up

# One datagram first: the qdisc row, and so its series, exists before the window opens,
# so the window sees the counter go from 1 to 1 + N rather than appear at N.
"$LOAD" udp-burst -n 1 -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" > "$NLTMP/warm.load" ||
	fail "warm-up datagram not sent"
sleep 3
T0=$(date +%s)
"$NETLAT" record -q -m qdisc -o "$NLTMP/rec.data" -- \
	"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
	> "$NLTMP/load" 2> "$NLTMP/rec.err" || { cat "$NLTMP/rec.err"; fail "netlat record failed"; }
note "load: $(cat "$NLTMP/load")"
grep -q "recv_msgs=$N " "$NLTMP/load" || fail "the receiver did not get all $N datagrams"
# the burst takes 0.2 s; one interval to fold it, one scrape to read it, and margin
sleep 4
T1=$(date +%s)
W=$((T1 - T0 + 1))

[ "$(nl_prom_scalar 'up{job="netlat"}' "$T1")" = 1 ] || fail "target not up at the end"

# netlat's own p50 of the same burst
"$NETLAT" report -i "$NLTMP/rec.data" --format csv > "$NLTMP/rec.csv" || fail "netlat report"
P50_NS=$(awk -F, -v h="handle=$H:" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["interval"] == "total" && $c["metric"] == "qdisc" && $c["stat"] == "sojourn" &&
	index($c["key"] " ", h " ") { print $c["p50"]; exit }' "$NLTMP/rec.csv")
[ -n "$P50_NS" ] || fail "no qdisc sojourn row for handle $H: in netlat's own recording"

if [ "$NATIVE" = 1 ]; then
	Q="histogram_quantile(0.5, sum(increase(netlat_qdisc_sojourn_seconds{$SEL}[${W}s])))"
	# classic buckets are not ingested beside native ones: none may exist
	[ -z "$(nl_prom_scalar "count(netlat_qdisc_sojourn_seconds_bucket{$SEL})" "$T1")" ] ||
		fail "Prometheus stored classic buckets: it did not take the native histogram"
else
	Q="histogram_quantile(0.5, sum by (le) (increase(netlat_qdisc_sojourn_seconds_bucket{$SEL}[${W}s])))"
fi
QV=$(nl_prom_scalar "$Q" "$T1")
note "PromQL: $Q = $QV s; netlat p50 $P50_NS ns; computed $EXP_US us"
[ -n "$QV" ] && [ "$QV" != NaN ] || fail "no quantile from Prometheus"
Q_US=$(awk -v q="$QV" 'BEGIN { printf "%.1f", q * 1e6 }')
nl_within "$Q_US" "$EXP_US" 10 || fail "Prometheus p50 $Q_US us not within 10% of the computed $EXP_US us"

if [ "$NATIVE" = 1 ]; then
	# docs/metrics.md: a native quantile is within 2^(1/16) - 1 + 1/32 (7.6%) of netlat's
	awk -v q="$QV" -v p="$P50_NS" 'BEGIN { d = q * 1e9 - p; if (d < 0) d = -d; exit !(d <= p * 0.076) }' ||
		fail "native p50 $QV s is not within 7.6% of netlat's $P50_NS ns"
else
	# the exposed bucket holding netlat's p50, from the le labels the scraper stored
	nl_prom_query "netlat_qdisc_sojourn_seconds_bucket{$SEL}" "$T1" > "$NLTMP/le.json"
	WIDTH=$(python3 - "$NLTMP/le.json" "$P50_NS" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	p = float(sys.argv[2]) / 1e9
	les = sorted(float(r["metric"]["le"]) for r in d["data"]["result"] if r["metric"]["le"] != "+Inf")
	lo = max([x for x in les if x < p], default=0.0)
	hi = min([x for x in les if x >= p], default=float("inf"))
	print(hi - lo)
	EOF
	)
	note "exposed bucket around netlat's p50: ${WIDTH} s wide"
	awk -v q="$QV" -v p="$P50_NS" -v w="$WIDTH" 'BEGIN { d = q - p / 1e9; if (d < 0) d = -d; exit !(d <= w) }' ||
		fail "Prometheus p50 $QV s differs from netlat's $P50_NS ns by more than the bucket ($WIDTH s)"
fi

# the count: raw samples over the window, and increase() as Prometheus extrapolates it
nl_prom_query "netlat_qdisc_packets_total{$SEL}[${W}s]" "$T1" > "$NLTMP/raw.json"
INC=$(nl_prom_scalar "increase(netlat_qdisc_packets_total{$SEL}[${W}s])" "$T1")
# events netlat itself reports lost over the window excuse as many missing packets, never more
# (gt_qdisc_tbf.sh's rule: BPF runs the kernel never delivers are counted there)
# (a lost_events series exists only once something was lost: absent at either end it counts 0)
LOST=$(nl_prom_scalar "(sum(netlat_session_lost_events_total) or vector(0)) - (sum(netlat_session_lost_events_total offset ${W}s) or vector(0))" "$T1")
python3 - "$NLTMP/raw.json" "$INC" "$N" "$T1" "$W" "${LOST:-0}" <<-'EOF' || fail "packet count over the window is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
inc, n, t1, w = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
lost = float(sys.argv[6])
s = [(float(t), float(v)) for t, v in d["data"]["result"][0]["values"]]
delta = s[-1][1] - s[0][1]
# Prometheus's extrapolatedRate: stretch the sampled span toward the window's edges
span = s[-1][0] - s[0][0]
avg = span / (len(s) - 1)
to_start, to_end = s[0][0] - (t1 - w), t1 - s[-1][0]
# ... but a counter is not extrapolated below zero
if delta > 0 and s[0][1] >= 0:
    to_start = min(to_start, span * s[0][1] / delta)
ext = span + (to_start if to_start < avg * 1.1 else avg / 2) + (to_end if to_end < avg * 1.1 else avg / 2)
want = delta * ext / span
print("  samples %d, first %g, last %g: moved %g (%g events reported lost); increase() %g, extrapolated %g"
      % (len(s), s[0][1], s[-1][1], delta, lost, inc, want))
sys.exit(0 if delta <= n and delta + lost >= n and abs(inc - want) < 1e-6 * n else 1)
EOF
exit 0
