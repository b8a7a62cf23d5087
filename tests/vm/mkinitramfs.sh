#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the VM's initramfs: busybox, kmod, GNU timeout (the kselftest
# runner needs --foreground), wse.ko with the DRM modules it depends on
# (taken from Debian's /lib/modules/<kver>), libdrm, libwse and its
# simulator plugin, the tools, the examples, Python with NumPy and the wse
# package, the kselftest suites installed as a kselftest tree, and
# tests/vm/init.
#
# Usage: tests/vm/mkinitramfs.sh <kver> <output.cpio>
# Environment: KSFT (kselftest files), B (build dir), WSE_KO (the module
# to put in, default the tree's wse.ko; DKMS's may be compressed).
set -euo pipefail

KVER=$1
OUT=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$TOP/build}
KSFT=${KSFT:?KSFT must point at the kselftest files}
ROOT=$B/vm/root
# WSE_MODROOT: where lib/modules/<KVER> of another kernel was installed
# (the debug kernel of `make check-debug`); default the system's.
MODROOT=${WSE_MODROOT:-}
MODDIR=$MODROOT/lib/modules/$KVER
# ldd must find libwse.so in the build directory.
export LD_LIBRARY_PATH=$B${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/lib,lib,lib64,proc,sys,dev,tmp,run,root,etc,mnt,kselftest}
mkdir -p "$ROOT/lib/modules/$KVER/kernel" "$ROOT/lib/modules/$KVER/extra"

# Copy an ELF program or library and, recursively, the libraries it needs.
copy_elf() {
	local f=$1 dst=${2:-$1} lib
	mkdir -p "$ROOT$(dirname "$dst")"
	cp -L "$f" "$ROOT$dst"
	for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'); do
		[ -e "$ROOT$lib" ] && continue
		copy_elf "$lib"
	done
}

# busybox provides the shell and the utilities; kmod the module tools.
cp /bin/busybox "$ROOT/bin/busybox"
for app in $("$ROOT/bin/busybox" --list); do
	case "$app" in
	modprobe|insmod|rmmod|lsmod|depmod|modinfo|timeout|busybox) continue ;;
	esac
	[ -e "$ROOT/bin/$app" ] || ln -s busybox "$ROOT/bin/$app"
done
copy_elf /usr/bin/kmod /usr/bin/kmod
for app in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf ../usr/bin/kmod "$ROOT/sbin/$app"
done
copy_elf /usr/bin/timeout /usr/bin/timeout

# Modules go in uncompressed: Debian ships them as .ko.xz, and kmod
# first offers a compressed module to the kernel as it is, which then
# logs "Invalid ELF header magic: != ELF" before kmod decompresses it
# itself. (Debian's initramfs-tools decompresses them too.)
put_module() {
	local from=$1 to=$2
	mkdir -p "$(dirname "$to")"
	case "$from" in
	*.ko.xz) xz -dc "$from" >"${to%.xz}" ;;
	*.ko.zst) zstd -dcq "$from" >"${to%.zst}" ;;
	*.ko.gz) gzip -dc "$from" >"${to%.gz}" ;;
	*) cp "$from" "$to" ;;
	esac
}

# Modules: wse.ko and the transitive closure of its dependencies.
WSE_KO=${WSE_KO:-$TOP/wse.ko}
put_module "$WSE_KO" "$ROOT/lib/modules/$KVER/extra/$(basename "$WSE_KO")"
declare -A seen=()
want=($(modinfo -F depends "$WSE_KO" | tr ',' ' '))
# VFIO, where the kernel has it as modules: wse_iommu's self_dma_test
# binds the device to vfio-pci (type1 is loaded on demand, not a
# dependency).
for m in vfio-pci vfio_iommu_type1; do
	path=$(modinfo ${MODROOT:+-b "$MODROOT"} -k "$KVER" -n "$m" 2>/dev/null) || continue
	case "$path" in /*) want+=("$m") ;; esac
done
while [ ${#want[@]} -gt 0 ]; do
	m=${want[0]}
	want=("${want[@]:1}")
	[ -n "$m" ] && [ -z "${seen[$m]:-}" ] || continue
	seen[$m]=1
	path=$(modinfo ${MODROOT:+-b "$MODROOT"} -k "$KVER" -n "$m")
	rel=${path#"$MODDIR/"}
	put_module "$path" "$ROOT/lib/modules/$KVER/$rel"
	want+=($(modinfo ${MODROOT:+-b "$MODROOT"} -k "$KVER" -F depends "$m" | tr ',' ' '))
done
cp "$MODDIR"/modules.builtin* "$MODDIR"/modules.order "$ROOT/lib/modules/$KVER/" 2>/dev/null || true
depmod -b "$ROOT" "$KVER"

# Userspace of the stack: libwse and its simulator plugin, which libwse
# finds beside itself.
for f in "$B"/libwse.so* "$B"/libwse-sim.so*; do
	[ -e "$f" ] && cp -a "$f" "$ROOT/usr/lib/"
done
for f in "$B"/wse-smi "$B"/wse-run "$B"/wse-as "$B"/wse-objdump "$B"/examples/*; do
	[ -f "$f" ] && [ -x "$f" ] && copy_elf "$f" "/usr/bin/$(basename "$f")"
done
# The examples by name, for the suites that run every one of them.
mkdir -p "$ROOT/usr/share/wse"
for f in "$B"/examples/*; do
	[ -f "$f" ] && [ -x "$f" ] && basename "$f"
done >"$ROOT/usr/share/wse/examples.list"
# Debian's Python with NumPy and the wse package, for the suites that
# import it against the driver (tests/selftests/backends): the
# interpreter, its standard library without what no test imports, NumPy
# without its tests; their shared libraries come with the ELF pass below.
PY=${PYTHON:-/usr/bin/python3}
if "$PY" -c "import numpy" 2>/dev/null; then
	pylib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
	numpy=$("$PY" -c 'import numpy, os; print(os.path.dirname(numpy.__file__))')
	copy_elf "$(readlink -f "$PY")" /usr/bin/python3
	mkdir -p "$ROOT$pylib" "$ROOT$(dirname "$numpy")"
	rsync -a --exclude=__pycache__ --exclude=test --exclude=tests \
		--exclude=idlelib --exclude=tkinter --exclude=turtledemo \
		--exclude=ensurepip --exclude=lib2to3 --exclude='config-*' \
		"$pylib/" "$ROOT$pylib/"
	rsync -a --exclude=__pycache__ --exclude=tests "$numpy" "$ROOT$(dirname "$numpy")/"
	rsync -a --exclude=__pycache__ "$TOP/python/wse" "$ROOT$(dirname "$numpy")/"
fi

# Scripts the init runs in demo and bench modes.
mkdir -p "$ROOT/usr/share/wse/demo" "$ROOT/usr/share/wse/bench"
for f in "$TOP"/tests/vm/demo/*.sh; do
	[ -f "$f" ] && cp "$f" "$ROOT/usr/share/wse/demo/"
done
for f in "$TOP"/bench/vm/*.sh; do
	[ -f "$f" ] && cp "$f" "$ROOT/usr/share/wse/bench/"
done
# Anything a part stages under build/vm-extra/ (kernel images, data)
# lands in the root file system as is.
if [ -d "$B/vm-extra" ]; then
	cp -r "$B/vm-extra/." "$ROOT/"
fi

# kselftest tree: runner + every suite under tests/selftests.
KROOT=$ROOT/kselftest
cp "$KSFT/run_kselftest.sh" "$KROOT/"
mkdir -p "$KROOT/kselftest"
cp "$KSFT"/kselftest/*.sh "$KROOT/kselftest/"
: >"$KROOT/kselftest-list.txt"
for suite in "$TOP"/tests/selftests/*/; do
	name=$(basename "$suite")
	out=$B/selftests/$name
	mkdir -p "$out"
	make -s -C "$suite" KSFT_DIR="$KSFT" OUTPUT="$out" LIBWSE_DIR="$B" \
		INSTALL_PATH="$KROOT/$name" install >/dev/null
	make -s --no-print-directory -C "$suite" KSFT_DIR="$KSFT" OUTPUT="$out" \
		COLLECTION="$name" emit_tests >>"$KROOT/kselftest-list.txt"
done
# Their shared libraries (libdrm, libwse, libc...).
while IFS= read -r -d '' f; do
	if [ "$(head -c4 "$f" | tail -c3)" = "ELF" ]; then
		for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\//{print $1}'); do
			case "$lib" in "$B"/*) continue ;; esac
			[ -e "$ROOT$lib" ] || copy_elf "$lib"
		done
	fi
done < <(find "$KROOT" "$ROOT/usr/bin" "$ROOT/usr/lib" -type f -print0)

mkdir -p "$ROOT/usr/share/wse"
cp "$TOP/tests/vm/debug-checks.sh" "$ROOT/usr/share/wse/"
cp "$TOP/tests/vm/init" "$ROOT/init"
chmod +x "$ROOT/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"
echo "/usr/lib" >"$ROOT/etc/ld.so.conf"

(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet) >"$OUT"
