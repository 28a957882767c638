#!/bin/sh
# plain: yes
# The memcpy reference (src/record/memcpy_bw.c, docs/funclat.md): sized from the
# last-level cache, measured once per boot and kept in /run/netlat/memcpy-bw
# under the boot id, stored in every recording with a copy metric, and not
# touched at all by a recording without one. Ground truths, none from
# netlat: the LLC read here from sysfs (the documented assumption when sysfs
# has no cache description), the boot id from /proc, and strace's record of
# which files netlat opened and renamed.
. "$NLROOT/tests/lib/common.sh"
need_root
command -v strace >/dev/null 2>&1 || fail "strace is missing (make deps installs it)"
# under strace (ptrace) LeakSanitizer cannot run: the sanitizer build checks leaks in the runs without it
traced() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=openat,open,rename -o "$@"; }

CACHE=/run/netlat/memcpy-bw
BOOT=$(cat /proc/sys/kernel/random/boot_id)

# The copy size this machine calls for: LLC (highest level, not instruction), clamped to 4-128 MiB.
llc=0
best=0
for d in /sys/devices/system/cpu/cpu0/cache/index*; do
	[ -r "$d/level" ] && [ -r "$d/size" ] || continue
	[ "$(cat "$d/type")" = Instruction ] && continue
	lv=$(cat "$d/level")
	sz=$(cat "$d/size")
	case $sz in
	*K) b=$((${sz%K} * 1024)) ;;
	*M) b=$((${sz%M} * 1048576)) ;;
	*) b=$sz ;;
	esac
	if [ "$lv" -gt "$best" ]; then best=$lv; llc=$b; fi
done
assumed=$(sed -n 's/.*assumes an LLC of \*\*\([0-9]*\) MiB\*\*.*/\1/p' "$NLROOT/docs/funclat.md" | head -n 1)
[ -n "$assumed" ] || fail "docs/funclat.md does not state the LLC assumed when sysfs says nothing"
want=$llc
[ "$llc" = 0 ] && want=$((assumed * 1048576))
[ "$want" -lt $((4 * 1048576)) ] && want=$((4 * 1048576))
[ "$want" -gt $((128 * 1048576)) ] && want=$((128 * 1048576))
note "LLC from sysfs: $llc bytes; expected copy size $want bytes"

meta() { "$NETLAT" report -i "$1" --format json | grep -o "\"$2\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4; }
cache_val() { sed -n "s/^$1 //p" "$CACHE"; }

# 1. No copy metric: the cache is neither read nor written, nothing is stored.
traced "$NLTMP/napi.st" \
	"$NETLAT" record -q -m napi -d 300ms -o "$NLTMP/napi.data" || fail "record -m napi failed"
if grep -E 'boot_id|memcpy-bw' "$NLTMP/napi.st"; then
	fail "record -m napi looked at the memcpy reference"
fi
[ -z "$(meta "$NLTMP/napi.data" memcpy_bytes_per_s)" ] || fail "record -m napi stored a memcpy reference"

# 2. A cache file of another boot is measured over, at the size the LLC calls for.
mkdir -p /run/netlat
printf 'boot_id another-boot\nllc_bytes 0\ncopy_bytes 1024\nns 1\n' >"$CACHE"
"$NETLAT" record -q -m copy -d 300ms -o "$NLTMP/m1.data" || fail "record -m copy failed"
src=$(meta "$NLTMP/m1.data" memcpy_source)
bytes=$(meta "$NLTMP/m1.data" memcpy_copy_bytes)
ns=$(meta "$NLTMP/m1.data" memcpy_ns)
bw=$(meta "$NLTMP/m1.data" memcpy_bytes_per_s)
note "first: source=$src copy_bytes=$bytes ns=$ns bytes_per_s=$bw"
[ "$src" = measured ] || fail "a cache of another boot was used (memcpy_source=$src)"
[ "$bytes" = "$want" ] || fail "copied $bytes bytes, the LLC calls for $want"
[ "$(meta "$NLTMP/m1.data" memcpy_llc_bytes)" = "$llc" ] || fail "memcpy_llc_bytes is not sysfs's $llc"
[ "$(cache_val boot_id)" = "$BOOT" ] || fail "the cache does not carry this boot's id: $(cat "$CACHE")"
[ "$(cache_val copy_bytes)" = "$bytes" ] && [ "$(cache_val ns)" = "$ns" ] ||
	fail "the cache ($(cat "$CACHE" | tr '\n' ' ')) is not what the recording stored"
awk -v b="$bytes" -v n="$ns" -v bw="$bw" 'BEGIN { exit !(n > 0 && (bw - b * 1e9 / n) ^ 2 < 1) }' ||
	fail "memcpy_bytes_per_s $bw is not $bytes bytes in $ns ns"

# 3. The second recording of this boot reads the cache and measures nothing.
ino=$(stat -c %i "$CACHE")
before=$(cat "$CACHE")
traced "$NLTMP/m2.st" \
	"$NETLAT" record -q -m copyfn -d 300ms -o "$NLTMP/m2.data" || fail "record -m copyfn failed"
[ "$(meta "$NLTMP/m2.data" memcpy_source)" = cache ] || fail "second run did not use the cache"
[ "$(meta "$NLTMP/m2.data" memcpy_ns)" = "$ns" ] && [ "$(meta "$NLTMP/m2.data" memcpy_copy_bytes)" = "$bytes" ] ||
	fail "second run's reference differs from the cached one"
grep -q "memcpy-bw\", O_RDONLY" "$NLTMP/m2.st" || fail "second run did not read $CACHE"
if grep -E 'memcpy-bw\.[0-9]+|rename\(.*memcpy-bw' "$NLTMP/m2.st"; then
	fail "second run wrote the cache again (it measured)"
fi
[ "$(stat -c %i "$CACHE")" = "$ino" ] && [ "$(cat "$CACHE")" = "$before" ] || fail "the cache file changed"
note "second: read from $CACHE, nothing written"
exit 0
