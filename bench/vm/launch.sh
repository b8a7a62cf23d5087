#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: a null launch on the simulator against the device.
echo "== wse-bench-launch"
wse-bench-launch
