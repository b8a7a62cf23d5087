#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run test programs that print TAP (kselftest_harness.h, GLib's --tap),
# keep each one's output in build/results/<suite>-<name>.tap and echo it.
# Usage: tests/run-tap.sh <suite> <program> [args...]   (one program), or
#        tests/run-tap.sh <suite> <program>...           (several, no args)
set -uo pipefail

suite=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
results=$top/build/results
mkdir -p "$results"

run_one() {
	local name out st
	name=$(basename "$1")
	out=$results/$suite-$name.tap
	echo "# $suite: $name"
	if [ ! -x "$1" ]; then
		echo "not ok 1 $name was not built" | tee "$out"
		return 1
	fi
	timeout 600 "$@" 2>&1 | tee "$out"
	st=${PIPESTATUS[0]}
	if [ "$st" -ne 0 ]; then
		echo "# $suite: $name exited with status $st"
		# A crash or a timeout counts as a failure even when the
		# program printed no "not ok" line for it.
		echo "not ok 999 $name exited with status $st" >>"$out"
		return 1
	fi
}

# Arguments after the first that start with '-' belong to that program.
if [ $# -gt 1 ] && [ "${2#-}" != "$2" ]; then
	run_one "$@"
	exit $?
fi
rc=0
for t in "$@"; do
	run_one "$t" || rc=1
done
exit $rc
