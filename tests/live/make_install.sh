#!/bin/sh
# plain: yes
# make install honours PREFIX and DESTDIR: both binaries land under
# DESTDIR/PREFIX/bin, executable, and the installed netlat runs. Needs the
# source tree and make (not in the VM's initramfs).
. "$NLROOT/tests/lib/common.sh"
command -v make >/dev/null 2>&1 || skip "no make here (the VM tier has only the built binaries)"
[ -f "$NLROOT/Makefile" ] || skip "no source tree at $NLROOT"
build=$(dirname "$NETLAT")
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac

dest="$NLTMP/dest"
# -o: install what was built and tested, never rebuild it here
make -s -C "$NLROOT" BUILD="$build" -o "$build/netlat" -o "$build/tools/netlat-load" \
	DESTDIR="$dest" PREFIX=/opt/nltest install > "$NLTMP/make.log" 2>&1 ||
	{ cat "$NLTMP/make.log"; fail "make install failed"; }
for f in netlat netlat-load; do
	[ -x "$dest/opt/nltest/bin/$f" ] || fail "$f not installed under DESTDIR/PREFIX/bin"
done
[ ! -e /opt/nltest ] || fail "make install wrote outside DESTDIR"
"$dest/opt/nltest/bin/netlat" --version | grep -q '^netlat version ' || fail "installed netlat does not run"
exit 0
