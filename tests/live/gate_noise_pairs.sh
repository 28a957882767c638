#!/bin/sh
# gate_noise_pairs: the same workload twice is not a regression, ten pairs in a row.
# Situation: UDP bursts through a tbf root qdisc on a veth between two test
# namespaces (tbf paces the packets, so the workload itself does not change
# between runs), each side recorded with `netlat stat -r 3`. Eleven stat runs
# give ten consecutive pairs; each pair is diffed in both orders with the
# default thresholds. Ground truth: nothing changed, so every diff must exit 0
# and report no regression; a pair that does is printed with its verdicts.
# Metrics: those the workload determines (qdisc, gso, gro, napi). softirq
# handler times depend on whatever else the machine runs, so they are left
# out here; the gate's own noise tests cover them (docs/diff.md).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
command -v tc >/dev/null 2>&1 || skip "no tc (iproute2) here"

# Ten pairs. The VM tier emulates its CPU (no KVM): three pairs to stay in the time limit,
# and a rate slow enough that the emulated CPU, whose speed follows the host's load, is never
# what paces the packets (at 16 mbit it was, and sojourns moved 40 ms -> 107 ms between runs).
PAIRS=10 RATE=16mbit N=100
[ "${NL_TIER:-}" = vm ] && PAIRS=3 RATE=2mbit N=50
PAIRS=${NL_GATE_PAIRS:-$PAIRS}
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "$RATE" 1600 1mb

i=0
while [ $i -le "$PAIRS" ]; do
	"$NETLAT" stat -q -r 3 -m qdisc,gso,gro,napi -o "$NLTMP/s$i.data" -- \
		"$LOAD" udp-burst -n "$N" -s 1000 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		>/dev/null 2>"$NLTMP/s$i.err" || { cat "$NLTMP/s$i.err"; fail "netlat stat $i failed"; }
	i=$((i + 1))
done
"$NETLAT" stat -i "$NLTMP/s0.data" -x | grep -q "^qdisc,dev=$NL_DEV_A .*,sojourn,p50," ||
	fail "the stat file holds no qdisc sojourn for $NL_DEV_A: the pairs would compare nothing"

i=0
bad=0
while [ $i -lt "$PAIRS" ]; do
	j=$((i + 1))
	for order in "$i $j" "$j $i"; do
		set -- $order
		"$NETLAT" diff "$NLTMP/s$1.data" "$NLTMP/s$2.data" >"$NLTMP/d.txt" 2>"$NLTMP/d.err"
		rc=$?
		sum=$(grep '^summary:' "$NLTMP/d.txt")
		# the sojourn must have been ranked across runs, not skipped
		grep " qdisc  *dev=$NL_DEV_A .*sojourn\.p50 .* p=[0-9]" "$NLTMP/d.txt" | grep -q "10%" ||
			fail "s$1 -> s$2: no rank-tested sojourn p50 row with its default threshold"
		note "s$1 -> s$2: exit $rc, $sum"
		if [ $rc != 0 ]; then
			grep -v '^within noise' "$NLTMP/d.txt" | sed 's/^/    /'
			cat "$NLTMP/d.err"
			bad=$((bad + 1))
		fi
		echo "$sum" | grep -q ' 0 regressed,' || [ $rc != 0 ] ||
			fail "s$1 -> s$2: exit 0 although the summary counts regressions"
	done
	i=$j
done
[ $bad = 0 ] || fail "$bad of $((2 * PAIRS)) same-workload comparisons reported a regression"
exit 0
