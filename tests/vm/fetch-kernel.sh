#!/bin/sh
# Fetch one of the Debian cloud kernels the VM tier boots, into the git-ignored cache .cache/vm/.
# Usage: tests/vm/fetch-kernel.sh KERNEL [CACHE_DIR]
#   KERNEL is a name of tests/vm/kernels (5.10, 6.1, 6.12).
# Prints the extracted tree (holding boot/vmlinuz-* and lib/modules/<ver>/) on stdout.
# Downloads exactly the one image package the kernel's meta-package depends on (a glob would
# fetch every kernel: over a gigabyte) and reuses it on later runs. A kernel of another Debian
# suite (5.10 from bullseye) is resolved through an apt configuration of its own under
# CACHE_DIR/apt-<suite>/ pointing at the mirror the system's apt already uses; the system's
# sources, lists and package cache are left alone.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 KERNEL [CACHE_DIR]" >&2; exit 2; }
name=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${2:-$root/.cache/vm}
mkdir -p "$cache"

line=$(awk -v n="$name" '$1 == n { print; exit }' "$root/tests/vm/kernels")
[ -n "$line" ] || { echo "fetch-kernel: unknown kernel '$name' (see tests/vm/kernels)" >&2; exit 2; }
# shellcheck disable=SC2086
set -- $line
suite=$2
meta=$3

# The system's Debian mirror: the URI apt uses for the release "Debian" (not -security).
system_mirror() {
	apt-get indextargets --format '$(ORIGIN) $(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$1 == "Debian" && $3 !~ /-(security|updates|backports)$/ { sub(/\/$/, "", $2); print $2; exit }'
}

apt_opts=""
if [ "$suite" != system ]; then
	a=$cache/apt-$suite
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/sources.list.d"
	if [ ! -s "$a/sources.list" ]; then
		mirror=$(system_mirror)
		[ -n "$mirror" ] || { echo "fetch-kernel: cannot tell which Debian mirror apt uses" >&2; exit 1; }
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$a/sources.list"
	fi
	# sourceparts points at an empty folder: the system's sources.list.d stays out.
	apt_opts="-o Dir::Etc::sourcelist=$a/sources.list -o Dir::Etc::sourceparts=$a/sources.list.d"
	apt_opts="$apt_opts -o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache"
	ls "$a/lists/"*_Packages >/dev/null 2>&1 ||
		apt-get $apt_opts update -qq </dev/null >&2 || echo "fetch-kernel: apt-get update for $suite failed" >&2
fi

# Reuse a previous extraction when apt cannot tell us anything (offline, no lists).
latest_tree() {
	for d in "$cache"/linux-image-"$name".*/ "$cache"/linux-image-"$name"[.+-]*/; do
		[ -d "$d/boot" ] && echo "${d%/}"
	done | sort -u | tail -n 1
}

# shellcheck disable=SC2086
ver=$(apt-cache $apt_opts policy "$meta" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
pkg=""
if [ -n "$ver" ] && [ "$ver" != "(none)" ]; then
	# Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)
	# shellcheck disable=SC2086
	dep=$(apt-cache $apt_opts show "$meta=$ver" 2>/dev/null |
		sed -n 's/^Depends: *//p' | head -n 1 | tr ',' '\n' |
		sed -n 's/^ *\(linux-image-[^ ]*\) *(= *\([^)]*\)).*/\1=\2/p' | head -n 1)
	pkg=${dep%%=*}
	pver=${dep#*=}
fi
if [ -z "$pkg" ]; then
	tree=$(latest_tree)
	[ -n "$tree" ] || { echo "fetch-kernel: cannot resolve $meta's kernel for $name (apt lists missing?)" >&2; exit 1; }
	echo "$tree"
	exit 0
fi
case $pkg in
linux-image-"$name".* | linux-image-"$name"[+-]*) ;;
*) echo "fetch-kernel: $meta ($suite) depends on $pkg, not a $name kernel" >&2; exit 1 ;;
esac

tree="$cache/${pkg}_$pver"
if [ -d "$tree/boot" ] && [ -d "$tree/lib/modules" ]; then
	echo "$tree"
	exit 0
fi

debname() { ls "$cache/${pkg}_"*"$(echo "$pver" | sed 's/:/%3a/')"*_amd64.deb 2>/dev/null | head -n 1; }
deb=$(debname || true)
if [ -z "$deb" ]; then
	echo "fetch-kernel: downloading $pkg=$pver ($suite)" >&2
	# shellcheck disable=SC2086
	(cd "$cache" && apt-get $apt_opts download -q "$pkg=$pver" </dev/null >&2 2>/dev/null) ||
		(cd "$cache" && apt-get $apt_opts update -qq </dev/null >&2 &&
			apt-get $apt_opts download -q "$pkg=$pver" </dev/null >&2) ||
		{ echo "fetch-kernel: apt-get download $pkg=$pver failed" >&2; exit 1; }
	deb=$(debname)
fi
rm -rf "$tree.tmp"
dpkg -x "$deb" "$tree.tmp"
mv "$tree.tmp" "$tree"
echo "$tree"
