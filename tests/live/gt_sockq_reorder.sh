#!/bin/sh
# vm: yes
# gt_sockq_reorder: data that arrives out of order waits from when it became readable in order.
# Needs sch_netem (always run in the VM tier; the host has none and skips).
# netem on the sender's veth delays packets by D = 20 ms and sends 50% of them
# at once, so a segment sent 5 ms after a delayed one arrives 15 ms before it
# and sits in the out-of-order queue until the hole is filled. The reader
# drains everything every 2 ms (netlat-load paced-reader --log).
# Truth from the log: data readable at time x is taken by the first read
# after x, so no read's oldest byte waited longer than the gap between that
# read and the one before it (the log has both). Counting from arrival
# instead would add up to D - 5 ms = 15 ms to the reordered data. The test
# checks that reordering happened (TcpExtTCPOFOQueue moved in the reader's
# namespace), that the flow row counts every read (every skb copied before
# Linux 6.3, which has no sock_recv_length), and that the longest
# per-read wait is within the longest gap between reads (+1 ms for the
# reader's own wake-up).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
PORT=$((20000 + $$ % 20000))
NL_GT_COLLECTORS=${NL_GT_COLLECTORS:-bpf}	# a bpf measure: do not spend the VM's time trying tracefs
nl_gt_collectors rx
case " $NL_COLLECTORS " in
*" bpf "*) ;;
*) skip "the socket queue by bytes is a bpf measure (netlat probe: metric.rx.limit.tracefs)" ;;
esac
nl_topo_netns S sos
nl_topo_netns R sor
nl_topo_veth "$S" "$R" o
if ! tc -n "$S" qdisc add dev "$NL_DEV_A" root netem delay 20ms reorder 50% 2> "$NLTMP/netem.err"; then
	[ "$NL_TIER" = vm ] && fail "netem unavailable in the VM tier: $(cat "$NLTMP/netem.err")"
	skip "sch_netem unavailable here ($(head -n 1 "$NLTMP/netem.err")): the reorder truth runs in the VM tier"
fi
ofo0=$(nl_netstat "$R" TCPOFOQueue)
nl_truth_open 64
nl_gt_record bpf "$NLTMP/o.data" "$NLTMP/o.load" -m rx -- \
	"$LOAD" paced-reader -s 200 --period 5ms --read-period 2ms --read-size 0 -d 3s --rcvbuf 4194304 \
	--log "$NLTMP/o.log" -a "$NL_TOPO_V4_B" -p "$PORT" --netns "$S" --peer-netns "$R" ||
	fail "netlat record failed"
nl_truth_close
note "$(cat "$NLTMP/o.load")"
ofo=$(($(nl_netstat "$R" TCPOFOQueue) - ofo0))
[ "$ofo" -gt 0 ] || fail "netem reordered nothing (TcpExtTCPOFOQueue did not move): no truth"
reads=$(grep -vc '^#' "$NLTMP/o.log.read")
gap=$(awk '!/^#/ { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END { print m + 0 }' "$NLTMP/o.log.read")
nl_report "$NLTMP/o.data" "$NLTMP/o.csv"
FLOW="^flow=$NL_TOPO_V4_B:$PORT>[0-9.]*:[0-9]* method=bytes\$"
n=$(nl_csv_sum "$NLTMP/o.csv" rx "$FLOW" sockq_wait count)
mx=$(awk -F, -v k="flow=$NL_TOPO_V4_B:$PORT>" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["interval"] == "total" && index($c["key"], k) == 1 && $c["stat"] == "sockq_wait" { print $c["max"] }' \
	"$NLTMP/o.csv")
note "$ofo segments queued out of order; $reads reads, longest gap $gap ns; netlat: $n reads, longest wait $mx ns"
# a read is a receive call where sock_recv_length exists (6.3+), else one skb copied (more)
if [ -e "$NL_TRACEFS/events/sock/sock_recv_length" ]; then
	[ "$n" = "$reads" ] || fail "the flow row counts '$n' reads, the reader made $reads"
else
	[ -n "$n" ] && [ "$n" -ge "$reads" ] || fail "the flow row counts '$n' copies, the reader made $reads reads"
fi
awk -v m="$mx" -v g="$gap" 'BEGIN { exit !(m != "" && m + 0 <= g + 1000000) }' ||
	fail "longest wait $mx ns exceeds the longest gap between reads ($gap ns): reordered data counted from arrival?"
exit 0
