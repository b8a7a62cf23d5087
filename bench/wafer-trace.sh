#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The cost of launch tracing (bench/wafer-trace.c): the same kernel with
# the core's tracing compiled in but off, against the same core built
# with WAFER_NO_TRACE (the hooks compiled out), in turns, 7 rounds of 8
# launches each, best process CPU time of all (the machine may be
# shared: wall time would measure the neighbours). Tracing on is
# informational.
# Usage: wafer-trace.sh BUILD
b=$1
off_base=9 off=9 on=9
for r in 1 2 3 4 5 6 7; do
	t=$("$b/bench/wafer-trace-notrace" off 8) || exit 1
	off_base=$(echo "$t $off_base" | awk '{ print ($1 < $2) ? $1 : $2 }')
	t=$("$b/bench/wafer-trace" off 8) || exit 1
	off=$(echo "$t $off" | awk '{ print ($1 < $2) ? $1 : $2 }')
	t=$("$b/bench/wafer-trace" on 8) || exit 1
	on=$(echo "$t $on" | awk '{ print ($1 < $2) ? $1 : $2 }')
done
echo "# a launch: ${off_base} s hooks compiled out, ${off} s compiled in and off, ${on} s on"
echo "$off $off_base" | awk '{ r = $1 / $2; printf "figure: wafer-trace-off-overhead %.4g goal <=1.02 %s\n", r, r <= 1.02 ? "met" : "missed" }'
echo "$on $off" | awk '{ r = $1 / $2; printf "figure: wafer-trace-on-overhead %.4g goal <=10 %s\n", r, r <= 10 ? "met" : "missed" }'
