#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The device's Kconfig entry in the patched QEMU tree (scripts/build-qemu.sh)
# selects it only on a host that can build it (64-bit little-endian Linux:
# CONFIG_WSE_HOST), and a host without that still configures, with the
# device left out. QEMU's own minikconf.py resolves x86_64-softmmu's
# devices as configure does, once per set of host symbols. TAP output.
#
# Usage: qemu-device/tests/kconfig-host.sh [QEMU_SOURCE_TREE]  (default: the cache's)
set -uo pipefail

SRC=${1:-${WSE_CACHE:-/var/cache/wse}/qemu-10.0.2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
rc=0

# $1 test name, $2 "y" if the device must be selected, rest: host symbols
check() {
	local name=$1 want=$2
	shift 2
	n=$((n + 1))
	if ! python3 "$SRC/scripts/minikconf.py" --defconfig "$tmp/config.mak" "$tmp/dep" \
		"$SRC/configs/devices/x86_64-softmmu/default.mak" "$SRC/Kconfig" \
		"$@" CONFIG_TCG=y CONFIG_KVM=y CONFIG_X86_64=y CONFIG_TARGET_BIG_ENDIAN=n \
		>"$tmp/out.mak" 2>"$tmp/log"; then
		echo "not ok $n $name: minikconf failed"
		sed 's/^/# /' "$tmp/log"
		rc=1
		return
	fi
	if grep -q '^CONFIG_WSE_PCI=y' "$tmp/out.mak"; then got=y; else got=n; fi
	if [ "$got" = "$want" ] && grep -q '^CONFIG_PCIE_PORT=y' "$tmp/out.mak"; then
		echo "ok $n $name"
	else
		echo "not ok $n $name: CONFIG_WSE_PCI=$got, expected $want"
		rc=1
	fi
}

echo "1..3"
check "64-bit little-endian Linux host: the device is built" y CONFIG_LINUX=y CONFIG_WSE_HOST=y
check "other Linux host: configures, no device" n CONFIG_LINUX=y
check "non-Linux host: configures, no device" n
exit $rc
