#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: memcpy through an SRAM window against guest RAM.
echo "== wse-bench-window"
wse-bench-window
