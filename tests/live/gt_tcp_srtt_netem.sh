#!/bin/sh
# vm: yes
# gt_tcp_srtt_netem: the smoothed RTT netlat reports against a delay the test sets itself.
# Ground truth: netem delays every packet leaving either end of a veth pair by D = 25 ms,
# so a TCP request/response between the two namespaces has a round-trip time of 2D = 50 ms
# plus the stack's own time (microseconds on the host, well under a millisecond in the
# emulated guest). Every srtt row of the test's port (one per socket's namespace for bpf,
# one for tracefs) has its p50 within 10% of 2D, and its minimum at least 2D: no round
# trip can beat the delay. Needs sch_netem (the VM tier; the 6.18 host has none and skips).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

D_MS=25
RTT_NS=$((2 * D_MS * 1000000))
PORT=$(( 20000 + $$ % 20000 ))
nl_gt_collectors tcp
nl_topo_netns A cli
nl_topo_netns B srv
nl_topo_veth "$A" "$B"
if ! tc -n "$A" qdisc add dev "$NL_DEV_A" root netem delay "${D_MS}ms" 2> "$NLTMP/netem.err"; then
	[ "$NL_TIER" = vm ] && fail "netem unavailable in the VM tier: $(cat "$NLTMP/netem.err")"
	skip "sch_netem unavailable here: $(head -n 1 "$NLTMP/netem.err")"
fi
tc -n "$B" qdisc add dev "$NL_DEV_B" root netem delay "${D_MS}ms" || fail "netem on $NL_DEV_B"

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	nl_gt_record "$c" "$t.data" "$t.load" -m tcp --port "$PORT" -- \
		"$LOAD" tcp-rr -d 2s -s 64 -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" ||
		fail "$c: netlat record failed"
	note "$c: $(cat "$t.load")"
	nl_report "$t.data" "$t.csv"
	awk -F, '$2 == "total" && $3 == "tcp" && $5 == "srtt" && $9 > 0 { print $4 "|" $9, $10, $13 }' \
		"$t.csv" > "$t.rows"
	[ -s "$t.rows" ] || fail "$c: no srtt row with values for port $PORT"
	while IFS='|' read -r key vals; do
		set -- $vals
		note "$c: srtt [${key:-all}] count=$1 min=$2 p50=$3 ns; 2D = $RTT_NS ns"
		[ "$1" -ge 10 ] || fail "$c: only $1 srtt values in [${key:-all}]"
		nl_within "$3" "$RTT_NS" 10 || fail "$c: srtt p50 $3 ns [${key:-all}] not within 10% of 2D = $RTT_NS ns"
		[ "$2" -ge "$RTT_NS" ] || fail "$c: srtt min $2 ns [${key:-all}] below the delay's 2D = $RTT_NS ns"
	done < "$t.rows"
done
exit 0
