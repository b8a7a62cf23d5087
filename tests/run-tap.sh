#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run host test programs that print TAP (kselftest_harness.h), keep each
# one's output in build/results/<suite>-<name>.tap and echo it.
# Usage: tests/run-tap.sh <suite> <program>...
set -uo pipefail

suite=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
results=$top/build/results
mkdir -p "$results"
rc=0
for t in "$@"; do
	name=$(basename "$t")
	out=$results/$suite-$name.tap
	echo "# $suite: $name"
	timeout 600 "$t" 2>&1 | tee "$out"
	st=${PIPESTATUS[0]}
	if [ "$st" -ne 0 ]; then
		echo "# $suite: $name exited with status $st"
		# A crash or a timeout must count as a failure even when the
		# program printed no "not ok" line for it.
		echo "not ok 999 $name exited with status $st" >>"$out"
		rc=1
	fi
done
exit $rc
