#!/bin/sh
# record_raw: `netlat record --raw out.dat` writes the raw qdisc records as a trace.dat
# that trace-cmd itself reads (Debian's trace-cmd, an independent reader of the format).
# Ground truth: the tbf truth of gt_qdisc_tbf.sh at 8 mbit/s, one burst of N=200 UDP
# datagrams through a tbf root qdisc with a handle unique to this test, on a veth whose
# neighbours are permanent and IPv6 is off, so exactly N packets cross that qdisc.
# For the default collector (bpf, with a tracefs instance beside it for the raw file) and
# for --collector tracefs, asserts:
#   - trace-cmd report opens the file and lists exactly N qdisc_enqueue and N non-empty
#     qdisc_dequeue records on the test's qdisc (every one of the N packets, nothing else);
#   - trace-cmd's count of all qdisc_dequeue records equals the count netlat's report says
#     it wrote, and the first and last dequeue timestamps trace-cmd prints are those
#     netlat's report gives (session raw_records, min and max) within 1% of their span;
#   - netlat's text report says where the raw file is.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
command -v trace-cmd >/dev/null 2>&1 || fail "no trace-cmd: run make deps"
LOAD="$NLBIN/netlat-load"

N=200 SIZE=1000 RATE=8000000 BURST=1600
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "${RATE}bit" "$BURST" 1mb
H=$(nl_topo_handle)
HX=$(printf '0x%X0000' "0x$H")
IFI=$(nl_topo_ifindex "$A" "$NL_DEV_A")

for c in auto tracefs; do
	out="$NLTMP/$c.dat"
	"$NETLAT" record -q --collector "$c" -m qdisc -o "$NLTMP/$c.data" --raw "$out" -- \
		"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		> "$NLTMP/$c.load" 2> "$NLTMP/$c.err" || { cat "$NLTMP/$c.err"; fail "$c: netlat record --raw failed"; }
	grep -q "recv_msgs=$N " "$NLTMP/$c.load" || fail "$c: the receiver did not get all $N datagrams"
	[ -s "$out" ] || fail "$c: no raw file $out"
	trace-cmd report "$out" > "$NLTMP/$c.report" 2> "$NLTMP/$c.tcerr" ||
		{ head -5 "$NLTMP/$c.tcerr"; fail "$c: trace-cmd report cannot read $out"; }

	# trace-cmd's listing: "<comm>-<pid> [cpu] <secs>: <event>: <fields>"
	awk -v h="handle=$HX" -v ifi="ifindex=$IFI" '
	{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1); ev = $(i + 1); break } }
	ev == "qdisc_dequeue:" { all++; if (!f) f = ts; l = ts }
	index($0, " " h " ") && index($0, " " ifi " ") {
		if (ev == "qdisc_enqueue:") enq++
		if (ev == "qdisc_dequeue:" && $0 !~ / packets=0 /) deq++
	}
	END { printf "%d %d %d %s %s\n", enq, deq, all, f, l }' "$NLTMP/$c.report" > "$NLTMP/$c.counts"
	read -r enq deq all first last < "$NLTMP/$c.counts"
	note "$c: trace-cmd lists $enq enqueues and $deq dequeues on $HX (ifindex $IFI); $all dequeues in all, $first .. $last"
	[ "$enq" = "$N" ] && [ "$deq" = "$N" ] || fail "$c: trace-cmd lists $enq/$deq enqueue/dequeue records of the qdisc, want $N/$N"

	"$NETLAT" report --full -i "$NLTMP/$c.data" > "$NLTMP/$c.txt" || fail "$c: netlat report"
	grep -q "^# raw events:  $out " "$NLTMP/$c.txt" || fail "$c: the report does not say where the raw file is"
	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	ncount=$(nl_csv "$NLTMP/$c.csv" session "event=qdisc:qdisc_dequeue" raw_records count)
	nmin=$(nl_csv "$NLTMP/$c.csv" session "event=qdisc:qdisc_dequeue" raw_records min)
	nmax=$(nl_csv "$NLTMP/$c.csv" session "event=qdisc:qdisc_dequeue" raw_records max)
	note "$c: netlat says $ncount dequeue records, $nmin .. $nmax ns"
	[ "$ncount" = "$all" ] || fail "$c: netlat wrote $ncount dequeue records, trace-cmd lists $all"
	awk -v f="$first" -v l="$last" -v a="$nmin" -v b="$nmax" 'BEGIN {
		span = (b - a) / 1e9; ts = l - f
		if (span <= 0) exit 1
		d = ts - span; if (d < 0) d = -d
		e = f - a / 1e9; if (e < 0) e = -e
		exit !(d <= span * 0.01 && e <= span * 0.01) }' ||
		fail "$c: trace-cmd's first/last dequeue ($first .. $last s) differ from netlat's ($nmin .. $nmax ns) by more than 1%"
done

# --raw-events narrows the raw file: softirq measured, only qdisc written raw
"$NETLAT" record -q -m qdisc,softirq --raw-events qdisc -o "$NLTMP/n.data" --raw "$NLTMP/n.dat" -- \
	"$LOAD" udp-burst -n "$N" -s "$SIZE" -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
	> "$NLTMP/n.load" 2> "$NLTMP/n.err" || { cat "$NLTMP/n.err"; fail "record --raw-events qdisc failed"; }
trace-cmd report "$NLTMP/n.dat" > "$NLTMP/n.report" 2>/dev/null || fail "trace-cmd report cannot read n.dat"
nsoft=$(grep -c 'softirq_' "$NLTMP/n.report")
nenq=$(grep ' qdisc_enqueue: ' "$NLTMP/n.report" | grep -c " handle=$HX ")
note "--raw-events qdisc: $nenq enqueues on $HX, $nsoft softirq records"
[ "$nsoft" = 0 ] && [ "$nenq" = "$N" ] || fail "--raw-events qdisc wrote $nsoft softirq records and $nenq enqueues (want 0 and $N)"
"$NETLAT" report -i "$NLTMP/n.data" --format csv | grep -q '^0,total,softirq,' || fail "softirq not measured beside the raw qdisc"
exit 0
