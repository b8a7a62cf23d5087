#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-vm`: build the initramfs, then boot the VM once per device
# geometry and run every kselftest suite in it with the kernel's
# run_kselftest.sh. TAP output lands in build/results/vm-<WxH>.tap and is
# echoed; the console log of a failed run is kept beside it.
#
# WSE_VM_MESHES overrides the geometries (default "16x12 32x32": a
# non-square mesh, and one big enough for the 1024x1024 GEMV example).
# Then one boot behind a vIOMMU runs wse_iommu, and one boot with four
# devices of different geometries runs the multi-device suites
# (wse_multi*); WSE_VM_IOMMU_BOOT="" and WSE_VM_MULTI="" leave them out.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"
meshes=${WSE_VM_MESHES:-16x12 32x32}
multi=${WSE_VM_MULTI-16x12 8x8 4x4 12x6}
# WSE_VM_IOMMU=1 runs every mesh behind a vIOMMU (run-vm.sh --iommu).
iommu=()
[ -z "${WSE_VM_IOMMU:-}" ] || iommu=(--iommu)

mkdir -p "$B/vm" "$B/results"
echo "# vm: building the initramfs"
"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1

# One boot: its name, then run-vm.sh's options.
boot() {
	local name=$1
	shift
	echo "# vm: $name"
	"$TOP/tests/vm/run-vm.sh" "$@" --mode check "${iommu[@]}" \
		--out "$B/results/vm-$name"
	r=$?
	cat "$B/results/vm-$name.tap" 2>/dev/null
	if [ $r -ne 0 ]; then
		echo "# vm: $name FAILED"
		# Count a dead VM as a failure even if its TAP looked fine.
		echo "not ok 999 vm-$name run failed (see $B/results/vm-$name.console.log)" \
			>>"$B/results/vm-$name.tap"
		rc=1
	fi
}

rc=0
for mesh in $meshes; do
	boot "$mesh" --mesh "$mesh"
done
# The device behind a vIOMMU, for the collection that needs one
# (wse_iommu: DMA through an IOVA onto the device's own BAR2 window);
# elsewhere it skips. WSE_VM_IOMMU_BOOT="" leaves this boot out.
if [ -n "${WSE_VM_IOMMU_BOOT-1}" ]; then
	boot iommu --mesh 8x8 --iommu --collections wse_iommu
fi
if [ -n "$multi" ]; then
	set -- $multi
	first=$1
	shift
	args=(--mesh "$first")
	for m in "$@"; do
		args+=(--also "$m")
	done
	collections=$(cd "$TOP/tests/selftests" && ls -d wse_multi* | tr '\n' ' ')
	boot multi "${args[@]}" --collections "$collections"
fi
exit $rc
