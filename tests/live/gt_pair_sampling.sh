#!/bin/sh
# gt_pair_sampling: the BPF collector's sampled pairing (--pair-sample N)
# reports the same latency as full pairing, admits 1 skb in N, and says so.
# Ground truth: a tbf root qdisc whose queue a UDP flood keeps full. Once
# full, every datagram that gets in waits for the LIMIT bytes ahead of it,
# so every dequeued skb's qdisc sojourn is about the same,
# LIMIT * 8 / RATE, and a sample of them has the median of all of them.
# Asserts: the qdisc stage p50 with 1 in 4 followed is within 5% of the
# p50 with every skb followed (same workload, recorded just before), the
# admitted count is offered / 4 within 4 binomial standard deviations,
# and the text ladder says it was sampled and at what rate.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_collector_usable bpf tx || skip "the bpf collector cannot measure tx here (netlat probe)"

SIZE=1000 RATE=8000000 BURST=2000 LIMIT=40000 N=4
nl_topo_netns A tx
nl_topo_netns B rx
nl_topo_veth "$A" "$B"
nl_topo_tbf "$A" "$NL_DEV_A" "${RATE}bit" "$BURST" "$LIMIT"
EXP_US=$(( LIMIT * 8 * 1000000 / RATE ))
note "tbf on $NL_DEV_A: $RATE bit/s, queue limit $LIMIT B: a full queue holds each skb about ${EXP_US} us"

# record ONE_IN: a 2 s flood well above the tbf rate, the tx ladder followed 1 skb in ONE_IN
record() {
	"$NETLAT" record -q --collector bpf -m tx --pair-sample "$1" --overhead-budget 0 --dev "$NL_DEV_A" -o "$NLTMP/s$1.data" -- \
		"$LOAD" udp-flood -d 2s -s "$SIZE" --rate 3000 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		> "$NLTMP/s$1.load" 2> "$NLTMP/s$1.err" || { cat "$NLTMP/s$1.err"; fail "record --pair-sample $1 failed"; }
	nl_report "$NLTMP/s$1.data" "$NLTMP/s$1.csv"
}

record 1
record "$N"
k="^stage=qdisc dev=$NL_DEV_A\$"
full=$(nl_csv_sum "$NLTMP/s1.csv" tx "$k" latency p50)
samp=$(nl_csv_sum "$NLTMP/s$N.csv" tx "$k" latency p50)
pk_full=$(nl_csv_sum "$NLTMP/s1.csv" tx "$k" packets value)
pk_samp=$(nl_csv_sum "$NLTMP/s$N.csv" tx "$k" packets value)
off1=$(nl_csv "$NLTMP/s1.csv" session '' pairing_offered value)
adm1=$(nl_csv "$NLTMP/s1.csv" session '' pairing_admitted value)
off=$(nl_csv "$NLTMP/s$N.csv" session '' pairing_offered value)
adm=$(nl_csv "$NLTMP/s$N.csv" session '' pairing_admitted value)
note "full: qdisc p50 ${full} ns over ${pk_full} skbs, admitted $adm1 of $off1"
note "1 in $N: qdisc p50 ${samp} ns over ${pk_samp} skbs, admitted $adm of $off"
[ -n "$full" ] && [ -n "$samp" ] || fail "no qdisc stage on $NL_DEV_A (full '$full', sampled '$samp')"
# the truth itself: a full queue, each skb held about LIMIT * 8 / RATE
nl_within "$(awk -v v="$full" 'BEGIN { print v / 1000 }')" "$EXP_US" 15 ||
	fail "full pairing: qdisc p50 ${full} ns is not the full-queue wait ${EXP_US} us (+-15%): is the queue full?"
[ "$adm1" = "$off1" ] || fail "--pair-sample 1 admitted $adm1 of $off1 skbs, not all"
nl_within "$samp" "$full" 5 || fail "1 in $N: qdisc p50 $samp ns not within 5% of full pairing's $full ns"
[ "${off:-0}" -gt 1000 ] || fail "only '${off}' skbs offered to pairing: the flood did not run"
# (d / sd)^2 <= 16: no sqrt, which busybox awk (the VM) lacks
awk -v a="$adm" -v o="$off" -v n="$N" 'BEGIN {
	p = 1 / n; d = a - o * p
	if (d * d <= 16 * o * p * (1 - p)) exit 0
	exit 1 }' ||
	fail "1 in $N: admitted $adm of $off skbs, not within 4 sigma of $off / $N"
"$NETLAT" report --full -i "$NLTMP/s$N.data" -m tx > "$NLTMP/s$N.txt" || fail "text report failed"
grep -q "sampled: $adm of $off skbs followed stage by stage, 1 in " "$NLTMP/s$N.txt" ||
	fail "the tx ladder does not say it was sampled: $(head -n 3 "$NLTMP/s$N.txt")"
grep -q 'sampled:' "$NLTMP/s1.txt" 2>/dev/null && fail "full pairing claims to be sampled"
exit 0
