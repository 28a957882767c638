#!/bin/sh
# vm: yes
# gt_tcp_srtt_netem: the smoothed RTT netlat reports against a delay the test sets itself.
# Ground truth: netem delays every packet leaving either end of a veth pair by D = 25 ms,
# so no round trip between the two namespaces can take less than 2D = 50 ms; the stack's
# own time comes on top (microseconds on the host, about 3 ms per round trip in the
# emulated guest, measured). The request/response generator times each of its round trips
# itself (netlat-load's p50_us): that median must lie in [2D, 1.2 x 2D] (the delay is in
# place), every srtt row of the test's port (one per socket's namespace for bpf, one for
# tracefs) has its p50 within 10% of the generator's median, and its minimum is at least
# 2D. Needs sch_netem (the VM tier; the 6.18 host has none and skips).
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
	app_ns=$(sed -n 's/.* p50_us=\([0-9.]*\).*/\1/p' "$t.load" | awk '{ printf "%.0f", $1 * 1000 }')
	[ -n "$app_ns" ] || fail "$c: netlat-load printed no p50_us"
	[ "$app_ns" -ge "$RTT_NS" ] && [ "$app_ns" -le $((RTT_NS * 12 / 10)) ] ||
		fail "$c: the generator's median round trip $app_ns ns is not within [2D, 1.2 x 2D] ($RTT_NS ns): the delay is not what the test set"
	nl_report "$t.data" "$t.csv"
	awk -F, '$2 == "total" && $3 == "tcp" && $5 == "srtt" && $9 > 0 { print $4 "|" $9, $10, $13 }' \
		"$t.csv" > "$t.rows"
	[ -s "$t.rows" ] || fail "$c: no srtt row with values for port $PORT"
	while IFS='|' read -r key vals; do
		set -- $vals
		note "$c: srtt [${key:-all}] count=$1 min=$2 p50=$3 ns; generator's median $app_ns ns; 2D = $RTT_NS ns"
		[ "$1" -ge 10 ] || fail "$c: only $1 srtt values in [${key:-all}]"
		nl_within "$3" "$app_ns" 10 ||
			fail "$c: srtt p50 $3 ns [${key:-all}] not within 10% of the generator's median round trip $app_ns ns"
		[ "$2" -ge "$RTT_NS" ] || fail "$c: srtt min $2 ns [${key:-all}] below the delay's 2D = $RTT_NS ns"
	done < "$t.rows"
done
exit 0
