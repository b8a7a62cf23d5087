# SPDX-License-Identifier: GPL-2.0-or-later
"""Resident kernels and streams from Python (Documentation/wse/streaming.rst):
examples/stream's kernel on the simulator sums streamed vectors, adds one
to 16-bit data, answers RPC calls, and times out a receive nothing is
sent for."""
import errno
import os

import numpy as np
import pytest

import wse
from conftest import DATADIR

IMAGE = os.path.join(DATADIR, "stream-4.img")


def test_sum_add_one_and_call():
    with wse.Runtime(IMAGE, device="sim:8x8") as rt:
        rt.launch_resident("main", 4)
        x = np.arange(32, dtype=np.uint32).reshape(4, 8)
        rt.send(3, x)
        assert (rt.receive(4, 2, 0, 4).ravel() ==
                x.reshape(4, 2, 4).sum(axis=2).ravel()).all()
        rt.send(1, np.arange(8, dtype=np.int16).reshape(4, 2))
        assert (rt.receive(2, 2, 0, 4, np.int16).ravel() == np.arange(1, 9)).all()
        assert [rt.call("add", 5) for _ in range(3)] == [5, 10, 15]
        with pytest.raises(wse.Error) as e:
            rt.receive(2, 1)
        assert e.value.errno == errno.ETIMEDOUT
        rt.stop_resident()
