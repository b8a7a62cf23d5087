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
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"
meshes=${WSE_VM_MESHES:-16x12 32x32}
# WSE_VM_IOMMU=1 runs every mesh behind a vIOMMU (run-vm.sh --iommu).
iommu=()
[ -z "${WSE_VM_IOMMU:-}" ] || iommu=(--iommu)

mkdir -p "$B/vm" "$B/results"
echo "# vm: building the initramfs"
"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1

rc=0
for mesh in $meshes; do
	echo "# vm: mesh $mesh"
	"$TOP/tests/vm/run-vm.sh" --mesh "$mesh" --mode check "${iommu[@]}" \
		--out "$B/results/vm-$mesh"
	r=$?
	cat "$B/results/vm-$mesh.tap" 2>/dev/null
	if [ $r -ne 0 ]; then
		echo "# vm: mesh $mesh FAILED"
		# Count a dead VM as a failure even if its TAP looked fine.
		echo "not ok 999 vm-$mesh run failed (see $B/results/vm-$mesh.console.log)" \
			>>"$B/results/vm-$mesh.tap"
		rc=1
	fi
done
exit $rc
