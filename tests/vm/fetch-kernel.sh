#!/bin/sh
# Fetch the Debian cloud kernel the VM tier boots, into the git-ignored cache .cache/vm/.
# Usage: tests/vm/fetch-kernel.sh [CACHE_DIR]
# Prints the extracted tree (holding boot/vmlinuz-* and lib/modules/<ver>/) on stdout.
# Downloads exactly the one image package linux-image-cloud-amd64 depends on (a glob would
# fetch every kernel: over a gigabyte) and reuses it on later runs.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${1:-$root/.cache/vm}
mkdir -p "$cache"

# Reuse a previous extraction when apt cannot tell us anything (offline, no lists).
latest_tree() {
	for d in "$cache"/linux-image-*/; do
		[ -d "$d/boot" ] && echo "${d%/}"
	done | sort | tail -n 1
}

meta=linux-image-cloud-amd64
ver=$(apt-cache policy "$meta" 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
pkg=""
if [ -n "$ver" ] && [ "$ver" != "(none)" ]; then
	# Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)
	dep=$(apt-cache show "$meta=$ver" 2>/dev/null |
		sed -n 's/^Depends: *//p' | head -n 1 | tr ',' '\n' |
		sed -n 's/^ *\(linux-image-[^ ]*\) *(= *\([^)]*\)).*/\1=\2/p' | head -n 1)
	pkg=${dep%%=*}
	pver=${dep#*=}
fi
if [ -z "$pkg" ]; then
	tree=$(latest_tree)
	[ -n "$tree" ] || { echo "fetch-kernel: cannot resolve $meta's kernel (apt lists missing?)" >&2; exit 1; }
	echo "$tree"
	exit 0
fi

tree="$cache/${pkg}_$pver"
if [ -d "$tree/boot" ] && [ -d "$tree/lib/modules" ]; then
	echo "$tree"
	exit 0
fi

deb=$(ls "$cache/${pkg}_"*"$(echo "$pver" | sed 's/:/%3a/')"*_amd64.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "fetch-kernel: downloading $pkg=$pver" >&2
	(cd "$cache" && apt-get download -q "$pkg=$pver" </dev/null >&2 2>/dev/null) ||
		(cd "$cache" && apt-get update -qq </dev/null >&2 && apt-get download -q "$pkg=$pver" </dev/null >&2) ||
		{ echo "fetch-kernel: apt-get download $pkg=$pver failed" >&2; exit 1; }
	deb=$(ls "$cache/${pkg}_"*_amd64.deb | head -n 1)
fi
rm -rf "$tree.tmp"
dpkg -x "$deb" "$tree.tmp"
mv "$tree.tmp" "$tree"
echo "$tree"
