#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: run every benchmark (host programs given as arguments,
# then the in-VM benchmarks of bench/vm/*.sh) and repeat their figures at
# the end. A benchmark prints each figure on a line of its own:
#   figure: <name> <value> goal <goal> met|missed
# Benchmarks never fail the build for a missed goal; a benchmark that
# crashes does.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/vm/env.sh"
out=$B/results/bench.log
mkdir -p "$B/results"
: >"$out"
rc=0

for b in "$@"; do
	echo "== $(basename "$b")" | tee -a "$out"
	"$b" 2>&1 | tee -a "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench: $b failed" | tee -a "$out"; rc=1; }
done

if ls "$TOP"/bench/vm/*.sh >/dev/null 2>&1; then
	echo "== in the VM" | tee -a "$out"
	"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1
	"$TOP/tests/vm/run-vm.sh" --mesh "${WSE_BENCH_MESH:-32x32}" --mode bench \
		--out "$B/results/bench-vm" --timeout 1800 || rc=1
	tee -a "$out" <"$B/results/bench-vm.tap"
fi

echo "== figures"
grep '^figure: ' "$out"
exit $rc
