#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: a NOP job's submit-to-result time against a null ioctl, and
# its breakdown from the driver's tracepoints. The guest's clocksource is
# printed beside it: a loaded host can make the guest's TSC watchdog give
# up on the TSC, and then every clock read (the bench's and the driver's)
# traps into QEMU's HPET, which inflates the null ioctl more than the job
# and so flatters the figure: such a run is not comparable.
echo "== wse-bench-latency"
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)
echo "# clocksource $cs"
[ "$cs" = tsc ] || echo "# warning: clocksource $cs, not tsc: clock reads trap into QEMU, the figure is not comparable with tsc runs"
wse-bench-latency
