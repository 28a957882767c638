#!/bin/sh
# triage's copy-cost rule works offline from a `record -m copy` file: the
# recording carries the memcpy reference of the machine that made it
# (meta memcpy_bytes_per_s, with the copy size and time it came from), and
# `triage -i` judges with that one: it neither measures memcpy on the reading
# machine nor reads that machine's per-boot cache (strace's record of the
# files it opened is the ground truth). That the rule fires against a stored
# reference, and is "not checked" without one, is tests/unit/test_triage.c's
# test_copy_reference (a file written and read back).
. "$NLROOT/tests/lib/common.sh"
need_root
command -v strace >/dev/null 2>&1 || fail "strace is missing (make deps installs it)"
# under strace (ptrace) LeakSanitizer cannot run: the sanitizer build checks leaks in the runs without it
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=openat,open,rename -o "$@"; }

meta() { "$NETLAT" report -i "$1" --format json | grep -o "\"$2\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4; }

# 64 KiB writes and reads: the calls copy-cost judges (>= 16 KiB on average, >= 100 calls, >= 1 MiB),
# timed (--syscall-time): copy-cost compares their time per KiB with memcpy's
"$NETLAT" record -q -m copy --syscall-time -o "$NLTMP/copy.data" -- \
	"$NLBIN/netlat-load" tcp-bulk -n 400 -s 65536 -p 5393 \
	>"$NLTMP/load" 2>"$NLTMP/err" || fail "record -m copy failed: $(cat "$NLTMP/err")"
bw=$(meta "$NLTMP/copy.data" memcpy_bytes_per_s)
bytes=$(meta "$NLTMP/copy.data" memcpy_copy_bytes)
ns=$(meta "$NLTMP/copy.data" memcpy_ns)
note "stored reference: $bw bytes/s ($bytes bytes in $ns ns)"
[ -n "$bw" ] && [ -n "$bytes" ] && [ -n "$ns" ] || fail "the recording holds no memcpy reference"
awk -v b="$bytes" -v n="$ns" -v bw="$bw" 'BEGIN { exit !(n > 0 && (bw - b * 1e9 / n) ^ 2 < 1) }' ||
	fail "memcpy_bytes_per_s $bw is not $bytes bytes in $ns ns"
calls=$("$NETLAT" report -i "$NLTMP/copy.data" --format csv -m copy |
	awk -F, '$2 == "total" && $4 ~ /^dir=tx comm=netlat-load/ && $5 == "calls" && $8 > m { m = $8 } END { print m + 0 }')
[ "$calls" -ge 400 ] || fail "the recording has $calls tx calls of netlat-load's sender, expected >= 400"

traced "$NLTMP/triage.st" \
	"$NETLAT" triage -i "$NLTMP/copy.data" >"$NLTMP/triage.txt" 2>&1 || fail "triage -i failed: $(cat "$NLTMP/triage.txt")"
if grep -E 'boot_id|memcpy-bw' "$NLTMP/triage.st"; then
	fail "triage -i consulted this machine's memcpy reference"
fi
grep -q '^checked: .*copy-cost' "$NLTMP/triage.txt" || fail "copy-cost was not checked offline: $(cat "$NLTMP/triage.txt")"
note "$(grep '^checked' "$NLTMP/triage.txt")"

# Without system call times there is nothing to judge, and triage says so rather than passing silently.
"$NETLAT" record -q -m copy -d 300ms -o "$NLTMP/untimed.data" || fail "record -m copy failed"
"$NETLAT" triage -i "$NLTMP/untimed.data" >"$NLTMP/untimed.txt" 2>&1 || fail "triage -i failed"
grep -q '^not checked: copy-cost: .*--syscall-time' "$NLTMP/untimed.txt" ||
	fail "copy-cost without system call times is not reported as not checked: $(cat "$NLTMP/untimed.txt")"
exit 0
