#!/bin/sh
# vm: core
# plain: yes
# The BPF collector end to end: record napi,softirq,gro,gso,qdisc with
# --collector bpf while netlat-load sends UDP datagrams over loopback in a
# namespace of its own, then read the CSV report.
# Ground truth: netlat-load's own counts. Every datagram sent is one
# transmit on lo (1000-byte datagrams are never GSO: one segment each) and
# every datagram received went through netif_rx on lo and a backlog poll.
# The gso, gro and qdisc rows carry the namespace (netns=<inode>): this
# namespace's rows must equal the generator's counts exactly (xmits,
# segments, direct_in and skbs_out = datagrams; bytes = datagrams x 1042, the
# datagram plus 8 UDP + 20 IPv4 + 14 Ethernet header bytes; qdisc packets =
# datagrams, none unpaired). The backlog poll and softirq rows are
# system-wide: lower bounds and exact per-row consistencies there.
# Run twice: tp_btf (the default where BTF exists) and raw_tp, forced with
# NETLAT_BPF_RAW_TP=1, so the fallback is exercised on kernels with BTF.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || skip "netlat-load not built"
N=200

# not ns=$(nl_netns_add ...): a subshell would keep the name from nl_cleanup's list
nl_netns_add bpfsmoke >/dev/null
ns="netlat-t-$$-bpfsmoke"
INO=$(ip netns exec "$ns" stat -L -c %i /proc/self/ns/net) || fail "no inode for $ns"
# HTB at 8 mbit on the namespace's lo, when tc and sch_htb exist: a 1000-byte
# datagram is 1042 bytes there (+8 UDP +20 IP +14 Ethernet), 1.042 ms at
# 8 mbit, so the median datagram of a 200-datagram burst waits about
# 100 * 1.042 ms (KERNEL-NOTES: 101 ms measured against 103.7 ms computed).
# A plain pfifo would not do: 6.18 sends through an empty one without an enqueue.
qdisc=""
qprobe=$(nl_probe_collector bpf qdisc)
if [ "${qprobe%% *}" != yes ]; then
	note "qdisc not checked: netlat probe says bpf cannot record it here (${qprobe#* })"
elif command -v tc >/dev/null 2>&1 &&
	tc -n "$ns" qdisc add dev lo root handle 1: htb default 10 2>/dev/null &&
	tc -n "$ns" class add dev lo parent 1: classid 1:10 htb rate 8mbit 2>/dev/null; then
	qdisc="dev=lo handle=1: netns=$INO"
else
	note "no tc or no sch_htb: qdisc not checked"
fi

# csv FILE METRIC KEY STAT: the total row's value column (KEY exactly), "" when absent
csv() {
	awk -F, -v m="$2" -v k="$3" -v s="$4" \
		'$2 == "total" && $3 == m && $4 == k && $5 == s { n += $8; any = 1 }
		END { if (any) print n }' "$1"
}
# csv_sum FILE METRIC STAT KEYPART: sum of value over total rows whose key contains KEYPART
csv_sum() {
	awk -F, -v m="$2" -v s="$3" -v p="$4" \
		'$2 == "total" && $3 == m && $5 == s && index($4, p) { t += $8 } END { print t + 0 }' "$1"
}
ge() { [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null; }

run_once() {
	mode=$1
	data="$NLTMP/bpf-smoke-$mode.data"
	csvf="$NLTMP/bpf-smoke-$mode.csv"
	log="$NLTMP/bpf-smoke-$mode.log"
	if [ "$mode" = raw_tp ]; then
		NETLAT_BPF_RAW_TP=1; export NETLAT_BPF_RAW_TP
	else
		unset NETLAT_BPF_RAW_TP
	fi
	"$NETLAT" record -v -q --collector bpf -m napi,softirq,gro,gso,qdisc -d 2s -o "$data" -- \
		"$LOAD" udp-burst -n "$N" -s 1000 --netns "$ns" --peer-netns "$ns" >"$log" 2>&1 ||
		{ cat "$log"; fail "$mode: record failed"; }
	unset NETLAT_BPF_RAW_TP
	# The sender is in a namespace: skip the run if this kernel or build cannot do that.
	sent=$(sed -n 's/.*udp-burst: sent_msgs=\([0-9]*\).*/\1/p' "$log")
	recv=$(sed -n 's/.*recv_msgs=\([0-9]*\).*/\1/p' "$log")
	[ -n "$sent" ] && [ -n "$recv" ] || { cat "$log"; fail "$mode: no netlat-load summary"; }
	[ "$sent" -eq "$N" ] || fail "$mode: netlat-load sent $sent of $N"
	grep -q "gso: bpf ($mode)" "$log" || { cat "$log"; fail "$mode: gso not armed as bpf ($mode)"; }
	"$NETLAT" report -i "$data" --format csv >"$csvf" || fail "$mode: report failed"
	if [ "${qprobe%% *}" != yes ]; then
		# a metric this kernel cannot give is in the report with the kernel's reason
		"$NETLAT" report -i "$data" >"$NLTMP/summary-$mode.txt" || fail "$mode: summary report failed"
		grep -Eq '^  qdisc +.*qdisc_enqueue' "$NLTMP/summary-$mode.txt" ||
			{ cat "$NLTMP/summary-$mode.txt"; fail "$mode: the report does not say why qdisc was not measured"; }
		note "$mode: report: $(grep -E '^  qdisc ' "$NLTMP/summary-$mode.txt")"
	fi

	xmits=$(csv "$csvf" gso "dev=lo netns=$INO" xmits)
	segs=$(csv "$csvf" gso "dev=lo netns=$INO" segments)
	bytes=$(csv "$csvf" gso "dev=lo netns=$INO" bytes)
	direct=$(csv "$csvf" gro "dev=lo netns=$INO" direct_in)
	out=$(csv "$csvf" gro "dev=lo netns=$INO" skbs_out)
	polls=$(csv "$csvf" napi "dev=(no_device)" polls)
	work=$(awk -F, '$2 == "total" && $3 == "napi" && $4 == "dev=(no_device)" && $5 == "work" { print $9; exit }' "$csvf")
	rx=$(csv_sum "$csvf" softirq entries "vec=NET_RX")
	events=$(csv "$csvf" session "" events)
	note "$mode: sent=$sent recv=$recv; netns $INO: gso xmits=$xmits segments=$segs bytes=$bytes gro direct_in=$direct skbs_out=$out; napi polls=$polls NET_RX entries=$rx events=$events"
	# A kernel can leave BPF programs out of hits without counting it anywhere
	# (on the 6.18 test host: every hit while the interrupted task is the
	# sandbox's own agent, in tp_btf and raw_tp alike). netlat finds those
	# softirq runs against /proc/softirqs and reports them as lost_events, so
	# it may fall short of the truth only when it says so; a recording that
	# lost events is no truth for the lower bounds below: record again.
	lost=$(awk -F, '$2 == "total" && $3 == "session" && $5 == "lost_events" { t += $8 } END { print t + 0 }' "$csvf")
	if [ "$lost" -gt 0 ]; then
		note "$mode: netlat reports $lost lost events: the counts prove nothing, recording again"
		return 1
	fi

	[ "$xmits" = "$sent" ] || fail "$mode: gso xmits on the namespace's lo '$xmits', $sent datagrams sent"
	[ "$segs" = "$sent" ] || fail "$mode: gso segments '$segs', want one per datagram ($sent)"
	[ "$bytes" = $((sent * 1042)) ] || fail "$mode: gso bytes '$bytes', want $sent x 1042 = $((sent * 1042))"
	[ "$direct" = "$recv" ] || fail "$mode: gro direct_in on the namespace's lo '$direct', $recv datagrams received"
	[ "$out" = "$recv" ] || fail "$mode: gro skbs_out on the namespace's lo '$out', $recv datagrams received"
	ge "$polls" 1 || fail "$mode: no napi polls of the backlog"
	[ "$work" = "$polls" ] || fail "$mode: napi work histogram holds $work polls, counter says $polls"
	ge "$rx" 1 || fail "$mode: no NET_RX softirq entries"
	if [ -n "$qdisc" ]; then
		qp=$(csv "$csvf" qdisc "$qdisc" packets)
		qu=$(csv "$csvf" qdisc "$qdisc" unpaired)
		row=$(awk -F, -v k="$qdisc" '$2 == "total" && $3 == "qdisc" && index($4, k) == 1 && $5 == "sojourn" { print $9, $13; exit }' "$csvf")
		qn=${row% *}
		p50=${row#* }
		note "$mode: qdisc $qdisc packets=$qp unpaired=$qu sojourn count=$qn p50=${p50}ns (computed ~103.7 ms)"
		[ "$qp" = "$sent" ] && [ "$qu" = 0 ] || fail "$mode: qdisc paired '$qp' (unpaired '$qu') of $sent datagrams through htb"
		[ "$qn" = "$qp" ] || fail "$mode: sojourn histogram holds $qn, packets says $qp"
		ge "$p50" 85000000 && [ "$p50" -le 120000000 ] ||
			fail "$mode: median sojourn $p50 ns, not within 85..120 ms of the computed 103.7 ms"
	fi
	# every counted xmit is an event, and so are the other hits
	ge "$events" $((xmits + direct + polls)) || fail "$mode: session events $events below the hits counted"
}

# On this host about one recording in four lost events that way: five tries
# each make a clean one all but certain, and every try still fails on a
# shortfall netlat did not report.
# tp_btf only where probe offers it (Linux 5.10 gets raw_tp alone: docs/kernels.md)
modes=raw_tp
tb=$(nl_probe_feature tp_btf)
if [ "${tb%% *}" = yes ]; then
	modes="tp_btf raw_tp"
else
	note "tp_btf not run: netlat probe says ${tb#* }"
fi
for mode in $modes; do
	try=1
	until run_once "$mode"; do
		[ "$try" -lt 5 ] || fail "$mode: all $try recordings lost events: no clean recording to check"
		try=$((try + 1))
	done
done
exit 0
