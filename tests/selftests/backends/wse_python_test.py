#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The wse Python package against the real driver, in the VM.

python/tests runs the package on the simulator on the host; this runs it
on the driver's device 0 and on the simulator of its geometry in the
same process, and checks that both give the same arrays, bit for bit,
the same modeled cycles and the same fault sentence. Prints TAP.
"""

import os
import subprocess
import sys
import tempfile
import traceback

import numpy as np

import wse

DATADIR = os.environ.get("WSE_DATADIR", "/usr/share/wse")
# The device under test, as for backends_test: the driver's device 0.
DEVICE = os.environ.get("WSE_BACKENDS_A", "drm:0")
FAULT_SRC = """
.rect all, 0, 0, 2, 2
.code all
.func poke
	csr	r3, x
	csr	r4, y
	bne	r3, r1, .Ldone
	bne	r4, r2, .Ldone
	csr	r5, sram
	ld	r6, [r5]
.Ldone:
	halt
"""

tests = []


def test(fn):
    tests.append(fn)
    return fn


def twin():
    with wse.Runtime(os.path.join(DATADIR, "gemv-256x256-8x8.img"), device=DEVICE) as rt:
        i = rt.info
    return "sim:%dx%d,sram=%d" % (i["mesh_width"], i["mesh_height"], i["sram_bytes"] // 1024)


def gemv(device):
    rng = np.random.default_rng(5)
    A = rng.random((256, 256), dtype=np.float32)
    x = rng.random(256, dtype=np.float32)
    with wse.Runtime(os.path.join(DATADIR, "gemv-256x256-8x8.img"), device=device) as rt:
        rt.memcpy_h2d("A", A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1), 0, 0, 8, 8, 1024)
        rt.memcpy_h2d("x", x, 0, 0, 8, 1, 32)
        cycles = rt.launch("compute").cycles
        y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32).ravel()
        node = rt.info["node"]
    return A, x, y, cycles, node


@test
def gemv_on_the_driver_and_the_simulator():
    A, x, y, c, node = gemv(DEVICE)
    assert node.startswith("/dev/accel/") or DEVICE != "drm:0", node
    ref = A.astype(np.float64) @ x
    assert np.abs(y - ref).max() <= 1e-5 * np.abs(ref).max()
    _, _, ys, cs, _ = gemv(twin())
    assert c == cs and c > 0, (c, cs)
    assert y.tobytes() == ys.tobytes()


@test
def fault_sentence_on_both():
    with tempfile.TemporaryDirectory() as d:
        src, img = os.path.join(d, "poke.wsasm"), os.path.join(d, "poke.img")
        with open(src, "w") as f:
            f.write(FAULT_SRC)
        subprocess.run(["wse-as", "-o", img, src], check=True)
        said = []
        for device in (DEVICE, twin()):
            with wse.Runtime(img, device=device) as rt:
                try:
                    rt.launch("poke", 1, 0)
                    raise AssertionError("no fault on %s" % device)
                except wse.KernelFault as e:
                    said.append(str(e))
                task = rt.launch("poke", 9, 9)
                said.append(task.cycles)
    assert said[0].startswith("PE (1,0) pc 0x") and said[0].endswith(
        ": SRAM access out of range"), said
    assert said[0] == said[2] and said[1] == said[3], said


@test
def typed_arrays_and_errors_on_the_driver():
    with wse.Runtime(os.path.join(DATADIR, "gemv-256x256-8x8.img"), device=DEVICE) as rt:
        a = rt.get_id("A")
        assert a.type == "f32" and a.dtype == np.float32 and a.elems == 1024
        try:
            rt.memcpy_h2d("A", np.zeros((8, 8, 1024)), 0, 0, 8, 8, 1024)
            raise AssertionError("float64 accepted")
        except TypeError:
            pass
        try:
            rt.memcpy_h2d("A", np.zeros(16, dtype=np.float32), 7, 7, 2, 2, 4)
            raise AssertionError("off the region accepted")
        except wse.Error as e:
            assert "leave the 8x8 region" in str(e), str(e)


def main():
    print("TAP version 13")
    print("1..%d" % len(tests))
    failed = 0
    for i, fn in enumerate(tests, 1):
        try:
            fn()
            print("ok %d %s" % (i, fn.__name__))
        except Exception:
            failed += 1
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print("not ok %d %s" % (i, fn.__name__))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
