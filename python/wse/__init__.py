# SPDX-License-Identifier: GPL-2.0-or-later
"""wse: run kernels on a wafer-scale engine from Python, the SdkRuntime way.

    import numpy as np, wse
    with wse.Runtime("gemv-256x256-8x8.img", device="sim:8x8") as rt:
        rt.memcpy_h2d("A", a_tiles, 0, 0, 8, 8, 1024)
        rt.memcpy_h2d("x", x.reshape(1, 8, 32), 0, 0, 8, 1, 32)
        rt.launch("compute")
        y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32)

A thin layer over libwse (ctypes): the same devices (the driver's
/dev/accel/accelN, the in-process simulator "sim:WxH", whatever
$WSE_DEVICE names), the same errors and modeled cycles.
python3 -m wse.run is wse-run. Documentation/wse/python.rst.
"""

from .runtime import (COL_MAJOR, MEMCPY_16BIT, MEMCPY_32BIT, ROW_MAJOR, Error,
                      KernelFault, Runtime, Symbol, Task)
from . import _libwse


def device_count():
    """Devices wse.Runtime(device=N) can open: the driver's, or $WSE_DEVICE's."""
    n = _libwse.device_count()
    if n < 0:
        raise Error(n, _libwse.last_error(None).decode())
    return n


__all__ = ["Runtime", "Task", "Symbol", "Error", "KernelFault", "ROW_MAJOR",
           "COL_MAJOR", "MEMCPY_16BIT", "MEMCPY_32BIT", "device_count"]
