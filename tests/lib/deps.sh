#!/bin/sh
# Install the Debian packages netlat builds and tests with, only those missing.
# Non-interactive and idempotent: when everything is present it only asks dpkg (well under 1 s)
# and never touches the network. Also mounts tracefs, which the live tests need.
set -eu

# One set per line: "<label>: <packages>". One line of output per set.
SETS="build: libtracefs-dev libtraceevent-dev libbpf-dev bpftool libelf-dev zlib1g-dev libprotobuf-c-dev protobuf-c-compiler clang llvm pkg-config make gcc
plot: gnuplot-nox
html: chromium
vm: qemu-system-x86 busybox-static cpio
net: iproute2 ethtool
check: libxml2-utils python3-jsonschema strace jq linux-perf
fleet: prometheus trace-cmd curl
base: procps util-linux"

# Print the packages of "$@" that dpkg does not report as installed.
missing_of() {
	# dpkg-query exits non-zero when a name is unknown; the status column tells the rest.
	_inst=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk '$2 == "ii" { print $1 }') || true
	for _p in "$@"; do
		case " $(echo $_inst) " in
		*" $_p "*) ;;
		*) printf '%s ' "$_p" ;;
		esac
	done | sed 's/ $//'
}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
	else echo "netlat deps: need root to run: $*" >&2; return 1
	fi
}

status=0
echo "$SETS" | {
	updated=0
	status=0
	while IFS=: read -r label pkgs; do
		# shellcheck disable=SC2086
		miss=$(missing_of $pkgs)
		if [ -z "$miss" ]; then
			echo "deps: $label: ok"
			continue
		fi
		if [ "$updated" = 0 ]; then
			as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null ||
				echo "deps: apt-get update failed (continuing with cached lists)" >&2
			updated=1
		fi
		# shellcheck disable=SC2086
		if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $miss </dev/null >/dev/null; then
			echo "deps: $label: installed $miss"
		else
			echo "deps: $label: FAILED to install $miss" >&2
			status=1
		fi
	done
	exit $status
} || status=1

# The live tests read tracepoints through tracefs; mount it where the kernel expects it.
if [ ! -e /sys/kernel/tracing/events ]; then
	if as_root mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
		echo "deps: tracefs: mounted at /sys/kernel/tracing"
	else
		echo "deps: tracefs: could not mount /sys/kernel/tracing" >&2
	fi
else
	echo "deps: tracefs: ok"
fi
exit $status
