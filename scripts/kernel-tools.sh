#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract what wse takes from Debian's linux-source-6.12 at build time:
# the kselftest headers and runner (tools/testing/selftests),
# scripts/checkpatch.pl with its data files, and scripts/kernel-doc with
# split-man.pl (libwse's man pages). Idempotent; prints the directory that
# holds them (laid out as in the kernel tree).
#
#   WSE_CACHE   cache directory (default /var/cache/wse)
set -euo pipefail

CACHE=${WSE_CACHE:-/var/cache/wse}
TARBALL=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n1)
OUT=$CACHE/linux-tools
FILES=(
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest/runner.sh
	tools/testing/selftests/kselftest/ktap_helpers.sh
	tools/testing/selftests/run_kselftest.sh
	tools/testing/selftests/kselftest_install.sh
	tools/testing/selftests/lib.mk
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	scripts/kernel-doc
	scripts/split-man.pl
)

if [ -z "$TARBALL" ]; then
	echo "kernel-tools: /usr/src/linux-source-6.12.tar.xz missing (run scripts/setup.sh)" >&2
	exit 1
fi
# A new tarball or a longer list of files extracts again.
list=$(printf '%s\n' "${FILES[@]}" | sha256sum | cut -c1-12)
stamp=$OUT/.stamp-$(basename "$TARBALL")-$(stat -c %Y "$TARBALL")-$list
if [ ! -f "$stamp" ]; then
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.kernel-tools-lock"
	flock 9
	if [ ! -f "$stamp" ]; then
		rm -rf "$OUT.tmp"
		mkdir -p "$OUT.tmp"
		top=$(basename "$TARBALL" .tar.xz)
		# Missing optional members (ktap_helpers.sh) are not an error.
		tar -xJf "$TARBALL" -C "$OUT.tmp" --strip-components=1 \
			--wildcards "${FILES[@]/#/$top/}" 2>/dev/null || true
		for f in tools/testing/selftests/{kselftest_harness.h,kselftest.h,run_kselftest.sh,kselftest/runner.sh} \
			 scripts/kernel-doc scripts/split-man.pl; do
			if [ ! -f "$OUT.tmp/$f" ]; then
				echo "kernel-tools: $f not found in $TARBALL" >&2
				exit 1
			fi
		done
		rm -rf "$OUT"
		mv "$OUT.tmp" "$OUT"
		touch "$stamp"
	fi
fi
echo "$OUT"
