# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the VM scripts: where things are. TOP must be set.
#   B          build directory (build/)
#   WSE_CACHE  QEMU build and extracted kernel files (/var/cache/wse)
#   KSFT       the kernel's tools/testing/selftests files
#   KVER       Debian's 6.12 kernel the VM boots (newest installed)
#   QEMU       our qemu-system-x86_64
export B=${B:-$TOP/build}
export WSE_CACHE=${WSE_CACHE:-/var/cache/wse}
export KSFT=${KSFT:-$WSE_CACHE/linux-tools/tools/testing/selftests}
export KVER=${KVER:-$(ls /usr/src | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$/\1/p' | sort -V | tail -n1)}
export QEMU=${QEMU:-$WSE_CACHE/qemu-build/qemu-system-x86_64}
