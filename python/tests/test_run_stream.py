# SPDX-License-Identifier: GPL-2.0-or-later
"""python3 -m wse.run's resident kernel actions (--resident, --stream-in,
--stream-out, --call, --stop) against wse-run on the simulator, with
examples/stream's kernel: the same output files, dumps, step lines and
modeled cycles, the results checked against NumPy, and the same
refusals and failures word for word."""

import os

import numpy as np
import pytest

from conftest import DATADIR
from test_run import c, py

IMAGE = os.path.join(DATADIR, "stream-4.img")


def both(*args, cwd):
    """Run python3 -m wse.run and wse-run with args (every "OUT" in them
    becoming out-py / out-c); returns both results."""
    p = py(*[a.replace("OUT", "out-py") for a in args], cwd=cwd)
    q = c(*[a.replace("OUT", "out-c") for a in args], cwd=cwd)
    return p, q


def steps(out):
    """The step lines without their host times (cycles kept)."""
    lines = []
    for ln in out.replace("out-c", "out-py").splitlines():
        if ln.startswith("total "):
            continue
        head, sep, tail = ln.partition(" in ")
        if sep and " ms" in tail:
            tail = tail.split(" ms", 1)[1]
        elif ": " in ln and " ms" in ln:
            head, tail = ln.split(": ", 1)[0], ln.split(" ms", 1)[1]
        lines.append(head + tail)
    return lines


@pytest.fixture
def files(tmp_path):
    x = np.arange(32, dtype=np.uint32).reshape(4, 8) * 3 + 1
    np.save(tmp_path / "x.npy", x)
    y = np.array([0, 1, -2, 0x7ffe, 9, -1, 4, 5], dtype=np.int16)
    y.tofile(tmp_path / "y.bin")
    return tmp_path, x, y


def test_streams_and_calls_same_as_wse_run(files):
    d, x, y = files
    p, q = both("-d", "sim:8x8", IMAGE, "--resident", "main:4",
                "--stream-in", "3@west=x.npy", "--stream-out", "4@west=OUT-sums.npy:2",
                "--stream-in", "1:i16@west,1,2=y.bin", "--stream-out", "2@w,1,2=OUT-y.bin",
                "--stream-in", "3:u32@0,2,1=x.npy", "--stream-out", "4@west,2,1=-:4",
                "--call", "add:5", "--call", "add:0xfffffff0", "--stop", cwd=d)
    assert p.returncode == 0, p.stderr
    assert q.returncode == 0, q.stderr
    # The sums of every 4 elements of each row, row after row.
    sums = np.load(d / "out-py-sums.npy")
    assert sums.dtype == np.uint32 and sums.shape == (4, 1, 2)
    assert (sums.ravel() == x.reshape(4, 2, 4).sum(axis=2).ravel()).all()
    assert (sums == np.load(d / "out-c-sums.npy")).all()
    # 16-bit elements plus one, into rows 1..2, raw.
    got = np.fromfile(d / "out-py-y.bin", dtype=np.int16)
    assert (got == y + 1).all()
    assert got.tobytes() == (d / "out-c-y.bin").read_bytes()
    # All of x into row 2: 32 elements, 8 sums of 4.
    dump = [ln for ln in p.stdout.splitlines() if ln.startswith("stream 4 PE")]
    assert dump == ["stream 4 PE (0,2): %s" % " ".join(
        str(v) for v in x.ravel().reshape(8, 4).sum(axis=1)[:4])]
    assert "call add(0x5) = 5 (0x5): " in p.stdout
    assert "call add(0xfffffff0) = -11 (0xfffffff5): " in p.stdout
    assert steps(p.stdout) == steps(q.stdout)
    assert len(steps(p.stdout)) == 12
    assert "stream-in 3@west,0,4 <- x.npy: 4 rows x 8 u32, 61 cycles" in steps(p.stdout)


def test_left_resident_is_stopped(files):
    d, _, _ = files
    p, q = both("-d", "sim:8x8", IMAGE, "--resident", "main:2",
                "--stream-in", "3@west,0,2=x.npy", "--stream-out", "4@west,0,2=OUT.npy:8", cwd=d)
    assert p.returncode == 0 and q.returncode == 0, (p.stderr, q.stderr)
    assert steps(p.stdout) == steps(q.stdout)
    assert steps(p.stdout)[-1] == "stop"
    assert (np.load(d / "out-py.npy") == np.load(d / "out-c.npy")).all()
    # A --launch ends the kernel: nothing is left to stop.
    p, q = both("-d", "sim:8x8", IMAGE, "-q", "--resident", "main:2", "--launch", "main:2",
                cwd=d)
    assert p.returncode == 0 and p.stdout == "" and q.stdout == ""


def test_refusals_same_as_wse_run(files):
    d, _, _ = files
    (d / "odd.bin").write_bytes(b"\0" * 6)
    np.save(d / "f.npy", np.zeros(4, dtype=np.float32))
    res = ["--resident", "main:4"]
    for args, says in [
        (["--call", "add:1"], "no resident kernel to call"),
        (["--stop"], "no resident kernel to stop"),
        (["--stream-in", "3@west=x.npy"], "no resident kernel to stream to or from"),
        (res + ["--stop", "--stream-out", "4@west=o.npy:1"], "no resident kernel"),
        (res + ["--launch", "main:1", "--call", "add:1"], "no resident kernel"),
        (res + ["--stream-in", "24@west=x.npy"], "colors are 0..23"),
        (res + ["--stream-in", "x@west=x.npy"], "expected COLOR[:TYPE]@west[,Y,H]=FILE"),
        (res + ["--stream-in", "3west=x.npy"], "'@' and the edge"),
        (res + ["--stream-in", "3@east=x.npy"], "edge 'east': only the west edge"),
        (res + ["--stream-in", "3@west,1=x.npy"], "expected west,Y,H"),
        (res + ["--stream-in", "3@west,1,0=x.npy"], "expected west,Y,H"),
        (res + ["--stream-in", "3:f64@west=x.npy"], "type 'f64' is not"),
        (res + ["--stream-in", "3@west="], "no file after '='"),
        (res + ["--stream-in", "3@west=-"], "reads files, not standard input"),
        (res + ["--stream-in", "3@west=nope.bin"], "cannot read 'nope.bin'"),
        (res + ["--stream-in", "3@west,3,2=x.npy"], "rows 3..4 are not all in the image's 4 rows"),
        (res + ["--stream-in", "3@west,0,3=x.npy"], "not a multiple of the 3 rows"),
        (res + ["--stream-in", "3:i32@west=x.npy"], "x.npy holds <u4, not i32"),
        (res + ["--stream-in", "3@west=odd.bin"], "6 bytes, not a whole number of 4-byte"),
        (res + ["--stream-out", "4@west=o.npy"], "how many elements per row?"),
        (res + ["--stream-out", "4@west=o.npy:0"], "must be above 0"),
    ]:
        p, q = both("-d", "sim:8x8", IMAGE, *args, cwd=d)
        assert p.returncode == 1 and says in p.stderr, (args, p.stderr)
        assert q.returncode == 1 and says in q.stderr, (args, q.stderr)
        assert p.stderr.replace("wse.run: ", "") == q.stderr.replace("wse-run: ", ""), args
        assert p.stdout == "", args
    p = py("-d", "sim:8x8", IMAGE, "--resident", "nope", cwd=d)
    assert p.returncode == 1 and "exports no function 'nope'" in p.stderr


def test_timeout_and_fault_same_as_wse_run(files):
    """A stream-out nothing was sent for times out (immediately: the
    kernel is quiet); a wavelet on color 5 makes the kernel fault,
    reported with its PE and pc; the same sentences as wse-run's."""
    d, _, _ = files
    for args, says in [
        (["--stream-out", "2@west=OUT.npy:1"], "--stream-out 2@west=out-py.npy:1: "),
        (["--stream-in", "5@west,1,1=x.npy"], "PE (0,1) pc 0x"),
    ]:
        p, q = both("-d", "sim:8x8", "-q", IMAGE, "--resident", "main:4", *args, "--call",
                    "add:1", cwd=d)
        assert p.returncode == 1 and says in p.stderr, p.stderr
        assert p.stderr.replace("wse.run: ", "").replace("out-py", "out-c") == \
            q.stderr.replace("wse-run: ", ""), (p.stderr, q.stderr)
        assert not (d / "out-py.npy").exists()
