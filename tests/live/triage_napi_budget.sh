#!/bin/sh
# triage_napi_budget: a flood with net.core.dev_weight lowered makes napi-budget rank first.
# Fault (KERNEL-NOTES ground truth, there with dev_weight 4): dev_weight 2, RPS on a test namespace's
# lo steering to CPU 1, the sender pinned to CPU 0: the backlog NAPI
# "(no_device)" on CPU 1 ends about a third of its polls at work == budget,
# far above the rule's 5% threshold. The first finding must be napi-budget
# on (no_device), and say that CPU 1 does the receive work.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/probe.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
nl_probe_need_metric napi
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
[ "$(nl_topo_ncpus)" -ge 2 ] || skip "needs 2 CPUs (RPS to the other CPU)"
[ -w /proc/sys/net/core/dev_weight ] || skip "net.core.dev_weight not writable"

nl_topo_netns N napi
nl_topo_rps "$N" lo 2
nl_sysctl_set net/core/dev_weight 2
"$NETLAT" triage -q -o "$NLTMP/t.data" -- \
	"$LOAD" udp-flood -d 2s -s 64 -a 127.0.0.1 --netns "$N" --peer-netns "$N" --cpu 0 \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
nl_sanitizer_check "$NLTMP/t.err" "netlat triage"
nl_triage_checked "$NLTMP/t.txt" napi-budget
first=$(awk '/^#1 /' "$NLTMP/t.txt")
where=$(awk '/^#1 / { on = 1; next } /^#/ { on = 0 } on && $1 == "where:"' "$NLTMP/t.txt")
case "$first" in *"] napi-budget: "*) ;; *) fail "first finding is not napi-budget: $first" ;; esac
case "$where" in *"dev=(no_device)"*) ;; *) fail "first finding names '$where', want dev=(no_device)" ;; esac
case "$where" in *"cpu=1 does"*) ;; *) fail "first finding does not put the receive work on cpu=1: $where" ;; esac
exit 0
