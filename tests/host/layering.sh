#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The user-side parts (libwse, the tools, the examples, the Python package)
# build from abi/ and uapi/, never from the device: no include, include
# path or source path of theirs names qemu-device/. Prints TAP.
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 1
echo "TAP version 13"
echo "1..2"
hits=$(grep -rn 'qemu-device' libwse tools examples python 2>/dev/null)
if [ -z "$hits" ]; then
	echo "ok 1 libwse, tools, examples and python never name qemu-device/"
else
	echo "$hits" | sed 's/^/# /'
	echo "not ok 1 libwse, tools, examples and python never name qemu-device/"
fi
# abi/ is the contract: it depends on none of its users.
hits=$(grep -n '#include "' abi/*.c abi/*.h | grep -vE '"(isa|isa-names|image|image-elf|half|wafer-abi|wse-backend|pe-dump)\.h"')
if [ -z "$hits" ]; then
	echo "ok 2 abi/ includes only its own headers"
else
	echo "$hits" | sed 's/^/# /'
	echo "not ok 2 abi/ includes only its own headers"
fi
