#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the VM under the debug kernel (make check-debug), after the fuzzer and
# the suites: the ioctl fuzzer once more with the kernel's fault injection
# failing its allocations at random (failslab and fail_page_alloc, for
# its worker threads only), then a kmemleak scan. Output is TAP comments plus one
# "ok"/"not ok" line each; exits non-zero on a failure or a leak.
D=/sys/kernel/debug
rc=0

for f in failslab fail_page_alloc; do
	d=$D/$f
	[ -d "$d" ] || { echo "# $f: not in this kernel"; rc=1; continue; }
	echo Y >"$d/task-filter"
	echo 10 >"$d/probability"
	echo 1 >"$d/interval"
	echo -1 >"$d/times"
	echo 0 >"$d/space"
	echo 0 >"$d/verbose"
	echo N >"$d/ignore-gfp-wait"
	[ -e "$d/ignore-gfp-highmem" ] && echo N >"$d/ignore-gfp-highmem"
done
WSE_FUZZ_CALLS=${WSE_FAILSLAB_CALLS:-20000} WSE_FUZZ_SEED=7 \
	/kselftest/wse_fuzz/ioctl_fuzz -f >/tmp/failslab.log 2>&1
r=$?
for f in failslab fail_page_alloc; do
	[ -d "$D/$f" ] && echo 0 >"$D/$f/probability"
done
sed 's/^/# /' /tmp/failslab.log
if [ $r -eq 0 ]; then echo "ok 1 ioctl fuzzer under failslab"; else echo "not ok 1 ioctl fuzzer under failslab"; rc=1; fi

# Objects freed by RCU or work items need a moment; scan twice.
if [ -e $D/kmemleak ]; then
	echo scan >$D/kmemleak
	sleep 5
	echo scan >$D/kmemleak
	n=$(grep -c '^unreferenced object' $D/kmemleak)
	echo "# kmemleak: $n unreferenced objects"
	if [ "$n" -eq 0 ]; then
		echo "ok 2 kmemleak scan"
	else
		sed 's/^/# /' $D/kmemleak | head -200
		echo "not ok 2 kmemleak scan"
		rc=1
	fi
else
	echo "not ok 2 kmemleak scan: no $D/kmemleak"
	rc=1
fi
exit $rc
