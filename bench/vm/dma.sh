#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the VM: 64 MiB each way by DMA against the host's memcpy, measured
# by bench/host-memcpy before the VM started (bench/run.sh passes it in).
echo "== wse-bench-dma"
wse-bench-dma /usr/share/wse/bench/host-memcpy.txt
