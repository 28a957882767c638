# Shared helpers for live tests (POSIX sh: these run under busybox in the VM tier too).
# A test sources this file, then calls pass/fail/skip or just exits:
#   exit 0 = pass, exit 77 = skip (reason printed first with `skip`), anything else = fail.
# Environment set by the runner (tests/run-tier.sh):
#   NETLAT  the netlat binary        NLBIN   directory holding netlat-load and test tools
#   NLTMP   a scratch directory, removed by the runner   NL_TIER  live | live-plain | live-san | vm
#   NLROOT  the source tree (tests/lib, ...); read-only in the VM

: "${NETLAT:?NETLAT not set: run through tests/run-tier.sh}"
: "${NLTMP:=$(mktemp -d)}"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "  $*"; }

need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

# busybox sh (the VM tier) runs its own applets before $PATH, and its ip/tc
# lack netns, tbf and netem: route these names to the real binaries.
for _tool in ip tc ethtool; do
	for _dir in /usr/sbin /sbin /usr/bin /bin; do
		if [ -x "$_dir/$_tool" ] && [ ! -L "$_dir/$_tool" -o "$(readlink "$_dir/$_tool" 2>/dev/null)" != /bin/busybox ]; then
			eval "$_tool() { \"$_dir/$_tool\" \"\$@\"; }"
			break
		fi
	done
done

# Namespaces made by a test are named netlat-t-<shell pid>-<tag>; nl_cleanup (trap)
# removes every namespace with this shell's prefix, so a name made inside a
# $(...) subshell ($$ is still the test's pid there) is removed too.
NL_NS_PREFIX="netlat-t-$$-"
NL_SYSCTLS=""
nl_netns_add() {
	_ns="$NL_NS_PREFIX$1"
	ip netns add "$_ns" || fail "ip netns add $_ns"
	ip -n "$_ns" link set lo up
	echo "$_ns"
}
# Set a sysctl (path under /proc/sys) and restore it at exit.
nl_sysctl_set() {
	_p="/proc/sys/$1"
	_old=$(cat "$_p") || fail "read $_p"
	NL_SYSCTLS="$_p=$_old
$NL_SYSCTLS"
	echo "$2" > "$_p" || fail "write $_p"
}
nl_cleanup() {
	for _ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case "$_ns" in "$NL_NS_PREFIX"*) ip netns del "$_ns" 2>/dev/null ;; esac
	done
	printf '%s\n' "$NL_SYSCTLS" | while IFS='=' read -r _p _v; do
		[ -n "$_p" ] && echo "$_v" > "$_p"
	done
	NL_SYSCTLS=""
}
trap nl_cleanup EXIT
trap 'nl_cleanup; exit 1' INT TERM HUP
