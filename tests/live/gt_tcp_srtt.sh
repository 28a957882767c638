#!/bin/sh
# gt_tcp_srtt: the smoothed RTT netlat reports (tcp metric, srtt histogram).
# Workload: 1 s of TCP request/response (64 B) over lo in a namespace of the
# test's own, on the test's port. Ground truths:
#   - an independent tracefs reader of tcp:tcp_probe on that port (its srtt
#     field, microseconds): the same per-segment values netlat takes, so the
#     histogram's count equals the reader's over netlat's window, and its p50
#     is the middle of the bucket holding the reader's median;
#   - `ss -ti` on the same sockets, sampled every 200 ms while it runs: every
#     rtt ss prints (the socket's srtt, ms) lies within netlat's srtt
#     [min, max] (ss reads the same variable between segments). A weak check
#     (min and max are far apart on loopback): the reader's is the strong one.
#     Without ss (iproute2) that part is left out with a note.
# The delay-based truth (netem delay D on both veth ends, srtt within 10% of
# 2D) is gt_tcp_srtt_netem.sh, run in the VM tier (no sch_netem on the host).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
have_ss=1
command -v ss >/dev/null 2>&1 || { have_ss=0; note "no ss (iproute2) here: the ss comparison is left out"; }

PORT=$(( 20000 + $$ % 20000 ))
nl_gt_collectors tcp
nl_topo_netns N srtt
INO=$(ip netns exec "$N" stat -L -c %i /proc/self/ns/net) || fail "no inode for $N"

for c in $NL_COLLECTORS; do
	t="$NLTMP/$c"
	nl_truth_open 32768	# tcp_probe events are large: 1 s is about 40,000 of them
	nl_truth_event tcp/tcp_probe "sport == $PORT || dport == $PORT"
	nl_gt_record "$c" "$t.data" "$t.load" -m tcp --port "$PORT" -- sh -c '
		"$1" tcp-rr -d 1s -s 64 -p "$2" --netns "$3" --peer-netns "$3" &
		pid=$!
		while kill -0 $pid 2>/dev/null; do
			[ "$5" = 1 ] && ip netns exec "$3" ss -tinH "( sport = :$2 or dport = :$2 )" >> "$4.ss" 2>/dev/null
			sleep 0.2
		done
		wait $pid' nlsrtt "$LOAD" "$PORT" "$N" "$t" "$have_ss" ||
		fail "$c: netlat record failed"
	nl_truth_dump "$t.trace"
	nl_truth_close
	note "$c: $(cat "$t.load")"
	nl_truth_netlat_window "$t.trace" "$t.data" "$t.same"
	awk "$NL_TRUTH_AWK_PRE"'{ parse(); if (ev == "tcp_probe:") print val("srtt") + 0 }' "$t.same" > "$t.srtt"
	r_n=$(grep -c . "$t.srtt")
	r_med=$(nl_truth_median "$t.srtt")
	nl_report "$t.data" "$t.csv"
	k=""
	[ "$c" = bpf ] && k="netns=$INO"
	set -- $(awk -F, -v k="$k" '$2 == "total" && $3 == "tcp" && $4 == k && $5 == "srtt" { print $9, $10, $11, $13; exit }' "$t.csv")
	n_n=$1 n_min=$2 n_max=$3 n_p50=$4
	lost=$(nl_gt_lost "$t.csv")
	ss_us=$(sed -n 's/.* rtt:\([0-9.]*\)\/.*/\1/p' "$t.ss" 2>/dev/null | awk '{ printf "%.0f\n", $1 * 1000 }' | sort -n)
	note "$c: srtt netlat count=$n_n min=$n_min max=$n_max p50=$n_p50 ns; reader $r_n values, median $r_med us; lost=$lost"
	note "$c: ss rtt samples (us): $(echo $ss_us | cut -c1-200)"
	[ "$r_n" -ge 1000 ] || fail "$c: the reader saw only $r_n tcp_probe segments"
	nl_same_window "${n_n:-0}" "$r_n" "$lost" || fail "$c: srtt count ${n_n:-none} (+$lost lost), the reader's $r_n"
	nl_same_bucket "$n_p50" "$r_med" ||
		fail "$c: srtt p50 $n_p50 ns is not the bucket of the reader's median $r_med us"
	[ "$have_ss" = 1 ] || continue
	[ -n "$ss_us" ] || fail "$c: ss printed no rtt for the flow"
	for v in $ss_us; do
		[ $((v * 1000)) -ge "$n_min" ] && [ $((v * 1000)) -le "$n_max" ] ||
			fail "$c: ss rtt $v us outside netlat's srtt [$n_min, $n_max] ns"
	done
done
exit 0
