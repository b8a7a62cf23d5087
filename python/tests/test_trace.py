# SPDX-License-Identifier: GPL-2.0-or-later
"""Launch traces and counters from Python, on the simulator: the kernel
of tests/host/trace-kernel.wsasm, whose counters are known."""

import errno
import json
import os

import pytest

import wse

from conftest import TOP

N = 80


@pytest.fixture(scope="module")
def image(assemble):
    return assemble(os.path.join(TOP, "tests", "host", "trace-kernel.wsasm"))


def test_counters_and_events(image, tmp_path):
    with wse.Runtime(image, device="sim:4x4") as rt:
        rt.load()
        rt.trace_next_launch(sample_every=10)
        rt.launch("run")
        c = rt.read_counters()
        assert c["wavelets_out"].shape == (3, 2)
        assert (c["wavelets_out"][:, 0] == N).all() and (c["wavelets_out"][:, 1] == 0).all()
        assert (c["wavelets_in"][:, 1] == N).all() and (c["wavelets_in"][:, 0] == 0).all()
        assert (c["instructions"][:, 0] == 3 + 3 * N).all()
        assert (c["instructions"][:, 1] == 6 + 8 * N).all()
        assert (c["busy"] + c["stall_send"] + c["stall_recv"] + c["idle"] == c["cycles"]).all()
        ev, dropped = rt.read_trace(1, 2)
        assert dropped == 0
        assert ev[0]["kind"] == "task_start" and ev[0]["task"] == 255
        assert [e["cycle"] for e in ev] == sorted(e["cycle"] for e in ev)
        assert sum(e["arg"] for e in ev if e["kind"] == "recv") == N
        assert all(e["color"] == 1 for e in ev if e["kind"] == "recv")
        path = tmp_path / "t.json"
        rt.write_trace(str(path))
        doc = json.loads(path.read_text())
        assert doc["otherData"]["width"] == 2 and doc["otherData"]["height"] == 3
        # A launch not asked for is not traced: the records stay the last one's.
        rt.launch("run")
        assert (rt.read_counters()["wavelets_out"] == c["wavelets_out"]).all()


def test_no_trace_yet(image):
    with wse.Runtime(image, device="sim:4x4") as rt:
        rt.load()
        with pytest.raises(wse.Error) as e:
            rt.read_counters()
        assert e.value.errno == errno.ENODATA
