#!/bin/sh
# triage_quiet: a healthy namespace gives "no findings", and lists what was checked and what not.
# A fresh test namespace with light, healthy traffic (TCP request/response
# over its loopback), triaged with --netns: no rule may fire. The output must
# say "no findings", list the rules that ran on a "checked:" line, and give
# every other rule a "not checked: <rule>: <why>" line, so that together
# they name every rule exactly once. The JSON form must agree.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns N quiet
INO=$(ip netns exec "$N" stat -L -c %i /proc/self/ns/net) || fail "netns inode"
"$NETLAT" triage -q --netns "$INO" -o "$NLTMP/t.data" -- \
	"$LOAD" tcp-rr -d 1s -s 100 -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/t.txt" 2> "$NLTMP/t.err" || { cat "$NLTMP/t.err"; fail "netlat triage failed"; }
cat "$NLTMP/t.txt"
grep -q '^no findings$' "$NLTMP/t.txt" || fail "a quiet namespace has findings"
checked=$(sed -n 's/^checked: //p' "$NLTMP/t.txt" | tr -d ' ' | tr ',' '\n' | grep -v '^nothing$')
[ -n "$checked" ] || fail "no 'checked:' list, or nothing checked"
notchk=$(sed -n 's/^not checked: \([^:]*\):.*/\1/p' "$NLTMP/t.txt")
all=$("$NETLAT" triage --help | awk '/^ Rules and/ { on = 1; next } on && NF { print $1 }')
[ -n "$all" ] || fail "netlat triage --help lists no rules"
got=$(printf '%s\n%s\n' "$checked" "$notchk" | sort)
want=$(printf '%s\n' "$all" | sort)
[ "$got" = "$want" ] || fail "checked + not checked ($(echo $got)) is not every rule once ($(echo $want))"
# the JSON form says the same
"$NETLAT" triage -i "$NLTMP/t.data" --netns "$INO" --format json > "$NLTMP/t.json" || fail "triage -i --format json"
grep -q '"findings": \[\]' "$NLTMP/t.json" || fail "JSON findings not empty"
for r in $checked; do
	grep -q "\"$r\"" "$NLTMP/t.json" || fail "JSON lacks checked rule $r"
done
exit 0
