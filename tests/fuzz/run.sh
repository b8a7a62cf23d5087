#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a libFuzzer harness of the image toolchain for a while, from a seed
# corpus built out of the examples and the test programs.
# Usage: tests/fuzz/run.sh image|asm SECONDS
set -euo pipefail

what=$1
secs=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
b=$top/build
corpus=$b/fuzz/corpus-$what
mkdir -p "$corpus" "$b/fuzz/crashes-$what"

if [ "$what" = image ]; then
	# Seeds: images assembled from the examples and the test sources.
	for s in "$top"/examples/*/*.wsasm "$top"/tests/programs/*.s; do
		[ -f "$s" ] || continue
		"$b/wse-as" -o "$corpus/$(basename "$s").img" "$s" 2>/dev/null || true
	done
	for d in "M=64 N=64 P=4 Q=4" "M=16 N=16 P=1 Q=1"; do
		args=()
		for kv in $d; do args+=(-D "$kv"); done
		"$b/wse-as" "${args[@]}" -o "$corpus/gemv-${d// /_}.img" \
			"$top/examples/gemv/gemv.wsasm"
	done
else
	cp "$top"/examples/*/*.ws* "$top"/tests/programs/*.s "$corpus"/ 2>/dev/null || true
fi

cd "$corpus"
exec "$b/fuzz/$what-fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 \
	-artifact_prefix="$b/fuzz/crashes-$what/" "$corpus"
