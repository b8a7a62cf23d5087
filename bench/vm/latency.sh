#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: a NOP job's submit-to-wait time against a null ioctl, and
# its breakdown from the driver's tracepoints.
echo "== wse-bench-latency"
wse-bench-latency
