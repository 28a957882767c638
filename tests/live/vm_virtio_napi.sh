#!/bin/sh
# vm: only
# vm_virtio_napi: the NAPI poll of a real NIC driver, virtio_net, against an independent
# tracefs reader. The VM tier's two virtio-net NICs sit alone on one QEMU hub; one goes into
# namespace A, the other into B (nl_topo_virtio). A UDP flood from A to B makes B's
# virtio_net NAPI poll its receive ring with the device's own budget: 64, its napi weight
# (virtio_net's napi_weight parameter), not net.core.dev_weight, which only sets the
# backlog's. The test lowers dev_weight to 4 anyway and the reader checks that every poll
# of B still has budget 64: the budget netlat counts against is the driver's.
# Truths, over netlat's own recorded window (nl_same_window): netlat's polls and
# budget_exhausted on B's row equal the reader's count of napi_poll lines on B and of
# those with work == budget; and the flood must exhaust the budget at least 10 times (a
# count of zero would make the equality prove nothing).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_gt_collectors napi
nl_topo_netns A tx
nl_topo_netns B rx
NL_TOPO_LINK=virtio nl_topo_veth "$A" "$B"
nl_sysctl_set net/core/dev_weight 4

# budgets FILE: the distinct budgets of B's polls, "b1 b2 ..."
budgets() {
	awk -v dev="$NL_DEV_B" "$NL_TRUTH_AWK_PRE"'
	{ i = parse(); if (ev != "napi_poll:") next
	  for (j = i; j <= NF; j++) if ($j == "device") break
	  if ($(j + 1) == dev) b[$(j + 5)] = 1 }
	END { for (k in b) printf "%s ", k }' "$1"
}

# one recording of collector $1 and its reader; returns 1 when the flood did not exhaust
# the budget 10 times (how often it does depends on how fast the emulator runs the guest:
# a 1 s flood exhausted it 6 to 8 times under 6.12, so the flood lasts 3 s)
record_once() {
	c=$1
	nl_truth_open 16384
	nl_truth_event napi/napi_poll "dev_name == \"$NL_DEV_B\""
	nl_gt_record "$c" "$NLTMP/$c.data" "$NLTMP/$c.load" -m napi -- \
		"$LOAD" udp-flood -d 3s -s 64 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" --cpu 0 --peer-cpu 1 ||
		fail "$c: netlat record failed"
	nl_truth_dump "$NLTMP/$c.trace"
	nl_truth_close
	note "$c: $(cat "$NLTMP/$c.load")"
	b=$(budgets "$NLTMP/$c.trace")
	[ "$b" = "64 " ] || fail "$c: reader: budgets of $NL_DEV_B's polls are '$b', want only 64 (virtio_net's weight)"
	nl_truth_netlat_window "$NLTMP/$c.trace" "$NLTMP/$c.data" "$NLTMP/$c.same"
	set -- $(nl_truth_napi "$NLTMP/$c.same" "$NL_DEV_B")
	w_polls=$1 w_ex=$2

	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	k=$(awk -F, -v d="dev=$NL_DEV_B" '$3 == "napi" && ($4 == d || index($4, d " netns=") == 1) { print $4; exit }' "$NLTMP/$c.csv")
	[ -n "$k" ] || fail "$c: no napi row for dev=$NL_DEV_B"
	n_polls=$(nl_csv "$NLTMP/$c.csv" napi "$k" polls value)
	n_ex=$(nl_csv "$NLTMP/$c.csv" napi "$k" budget_exhausted value)
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	note "$c: $k polls netlat=$n_polls reader=$w_polls; budget_exhausted netlat=$n_ex reader=$w_ex; lost_events=$lost"
	if [ "$w_ex" -lt 10 ]; then
		note "$c: the flood exhausted $NL_DEV_B's budget only $w_ex times (reader): no truth to compare"
		return 1
	fi
	nl_same_window "$n_ex" "$w_ex" "$lost" ||
		fail "$c: budget_exhausted $n_ex (+$lost lost) is not the reader's $w_ex over netlat's window"
	nl_same_window "$n_polls" "$w_polls" "$lost" ||
		fail "$c: polls $n_polls (+$lost lost) is not the reader's $w_polls over netlat's window"
}

for c in $NL_COLLECTORS; do
	try=1
	until record_once "$c"; do
		[ "$try" -lt 3 ] || fail "$c: in $try recordings the flood never exhausted the budget 10 times"
		try=$((try + 1))
	done
done
exit 0
