#!/bin/sh
# bench/gate_aa.sh: does the CI gate cry wolf, and does it still catch a real change?
# (docs/diff.md "How often the gate is wrong"; too long for the test tiers: about 8 minutes.)
#
# A/A: PAIRS times, `netlat stat -r RUNS --base CMD -- CMD` with the same loopback TCP
# request-response workload on both sides, interleaved (A B A B ...), metrics
# softirq,napi,rx,tx,tcp, then `netlat diff` with the default thresholds. Ground truth:
# nothing changed, so an exit 1 is a false alarm. Pass: at most MAX_FALSE of PAIRS.
# A/B: PAIRS times, UDP bursts through a tbf root qdisc on a veth between two namespaces
# made here, the baseline at RATE mbit and the change at RATE/2 (tbf releases packet k at
# (k+1)*wire*8/rate, so every sojourn doubles), same metrics plus qdisc. Pass: every pair
# exits 1 with a regression naming the qdisc (dev, qdisc=tbf, parent=root).
#
# Env: NETLAT, NLBIN (as bench/run.sh), PAIRS (10), RUNS (7), MAX_FALSE (1), RATE (16).
# Needs root. Traffic: loopback and the veth pair it makes; removes its namespaces on exit.
set -u
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
NETLAT=${NETLAT:-$ROOT/build/netlat}
NLBIN=${NLBIN:-$(dirname "$NETLAT")/tools}
LOAD=$NLBIN/netlat-load
PAIRS=${PAIRS:-10} RUNS=${RUNS:-7} MAX_FALSE=${MAX_FALSE:-1} RATE=${RATE:-16}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/netlat-gate.XXXXXX") || exit 2
NSA=nlgate-$$-a NSB=nlgate-$$-b DEV=nlg$$a PEER=nlg$$b
# a port of its own: the default one may be in use by a test running beside
PORT=$((20000 + $$ % 20000))
cleanup() { ip netns del "$NSA" 2>/dev/null; ip netns del "$NSB" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP
log() { printf '%s gate_aa: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[ "$(id -u)" = 0 ] || { echo "gate_aa: needs root" >&2; exit 2; }

aa_false=0
i=1
while [ $i -le "$PAIRS" ]; do
	"$NETLAT" stat -q -r "$RUNS" -m softirq,napi,rx,tx,tcp -o "$WORK/new.data" \
		--base-output "$WORK/base.data" --base "$LOAD tcp-rr -d 2s -p $PORT" -- "$LOAD" tcp-rr -d 2s -p "$PORT" \
		>/dev/null 2>"$WORK/aa.err" || { cat "$WORK/aa.err" >&2; exit 2; }
	"$NETLAT" diff "$WORK/base.data" "$WORK/new.data" >"$WORK/aa.txt" 2>/dev/null
	rc=$?
	log "A/A pair $i: exit $rc; $(grep '^summary' "$WORK/aa.txt"); $(grep '^# false discovery' "$WORK/aa.txt" | cut -c3-)"
	[ $rc = 2 ] && { cat "$WORK/aa.txt" >&2; exit 2; }
	if [ $rc = 1 ]; then
		aa_false=$((aa_false + 1))
		grep '^REGRESSION' "$WORK/aa.txt" | sed 's/^/    /' >&2
	fi
	i=$((i + 1))
done

ip netns add "$NSA" && ip netns add "$NSB" || exit 2
ip -n "$NSA" link set lo up
ip -n "$NSB" link set lo up
ip -n "$NSA" link add "$DEV" type veth peer name "$PEER" netns "$NSB" || exit 2
ip -n "$NSA" addr add 192.0.2.1/24 dev "$DEV"
ip -n "$NSB" addr add 192.0.2.2/24 dev "$PEER"
ip -n "$NSA" link set "$DEV" up
ip -n "$NSB" link set "$PEER" up
tc -n "$NSA" qdisc replace dev "$DEV" root handle 1: tbf rate "${RATE}mbit" burst 1600 limit 1mb || exit 2
burst="$LOAD udp-burst -n 100 -s 1000 -a 192.0.2.2 --netns $NSA --peer-netns $NSB"
shape() { echo "tc -n $NSA qdisc change dev $DEV root handle 1: tbf rate $1 burst 1600 limit 1mb && $burst"; }
caught=0
i=1
while [ $i -le "$PAIRS" ]; do
	"$NETLAT" stat -q -r "$RUNS" -m qdisc,softirq,napi,rx,tx,tcp -o "$WORK/new.data" \
		--base-output "$WORK/base.data" --base "$(shape "${RATE}mbit")" -- \
		sh -c "$(shape "$((RATE / 2))mbit")" >/dev/null 2>"$WORK/ab.err" || { cat "$WORK/ab.err" >&2; exit 2; }
	"$NETLAT" diff "$WORK/base.data" "$WORK/new.data" >"$WORK/ab.txt" 2>/dev/null
	rc=$?
	named=no
	grep -q "^REGRESSION: qdisc dev=$DEV qdisc=tbf parent=root .*sojourn\." "$WORK/ab.txt" && named=yes
	log "A/B pair $i: exit $rc, qdisc named: $named; $(grep '^summary' "$WORK/ab.txt")"
	[ $rc = 1 ] && [ $named = yes ] && caught=$((caught + 1))
	i=$((i + 1))
done

echo "gate_aa: A/A: $aa_false of $PAIRS pairs exited 1 (at most $MAX_FALSE allowed);" \
	"A/B tbf halved: caught $caught of $PAIRS (all required); $RUNS interleaved runs a side"
[ $aa_false -le "$MAX_FALSE" ] && [ $caught = "$PAIRS" ]
