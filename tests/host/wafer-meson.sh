#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The wafer core builds twice: into libwafer.a by make (every .c of
# qemu-device/wafer/) and into QEMU by qemu-device/wafer/meson.build,
# which lists its files by hand. A file added to one and not the other
# breaks only the QEMU build, minutes later: check the lists match.
# Prints TAP.
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top/qemu-device/wafer" || exit 1
echo "TAP version 13"
echo "1..1"
make_list=$(ls *.c | sort)
meson_list=$(sed -n "s/^[[:space:]]*'\([^']*\.c\)',\{0,1\}[[:space:]]*$/\1/p" meson.build | sort)
if [ "$make_list" = "$meson_list" ]; then
	echo "ok 1 qemu-device/wafer/meson.build lists every .c of the core"
else
	echo "# make builds: $(echo $make_list)"
	echo "# meson lists: $(echo $meson_list)"
	echo "not ok 1 qemu-device/wafer/meson.build lists every .c of the core"
fi
