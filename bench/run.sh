#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: run every benchmark (host programs given as arguments,
# then the in-VM benchmarks of bench/vm/*.sh) and repeat their figures at
# the end. A benchmark prints each figure on a line of its own:
#   figure: <name> <value> goal <goal> met|missed
# Benchmarks never fail the build for a missed goal; a benchmark that
# crashes does.
#
# Host benchmarks may leave baselines for the VM's figures in
# $B/results/host-*.txt: they are copied to /usr/share/wse/bench/ in the
# VM. The VM's device has WSE_BENCH_MESH PEs (default 48x48: 108 MiB of
# SRAM, room for the 64 MiB DMA figures). WSE_BENCHES=latency,dma runs
# only those of bench/vm/ in the VM.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/vm/env.sh"
out=$B/results/bench.log
mkdir -p "$B/results"
rm -f "$B"/results/host-*.txt "$B"/vm-extra/usr/share/wse/bench/host-*.txt
: >"$out"
rc=0

for b in "$@"; do
	echo "== $(basename "$b")" | tee -a "$out"
	"$b" 2>&1 | tee -a "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench: $b failed" | tee -a "$out"; rc=1; }
done

if ls "$TOP"/bench/vm/*.sh >/dev/null 2>&1; then
	echo "== in the VM" | tee -a "$out"
	# Baselines the host benchmarks left for the VM's figures.
	mkdir -p "$B/vm-extra/usr/share/wse/bench"
	for f in "$B"/results/host-*.txt; do
		[ -f "$f" ] && cp "$f" "$B/vm-extra/usr/share/wse/bench/"
	done
	"$TOP/tests/vm/mkinitramfs.sh" "$KVER" "$B/vm/initramfs.cpio" || exit 1
	"$TOP/tests/vm/run-vm.sh" --mesh "${WSE_BENCH_MESH:-48x48}" --mode bench \
		${WSE_BENCHES:+--append "WSE_BENCHES=$WSE_BENCHES"} \
		--out "$B/results/bench-vm" --timeout 1800 || rc=1
	tee -a "$out" <"$B/results/bench-vm.tap"
fi

echo "== figures"
grep '^figure: ' "$out"
exit $rc
