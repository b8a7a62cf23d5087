#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: a NOP job's submit-to-result time against a null ioctl, and
# its breakdown from the driver's tracepoints. The guest's clocksource is
# printed beside it: the driver reads the clock a few times per job.
echo "== wse-bench-latency"
echo "# clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null) (available: $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null))"
wse-bench-latency
