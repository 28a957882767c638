#!/bin/sh
# The vm tier: boot each stock Debian cloud kernel of tests/vm/kernels (5.10, 6.1, 6.12) under
# qemu with a busybox initramfs and run the live tests marked for it inside (tests/vm/init runs
# `netlat probe --json`, then tests/run-tier.sh vm). One kernel runs the full list ("# vm: yes"
# and "# vm: core"), the others the core list (or core plus the virtio tests); the full-list
# kernel runs first, then the others (run_lane; NL_VM_LANES=2: beside them, two guests at
# once). Test names are KERNEL/test.
# Prints the tests' lines as they arrive, then one "N passed, N failed, N skipped" line;
# results go to $NL_RESULTS_DIR/vm.tsv like any tier, each kernel's probe to
# $NL_RESULTS_DIR/probe-KERNEL.json and each boot's timing to $NL_RESULTS_DIR/vm-times.tsv.
#
# Besides the guest's own tests, the host adds per kernel:
#   KERNEL/kernels_matrix  the kernel's probe against its column of the committed docs/kernels.md
#   KERNEL/vm-harness      FAIL when the guest died (a test that passed on the next boot
#                          does not make the death vanish) or could not boot at all
# A kernel that cannot boot (no qemu, download or initramfs failed) reports its tests SKIPped
# with the reason, or FAILed when CI=true (the README promises CI runs this tier).
# A run that finds no test at all fails.
# Usage: tests/vm/run-vm.sh BUILD_DIR
# Env: NL_VM_KERNELS (names from tests/vm/kernels, default all), NL_VM_TIMEOUT (seconds per
#      kernel, default 1800), NL_TEST_TIMEOUT, NL_TEST_FILTER and NL_TEST_NOTES (passed into the VM),
#      NL_TESTS_DIR, NL_VM_CACHE (default .cache/vm), NL_VM_ACCEL=kvm to use KVM instead of
#      software emulation, NL_VM_QEMU (the qemu binary), NL_VM_PROBE_ONLY=1 (boot, save the
#      probe, run no test: what `make kernels-doc` needs), NL_VM_LANES (1, the default: one
#      kernel after the other; 2: two guests at once).
set -u

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$src/$build ;; esac
. "$src/tests/lib/vmlist.sh"
tests_dir=${NL_TESTS_DIR:-$src/tests/live}
cache=${NL_VM_CACHE:-$src/.cache/vm}
resdir=${NL_RESULTS_DIR:-$src/tests/results}
results=$resdir/vm.tsv
vm_timeout=${NL_VM_TIMEOUT:-1800}
filter=${NL_TEST_FILTER:-*}
probe_only=${NL_VM_PROBE_ONLY:-0}
table=$src/tests/vm/kernels
kernels=${NL_VM_KERNELS:-$(awk '!/^#/ && NF { print $1 }' "$table")}
ci=0
case ${CI:-} in true | 1 | yes) ci=1 ;; esac
mkdir -p "$resdir" "$cache" || exit 2
: >"$results"
: >"$resdir/vm-times.tsv"

work=$(mktemp -d "${TMPDIR:-/tmp}/netlat-vm.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 130' INT TERM HUP

# test_names LIST: the tests the guest of a LIST (full|core) kernel must report.
test_names() {
	[ "$probe_only" = 1 ] && return 0
	for t in "$tests_dir"/*.sh; do
		[ -f "$t" ] || continue
		n=${t##*/}
		n=${n%.sh}
		# shellcheck disable=SC2254
		case $n in $filter) vm_marked "$t" "$1" && echo "$n" ;; esac
	done
}

summary() {
	awk -F '\t' '$1 == "PASS" { p++ } $1 == "FAIL" { f++ } $1 == "SKIP" { s++ }
		END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' "$results"
}

# result STATUS NAME REASON: one line on stdout and in vm.tsv.
result() {
	if [ -n "$3" ]; then echo "$1 $2: $3"; else echo "$1 $2"; fi
	printf '%s\t%s\t0\t%s\n' "$1" "$2" "$3" >>"$results"
}

# cannot_boot KERNEL LIST REASON: the kernel's tests are skipped, or failed under CI.
cannot_boot() {
	echo "NOTE vm $1 cannot run: $3"
	st=SKIP
	[ $ci = 1 ] && st=FAIL
	[ $ci = 1 ] && result FAIL "$1/vm-harness" "CI=true and the VM cannot boot: $3"
	for n in $(test_names "$2") kernels_matrix; do
		result $st "$1/$n" "vm tier: $3"
	done
}

qemu=${NL_VM_QEMU:-$(command -v qemu-system-x86_64 || true)}
missing=""
[ -n "$qemu" ] && [ -x "$qemu" ] || missing="qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
for t in cpio gzip busybox ldd file xz; do
	command -v "$t" >/dev/null 2>&1 || missing="$t not installed"
done

# Snapshot the tests: what goes into the VM is exactly what is expected back.
mkdir -p "$work/live"
[ -d "$tests_dir" ] && cp -R "$tests_dir/." "$work/live/"
tests_dir=$work/live

# Software emulation by default: the KVM seen on these (nested) machines either aborts with
# -cpu host or stalls in early boot. NL_VM_ACCEL=kvm opts in where KVM is known to work.
# One host thread for both vCPUs (thread=single): with a thread per vCPU, a host that
# starves one of them leaves the other spinning in an IPI wait (text_poke when a
# tracepoint is switched), which the guest reports as a soft lockup.
accel="-accel tcg,thread=single"
[ "${NL_VM_ACCEL:-tcg}" = kvm ] && accel="-accel kvm -cpu host"
# Two virtio-net NICs joined by a QEMU hub and nothing else (no host network): a real NIC
# driver (NAPI poll, GRO, TX completion) for the tests of tests/lib/virtio.sh.
nics="-nic none -netdev hubport,id=nl0,hubid=0 -device virtio-net-pci,netdev=nl0,mac=52:54:00:4e:4c:01,romfile="
nics="$nics -netdev hubport,id=nl1,hubid=0 -device virtio-net-pci,netdev=nl1,mac=52:54:00:4e:4c:02,romfile="
# A virtio RNG fed from the host: without it the emulated guest's CRNG stays unseeded for
# minutes, and until it is seeded the kernel prints every %p as "(____ptrval____)", so the
# truth readers could not tell one skb from another in the tracefs text.
nics="$nics -object rng-random,id=nlrng,filename=/dev/urandom -device virtio-rng-pci,rng=nlrng"
to=""
# --foreground keeps qemu in our process group, so killing the test run kills the VM too.
if timeout --foreground 5 true 2>/dev/null; then
	to="timeout --foreground -k 10"
elif command -v timeout >/dev/null 2>&1; then
	to="timeout -k 10"
fi
cr=$(printf '\r')

# boot KERNEL APPEND SECONDS: one VM run; its console goes to $log (appended) and
# $work/boot.log. Stream the console: print the lines between the markers with the kernel's
# name on each test, minus run-tier's own summary (recomputed from the results so a dead VM
# still adds up). A shell read loop, not awk: mawk fills whole input buffers before it runs,
# which would hold every line back.
boot() {
	: >"$work/boot.log"
	_b0=$(date +%s)
	# shellcheck disable=SC2086
	${to:+$to $3} "$qemu" $accel -m 2048 -smp 2 -nographic -no-reboot $nics \
		-kernel "$kernel" -initrd "$initrd" -append "$2" </dev/null 2>&1 | {
		on=0
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%"$cr"}
			printf '%s\n' "$line" >>"$log"
			printf '%s\n' "$line" >>"$work/boot.log"
			case $line in
			*"NETLAT-VM: "*) echo "NOTE $1: ${line#*NETLAT-VM: }" ;; # firmware escapes may precede it
			*"=== NETLAT-VM-BEGIN ==="*)
				on=1
				echo "$(($(date +%s) - _b0))" >"$work/to-tests" ;;
			*"=== NETLAT-VM-END"*) on=0 ;;
			*" passed, "*" failed, "*" skipped") ;;
			PASS\ * | FAIL\ * | SKIP\ *) [ $on = 0 ] || printf '%s %s/%s\n' "${line%% *}" "$1" "${line#* }" ;;
			*) [ $on = 0 ] || printf '%s\n' "$line" ;;
			esac
		done
	}
}

# Results of one boot: its machine-readable block, or, from a boot that died, the
# PASS/FAIL/SKIP lines it printed before it did.
boot_results() {
	if grep -q '^=== NETLAT-VM-RESULTS-END ===' "$work/boot.log"; then
		awk '/^=== NETLAT-VM-RESULTS-BEGIN ===/ { on = 1; next }
			/^=== NETLAT-VM-RESULTS-END ===/ { exit }
			on && NF' "$work/boot.log"
	else
		awk '/=== NETLAT-VM-BEGIN ===/ { on = 1; next } /=== NETLAT-VM-END/ { on = 0 }
			on && $1 ~ /^(PASS|FAIL|SKIP)$/ { n = $2; sub(/:$/, "", n); printf "%s\t%s\t0\tfrom the console\n", $1, n }' \
			"$work/boot.log"
	fi
}

# save_probe KERNEL: the probe JSON the guest printed, to $resdir/probe-KERNEL.json.
save_probe() {
	awk '/=== NETLAT-VM-PROBE-BEGIN ===/ { on = 1; next } /=== NETLAT-VM-PROBE-END/ { exit } on' \
		"$work/boot.log" >"$work/probe.json"
	if [ -s "$work/probe.json" ] && grep -q '=== NETLAT-VM-PROBE-END rc=0 ===' "$work/boot.log"; then
		mv "$work/probe.json" "$resdir/probe-$1.json"
		return 0
	fi
	return 1
}

# check_matrix KERNEL: the kernel's probe against its column of the committed matrix.
check_matrix() {
	# shellcheck disable=SC2254
	case kernels_matrix in $filter) ;; *) return 0 ;; esac
	if [ ! -s "$resdir/probe-$1.json" ]; then
		result FAIL "$1/kernels_matrix" "the guest printed no complete 'netlat probe --json'"
	elif sh "$src/tools/kernels-matrix.sh" check "$1" "$resdir/probe-$1.json" \
		"$src/docs/kernels.md" >"$work/matrix.out" 2>&1; then
		result PASS "$1/kernels_matrix" ""
	else
		sed 's/^/    | /' "$work/matrix.out" | head -n 30
		result FAIL "$1/kernels_matrix" "$(tail -n 1 "$work/matrix.out")"
	fi
}

# run_kernel KERNEL LIST: fetch, build the initramfs, boot (again for the tests a dead guest
# did not reach), collect the results under KERNEL/.
run_kernel() {
	k=$1
	list=$2
	names=$(test_names "$list")
	if [ -z "$names" ] && [ "$probe_only" != 1 ]; then
		# shellcheck disable=SC2254
		case "kernels_matrix" in $filter) ;; *)
			if [ "$filter" = "*" ]; then
				result FAIL "$k/vm-harness" "no test marked for the '$list' list"
			else
				echo "NOTE vm $k: no '$list' test matches '$filter': not booted"
			fi
			return 0 ;;
		esac
	fi
	[ -z "$missing" ] || { cannot_boot "$k" "$list" "$missing"; return 0; }
	ktree=$(sh "$src/tests/vm/fetch-kernel.sh" "$k" "$cache") ||
		{ cannot_boot "$k" "$list" "cannot obtain the Debian $k cloud kernel (see tests/vm/fetch-kernel.sh)"; return 0; }
	kernel=$(ls "$ktree"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -n "$kernel" ] || { cannot_boot "$k" "$list" "no vmlinuz in $ktree"; return 0; }
	initrd=$work/initramfs-$k.cpio.gz
	NL_TESTS_DIR=$tests_dir sh "$src/tests/vm/build-initramfs.sh" "$build" "$ktree" "$initrd" \
		2>"$work/build.err" || {
		cat "$work/build.err"
		cannot_boot "$k" "$list" "building the initramfs failed"
		return 0
	}
	sed 's/^build-initramfs: /NOTE vm '"$k"': /' "$work/build.err"

	# softlockup_panic: a guest whose CPU locks up (seen, rarely, under software emulation
	# in flood tests) stops at once instead of sitting out the timeout; the tests it did not
	# reach run in a new boot (below). watchdog_thresh=60 (the most; a soft lockup is then
	# 120 s without scheduling): on a loaded host the emulation thread itself is starved, and
	# with the default 10 s the guest panicked in probe's function_graph switch (text_poke
	# waiting for the other vCPU) at a host load average of 12.
	base_append="console=ttyS0 quiet panic=-1 softlockup_panic=1 watchdog_thresh=60 NL_VM_LIST=$list"
	[ -n "${NL_TEST_TIMEOUT:-}" ] && base_append="$base_append NL_TEST_TIMEOUT=$NL_TEST_TIMEOUT"
	[ -n "${NL_TEST_FILTER:-}" ] && base_append="$base_append NL_TEST_FILTER=$NL_TEST_FILTER"
	[ "${NL_TEST_NOTES:-0}" = 1 ] && base_append="$base_append NL_TEST_NOTES=1"
	[ "$probe_only" = 1 ] && { base_append="$base_append NL_VM_PROBE_ONLY=1"; rm -f "$resdir/probe-$k.json"; }
	log=$cache/console-$k.log
	: >"$log"
	: >"$work/res"
	deaths=""
	t0=$(date +%s)
	echo "booting $k: ${kernel##*/} (${accel:-software emulation}, $list list, timeout ${vm_timeout}s)"
	done_list="" hung="" probed=0
	for nboot in 1 2 3; do
		left=$((vm_timeout - ($(date +%s) - t0)))
		[ "$left" -gt 60 ] || break
		append=$base_append
		[ -n "$done_list" ] && append="$append NL_TEST_DONE=${done_list#,}"
		[ "$nboot" = 1 ] || echo "NOTE vm $k: booting again (boot $nboot) for the tests the last boot did not reach"
		echo "-" >"$work/to-tests"
		boot "$k" "$append" "$left"
		[ $probed = 1 ] || { save_probe "$k" && probed=1; }
		printf '%s\t%s\t%s\t%s\n' "$k" "$nboot" "$(cat "$work/to-tests")" \
			"$(($(date +%s) - t0))" >>"$resdir/vm-times.tsv"
		boot_results >>"$work/res"
		if [ "$probe_only" = 1 ]; then
			grep -q '=== NETLAT-VM-PROBE-END' "$work/boot.log" && break
		else
			grep -q '^=== NETLAT-VM-RESULTS-END ===' "$work/boot.log" && break
		fi
		# the kernel's own words when it panicked, else the console's last line
		why=$(grep -a 'Kernel panic\|soft lockup\|BUG:\|sysrq: Trigger' "$work/boot.log" | tail -n 1 | cut -c1-160)
		[ -n "$why" ] || why=$(grep -v '^\(PASS\|FAIL\|SKIP\|    |\)' "$work/boot.log" | grep -v '^ *$' | tail -n 1 | cut -c1-160)
		echo "NOTE vm $k: the VM died before it finished (boot $nboot); console log ends:"
		grep -v '^\(PASS\|FAIL\|SKIP\|    |\)' "$work/boot.log" | tail -n 8 | sed 's/^/    | /'
		# the first test without a result is the one the guest died in: it gets one more boot
		done_list=$(awk -F '\t' '{ printf ",%s", $2 }' "$work/res")
		victim=""
		for n in $names; do
			case ",$done_list," in *",$n,"*) continue ;; esac
			victim=$n
			break
		done
		if ! grep -q '=== NETLAT-VM-BEGIN ===' "$work/boot.log"; then
			# died before the first test (booting, or in netlat probe): no test to blame
			deaths="$deaths; boot $nboot died before the tests: $why"
			[ -n "$victim" ] && continue
			break
		fi
		deaths="$deaths; boot $nboot died${victim:+ in $victim}: $why"
		[ -n "$victim" ] || break
		case " $hung " in
		*" $victim "*)
			echo "FAIL $k/$victim: the VM died twice while it ran (see ${log#"$src"/})"
			printf 'FAIL\t%s\t0\tthe VM died twice while it ran\n' "$victim" >>"$work/res"
			done_list="$done_list,$victim" ;;
		*)
			echo "NOTE vm $k: $victim was running when the VM died: it runs again first"
			hung="$hung $victim" ;;
		esac
	done
	awk -F '\t' -v k="$k" 'BEGIN { OFS = "\t" } { $2 = k "/" $2; print }' "$work/res" >>"$results"
	for n in $names; do
		awk -F '\t' -v n="$n" '$2 == n { found = 1 } END { exit !found }' "$work/res" && continue
		result FAIL "$k/$n" "no result from the VM (see ${log#"$src"/})"
	done
	# The death of a guest is the harness's failure even when the retried test passed.
	[ -z "$deaths" ] || result FAIL "$k/vm-harness" "the guest died:${deaths#;}"
	[ "$probe_only" = 1 ] || check_matrix "$k"
	echo "vm $k finished in $(($(date +%s) - t0))s (console log: ${log#"$src"/})"
}

# list_of KERNEL: its list (full, nic, core) from tests/vm/kernels, "" if it is not there.
list_of() { awk -v n="$1" '$1 == n { print $4; exit }' "$table"; }

# run_lane KERNEL...: the kernels one after another, each in a work directory of its own.
run_lane() {
	_lane_work=$work
	for k in "$@"; do
		list=$(list_of "$k")
		[ -n "$list" ] || { result FAIL "$k/vm-harness" "unknown kernel '$k' (see tests/vm/kernels)"; continue; }
		work=$_lane_work/$k
		mkdir -p "$work" || { result FAIL "$k/vm-harness" "cannot create $work"; continue; }
		run_kernel "$k" "$list"
	done
	work=$_lane_work
}

# NL_VM_LANES=2: two lanes, the full-list kernel in one, the others one after another in
# the other. Each guest is one emulation thread (thread=single), so on two CPUs the tier
# takes about as long as its longest lane instead of the sum; the second lane's lines
# follow the first's.
lane_full="" lane_core=""
for k in $kernels; do
	case $(list_of "$k") in
	full) lane_full="$lane_full $k" ;;
	*) lane_core="$lane_core $k" ;;
	esac
done
# One lane by default. Two (each guest is one emulation thread, so two fit two CPUs) take
# the longest lane, about 12 minutes for the three kernels, instead of about 20, but with
# a second guest beside it a guest's timers fire late: tbf's dequeue watchdog lagged the
# tbf arithmetic of gt_qdisc_tbf by 5 to 9%, and a bucket big enough to ride that out made
# tbf release packets in bulk, which qdisc_dequeue names only the first of. A truth that
# holds only in a quiet guest keeps the guests one at a time.
lanes=${NL_VM_LANES:-1}
if [ "$lanes" -ge 2 ] && [ -n "$lane_full" ] && [ -n "$lane_core" ] && [ "$probe_only" != 1 ]; then
	# the downloads one at a time first (apt in two lanes at once could trip over itself);
	# run_kernel finds them in the cache, or reports what failed
	if [ -z "$missing" ]; then
		for k in $kernels; do
			sh "$src/tests/vm/fetch-kernel.sh" "$k" "$cache" >/dev/null || true
		done
	fi
	echo "NOTE vm: two lanes: $lane_full ($(echo $lane_full | wc -w) full) beside$lane_core"
	# shellcheck disable=SC2086
	run_lane $lane_core >"$work/lane2.out" 2>&1 &
	lane2=$!
	# shellcheck disable=SC2086
	run_lane $lane_full
	wait "$lane2"
	cat "$work/lane2.out"
else
	# shellcheck disable=SC2086
	run_lane $kernels
fi
if [ "$probe_only" != 1 ] && ! [ -s "$results" ]; then
	result FAIL vm-tier "no vm test found (filter '$filter', kernels $kernels)"
fi
awk -F '\t' '{ printf "vm time %s boot %s: tests began after %ss, %ss since the kernel'"'"'s first boot\n", $1, $2, $3, $4 }' \
	"$resdir/vm-times.tsv"
if [ "$probe_only" = 1 ]; then
	st=0
	for k in $kernels; do
		[ -s "$resdir/probe-$k.json" ] || { echo "vm $k: no probe saved" >&2; st=1; }
	done
	exit $st
fi
summary
