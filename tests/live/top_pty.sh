#!/bin/sh
# top_pty: `netlat top` under a pseudo-terminal draws the stage table, quits on 'q' with
# exit 0, restores the terminal modes, and leaves nothing of netlat's in tracefs.
# The pty comes from script(1) (util-linux). Inside it a shell saves the
# terminal modes (stty -g), runs netlat top, saves its exit code and the modes
# again; 'q' is typed about 3 s in through script's stdin.
. "$NLROOT/tests/lib/common.sh"
need_root
command -v script >/dev/null 2>&1 || skip "no script(1) for a pseudo-terminal (util-linux)"
command -v stty >/dev/null 2>&1 || skip "no stty"
script -qec true /dev/null >/dev/null 2>&1 </dev/null || skip "script(1) cannot open a pty here"
TFS=/sys/kernel/tracing
[ -d "$TFS/instances" ] || TFS=/sys/kernel/debug/tracing

cat > "$NLTMP/inner.sh" <<INNER
stty -g > "$NLTMP/modes.before"
"$NETLAT" top -I 500ms 2> "$NLTMP/top.err"
echo \$? > "$NLTMP/rc"
stty -g > "$NLTMP/modes.after"
INNER
(sleep 3; printf q; sleep 10) | script -qec "sh $NLTMP/inner.sh" "$NLTMP/typescript" >/dev/null 2>&1 &
spid=$!
i=0
while [ ! -s "$NLTMP/modes.after" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
kill "$spid" 2>/dev/null
[ -s "$NLTMP/rc" ] || { cat "$NLTMP/top.err" 2>/dev/null; fail "netlat top did not quit within 15 s of 'q'"; }
rc=$(cat "$NLTMP/rc")
note "exit $rc; typescript $(wc -c < "$NLTMP/typescript") bytes"
[ "$rc" = 0 ] || { cat "$NLTMP/top.err"; fail "netlat top exited $rc after 'q'"; }
grep -q 'RX/TX STAGE' "$NLTMP/typescript" || fail "no stage table on the screen"
grep -q 'CPU  NET_RX' "$NLTMP/typescript" || fail "no per-CPU table on the screen"
cmp -s "$NLTMP/modes.before" "$NLTMP/modes.after" ||
	fail "terminal modes not restored: $(cat "$NLTMP/modes.before") -> $(cat "$NLTMP/modes.after")"
# the alternate screen was left and the cursor shown again
esc=$(printf '\033')
grep -q "${esc}\[?1049l" "$NLTMP/typescript" || fail "alternate screen not left"
grep -q "${esc}\[?25h" "$NLTMP/typescript" || fail "cursor not shown again"
# tracefs: no instance of a netlat that is gone (ours is gone now)
for d in "$TFS"/instances/netlat-*; do
	[ -d "$d" ] || continue
	p=${d##*/netlat-}
	kill -0 "$p" 2>/dev/null || fail "tracefs instance $d left behind"
done
exit 0
