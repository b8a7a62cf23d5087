#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Count test results over every TAP file in a directory and print the
# final "N passed, N failed" line. A skipped test is not a pass: skips are
# listed and counted as failures. Exits non-zero unless all passed.
# Usage: tests/summary.sh <results-dir>
set -uo pipefail

dir=$1
shopt -s nullglob
files=("$dir"/*.tap)
if [ ${#files[@]} -eq 0 ]; then
	echo "no test results in $dir"
	echo "0 passed, 1 failed"
	exit 1
fi
# Test-case lines, nested or not ("# ok 3 fixture.name"); the runner's own
# per-program lines ("ok 1 selftests: wse: name") are not test cases.
awk '
	{ sub(/^(# )+/, "") }
	/^(not )?ok [0-9]+ / && !/ selftests: / {
		if ($0 ~ /# SKIP/) { skip++; skipped[skip] = FILENAME ": " $0 }
		else if ($1 == "ok") pass++
		else { fail++; failed[fail] = FILENAME ": " $0 }
	}
	END {
		for (i = 1; i <= fail; i++) print "FAILED: " failed[i]
		for (i = 1; i <= skip; i++) print "SKIPPED (counted as failed): " skipped[i]
		printf "%d passed, %d failed\n", pass, fail + skip
		exit (fail + skip) ? 1 : (pass ? 0 : 1)
	}' "${files[@]}"
