#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz-qemu`: QEMU's own generic-fuzz target (tests/qtest/fuzz) on
# the wse device, the way QEMU fuzzes its devices: a second QEMU build
# in the cache with clang-14, libFuzzer, ASan and UBSan, fed random MMIO,
# PCI config and DMA against -machine q35 -device wse. Bounded in time;
# the corpus and any crash inputs live in $WSE_CACHE/fuzz-qemu, out of
# the tree. Every crash found becomes a qtest (qemu-device/tests).
#
# Usage: scripts/fuzz-qemu.sh   (FUZZ_SECONDS, default 600; WSE_CACHE)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${WSE_CACHE:-/var/cache/wse}
SECONDS_TO_RUN=${FUZZ_SECONDS:-600}
SRC=$CACHE/qemu-10.0.2
BUILD=$CACHE/qemu-fuzz-build
OUT=$CACHE/fuzz-qemu
BIN=$BUILD/qemu-fuzz-x86_64

# The fuzzing toolchain, only for this target (make check needs none).
need=()
for p in clang-14 lld-14 libclang-rt-14-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "fuzz-qemu: installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

# The same patched tree as the normal build (edk2 stand-ins included).
"$REPO/scripts/build-qemu.sh" --prepare-only

if [ ! -f "$BUILD/build.ninja" ]; then
	echo "fuzz-qemu: configuring the fuzzing build in $BUILD"
	rm -rf "$BUILD"
	mkdir -p "$BUILD"
	(cd "$BUILD" && "$SRC/configure" --python=/usr/bin/python3 \
		--cc=clang-14 --cxx=clang++-14 --extra-ldflags=-fuse-ld=lld-14 \
		--target-list=x86_64-softmmu --without-default-features \
		--enable-tcg --enable-fuzzing --enable-asan --enable-ubsan \
		--disable-install-blobs --disable-docs --disable-werror \
		>"$BUILD/configure.log" 2>&1) || {
		tail -n 40 "$BUILD/configure.log" >&2
		exit 1
	}
fi
echo "fuzz-qemu: ninja qemu-fuzz-x86_64"
ninja -C "$BUILD" qemu-fuzz-x86_64 | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }

mkdir -p "$OUT/corpus" "$OUT/crashes"
# A small mesh keeps each input fast; every register, queue and window
# block is there all the same.
export QEMU_FUZZ_ARGS="-L /usr/share/seabios -L /usr/share/qemu -machine q35 -nodefaults \
-device wse,mesh-width=8,mesh-height=4,queues=4,windows=4,window-size=65536,max-xfer=1048576,max-image=65536"
export QEMU_FUZZ_OBJECTS="wse*"
# QEMU 10.0.2's own leak, not the device's: map_noreserve_effective()
# (util/mmap-alloc.c) never frees what it read of
# /proc/sys/vm/overcommit_memory, and the device's SRAM is the RAM_NORESERVE
# region that calls it, once at realize. LeakSanitizer reports those 3
# bytes on the first input; everything else it finds is still reported.
# The suppression needs the allocation's whole stack: glib has no frame
# pointers, so the fast unwinder stops inside it.
supp=$OUT/lsan.supp
echo "leak:map_noreserve_effective" >"$supp"
export LSAN_OPTIONS="suppressions=$supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
echo "fuzz-qemu: generic-fuzz for ${SECONDS_TO_RUN} s, corpus $OUT/corpus"
cd "$OUT"
"$BIN" --fuzz-target=generic-fuzz -max_total_time="$SECONDS_TO_RUN" \
	-print_final_stats=1 -rss_limit_mb=4096 -timeout=30 \
	-artifact_prefix="$OUT/crashes/" "$OUT/corpus" 2>&1 | tee "$OUT/last-run.log" |
	grep -E '^#[0-9]+.*(pulse|DONE|INITED)|^stat::|ERROR|SUMMARY|Test unit written' || true
status=${PIPESTATUS[0]}
echo "fuzz-qemu: exit $status; crashes: $(find "$OUT/crashes" -type f | wc -l); log $OUT/last-run.log"
exit "$status"
