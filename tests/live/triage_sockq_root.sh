#!/bin/sh
# triage_sockq_root: sockq-wait names a slow reader of small segments, ranks it above what it causes,
# and stays quiet for a reader that keeps up.
# Workloads (netlat-load paced-reader over loopback in the test's namespace, TCP_NODELAY):
#   A. `netlat triage -d 8`, sender 200 B every 20 ms, reader 50 B every 30 ms
#      for 6 s, default receive buffer: the sender retransmits and the kernel
#      drops what arrives twice (TCP_OLD_DATA) (KERNEL-NOTES 2026-12-04).
#      sockq-wait must rank above the tcp-errors and drops findings, say the
#      queue grows, and those must say "caused by #N: receive queue full"
#      with N its rank (the drops finding when the drops rule raises one).
#   B. `netlat triage -d 6`, sender 200 B every 5 ms for 5 s (the log is
#      written when the workload ends, inside the 6 s), the same reader, a
#      4 MiB receive buffer so the generator's log is the truth (prune,
#      collapse and receive-queue drops checked 0): sockq-wait names comm
#      netlat-load, the reader's pid (from the log) and the flow (the port),
#      with a p50 within 20% of the truth's per-read oldest-byte wait p50.
#   C. a reader that drains everything every millisecond: no sockq-wait
#      finding for its flow.
# The machine is shared: findings about other namespaces may rank anywhere,
# so "first" is checked as: nothing about this test's namespace or flow
# ranks above the slow reader.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/truth.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
PORT=$((20000 + $$ % 20000))
nl_topo_netns N sqr
NSINO=$(ip netns exec "$N" stat -L -c %i /proc/self/ns/net) || fail "netns inode"

# triage TAG SECONDS LOAD-ARGS...: netlat triage around netlat-load in the namespace
triage() {
	_tag=$1 _d=$2
	shift 2
	"$NETLAT" triage -q -d "$_d" -o "$NLTMP/$_tag.data" -- "$LOAD" paced-reader -a 127.0.0.1 -p "$PORT" \
		--netns "$N" --peer-netns "$N" "$@" > "$NLTMP/$_tag.txt" 2> "$NLTMP/$_tag.err" ||
		{ cat "$NLTMP/$_tag.err"; fail "$_tag: netlat triage failed"; }
	sed 's/^/  | /' "$NLTMP/$_tag.txt"
	grep -q '^not checked: sockq-wait' "$NLTMP/$_tag.txt" &&
		skip "$(grep '^not checked: sockq-wait' "$NLTMP/$_tag.txt")"
	# the rank and the block of the slow reader's finding
	R=$(awk -v p=":$PORT>" '/^#[0-9]+ / { r = substr($1, 2) } /^#[0-9]+ .*\] sockq-wait: / { s = r }
		s && r == s && /^    where: / && index($0, p) { print s; exit }' "$NLTMP/$_tag.txt")
	[ -n "$R" ] && awk -v r="$R" '$1 == "#" r { on = 1; print; next } /^#[0-9]+ / { on = 0 } on' \
		"$NLTMP/$_tag.txt" > "$NLTMP/$_tag.mine"
}

# nothing_above TAG: no finding ranked above R is about this namespace or this flow (drops of
# TCP reasons carry no namespace here: any of them counts as ours)
nothing_above() {
	awk -v r="$R" -v ns="netns=$NSINO" -v p=":$PORT" '
	/^#[0-9]+ / { rank = substr($1, 2) + 0 }
	rank && rank < r + 0 && (index($0, ns) || index($0, p) || / drops: .* reason TCP_/) {
		print "#" rank ": " $0; bad = 1 }
	END { exit bad }' "$NLTMP/$1.txt" || fail "$1: findings about this test rank above the slow reader (#$R)"
}

# A: the root cause first, its consequences marked
triage a 8 -s 200 --period 20ms --read-period 30ms --read-size 50 -d 6s
[ -n "$R" ] || fail "a: no sockq-wait finding for the reader of port $PORT"
nothing_above a
grep -q 'queue is growing' "$NLTMP/a.mine" || fail "a: the finding does not say the queue grows"
# the retransmits always cross tcp-errors' threshold here; the drops rule weighs drops against
# every packet the host received, so on a busy shared machine it may stay quiet: when it
# speaks, it must name the cause too
for rule in tcp-errors drops; do
	case $rule in
	drops) what="drops: packets dropped: reason TCP_" ;;	# receive-side reasons; others are not ours
	*) what="tcp-errors: TCP retransmits" ;;
	esac
	line=$(grep "^#[0-9]* \[[0-9]*\] $what" "$NLTMP/a.txt" | head -n 1)
	if [ -z "$line" ]; then
		[ "$rule" = drops ] || fail "a: no $rule finding: the workload did not make the sender resend"
		note "a: no drops finding (below its threshold against this host's traffic)"
		continue
	fi
	case "$line" in
	*"(caused by #$R: receive queue full)"*) ;;
	*) fail "a: the $rule finding is not marked as caused by #$R: $line" ;;
	esac
done

# B: named, and the wait is the truth's
for f in PruneCalled TCPRcvCollapsed TCPRcvQDrop; do
	eval "b_$f=\$(nl_netstat \"\$N\" $f)"
done
triage b 6 -s 200 --period 5ms --read-period 30ms --read-size 50 -d 5s --rcvbuf 4194304 --log "$NLTMP/b.log"
for f in PruneCalled TCPRcvCollapsed TCPRcvQDrop; do
	eval "d=\$((\$(nl_netstat \"\$N\" $f) - b_$f))"
	[ "$d" = 0 ] || fail "b: TcpExt$f moved by $d: the log is no truth"
done
nl_sender_free "$NLTMP/b.log.send" || fail "b: the sender blocked: the log is no truth: $NL_WHY"
[ -n "$R" ] || fail "b: no sockq-wait finding for the reader of port $PORT"
nothing_above b
pid=$(sed -n 's/^# pid //p' "$NLTMP/b.log.read")
grep -q "netlat-load (pid $pid)" "$NLTMP/b.mine" || fail "b: the finding does not name netlat-load (pid $pid)"
grep -q "flow=127\.0\.0\.1:$PORT>" "$NLTMP/b.mine" || fail "b: the finding does not name the flow"
nl_truth_sockq "$NLTMP/b.log" "$NLTMP/b.truth"
t50=$(nl_pct "$NLTMP/b.truth" 50)
p50=$(sed -n 's/.*wait (by bytes) p50 \([0-9.]*\)\(m*s\),.*/\1 \2/p' "$NLTMP/b.mine" |
	awk '{ print $2 == "ms" ? $1 * 1e6 : $1 * 1e9 }')
note "b: sockq-wait p50 $p50 ns, truth $t50 ns"
nl_within "$p50" "$t50" 20 || fail "b: sockq-wait p50 '$p50' ns not within 20% of the truth $t50 ns"

# C: a reader that keeps up raises nothing
triage c 4 -s 200 --period 20ms --read-period 1ms --read-size 0 -d 3s
[ -z "$R" ] || fail "c: a reader that drains every millisecond got a sockq-wait finding (#$R)"
exit 0
