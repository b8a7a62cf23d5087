#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz-ioctl` and `make check-debug`: boot the VM (one mesh), run the
# structure-aware ioctl fuzzer (tests/fuzz/ioctl-fuzz.c) for
# WSE_FUZZ_CALLS calls (default 1000000), then every one-device kselftest
# suite (not wse_multi*, which make check-vm boots with several devices); with
# --debug under the debug kernel of scripts/build-debug-kernel.sh, with a
# failslab pass and a kmemleak scan after the suites. Results in
# build/results/fuzz-ioctl.{tap,console.log} (debug-*.* with --debug); the
# console log is kept.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"
mesh=${WSE_VM_MESH:-16x12}
calls=${WSE_FUZZ_CALLS:-1000000}
debug=
[ "${1:-}" = --debug ] && debug=1

mkdir -p "$B/vm" "$B/results"
args=(--mesh "$mesh" --timeout "${WSE_FUZZ_TIMEOUT:-7200}" --keep-console
      --append "WSE_FUZZ_CALLS=$calls WSE_FUZZ_SECONDS=${WSE_FUZZ_SECONDS:-5400}")
if [ -n "$debug" ]; then
	K=$WSE_CACHE/kdebug
	"$TOP/scripts/build-debug-kernel.sh" || exit 1
	kver=$(cat "$K/kver")
	# wse.ko for the debug kernel, built from a copy of the sources so
	# that the tree's own wse.ko (for Debian's kernel) stays.
	mod=$B/kdebug-mod
	mkdir -p "$mod"
	cp -r "$TOP/Kbuild" "$TOP/driver" "$TOP/uapi" "$TOP/abi" "$mod/"
	make -s -C "$K/build" M="$mod" W=1 modules || exit 1
	WSE_KO=$mod/wse.ko WSE_MODROOT=$K/root \
		"$TOP/tests/vm/mkinitramfs.sh" "$kver" "$B/vm/initramfs-debug.cpio" || exit 1
	# no5lvl: the debug kernel with KASAN does not boot on QEMU's
	# 5-level paging CPU model.
	args+=(--mode debug --kernel "$K/bzImage" --initrd "$B/vm/initramfs-debug.cpio"
	       --append "no5lvl" --out "$B/results/debug-$mesh")
	out=$B/results/debug-$mesh
else
	"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1
	args+=(--mode fuzz --out "$B/results/fuzz-ioctl")
	out=$B/results/fuzz-ioctl
fi
echo "# vm: ${debug:+debug kernel, }fuzzer ($calls calls), then every suite, mesh $mesh"
"$TOP/tests/vm/run-vm.sh" "${args[@]}"
rc=$?
cat "$out.tap"
echo "# vm: console log in $out.console.log"
exit $rc
