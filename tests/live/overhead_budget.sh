#!/bin/sh
# plain: yes
# The overhead budget governor (record --overhead-budget, include/netlat/overhead_budget.h).
# Under a paced UDP flood netlat's BPF programs cost more than 0.5% of the
# recorded CPUs (the kernel's own run-time statistics say how much: the
# recording's "overhead" values). With --overhead-budget 0.5 the recording
# lowers its pairing admission at least once, and records when and why:
# the reason's cost is over the budget, the time lies within the recording,
# and the text report says "pairing sampled 1/N from HH:MM:SS, over budget".
# With --overhead-budget 0 it never changes admission, under the same flood
# and a measured cost over 0.5%. Bad budgets: one line, exit 2.
. "$NLROOT/tests/lib/common.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || skip "netlat-load not built"
[ -r /proc/sys/kernel/bpf_stats_enabled ] || skip "no kernel.bpf_stats_enabled: kernel without BPF run-time statistics"
METRICS=napi,softirq,gso,gro,rx

for bad in abc -1 101 1x "" nan; do
	out=$("$NETLAT" record --overhead-budget "$bad" -d 1s -o "$NLTMP/bad.data" 2>&1)
	rc=$?
	[ "$rc" = 2 ] || fail "--overhead-budget '$bad': exit $rc, expected 2"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "--overhead-budget '$bad': not one line: $out"
	case $out in *"invalid overhead budget"*) ;; *) fail "--overhead-budget '$bad': $out" ;; esac
	[ ! -e "$NLTMP/bad.data" ] || fail "--overhead-budget '$bad' wrote a recording"
done

nl_netns_add budget >/dev/null
ns="netlat-t-$$-budget"

flood() {
	tag=$1
	"$NETLAT" record -v -q --collector bpf -m $METRICS --overhead-budget "$2" -d 10s -o "$NLTMP/$tag.data" -- \
		"$LOAD" udp-flood -d 4s -s 200 --rate 10000 --netns "$ns" --peer-netns "$ns" \
		>"$NLTMP/$tag.log" 2>&1 || { cat "$NLTMP/$tag.log"; fail "$tag: record failed"; }
	"$NETLAT" report -i "$NLTMP/$tag.data" --format json >"$NLTMP/$tag.json" || fail "$tag: report failed"
	"$NETLAT" report -i "$NLTMP/$tag.data" >"$NLTMP/$tag.txt" || fail "$tag: text report failed"
	pct=$(jq '.overhead.bpf_cpu_pct' "$NLTMP/$tag.json")
	nchg=$(jq '.overhead.admission_changes | length' "$NLTMP/$tag.json")
	note "$tag: BPF cost $pct% of the CPUs, $nchg admission changes: $(grep '^# budget:' "$NLTMP/$tag.txt")"
}

# A cost under 0.5% here would prove nothing either way: say so rather than pass.
over() { awk -v p="$1" 'BEGIN { exit !(p > 0.5) }'; }

flood budget 0.5
! grep -q "^netlat: own cost: 0 BPF programs" "$NLTMP/budget.log" ||
	fail "budget: the bpf collector listed no programs (its progs() op, include/netlat/collector.h)"
over "$pct" || fail "budget: the flood cost only $pct% of the CPUs: the governor had nothing to do"
! grep -q "no collector can sample its pairing" "$NLTMP/budget.txt" ||
	fail "budget 0.5: over budget, and the bpf collector cannot sample (its set_admission op, include/netlat/collector.h)"
[ "$nchg" -ge 1 ] || { grep '^# budget' "$NLTMP/budget.txt"; fail "budget 0.5: admission never lowered at a cost of $pct%"; }
first=$(jq -r '.overhead.admission_changes[0] | "\(.one_in) \(.t_s) \(.time) \(.reason)"' "$NLTMP/budget.json")
set -- $first
one_in=$1 t_s=$2 when=$3
shift 3
why="$*"
dur=$(jq '.duration_s' "$NLTMP/budget.json")
note "first change: 1/$one_in at +${t_s}s ($when): $why"
[ "$one_in" -gt 1 ] || fail "budget 0.5: first change to 1/$one_in is no lowering"
case $why in "over budget: "*%) ;; *) fail "budget 0.5: reason '$why'" ;; esac
cost=${why#over budget: }
over "${cost%\%}" || fail "budget 0.5: lowered at a cost of $cost, not over the budget"
awk -v t="$t_s" -v d="$dur" 'BEGIN { exit !(t > 0 && t <= d + 0.5) }' || fail "budget 0.5: change at +${t_s}s outside the ${dur}s recording"
grep -Eq "^# budget: +0\.5% of the recorded CPUs: pairing sampled 1/$one_in from $when, over budget: [0-9.]+%" "$NLTMP/budget.txt" ||
	{ grep '^# budget' "$NLTMP/budget.txt"; fail "budget 0.5: the text report does not show the change"; }
grep -q "^netlat: pairing now admits 1 skb in $one_in: over budget" "$NLTMP/budget.log" ||
	fail "budget 0.5: record -v did not say the admission changed"

flood nobudget 0
over "$pct" || fail "no budget: the flood cost only $pct% of the CPUs: nothing shows the governor stayed out"
[ "$nchg" = 0 ] || fail "--overhead-budget 0: admission changed $nchg times"
grep -q "^# budget:      none (--overhead-budget 0)$" "$NLTMP/nobudget.txt" || fail "--overhead-budget 0: the report does not say so"
! grep -q "pairing now admits" "$NLTMP/nobudget.log" || fail "--overhead-budget 0: record -v says admission changed"
exit 0
