#!/bin/sh
# rx_tx_agree: the bpf and tracefs collectors count the same ladder on the same packets.
# Both record ONE run at once: bpf for a fixed window around it, tracefs for
# the command itself. The workload is TCP over a veth pair between two test
# namespaces whose device names carry this test's pid, so those rows hold
# this workload's packets only: 300 small messages, one every 3 ms, read
# 1 ms after they become readable, sender and reader pinned to one CPU so the
# skbs are freed the same way every time.
# Asserts: for every (stage, device) row of rx and tx on the pair that both
# collectors have, packet counts within 1% plus one per event either
# collector reports lost (and the rows exist: backlog and,
# where tcp_probe names its skb, socket_queue on the receiver; driver on the
# sender).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
nl_collector_usable bpf rx || skip "bpf: $NL_COLLECTOR_WHY"
nl_collector_usable tracefs rx || skip "tracefs: $NL_COLLECTOR_WHY"

N=300
nl_topo_netns A snd
nl_topo_netns B rcv
nl_topo_veth "$A" "$B"

"$NETLAT" record -q --collector bpf -m rx,tx -d 8s -o "$NLTMP/bpf.data" 2> "$NLTMP/bpf.err" &
bpid=$!
sleep 2
"$NETLAT" record -q --collector tracefs --buffer-kb 16384 -m rx,tx -o "$NLTMP/tracefs.data" -- \
	"$LOAD" slow-reader -n "$N" --delay 1ms --period 3ms -a "$NL_TOPO_V4_B" \
	--netns "$A" --peer-netns "$B" --cpu 0 --peer-cpu 0 > "$NLTMP/load.txt" 2> "$NLTMP/tracefs.err" ||
	{ cat "$NLTMP/tracefs.err"; kill "$bpid" 2>/dev/null; fail "tracefs record failed"; }
wait "$bpid" || { cat "$NLTMP/bpf.err"; fail "bpf record failed"; }
note "$(cat "$NLTMP/load.txt")"
grep -q "recv_msgs=$N " "$NLTMP/load.txt" || fail "the reader did not get all $N messages"

for c in bpf tracefs; do
	nl_report "$NLTMP/$c.data" "$NLTMP/$c.csv"
	# A lost event (a full tracefs buffer; a BPF program the kernel skipped
	# because it was already running on that CPU) can take one packet off a
	# stage count: each one widens the tolerance by one.
	lost=$(nl_gt_lost "$NLTMP/$c.csv")
	[ "$lost" = 0 ] || note "$c: $lost lost events"
	LOST=$((${LOST:-0} + lost))
	awk -F, -v a="dev=$NL_DEV_A" -v b="dev=$NL_DEV_B" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["interval"] == "total" && ($col["metric"] == "rx" || $col["metric"] == "tx") &&
	$col["stat"] == "packets" && ($col["key"] ~ (" " a "$") || $col["key"] ~ (" " b "$")) {
		k = $col["key"]; gsub(/ /, "/", k); print $col["metric"] "|" k, $col["value"] }' \
		"$NLTMP/$c.csv" > "$NLTMP/$c.rows"
done

# rows both have: "row bpf_count tracefs_count" (awk, not join: busybox has none)
both=$(awk 'NR == FNR { b[$1] = $2; next } $1 in b { print $1, b[$1], $2 }' \
	"$NLTMP/bpf.rows" "$NLTMP/tracefs.rows")
[ -n "$both" ] || fail "no stage row common to both collectors"
echo "$both" | while read -r row nb nt; do note "$row: bpf $nb, tracefs $nt"; done
echo "$both" | grep -q "^rx|stage=backlog/dev=$NL_DEV_B " || fail "no rx backlog row for $NL_DEV_B in both"
# socket_queue in both where tcp_probe names its skb (Linux 6.2+; tracefs needs it)
if grep -q skbaddr /sys/kernel/tracing/events/tcp/tcp_probe/format 2>/dev/null ||
	grep -q skbaddr /sys/kernel/debug/tracing/events/tcp/tcp_probe/format 2>/dev/null; then
	echo "$both" | grep -q "^rx|stage=socket_queue/dev=$NL_DEV_B " ||
		fail "no rx socket_queue row for $NL_DEV_B in both"
fi
echo "$both" | grep -q "^tx|stage=driver/dev=$NL_DEV_A " || fail "no tx driver row for $NL_DEV_A in both"
# Not compared: tx completion, and tx total which ends there. A veth hands the
# transmitted skb to its peer, whose free mostly has no tracepoint; the few
# completions seen are frees at a reused skb address, which bpf rejects by the
# skb's data buffer and tracefs cannot (no tracepoint carries skb->head):
# docs/ladders.md. Every other stage is the same packets seen twice.
bad=$(echo "$both" | awk -v lost="$LOST" '$1 ~ /^tx\|stage=(completion|total)\// { next }
	{ d = $2 - $3; if (d < 0) d = -d
	if (d > $3 * 0.01 + lost) print $1 " bpf=" $2 " tracefs=" $3 }')
[ -z "$bad" ] || fail "counts differ by more than 1% (+ $LOST lost events): $bad"
exit 0
