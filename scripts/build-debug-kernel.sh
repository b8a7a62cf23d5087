#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel `make check-debug` boots: Debian's 6.12 source
# (linux-source-6.12's tarball in /usr/src) with x86_64_defconfig trimmed
# to what the VM suites need, plus KASAN, lockdep, kmemleak, debug objects,
# fault injection (failslab, fail_page_alloc) and UBSAN. The DRM helpers
# wse.ko depends on are modules, as in Debian's kernel, so the suites load
# them the same way.
#
# Usage: scripts/build-debug-kernel.sh
#   WSE_CACHE   cache directory (default /var/cache/wse)
#   JOBS        parallel jobs (default 2)
#   NICE        niceness of the build (default 19: it yields to anything
#               else on the machine; NICE=0 when it is the only work)
# Result: $WSE_CACHE/kdebug/{bzImage,build/,root/lib/modules/<ver>/,kver}.
# About an hour on 2 cores; a later run only rebuilds what changed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${WSE_CACHE:-/var/cache/wse}
K=$CACHE/kdebug
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-2}
NICE=${NICE:-19}

mkdir -p "$K"
exec 9>"$K/.build-lock"
flock 9

if [ -f "$K/bzImage" ] && [ -f "$K/kver" ] && [ "$K/bzImage" -nt "$REPO/scripts/debug-kernel.config" ]; then
	echo "build-debug-kernel: $K/bzImage is up to date ($(cat "$K/kver"))"
	exit 0
fi

if [ ! -f "$K/src/Makefile" ]; then
	echo "build-debug-kernel: extracting $TARBALL"
	rm -rf "$K/src.tmp"
	mkdir -p "$K/src.tmp"
	tar -xJf "$TARBALL" -C "$K/src.tmp" --strip-components=1
	mv "$K/src.tmp" "$K/src"
fi

cd "$K/src"
# DRM_SCHED (gpu-sched.ko), DRM_GEM_SHMEM_HELPER (drm_shmem_helper.ko) and
# WANT_DEV_COREDUMP, which wse.ko needs, have no prompt: only in-tree
# drivers select them, and none of those fits a small x86 VM config. Give
# each a prompt so that the config fragment can ask for it.
prompt() { # FILE SYMBOL TYPE
	sed -i "/^config $2\$/{n;s/^\t$3\$/\t$3 \"$2 (for out-of-tree drivers such as wse)\"/}" "$1"
}
prompt drivers/gpu/drm/Kconfig DRM_SCHED tristate
prompt drivers/gpu/drm/Kconfig DRM_GEM_SHMEM_HELPER tristate
prompt drivers/base/Kconfig WANT_DEV_COREDUMP bool
mk() { nice -n "$NICE" make -s -j"$JOBS" O="$K/build" "$@"; }
mkdir -p "$K/build"
mk x86_64_defconfig
scripts/kconfig/merge_config.sh -m -O "$K/build" "$K/build/.config" \
	"$REPO/scripts/debug-kernel.config" >/dev/null
mk olddefconfig
# A symbol the fragment asks for but Kconfig drops (a missing dependency,
# no prompt) would only show later, as modpost's undefined symbols or a
# suite that finds no KASAN: name it now.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]$' "$REPO/scripts/debug-kernel.config" |
	grep -vxF -f "$K/build/.config" || true)
if [ -n "$missing" ]; then
	echo "build-debug-kernel: Kconfig did not take these:" $missing >&2
	exit 1
fi
echo "build-debug-kernel: building (nice $NICE, -j$JOBS)"
mk bzImage modules
ver=$(mk -s kernelrelease)
rm -rf "$K/root"
mk INSTALL_MOD_PATH="$K/root" INSTALL_MOD_STRIP=1 modules_install
cp "$K/build/arch/x86/boot/bzImage" "$K/bzImage.tmp"
echo "$ver" >"$K/kver"
mv "$K/bzImage.tmp" "$K/bzImage"
echo "build-debug-kernel: built $ver in $K"
