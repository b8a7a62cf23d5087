#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot the VM with an 8x8 wse device and show the stack
# working: wse-smi listing the device, then the scripts in tests/vm/demo/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/vm/env.sh"
mesh=${WSE_DEMO_MESH:-8x8}

mkdir -p "$B/vm" "$B/results"
"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1
echo "== booting Linux $KVER in QEMU (TCG) with -device wse,mesh-width=${mesh%x*},mesh-height=${mesh#*x}"
"$TOP/tests/vm/run-vm.sh" --mesh "$mesh" --mode demo --out "$B/results/demo"
rc=$?
cat "$B/results/demo.tap"
exit $rc
