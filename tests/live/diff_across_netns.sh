#!/bin/sh
# diff_across_netns: a baseline and a change recorded in two fresh network namespaces compare.
# Situation: three sides, each in namespaces created afresh (deleted and made again
# under the same names, so every side has new namespace inodes) with a tbf root qdisc
# on the sending veth, each with its own explicit handle (so the handles differ too):
#   A: tbf 16mbit, handle 1a:    B: tbf 16mbit, handle 2b:    C: tbf 8mbit, handle 3c:
# UDP bursts of 100 x 1000 B through it, `netlat stat -r 5 -m qdisc` per side.
# Ground truth: tbf releases packet k at (k+1)*1042*8/rate, so B is A again (nothing
# changed) and C's halved rate doubles every sojourn.
# Asserts: diff A B exits 0; diff A C exits 1 and its regression names the qdisc by its
# portable key (dev, qdisc=tbf, parent=root, the namespace's name) with the recorded
# handle 1a: beside it; diff --match strict A B exits 2 with the "no metric in common"
# message (the recorded keys differ in inode and handle).
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"
command -v tc >/dev/null 2>&1 || skip "no tc (iproute2) here"
RATE=16 N=100
[ "${NL_TIER:-}" = vm ] && RATE=4

# A deleted namespace's inode number is handed to the next one made: a sleeper keeps
# each old sender namespace alive (nameless) so the next side really gets a new inode.
holders=""
trap 'kill $holders 2>/dev/null; nl_cleanup' EXIT
side() { # OUT RATE_MBIT HANDLE
	if [ -e "/run/netns/${NL_NS_PREFIX}tx" ]; then
		ip netns exec "${NL_NS_PREFIX}tx" sleep 600 &
		holders="$holders $!"
		want=$(stat -L -c %i "/run/netns/${NL_NS_PREFIX}tx")
		i=0
		while [ "$(stat -L -c %i /proc/$!/ns/net 2>/dev/null)" != "$want" ] && [ $i -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		ip netns del "${NL_NS_PREFIX}tx"
		ip netns del "${NL_NS_PREFIX}rx"
	fi
	nl_topo_netns A tx
	nl_topo_netns B rx
	nl_topo_veth "$A" "$B"
	tc -n "$A" qdisc replace dev "$NL_DEV_A" root handle "$3:" tbf rate "${2}mbit" burst 1600 limit 1mb ||
		fail "tc tbf on $NL_DEV_A"
	"$NETLAT" stat -q -r 5 -m qdisc -o "$1" -- \
		"$LOAD" udp-burst -n "$N" -s 1000 -a "$NL_TOPO_V4_B" --netns "$A" --peer-netns "$B" \
		>"$1.stat" 2>"$1.err" || { cat "$1.err"; fail "netlat stat for $1 failed"; }
}
side "$NLTMP/a.data" "$RATE" 1a
ino_a=$(stat -L -c %i "/run/netns/$A")
side "$NLTMP/b.data" "$RATE" 2b
ino_b=$(stat -L -c %i "/run/netns/$A")
side "$NLTMP/c.data" $((RATE / 2)) 3c
ino_c=$(stat -L -c %i "/run/netns/$A")
note "sender namespace inodes: A $ino_a, B $ino_b, C $ino_c"
[ "$ino_a" != "$ino_b" ] && [ "$ino_a" != "$ino_c" ] && [ "$ino_b" != "$ino_c" ] ||
	fail "a side reused another's namespace inode"

"$NETLAT" diff "$NLTMP/a.data" "$NLTMP/b.data" >"$NLTMP/ab.txt" 2>"$NLTMP/ab.err"
rc=$?
grep '^summary' "$NLTMP/ab.txt" | sed 's/^/  A->B: /'
[ $rc = 0 ] || { cat "$NLTMP/ab.txt" "$NLTMP/ab.err"; fail "A vs B (nothing changed): exit $rc, want 0"; }
# the sojourn was compared, not left "only in" one side
key="dev=$NL_DEV_A qdisc=tbf parent=root netns=${NL_NS_PREFIX}tx"
grep -q "^within noise  *qdisc  *$key  *sojourn\.p50 " "$NLTMP/ab.txt" ||
	{ cat "$NLTMP/ab.txt"; fail "A vs B: no compared sojourn p50 row keyed '$key'"; }

"$NETLAT" diff "$NLTMP/a.data" "$NLTMP/c.data" >"$NLTMP/ac.txt" 2>"$NLTMP/ac.err"
rc=$?
grep '^REGRESSION\|^summary' "$NLTMP/ac.txt" | sed 's/^/  A->C: /'
[ $rc = 1 ] || { cat "$NLTMP/ac.txt" "$NLTMP/ac.err"; fail "A vs C (rate halved): exit $rc, want 1"; }
grep "^REGRESSION: qdisc $key sojourn\.p50 " "$NLTMP/ac.txt" | grep -q "handle=1a: netns=$ino_a" ||
	fail "A vs C: the regression does not name the tbf by '$key' with its recorded handle 1a:"

"$NETLAT" diff --match strict "$NLTMP/a.data" "$NLTMP/b.data" >"$NLTMP/s.txt" 2>"$NLTMP/s.err"
rc=$?
[ $rc = 2 ] || { cat "$NLTMP/s.txt" "$NLTMP/s.err"; fail "--match strict A vs B: exit $rc, want 2"; }
grep -q "have no metric in common: nothing to compare" "$NLTMP/s.err" ||
	{ cat "$NLTMP/s.err"; fail "--match strict: not the no-metric-in-common message"; }
exit 0
