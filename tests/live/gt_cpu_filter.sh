#!/bin/sh
# vm: yes
# gt_cpu_filter: `record -C CPU` keeps only that CPU's rows (softirq, napi).
# Workload: a 1 s loopback UDP flood in a namespace of the test's own, sender
# and receiver pinned to CPU 1, no RPS: every NET_RX softirq of the flow runs
# on CPU 1 (at the sender's bh-enable). Ground truth: an independent tracefs
# reader counting irq:softirq_entry vec=3 per CPU over netlat's window.
# Asserts per collector:
#   -C 1: no row of another CPU; CPU 1's NET_RX entries equal the reader's
#         (but for the window's edges and the losses netlat reports there);
#   -C 0: no row of CPU 1, though CPU 1 ran tens of thousands of NET_RX
#         softirqs in the window (the reader's count).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
[ "$(nl_topo_ncpus)" -ge 2 ] || skip "needs 2 CPUs"

nl_gt_collectors softirq
nl_topo_netns N cpuf

# cpus_in CSV: the distinct CPU numbers of every row key holding "cpu=N"
cpus_in() {
	awk -F, 'NR > 1 && $2 == "total" { if (match($4, /cpu=[0-9]+/)) print substr($4, RSTART + 4, RLENGTH - 4) }' "$1" |
		sort -un | tr '\n' ' '
}

for c in $NL_COLLECTORS; do
	for keep in 1 0; do
		t="$NLTMP/$c-C$keep"
		nl_truth_open 16384
		nl_truth_event irq/softirq_entry "vec == 3"
		nl_gt_record "$c" "$t.data" "$t.load" -m softirq,napi -C "$keep" -- \
			"$LOAD" udp-flood -d 1s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" --cpu 1 --peer-cpu 1 ||
			fail "$c -C $keep: netlat record failed"
		nl_truth_dump "$t.trace"
		nl_truth_close
		nl_truth_netlat_window "$t.trace" "$t.data" "$t.same"
		r1=$(nl_truth_softirq "$t.same" 3 | awk '$1 == 1 { print $2 }')
		nl_report "$t.data" "$t.csv"
		got=$(cpus_in "$t.csv")
		n1=$(nl_csv "$t.csv" softirq "cpu=1 vec=NET_RX" entries value)
		note "$c -C $keep: $(cat "$t.load")"
		note "$c -C $keep: CPUs in netlat's rows: ${got:-none}; reader: CPU 1 NET_RX ${r1:-0} in netlat's window; netlat ${n1:-none}"
		[ "${r1:-0}" -ge 1000 ] || fail "$c -C $keep: the flood ran only ${r1:-0} NET_RX softirqs on CPU 1"
		# CPU 0 may have had no NET_RX at all: no rows is fine there, another CPU's never
		case "$keep:$got" in "1:1 " | "0:0 " | "0:") ;; *) fail "$c -C $keep: rows of CPUs '$got', want only $keep" ;; esac
		[ "$keep" = 1 ] || continue
		lost=$(nl_csv "$t.csv" session cpu=1 lost_events value)
		nl_same_window "${n1:-0}" "$r1" "${lost:-0}" ||
			fail "$c -C 1: CPU 1 NET_RX entries ${n1:-none} (+${lost:-0} lost) is not the reader's $r1"
	done
done
exit 0
