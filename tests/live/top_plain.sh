#!/bin/sh
# top_plain: `netlat top` without a terminal prints one plain block per interval.
# Piped through cat for 2.5 s at -I 1s with UDP traffic in a test namespace:
# at least two blocks (one header line "netlat top ... interval N" each, with
# N counting up from 1), each with the stage, CPU, flow and findings sections,
# no escape sequences, exit 0 (netlat's own status, not the pipe's), and no
# sanitizer report.
. "$NLROOT/tests/lib/common.sh"
. "$NLROOT/tests/lib/topo.sh"
. "$NLROOT/tests/lib/probe.sh"
need_root
LOAD="$NLBIN/netlat-load"
[ -x "$LOAD" ] || fail "no $LOAD"

nl_topo_netns N top
"$LOAD" udp-flood -d 3s --rate 2000 -s 100 -a 127.0.0.1 --netns "$N" --peer-netns "$N" \
	> "$NLTMP/load.txt" 2>&1 &
# A pipeline's status is its last command's: netlat's goes to a file.
{ "$NETLAT" top -I 1s -d 2500ms < /dev/null 2> "$NLTMP/top.err"; echo $? > "$NLTMP/top.rc"; } |
	cat > "$NLTMP/top.txt"
wait
rc=$(cat "$NLTMP/top.rc")
nl_sanitizer_check "$NLTMP/top.err" "netlat top"
[ "$rc" = 0 ] || { cat "$NLTMP/top.err"; fail "netlat top (piped to cat) exited $rc"; }
blocks=$(grep -c '^netlat top .* interval [0-9]' "$NLTMP/top.txt")
note "$blocks blocks"
[ "$blocks" -ge 2 ] || { cat "$NLTMP/top.txt"; fail "want at least 2 blocks, got $blocks"; }
first=$(sed -n 's/^netlat top .* interval \([0-9]*\) .*/\1/p' "$NLTMP/top.txt" | head -n 1)
[ "$first" = 1 ] || fail "the first block is interval '$first', want 1"
for s in 'RX/TX STAGE' 'CPU  NET_RX' 'TOP FLOWS' 'FINDINGS'; do
	n=$(grep -c "$s" "$NLTMP/top.txt")
	[ "$n" = "$blocks" ] || fail "'$s' appears $n times in $blocks blocks"
done
esc=$(printf '\033')
grep -q "$esc" "$NLTMP/top.txt" && fail "escape sequences in the piped output"
grep -q '^  rx  ' "$NLTMP/top.txt" || grep -q '(no stage saw packets' "$NLTMP/top.txt" ||
	fail "stage table has neither rows nor the empty note"
exit 0
