#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# wse-run --trace and --profile on the simulator, end to end: the kernel
# of tests/host/trace-kernel.wsasm at 1, 2 and 4 threads gives the same
# bytes of JSON, CSV and PNG; trace-check.py parses them (python3 json,
# python3-pil) and checks what the kernel must produce. Prints TAP.
# Usage: trace.sh TOP BUILD PYTHON (Debian's, with python3-pil)
top=$1
b=$2
py=${3:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
echo "1..62"
n=1
check() {
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
	n=$((n + 1))
}
"$b/wse-as" "$top/tests/host/trace-kernel.wsasm" -o "$tmp/k.img" 2>"$tmp/err"
check $? "the kernel assembles"
for t in 1 2 4; do
	LD_LIBRARY_PATH=$b "$b/wse-run" -q -d "sim:4x4,threads=$t" "$tmp/k.img" \
		--launch run --trace "$tmp/t$t.json" --trace-sample 10 \
		--profile "$tmp/p$t" >"$tmp/out$t" 2>&1
	st=$?
	[ $st = 0 ] || sed 's/^/# /' "$tmp/out$t"
	check $st "wse-run --trace --profile at $t threads"
done
same=0
for f in t%s.json p%s.csv p%s-busy.png p%s-stall_send.png p%s-stall_recv.png \
	p%s-idle.png p%s-wavelets_in.png p%s-wavelets_out.png p%s-sram_bytes.png \
	p%s-instructions.png p%s-tasks.png; do
	for t in 2 4; do
		# shellcheck disable=SC2059
		a=$(printf "$f" 1) o=$(printf "$f" $t)
		cmp -s "$tmp/$a" "$tmp/$o" || { echo "# $a and $o differ"; same=1; }
	done
done
check $same "the same JSON, CSV and PNG bytes at 1, 2 and 4 threads"
"$py" "$top/tests/host/trace-check.py" "$tmp/t1.json" "$tmp/p1.csv" "$tmp/p1" $n
n=$((n + 56))
# Asking for a trace without a launch, and on nothing that can trace.
LD_LIBRARY_PATH=$b "$b/wse-run" -q -d sim:4x4 "$tmp/k.img" --trace "$tmp/x.json" >"$tmp/o" 2>&1
grep -q "give --launch" "$tmp/o"
check $? "--trace without --launch is refused before the device opens"
