#!/bin/sh
# Build the vm-tier initramfs: busybox, the netlat build, the live tests, the network modules
# and the host's real ip/tc/ethtool (busybox's ip and tc lack qdiscs, netns and JSON).
# Usage: tests/vm/build-initramfs.sh BUILD_DIR KERNEL_TREE OUT.cpio.gz
#   KERNEL_TREE is what tests/vm/fetch-kernel.sh printed (lib/modules/<ver>/ inside).
#   NL_TESTS_DIR overrides where the live scripts come from (default tests/live).
set -eu

[ $# -eq 3 ] || { echo "usage: $0 BUILD_DIR KERNEL_TREE OUT.cpio.gz" >&2; exit 2; }
build=$1
ktree=$2
out=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
tests_dir=${NL_TESTS_DIR:-$src/tests/live}
# Modules the live tests need; their dependencies are added from each module's modinfo.
# virtio_net (with virtio_pci) drives the two NICs run-vm.sh gives the guest; virtio_rng
# seeds the guest's CRNG (see tests/vm/init).
modules=${NL_VM_MODULES:-veth tun sch_tbf sch_htb sch_netem sch_ingress sch_prio ifb dummy virtio_pci virtio_net virtio_rng}

kver=$(ls "$ktree/lib/modules" | head -n 1)
kmods=$ktree/lib/modules/$kver
[ -d "$kmods" ] || { echo "build-initramfs: no modules in $ktree" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/netlat-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM HUP
r=$stage/root
mkdir -p "$r"/bin "$r"/sbin "$r"/usr/bin "$r"/usr/sbin "$r"/usr/lib "$r"/usr/lib64 \
	"$r"/etc/netlat-vm "$r"/dev "$r"/proc "$r"/sys "$r"/run "$r"/tmp "$r"/root "$r"/nl/build
ln -s usr/lib "$r/lib"
ln -s usr/lib64 "$r/lib64"

# Files a dynamic program needs go to the same path under usr/ (merged-/usr layout).
inroot() {
	case $1 in
	/lib/* | /lib64/* | /bin/* | /sbin/*) echo "$r/usr$1" ;;
	*) echo "$r$1" ;;
	esac
}
copy_libs() { # copy the shared libraries (and loader) of ELF file $1
	ldd "$1" 2>/dev/null | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r lib; do
			d=$(inroot "$lib")
			[ -e "$d" ] && continue
			mkdir -p "$(dirname "$d")"
			cp -L "$lib" "$d"
		done
}
copy_bin() { # copy_bin HOST_PATH ROOT_PATH
	mkdir -p "$(dirname "$r$2")"
	cp -L "$1" "$r$2"
	copy_libs "$1"
}

# Host tools busybox lacks or cuts short: iproute2 (qdiscs, netns) and ethtool. Not setpriv:
# busybox sh runs its own setpriv applet (no --reuid) whatever PATH says. Not xmllint:
# libicudata alone is 30 MB.
# bpftool: bpf_programs names the programs netlat holds from the kernel's own list.
real_tools="ip tc ethtool bpftool"

# busybox with a symlink per applet, except those replaced by the real tools below.
bb=$(command -v busybox || echo /bin/busybox)
file -L "$bb" | grep -q 'statically linked' || { echo "build-initramfs: $bb is not static (install busybox-static)" >&2; exit 1; }
cp -L "$bb" "$r/bin/busybox"
"$bb" --list-full | while read -r app; do
	case " $real_tools busybox linuxrc init " in *" ${app##*/} "*) continue ;; esac
	[ -e "$r/$app" ] || [ -L "$r/$app" ] || ln -s /bin/busybox "$r/$app"
done

for t in $real_tools; do
	p=$(command -v "$t" || true)
	[ -n "$p" ] || p=/usr/sbin/$t
	[ -x "$p" ] || { echo "build-initramfs: $t not found (install iproute2, ethtool, bpftool)" >&2; exit 1; }
	copy_bin "$p" "/usr/sbin/$t"
done
# tc's plugins and netem distribution tables; iproute2's name tables.
for d in /usr/lib/x86_64-linux-gnu/tc /usr/lib/tc; do
	[ -d "$d" ] || continue
	mkdir -p "$r$d"
	cp -RL "$d/." "$r$d/"
	for so in "$d"/*.so; do [ -e "$so" ] && copy_libs "$so"; done
done
for d in /etc/iproute2 /usr/share/iproute2; do
	[ -d "$d" ] && { mkdir -p "$r$d"; cp -RL "$d/." "$r$d/"; }
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
printf 'root:x:0:\n' >"$r/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$r/etc/hosts"

# Modules in load order: dependencies (modinfo "depends=") before their users.
find_mod() {
	_n=$1
	_alt=$(echo "$_n" | tr '_' '-')
	find "$kmods/kernel" \( -name "$_n.ko" -o -name "$_alt.ko" -o -name "$_n.ko.xz" -o -name "$_alt.ko.xz" \) |
		head -n 1
}
# Debian compresses modules with xz since 6.x; busybox insmod wants them plain.
plain_mod() { # plain_mod SRC DEST.ko
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
added=" "
# Recursive: its variables are local (dash and busybox sh both have "local").
add_mod() {
	local _f _rel _d
	case $added in *" $1 "*) return 0 ;; esac
	_f=$(find_mod "$1")
	if [ -z "$_f" ]; then
		# Built into the kernel: nothing to load.
		grep -q "/$1.ko\$" "$kmods/modules.builtin" 2>/dev/null ||
			echo "build-initramfs: module $1 not in $kver (skipped)" >&2
		return 0
	fi
	added="$added$1 "
	_rel=${_f#"$kmods"/}
	_rel=${_rel%.xz}
	mkdir -p "$(dirname "$r/lib/modules/$kver/$_rel")"
	plain_mod "$_f" "$r/lib/modules/$kver/$_rel"
	for _d in $(tr '\0' '\n' <"$r/lib/modules/$kver/$_rel" | sed -n 's/^depends=//p' | tr ',' ' '); do
		add_mod "$_d"
	done
	echo "$_rel" >>"$r/etc/netlat-vm/modules"
}
: >"$r/etc/netlat-vm/modules"
for m in $modules; do add_mod "$m"; done

# The tree the tests see (NLROOT=/nl) and the build (NETLAT=/nl/build/netlat).
mkdir -p "$r/nl/tests/live" "$r/nl/docs"
cp -R "$src/tests/lib" "$r/nl/tests/lib"
cp "$src/tests/run-tier.sh" "$r/nl/tests/run-tier.sh"
[ -d "$tests_dir" ] && cp -R "$tests_dir/." "$r/nl/tests/live/"
# the docs tests read: the report schema, the documented default sample rate
for d in report.schema.json funclat.md; do
	[ -f "$src/docs/$d" ] && cp "$src/docs/$d" "$r/nl/docs/"
done
if [ -f "$build/netlat" ]; then
	file -L "$build/netlat" | grep -q 'statically linked' ||
		echo "build-initramfs: $build/netlat is not static; copying its libraries" >&2
	copy_bin "$build/netlat" /nl/build/netlat
else
	echo "build-initramfs: $build/netlat missing (the vm tests will fail)" >&2
fi
if [ -d "$build/tools" ]; then
	mkdir -p "$r/nl/build/tools"
	for t in "$build"/tools/*; do
		[ -f "$t" ] && [ -x "$t" ] && copy_bin "$t" "/nl/build/tools/${t##*/}"
	done
fi

cp "$src/tests/vm/init" "$r/init"
chmod 755 "$r/init"
# The kernel opens /dev/console before /init runs; devtmpfs is not mounted yet then.
[ "$(id -u)" = 0 ] && mknod -m 600 "$r/dev/console" c 5 1

mkdir -p "$(dirname "$out")"
(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "build-initramfs: $out $(du -k "$out" | cut -f1) KiB, kernel $kver, modules: $(sed 's|.*/||; s|\.ko$||' "$r/etc/netlat-vm/modules" | tr '\n' ' ')" >&2
