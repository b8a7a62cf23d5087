#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install DESTDIR=... PREFIX=/usr` installs everything a user of the
# stack expects, programs build against it with pkg-config (through
# PKG_CONFIG_SYSROOT_DIR/PKG_CONFIG_PATH, as into a sysroot) and against
# the build tree (libwse-uninstalled.pc), and `make uninstall` removes all
# of it. Prints TAP.
#
# Usage: tests/host/install.sh [TOP]   (the tree must be built: make install's
# prerequisites are, so nothing is rebuilt here)
set -uo pipefail

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
B=$top/build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/stage
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fails=$((fails + 1))
	fi
}

# make in the tree, quietly; its output is shown when it fails.
tmake() {
	make -s --no-print-directory -C "$top" "$@" >"$tmp/make.log" 2>&1 ||
		{ sed 's/^/# /' "$tmp/make.log"; return 1; }
}

version=$(sed -n 's/^#define WSE_VERSION_\(MAJOR\|MINOR\|PATCH\)[[:space:]]*\([0-9]*\).*/\2/p' \
	"$top/libwse/include/wse/wse.h" | paste -sd.)

echo "TAP version 13"
echo "1..17"

tmake install DESTDIR="$stage" PREFIX=/usr
ok $? "make install DESTDIR=stage PREFIX=/usr"

# What must be there: the library and its links, headers, the .pc, every
# tool built, the assembler's includes, the examples' images and sources,
# a man page of every section, the udev rule, the modprobe.d file.
missing=
for f in usr/lib/libwse.so.$version usr/include/wse/wse.h usr/include/wse/wse_accel.h \
	 usr/lib/pkgconfig/libwse.pc usr/share/wse/include/dsd.wsinc \
	 usr/share/doc/wse/examples/gemv/gemv.c usr/share/doc/wse/examples/common/example.c \
	 usr/share/man/man3/wse_version.3 usr/share/man/man3/wse_device_info.3type \
	 usr/share/man/man4/wse.4 usr/share/man/man5/wse-image.5 usr/share/man/man7/wse.7 \
	 usr/lib/udev/rules.d/70-wse.rules usr/lib/modprobe.d/wse.conf; do
	[ -f "$stage/$f" ] || missing="$missing $f"
done
for f in "$B"/wse-*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	t=$(basename "$f")
	[ -x "$stage/usr/bin/$t" ] || missing="$missing usr/bin/$t"
	[ -f "$stage/usr/share/man/man1/$t.1" ] || missing="$missing usr/share/man/man1/$t.1"
done
for f in "$B"/libwse-*.so.*; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	[ -f "$stage/usr/lib/$(basename "$f")" ] || missing="$missing usr/lib/$(basename "$f")"
done
if [ -d "$top/python/wse" ]; then
	for f in "$top"/python/wse/*.py; do
		[ -f "$stage/usr/lib/python3/dist-packages/wse/$(basename "$f")" ] ||
			missing="$missing usr/lib/python3/dist-packages/wse/$(basename "$f")"
	done
fi
for f in "$B"/vm-extra/usr/share/wse/*.img; do
	[ -f "$stage/usr/share/wse/$(basename "$f")" ] || missing="$missing usr/share/wse/$(basename "$f")"
done
[ -z "$missing" ] || echo "# missing:$missing"
ok "$([ -z "$missing" ]; echo $?)" "everything listed is installed"

# libwse.so.X.Y.Z, libwse.so.1 -> it (the soname), libwse.so -> libwse.so.1
r=1
if [ "$(readlink "$stage/usr/lib/libwse.so.1")" = "libwse.so.$version" ] &&
   [ "$(readlink "$stage/usr/lib/libwse.so")" = "libwse.so.1" ] &&
   grep -q 'SONAME.*\[libwse.so.1\]' <<<"$(readelf -d "$stage/usr/lib/libwse.so.$version")" &&
   [ "${version%%.*}" = 1 ]; then
	r=0
fi
ok $r "libwse.so.$version, its soname link libwse.so.1 and the libwse.so link"

pc=$stage/usr/lib/pkgconfig/libwse.pc
r=1
if grep -qx 'prefix=/usr' "$pc" && grep -qx 'libdir=/usr/lib' "$pc" &&
   grep -qx "Version: $version" "$pc" && ! grep -q "$stage\|$top" "$pc"; then
	r=0
fi
ok $r "libwse.pc says prefix /usr and version $version, nothing of the stage or the tree"

# A program built through pkg-config against the stage, as into a sysroot.
cat >"$tmp/prog.c" <<'EOF'
#include <stdio.h>
#include <wse/wse.h>

int main(void)
{
	uint32_t v = wse_version();

	printf("headers %d.%d.%d library %u.%u.%u %s\n", WSE_VERSION_MAJOR,
	       WSE_VERSION_MINOR, WSE_VERSION_PATCH, v >> 16, (v >> 8) & 0xff,
	       v & 0xff, wse_strerror(-ENOSPC));
	return v == WSE_VERSION ? 0 : 1;
}
EOF
sed -i '1i #include <errno.h>' "$tmp/prog.c"
flags=$(PKG_CONFIG_SYSROOT_DIR=$stage PKG_CONFIG_PATH=$stage/usr/lib/pkgconfig \
	pkg-config --cflags --libs libwse 2>&1)
echo "# pkg-config --cflags --libs libwse: $flags"
r=1
case "$flags" in
*"-I$stage/usr/include"*"-L$stage/usr/lib"*|*"-L$stage/usr/lib"*"-I$stage/usr/include"*)
	# shellcheck disable=SC2086
	cc -o "$tmp/prog" "$tmp/prog.c" $flags 2>&1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 0 ] && r=0
	;;
esac
ok $r "a program builds and links with pkg-config against the stage"

out=$(LD_LIBRARY_PATH=$stage/usr/lib "$tmp/prog" 2>&1)
r=$?
echo "# $out"
loaded=$(LD_LIBRARY_PATH=$stage/usr/lib ldd "$tmp/prog" | awk '/libwse/ {print $3}')
[ "$loaded" = "$stage/usr/lib/libwse.so.1" ] || { echo "# loaded $loaded"; r=1; }
case "$out" in "headers $version library $version "*) ;; *) r=1 ;; esac
ok $r "it runs with the staged libwse.so.1: wse_version() is WSE_VERSION ($version)"

# The driver's uAPI header compiles with libdrm's and libwse's cflags.
printf '#include <wse/wse_accel.h>\nint main(void) { return DRM_IOCTL_WSE_GET_INFO == 0; }\n' >"$tmp/uapi.c"
# shellcheck disable=SC2046
cc -fsyntax-only -I"$stage/usr/include" $(pkg-config --cflags libdrm) "$tmp/uapi.c" 2>&1 | sed 's/^/# /'
ok "${PIPESTATUS[0]}" "the installed <wse/wse_accel.h> compiles"

# An installed example builds from its installed sources the same way.
ex=$stage/usr/share/doc/wse/examples
# shellcheck disable=SC2086
cc -o "$tmp/gemv" -I"$ex/common" "$ex/gemv/gemv.c" "$ex/gemv/gemv_ref.c" \
	"$ex/common/example.c" $flags -lm 2>&1 | sed 's/^/# /'
ok "${PIPESTATUS[0]}" "the installed GEMV example builds with pkg-config"

# ... and runs on the installed simulator backend (found beside the
# installed libwse.so.1) with the installed kernel image.
out=$(LD_LIBRARY_PATH=$stage/usr/lib WSE_DATADIR=$stage/usr/share/wse "$tmp/gemv" -d sim:8x8 2>&1)
r=$?
echo "$out" | tail -n 2 | sed 's/^/# /'
grep -q 'gemv: PASS' <<<"$out" || r=1
ok $r "it runs on the installed simulator with the installed image: PASS"

# The Python package imports from the stage and runs a kernel there.
r=0
if [ -d "$top/python/wse" ]; then
	out=$(cd "$tmp" && PYTHONPATH=$stage/usr/lib/python3/dist-packages \
		LD_LIBRARY_PATH=$stage/usr/lib PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-/usr/bin/python3}" -c '
import os, sys, numpy as np, wse
assert wse.__file__.startswith(sys.argv[1]), wse.__file__
img = sys.argv[1] + "/usr/share/wse/gemv-256x256-8x8.img"
A = np.ones((256, 256), dtype=np.float32); x = np.ones(256, dtype=np.float32)
with wse.Runtime(img, device="sim:8x8") as rt:
    rt.memcpy_h2d("A", A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1), 0, 0, 8, 8, 1024)
    rt.memcpy_h2d("x", x, 0, 0, 8, 1, 32)
    rt.launch("compute")
    y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32).ravel()
print("y[0] =", y[0], "from", wse.__file__)
sys.exit(0 if (y == 256).all() else 1)
' "$stage" 2>&1)
	r=$?
	echo "$out" | tail -n 3 | sed "s/^/# /"
fi
ok $r "the installed Python package imports from the stage and runs GEMV on sim:8x8"

# The installed wse-as finds the installed include files by itself.
cat >"$tmp/inc.wsasm" <<'EOF'
.include "dsd.wsinc"
.rect main, 0, 0, 1, 1
.code main
.func start
	mem_dsd d0, f32, buf, 4
	halt
.data
	.export buf, f32, 4
EOF
(cd "$tmp" && "$stage/usr/bin/wse-as" -o inc.img inc.wsasm) 2>&1 | sed 's/^/# /'
ok "${PIPESTATUS[0]}" "the installed wse-as finds dsd.wsinc in share/wse/include"

# man finds the pages by name in the staged tree.
r=0
for p in "1 wse-as" "3 wse_version" "3type wse_region" "4 wse" "5 wse-image" "7 wse"; do
	# shellcheck disable=SC2086
	w=$(MANPATH=$stage/usr/share/man man -w $p 2>/dev/null)
	case "$w" in "$stage"/*) ;; *) echo "# man -w $p: '$w'"; r=1 ;; esac
done
ok $r "man -w finds each section's pages by name"

# The build tree: pkg-config's uninstalled convention.
bflags=$(PKG_CONFIG_PATH=$B pkg-config --cflags --libs libwse 2>&1)
echo "# build tree: $bflags"
r=1
case "$bflags" in
*"-I$top/libwse/include"*"-L$B"*|*"-L$B"*"-I$top/libwse/include"*)
	# shellcheck disable=SC2086
	cc -o "$tmp/prog-b" "$tmp/prog.c" $bflags 2>&1 | sed 's/^/# /'
	[ "${PIPESTATUS[0]}" -eq 0 ] && LD_LIBRARY_PATH=$B "$tmp/prog-b" >/dev/null && r=0
	;;
esac
ok $r "PKG_CONFIG_PATH=build: libwse-uninstalled.pc builds and runs against the build tree"

tmake uninstall DESTDIR="$stage" PREFIX=/usr
ok $? "make uninstall DESTDIR=stage PREFIX=/usr"

left=$(cd "$stage" && find . ! -type d | sort)
[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
ok "$([ -z "$left" ]; echo $?)" "uninstall leaves no file or link behind"

left=$(cd "$stage" && find usr/include/wse usr/share/wse usr/share/doc/wse 2>/dev/null)
[ -z "$left" ] || echo "$left" | sed 's/^/# left: /'
ok "$([ -z "$left" ]; echo $?)" "uninstall removes wse's own directories"

# The default prefix.
rm -rf "$stage"
tmake install DESTDIR="$stage"
r=$?
if [ $r -eq 0 ]; then
	grep -qx 'libdir=/usr/local/lib' "$stage/usr/local/lib/pkgconfig/libwse.pc" &&
		[ -x "$stage/usr/local/bin/wse-as" ] &&
		[ -f "$stage/usr/local/lib/udev/rules.d/70-wse.rules" ] || r=1
	tmake uninstall DESTDIR="$stage" || r=1
	[ -z "$(cd "$stage" && find . ! -type d)" ] || r=1
fi
ok $r "the default PREFIX is /usr/local, and uninstall takes it back"

[ $fails -eq 0 ]
