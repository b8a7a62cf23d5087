# SPDX-License-Identifier: GPL-2.0-or-later
"""python3 -m wse.run against wse-run: the same output files, dumps and
listing, and the same refusals, on the simulator."""

import os
import subprocess
import sys

import numpy as np
import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("WSE_BUILD", os.path.join(TOP, "build"))


def run(args, cwd):
    env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"))
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def py(*args, cwd):
    return run([sys.executable, "-m", "wse.run"] + list(args), cwd)


def c(*args, cwd):
    return run([os.path.join(BUILD, "wse-run")] + list(args), cwd)


@pytest.fixture
def gemv_files(tmp_path):
    M = N = 256
    P = Q = 8
    MT, NT = M // P, N // Q
    rng = np.random.default_rng(11)
    A = rng.random((M, N)).astype(np.float32)
    x = rng.random(N).astype(np.float32)
    tiles = A.reshape(P, MT, Q, NT).transpose(0, 2, 3, 1).reshape(P, Q, MT * NT)
    np.save(tmp_path / "a.npy", np.ascontiguousarray(tiles))
    np.save(tmp_path / "x.npy", x.reshape(1, Q, NT))
    return tmp_path, A.astype(np.float64) @ x


def gemv_args(image, out):
    return ["-d", "sim:8x8", image, "--h2d", "A=a.npy", "--h2d", "x@0,0,8,1=x.npy",
            "--launch", "compute", "--d2h", "y@7,0,1,8=%s" % out, "--d2h", "y@7,1,1,1,2=-"]


def test_gemv_same_as_wse_run(gemv_files, gemv_image):
    d, ref = gemv_files
    p = py(*gemv_args(gemv_image, "y.npy"), cwd=d)
    assert p.returncode == 0, p.stderr
    q = c(*gemv_args(gemv_image, "y_c.npy"), cwd=d)
    assert q.returncode == 0, q.stderr
    y, yc = np.load(d / "y.npy"), np.load(d / "y_c.npy")
    assert y.shape == (8, 1, 32) and (y == yc).all()
    assert np.abs(y.ravel() - ref).max() <= 1e-5 * np.abs(ref).max()
    dump = [ln for ln in p.stdout.splitlines() if ln.startswith("y PE (7,1):")]
    assert dump and dump == [ln for ln in q.stdout.splitlines() if ln.startswith("y PE")]
    assert "launch compute(): " in p.stdout and "1398 cycles" in p.stdout
    # Every step line of wse-run, but for the times.
    def steps(out):
        return [ln.split(" in ")[0].split(": ")[0].replace("y_c.npy", "y.npy")
                for ln in out.splitlines() if not ln.startswith("total ")]
    strip, strip_c = steps(p.stdout), steps(q.stdout)
    assert len(strip) == 7
    assert strip == strip_c


def test_list_same_as_wse_run(gemv_image, tmp_path):
    p = py("-d", "sim:8x8", "-l", gemv_image, cwd=tmp_path)
    q = c("-l", gemv_image, cwd=tmp_path)
    assert p.returncode == 0 and p.stdout == q.stdout


def test_refusals(gemv_files, gemv_image):
    d, _ = gemv_files
    a = np.load(d / "a.npy")
    np.save(d / "f.npy", np.asfortranarray(a))
    np.save(d / "i.npy", a.astype(np.int32))
    for args, says in [
        (["--h2d", "A=f.npy"], "fortran_order is True"),
        (["--h2d", "A=i.npy"], "A holds f32 elements, i.npy holds <i4"),
        (["--h2d", "B=a.npy"], "is not an array of the image (arrays: A x y)"),
        (["--h2d", "x@0,0,8,1=a.npy"], "has shape (8, 8, 1024)"),
        (["--launch", "nope"], "exports no function 'nope'"),
        (["--launch", "compute:zz"], "neither an integer nor a float"),
        (["--d2h", "y@7,0,2,1=-"], "leaves the program's 8x8 PEs"),
    ]:
        p = py("-d", "sim:8x8", gemv_image, *args, cwd=d)
        assert p.returncode == 1 and says in p.stderr, (args, p.stderr)
    p = py("-d", "sim:8", gemv_image, cwd=d)
    assert p.returncode == 1 and "cannot open the device sim:8" in p.stderr
    p = py(cwd=d)
    assert p.returncode == 2
