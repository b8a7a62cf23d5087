#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: small copies through windows against DMA jobs.
echo "== wse-bench-smallcopy"
wse-bench-smallcopy
