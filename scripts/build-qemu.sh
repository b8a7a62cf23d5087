#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build qemu-system-x86_64 (QEMU 10.0.2, Debian's source tarball) with the wse
# device in it. Everything lives in a cache directory outside the repository,
# so a later build only recompiles what changed in qemu-device/.
#
# Usage: scripts/build-qemu.sh [--prepare-only] [ninja targets...]
#   WSE_CACHE   cache directory (default /var/cache/wse)
# Prints nothing but progress; the binary ends up in $WSE_CACHE/qemu-build/.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${WSE_CACHE:-/var/cache/wse}
QEMU_VER=10.0.2
TARBALL=qemu_${QEMU_VER}+ds.orig.tar.xz
# sha256 of Debian's qemu_10.0.2+ds.orig.tar.xz (bookworm-backports).
TARBALL_SHA256=0901da33844a331bf8b3602b9c1fbd178e60b737c8e3ade678255bd090c9b9f1
SRC=$CACHE/qemu-$QEMU_VER
BUILD=$CACHE/qemu-build
# --prepare-only: unpack, patch and sync the tree, build nothing (the
# fuzzing build of scripts/fuzz-qemu.sh configures its own build tree).
PREPARE_ONLY=false
if [ "${1:-}" = --prepare-only ]; then
	PREPARE_ONLY=true
	shift
fi
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(qemu-system-x86_64)

mkdir -p "$CACHE/dl"
exec 9>"$CACHE/.build-lock"
flock 9

fetch_tarball() {
	local t=$CACHE/dl/$TARBALL
	if [ -f "$t" ] && echo "$TARBALL_SHA256  $t" | sha256sum -c --quiet - 2>/dev/null; then
		return
	fi
	rm -f "$t"
	echo "build-qemu: fetching $TARBALL with apt-get source"
	# Only the .orig tarball is served: the .dsc and debian.tar.xz answer 404
	# and apt exits non-zero. Accept that and check the tarball ourselves.
	(cd "$CACHE/dl" && apt-get source --download-only -q "qemu/bookworm-backports" >/dev/null 2>&1) || true
	if [ ! -f "$t" ]; then
		echo "build-qemu: apt-get source did not produce $TARBALL" >&2
		exit 1
	fi
	if ! echo "$TARBALL_SHA256  $t" | sha256sum -c --quiet -; then
		echo "build-qemu: $TARBALL has the wrong sha256" >&2
		exit 1
	fi
}

# Wire the device into QEMU's build: hw/misc/wse is a copy of qemu-device/,
# the qtest lives in tests/qtest. Done once, before the first configure.
patch_tree() {
	# The device builds only on 64-bit little-endian Linux hosts
	# (<linux/types.h>, madvise flags, the wafer's layout asserts): a
	# host symbol says so, and elsewhere the device is simply left out.
	grep -q "^config WSE_HOST" "$SRC/Kconfig.host" ||
		printf '\nconfig WSE_HOST\n    bool\n' >>"$SRC/Kconfig.host"
	grep -q "CONFIG_WSE_HOST" "$SRC/meson.build" ||
		sed -i "s|^  (host_os == 'linux' ? \['CONFIG_LINUX=y'\] : \[\]) + \\\\|&\n  (host_os == 'linux' and cc.sizeof('void *') == 8 and host_machine.endian() == 'little' ? ['CONFIG_WSE_HOST=y'] : []) + \\\\|" \
			"$SRC/meson.build"
	grep -q "CONFIG_WSE_HOST" "$SRC/meson.build" || {
		echo "build-qemu: cannot add CONFIG_WSE_HOST to QEMU's meson.build" >&2
		exit 1
	}
	# A tree patched before the host condition existed: replace its entry.
	grep -q "WSE_HOST" "$SRC/hw/misc/Kconfig" ||
		sed -i '/^config WSE_PCI$/,/^    depends on/d' "$SRC/hw/misc/Kconfig"
	grep -q "^config WSE_PCI" "$SRC/hw/misc/Kconfig" || cat >>"$SRC/hw/misc/Kconfig" <<'KC'

config WSE_PCI
    bool
    default y if PCI_DEVICES
    depends on PCI && MSI_NONBROKEN && LINUX && WSE_HOST
KC
	# Trace events of hw/misc/wse (qemu-device/trace-events).
	grep -q "'hw/misc/wse'" "$SRC/meson.build" ||
		sed -i "s|^    'hw/misc',\$|&\n    'hw/misc/wse',|" "$SRC/meson.build"
	grep -q "subdir('wse')" "$SRC/hw/misc/meson.build" ||
		echo "subdir('wse')" >>"$SRC/hw/misc/meson.build"
	grep -q "'wse-test'" "$SRC/tests/qtest/meson.build" ||
		sed -i "s|^qtests_i386 = \\\\|qtests_i386 = \\\\\n  (config_all_devices.has_key('CONFIG_WSE_PCI') ? ['wse-test'] : []) + \\\\|" \
			"$SRC/tests/qtest/meson.build"
	# The +ds tarball drops the edk2 firmware; configure insists on the names.
	local f
	for f in aarch64-code arm-code arm-vars riscv-code riscv-vars i386-code \
		 i386-secure-code i386-vars x86_64-code x86_64-secure-code \
		 loongarch64-code loongarch64-vars; do
		[ -f "$SRC/pc-bios/edk2-$f.fd.bz2" ] || : | bzip2 >"$SRC/pc-bios/edk2-$f.fd.bz2"
	done
}

# Copy a file only when its content changed, so that ninja rebuilds only
# what really changed even when the repository is a fresh clone.
sync_file() {
	local from=$1 to=$2
	if ! cmp -s "$from" "$to"; then
		mkdir -p "$(dirname "$to")"
		cp "$from" "$to"
	fi
}

# The device's files in the tree: qemu-device/ (but its host tests and
# benchmarks) as hw/misc/wse/, and the contract it executes, abi/, as
# hw/misc/wse/abi/ (its meson.build is only for this).
device_files() {
	local f rel
	while IFS= read -r -d '' f; do
		rel=${f#"$REPO/qemu-device/"}
		case "$rel" in tests/*|bench/*) continue ;; esac
		printf '%s\0%s\0' "$f" "$rel"
	done < <(find "$REPO/qemu-device" -type f \( -name '*.c' -o -name '*.h' -o -name 'meson.build' -o -name 'trace-events' \) -print0)
	while IFS= read -r -d '' f; do
		printf '%s\0%s\0' "$f" "abi/${f#"$REPO/abi/"}"
	done < <(find "$REPO/abi" -type f \( -name '*.c' -o -name '*.h' -o -name 'meson.build' \) -print0)
	printf '%s\0%s\0' "$REPO/driver/wse_regs.h" wse_regs.h
}

sync_device() {
	local dst=$SRC/hw/misc/wse f rel
	local -A keep=()
	mkdir -p "$dst"
	while IFS= read -r -d '' f && IFS= read -r -d '' rel; do
		sync_file "$f" "$dst/$rel"
		keep[$rel]=1
	done < <(device_files)
	# Files removed from the repository go from the tree too.
	while IFS= read -r -d '' f; do
		rel=${f#"$dst/"}
		[ -n "${keep[$rel]:-}" ] || rm -f "$f"
	done < <(find "$dst" -type f -print0)
	sync_file "$REPO/qemu-device/tests/wse-test.c" "$SRC/tests/qtest/wse-test.c"
}

fetch_tarball
if [ ! -f "$SRC/.wse-unpacked" ]; then
	echo "build-qemu: unpacking QEMU $QEMU_VER into $SRC"
	rm -rf "$SRC"
	tar -xJf "$CACHE/dl/$TARBALL" -C "$CACHE"
	touch "$SRC/.wse-unpacked"
fi
patch_tree
sync_device
$PREPARE_ONLY && exit 0

if [ ! -f "$BUILD/build.ninja" ]; then
	echo "build-qemu: configuring"
	rm -rf "$BUILD"
	mkdir -p "$BUILD"
	(cd "$BUILD" && "$SRC/configure" --python=/usr/bin/python3 \
		--target-list=x86_64-softmmu --without-default-features \
		--enable-kvm --enable-tcg --disable-install-blobs \
		--disable-docs --disable-werror >"$BUILD/configure.log" 2>&1) || {
		tail -n 40 "$BUILD/configure.log" >&2
		exit 1
	}
fi

# qtest looks for firmware in the build tree's bundle directory.
mkdir -p "$BUILD/qemu-bundle/usr/local/share/qemu"
for f in /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
	 /usr/share/qemu/kvmvapic.bin; do
	[ -e "$BUILD/qemu-bundle/usr/local/share/qemu/$(basename "$f")" ] ||
		ln -sf "$f" "$BUILD/qemu-bundle/usr/local/share/qemu/"
done

echo "build-qemu: ninja ${TARGETS[*]}"
ninja -C "$BUILD" "${TARGETS[@]}" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
