#!/bin/sh
# flows_agree: the bpf and tracefs collectors count the same handshakes and
# the same drops on one deterministic workload: 25 TCP connections between
# two test namespaces (recorded with --port, tcp only), and 60 datagrams to a
# closed port on ::1 in a third (drops, which take no --port).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
PORT=$(( 20000 + $$ % 20000 ))
nl_gt_collectors tcp
case $NL_COLLECTORS in
*bpf*tracefs*) ;;
*) skip "needs both collectors, only$NL_COLLECTORS usable" ;;
esac
nl_topo_netns A fac
nl_topo_netns B fas
nl_topo_netns C fad
nl_topo_veth "$A" "$B"
for c in bpf tracefs; do
	t="$NLTMP/$c"
	# A recording that lost events (docs/testing.md: BPF runs the test host's
	# kernel never delivers) cannot be compared exactly: record again.
	try=1
	while :; do
	"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m tcp --port "$PORT" -o "$t-tcp.data" -- \
		"$LOAD" tcp-connect -n 25 -p "$PORT" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		> "$t-tcp.load" 2> "$t-tcp.err" || { cat "$t-tcp.err"; fail "$c: record tcp failed"; }
	"$NETLAT" record -q --collector "$c" $(nl_gt_collector_args "$c") -m drops -o "$t-drops.data" -- \
		"$LOAD" udp-burst --connect -n 60 -s 100 -a ::1 -p 9 --netns "$C" \
		> "$t-drops.load" 2> "$t-drops.err" || { cat "$t-drops.err"; fail "$c: record drops failed"; }
	nl_report "$t-tcp.data" "$t-tcp.csv"
	nl_report "$t-drops.data" "$t-drops.csv"
	lost=$(( $(nl_gt_lost "$t-tcp.csv") + $(nl_gt_lost "$t-drops.csv") ))
	[ "$lost" = 0 ] && break
	[ "$try" -lt 5 ] || fail "$c: events lost in $try recordings in a row"
	try=$((try + 1))
	note "$c: $lost events lost: recording again"
	done
	echo "$(nl_csv_sum "$t-tcp.csv" tcp '^side=client( |$)' handshakes value)" \
	     "$(nl_csv_sum "$t-tcp.csv" tcp '^side=server( |$)' handshakes value)" \
	     "$(nl_csv_sum "$t-drops.csv" drops '^reason=NO_SOCKET ' drops value)" > "$t.vals"
done
read -r cb sb db < "$NLTMP/bpf.vals"
read -r ct st dt < "$NLTMP/tracefs.vals"
note "client handshakes bpf=$cb tracefs=$ct; server bpf=$sb tracefs=$st; NO_SOCKET drops bpf=$db tracefs=$dt"
[ "$cb" = 25 ] && [ "$ct" = 25 ] || fail "client handshakes differ from 25"
[ "$sb" = 25 ] && [ "$st" = 25 ] || fail "server handshakes differ from 25"
[ "$db" = 60 ] && [ "$dt" = 60 ] || fail "NO_SOCKET drops differ from 60"
exit 0
