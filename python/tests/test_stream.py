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


def test_memcpy_streaming():
    """SdkRuntime's memcpy_h2d/d2h(..., streaming=True): to and from a
    color, row- and column-major, 32- and 16-bit, blocking and not."""
    with wse.Runtime(IMAGE, device="sim:8x8") as rt:
        rt.launch_resident("main", 4)
        x = (np.arange(4 * 3, dtype=np.uint32) * 1000 + 7).reshape(4, 1, 3)
        rt.memcpy_h2d(1, x, 0, 0, 1, 4, 3, streaming=True)
        assert (rt.memcpy_d2h(None, 2, 0, 0, 1, 4, 3, streaming=True) == x + 1).all()
        # Column-major both ways: shape (elem_per_pe, w, h).
        xc = np.ascontiguousarray(x.transpose(2, 1, 0))
        rt.memcpy_h2d(1, xc, 0, 0, 1, 4, 3, streaming=True, order=wse.COL_MAJOR)
        t = rt.memcpy_d2h(None, 2, 0, 0, 1, 4, 3, streaming=True, order=wse.COL_MAJOR,
                          nonblock=True)
        t.wait()
        assert t.array.shape == (3, 1, 4) and (t.array == xc + 1).all()
        # 16-bit into rows 1..2, into a given array.
        y = np.array([[[0xfffe, 5]], [[9, 0x7fff]]], dtype=np.uint16)
        rt.memcpy_h2d(1, y, 0, 1, 1, 2, 2, streaming=True)
        out = np.zeros((2, 1, 2), dtype=np.int16)
        rt.memcpy_d2h(out, 2, 0, 1, 1, 2, 2, streaming=True, data_type=wse.MEMCPY_16BIT)
        assert (out.view(np.uint16) == (y + 1).astype(np.uint16)).all()
        with pytest.raises(wse.Error) as e:
            rt.memcpy_h2d(1, x, 1, 0, 1, 4, 3, streaming=True)
        assert e.value.errno == errno.EINVAL
        with pytest.raises(ValueError):
            rt.memcpy_h2d(1, x, 0, 0, 1, 4, 2, streaming=True)
        with pytest.raises(NotImplementedError):
            rt.memcpy_h2d_rowbcast(1, x, 0, 0, 1, 4, 3, streaming=True)
        rt.stop_resident()


def test_nonblocking_jobs():
    """nonblock=True: each job is a Task with its modeled cycles, a
    receive's array and a call's return value once it has finished; the
    same results and cycles as the blocking calls."""
    x = np.arange(16, dtype=np.uint32).reshape(4, 4) + 10
    with wse.Runtime(IMAGE, device="sim:8x8") as rt:
        t = rt.launch_resident("main", 2, nonblock=True)
        assert t.wait() is None and t.cycles == 5
        t = rt.send(3, x, nonblock=True)
        t.wait()
        sent = t.cycles
        assert sent > 0
        t = rt.receive(4, 2, 0, 4, nonblock=True)
        assert (t.wait() == x.reshape(4, 2, 2).sum(axis=2)).all()
        t = rt.call("add", 7, nonblock=True)
        assert t.wait()[0] == 7 and t.cycles == 3
        t = rt.receive(4, 1, nonblock=True)
        with pytest.raises(wse.Error) as e:
            t.wait()
        assert e.value.errno == errno.ETIMEDOUT
        rt.stop_resident(nonblock=True).wait()
        with pytest.raises(wse.Error):
            rt.call("add", 1)
    with wse.Runtime(IMAGE, device="sim:8x8") as rt:
        rt.launch_resident("main", 2)
        assert rt.send(3, x) is None
        assert (rt.receive(4, 2, 0, 4) == x.reshape(4, 2, 2).sum(axis=2)).all()
        assert rt.send(3, x, nonblock=True).wait() is not None
        t = rt.send(3, x, nonblock=True)
        t.wait()
        assert t.cycles == sent


def test_send_receive():
    """send_receive(): a send and its receive in one job, the receive
    posted with the send: the results and modeled cycles of send() then
    receive(), 32- and 16-bit, blocking and not; a short one times out."""
    x = np.arange(32, dtype=np.uint32).reshape(4, 8) * 3 + 1
    sums = x.reshape(4, 2, 4).sum(axis=2)
    with wse.Runtime(IMAGE, device="sim:8x8") as rt:
        rt.launch_resident("main", 4)
        t = rt.send(3, x, nonblock=True)
        t.wait()
        r = rt.receive(4, 2, 0, 4, nonblock=True)
        assert (r.wait() == sums).all()
        apart = t.cycles + r.cycles
        got = rt.send_receive(3, x, 4, 2)
        assert got.shape == (4, 2) and (got == sums).all()
        t = rt.send_receive(3, x, 4, 2, nonblock=True)
        assert (t.wait() == sums).all() and t.array.dtype == np.uint32
        assert t.cycles == apart
        # 16-bit, into rows 1..2 and out of them.
        y = np.array([[0xfffe, 5], [9, 0x7fff]], dtype=np.uint16)
        out = rt.send_receive(1, y, 2, 2, y=1, dtype=np.uint16)
        assert (out == (y + 1).astype(np.uint16)).all()
        # One sum a row comes back, not two: the receive times out.
        with pytest.raises(wse.Error) as e:
            rt.send_receive(3, x[:, :4], 4, 2)
        assert e.value.errno == errno.ETIMEDOUT
        with pytest.raises(ValueError):
            rt.send_receive(3, x, 4, 2, h=3)
        rt.stop_resident()
