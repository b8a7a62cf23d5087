# SPDX-License-Identifier: GPL-2.0-or-later
"""wse.Runtime on the simulator: copies in every order and broadcast with
NumPy arrays of the symbols' types, typed launches, tasks, faults and
their sentences, time limits, and the examples against NumPy references."""

import errno
import os
import re

import numpy as np
import pytest

import wse

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
W = H = 4
N32, N16 = 64, 64


def fault_pc():
    with open(os.path.join(TOP, "tests", "selftests", "wse", "wse_kernels.h")) as f:
        return int(re.search(r"WSE_TEST_FAULT_PC\s+(0x[0-9a-f]+)", f.read()).group(1), 16)


@pytest.fixture
def rt(test_image):
    with wse.Runtime(test_image, device="sim:8x8") as r:
        yield r


def test_readme_gemv_session(gemv_image):
    """The README's five lines: y = A x on 8 x 8 simulated PEs."""
    M = N = 256
    rng = np.random.default_rng(7)
    A = rng.standard_normal((M, N)).astype(np.float32)
    x = rng.standard_normal(N).astype(np.float32)
    tiles = A.reshape(8, 32, 8, 32).transpose(0, 2, 3, 1)   # each PE's tile, by column
    with wse.Runtime(gemv_image, device="sim:8x8") as rt:
        rt.memcpy_h2d("A", tiles, 0, 0, 8, 8, 1024)
        rt.memcpy_h2d("x", x, 0, 0, 8, 1, 32)
        cycles = rt.launch("compute").cycles
        y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32)
    ref = A.astype(np.float64) @ x
    assert y.shape == (8, 1, 32) and y.dtype == np.float32
    assert np.abs(y.ravel() - ref).max() <= 1e-5 * np.abs(ref).max()
    assert cycles == 1398


def test_stencil_against_numpy(stencil_image):
    """Ten Jacobi sweeps of the stencil example, against NumPy."""
    rows = cols = 128
    p = q = 8
    th, tw = rows // p, cols // q
    rng = np.random.default_rng(3)
    grid = np.zeros((rows + 2, cols + 2), dtype=np.float32)
    grid[1:-1, 1:-1] = rng.random((rows, cols), dtype=np.float32)
    grid[0, :] = 1
    tiles = np.empty((p, q, th + 2, tw + 2), dtype=np.float32)
    for py in range(p):
        for px in range(q):
            tiles[py, px] = grid[py * th:py * th + th + 2, px * tw:px * tw + tw + 2]
    with wse.Runtime(stencil_image, device="sim:8x8") as rt:
        rt.memcpy_h2d("u", tiles, 0, 0, q, p, (th + 2) * (tw + 2))
        rt.launch("compute", 10)
        out = rt.memcpy_d2h(None, "u", 0, 0, q, p, (th + 2) * (tw + 2))
    out = out.reshape(p, q, th + 2, tw + 2)
    ref = grid.astype(np.float64)
    for _ in range(10):
        nxt = ref.copy()
        nxt[1:-1, 1:-1] = 0.25 * (ref[:-2, 1:-1] + ref[2:, 1:-1] + ref[1:-1, :-2] + ref[1:-1, 2:])
        ref = nxt
    got = np.empty_like(ref)
    for py in range(p):
        for px in range(q):
            got[1 + py * th:1 + (py + 1) * th, 1 + px * tw:1 + (px + 1) * tw] = \
                out[py, px, 1:-1, 1:-1]
    inner = (slice(1, -1), slice(1, -1))
    assert np.abs(got[inner] - ref[inner]).max() <= 1e-5


def test_symbols_carry_types(rt):
    a32, a16, scale = rt.get_id("a32"), rt.get_id("a16"), rt.get_id("scale")
    assert (a32.kind, a32.type, a32.dtype, a32.elems) == ("array", "i32", np.int32, N32)
    assert (a16.type, a16.dtype) == ("i16", np.int16)
    assert scale.kind == "function" and scale.type is None
    names = [s.name for s in rt.symbols()]
    assert names[:5] == ["scale", "widen", "whoami", "fault", "spin"]
    assert set(names[5:]) == {"a32", "b32", "a16", "id"}
    assert rt.region == (0, 0, W, H)
    with pytest.raises(wse.Error) as e:
        rt.get_id("nope")
    assert e.value.errno == errno.ENOENT and "nope" in str(e.value)


@pytest.mark.parametrize("order", [wse.ROW_MAJOR, wse.COL_MAJOR])
def test_copy_launch_copy(rt, order):
    rng = np.random.default_rng(order)
    shape = (H, W, N32) if order == wse.ROW_MAJOR else (N32, W, H)
    a = rng.integers(0, 1000, size=shape, dtype=np.int32)
    rt.memcpy_h2d("a32", a, 0, 0, W, H, N32, order=order)
    task = rt.launch("scale", 9)
    assert task.done() and task.cycles > 0
    b = rt.memcpy_d2h(None, "b32", 0, 0, W, H, N32, order=order)
    assert b.shape == shape and b.dtype == np.int32
    assert (b == a * 9).all()


def test_orders_agree(rt):
    """Column-major in, row-major out: the same elements, transposed."""
    a = np.arange(N16 * W * H, dtype=np.int16).reshape(N16, W, H)
    rt.memcpy_h2d("a16", a, 0, 0, W, H, N16, order=wse.COL_MAJOR)
    b = rt.memcpy_d2h(None, "a16", 0, 0, W, H, N16)
    assert (b == a.transpose(2, 1, 0)).all()


def test_broadcasts(rt):
    rows = np.arange(H * N32, dtype=np.int32).reshape(H, N32) + 100
    rt.memcpy_h2d_rowbcast("a32", rows, 0, 0, W, H, N32)
    got = rt.read_symbol("a32")
    assert got.shape == (H, W, N32)
    assert (got == rows[:, None, :]).all()
    cols = np.arange(W * N32, dtype=np.int32).reshape(W, N32) + 7
    rt.memcpy_h2d_colbcast("a32", cols, 0, 0, W, H, N32)
    assert (rt.read_symbol("a32") == cols[None, :, :]).all()


def test_part_of_the_region_into_a_given_array(rt):
    a = np.full((1, 2, 8), -5, dtype=np.int32)
    rt.memcpy_h2d("a32", a, 1, 2, 2, 1, 8)
    out = np.zeros((1, 2, 8), dtype=np.int32)
    assert rt.memcpy_d2h(out, "a32", 1, 2, 2, 1, 8) is out
    assert (out == -5).all()
    assert (rt.read_symbol("a32")[0] == 0).all()


def test_host_arrays_checked(rt):
    with pytest.raises(TypeError, match="holds i32 elements"):
        rt.memcpy_h2d("a32", np.zeros(W * H * N32), 0, 0, W, H, N32)
    with pytest.raises(ValueError, match="takes 1024 elements here, the array has 5"):
        rt.memcpy_h2d("a32", np.zeros(5, dtype=np.int32), 0, 0, W, H, N32)
    with pytest.raises(ValueError, match="16-bit"):
        rt.memcpy_h2d("a32", np.zeros(4, dtype=np.int32), 0, 0, 1, 1, 4,
                      data_type=wse.MEMCPY_16BIT)
    # A streaming copy goes to a color, not an array.
    with pytest.raises(TypeError, match="color"):
        rt.memcpy_h2d("a32", np.zeros(4, dtype=np.int32), 0, 0, 1, 1, 4, streaming=True)
    with pytest.raises(wse.Error, match="is a function"):
        rt.memcpy_d2h(None, "scale", 0, 0, 1, 1, 1)
    # libwse's own checks, with its sentence.
    with pytest.raises(wse.Error, match="leave the 4x4 region") as e:
        rt.memcpy_h2d("a32", np.zeros(8, dtype=np.int32), 3, 0, 2, 1, 4)
    assert e.value.errno == errno.EINVAL
    # Raw bits of the same size are taken as they are (SdkRuntime's uint32 views).
    bits = np.array([1, 2, 3, 4], dtype=np.uint32)
    rt.memcpy_h2d("a32", bits, 0, 0, 1, 1, 4)
    assert list(rt.memcpy_d2h(None, "a32", 0, 0, 1, 1, 4).ravel()) == [1, 2, 3, 4]
    # Lists become arrays of the symbol's type.
    rt.memcpy_h2d("a16", [[[7, 8]]], 0, 0, 1, 1, 2)
    assert list(rt.memcpy_d2h(None, "a16", 0, 0, 1, 1, 2).ravel()) == [7, 8]


def test_kernel_fault_sentence(rt):
    want = "PE (2,1) pc 0x%x: SRAM access out of range" % fault_pc()
    with pytest.raises(wse.KernelFault) as e:
        rt.launch("fault", 2, 1)
    assert str(e.value) == want
    assert e.value.errno == errno.EFAULT
    t = rt.launch("fault", 2, 1, nonblock=True)
    with pytest.raises(wse.KernelFault, match=re.escape(want)):
        rt.task_wait(t)
    assert t.error == want
    rt.launch("whoami")
    ids = rt.read_symbol("id")
    assert (ids[1, 2] == [2, 1, W, H]).all()


def test_pe_dump_after_fault(rt):
    """pe_dump of the faulting PE: its pc, instruction and registers."""
    with pytest.raises(wse.KernelFault):
        rt.launch("fault", 3, 2)
    d = rt.pe_dump(3, 2)
    assert (d["x"], d["y"], d["version"]) == (3, 2, 1)
    assert d["state"] == "halted"
    assert d["pc"] == fault_pc()
    assert d["disasm"].split()[0] == "ld" and "r6, [r5]" in d["disasm"]
    assert d["regs"][1:6] == [3, 2, 3, 2, 48 * 1024]
    assert d["tasks"] == {} and d["uthreads"] == {}
    assert "PE (3,2): halted" in d["text"]
    rt.launch("whoami")
    d = rt.pe_dump(1, 2)
    assert d["regs"][1:5] == [1, 2, W, H]
    assert d["disasm"] == "halt"
    with pytest.raises(wse.Error, match="outside") as e:
        rt.pe_dump(W, 0)
    assert e.value.errno == errno.EINVAL


def test_typed_launch_arguments(assemble):
    img = assemble(
        ".rect main, 0, 0, 1, 1\n.code main\n.func typed\n"
        "\tfadd r5, r1, r2\n\tli r6, out\n\tst r5, [r6]\n\tst r3, [r6 + 4]\n"
        "\tst r4, [r6 + 8]\n\tst r7, [r6 + 12]\n\thalt\n"
        ".data\n\t.export out, f32, 4\n")
    with wse.Runtime(img, device="sim:1x1") as rt:
        rt.launch("typed", 1.5, np.float32(2.25), np.float16(0.5), np.int16(-2),
                  0, 0, 2**32 - 1)
        out = rt.read_symbol("out").ravel()
        assert out[0] == np.float32(3.75)
        bits = out.view(np.uint32)
        assert bits[1] == 0x3800 and bits[2] == 0xfffffffe and bits[3] == 0xffffffff
        with pytest.raises(OverflowError):
            rt.launch("typed", 2**32)
        with pytest.raises(TypeError):
            rt.launch("typed", "1")
        with pytest.raises(ValueError):
            rt.launch("typed", *range(9))
        with pytest.raises(wse.Error, match="no function named 'nope'"):
            rt.launch("nope")


def test_nonblocking_tasks_and_time_limit(test_image):
    with wse.Runtime(test_image, device="sim:8x8", timeout_ms=1000) as rt:
        spin = rt.launch("spin", nonblock=True)
        assert not rt.is_task_done(spin)
        with pytest.raises(wse.Error) as e:
            rt.task_wait(spin, timeout=0.02)
        assert e.value.errno == errno.ETIME
        # A second context of the same simulated wafer works meanwhile.
        with wse.Runtime(test_image, device="sim:8x8") as other:
            a = np.arange(W * H * N32, dtype=np.int32)
            t = other.memcpy_h2d("a32", a, 0, 0, W, H, N32, nonblock=True)
            other.launch("scale", 3, nonblock=True)
            d = other.memcpy_d2h(None, "b32", 0, 0, W, H, N32, nonblock=True)
            out = other.task_wait(d)
            assert other.is_task_done(t)
            assert (out.ravel() == a * 3).all()
            assert other.region[0] >= W
        with pytest.raises(wse.Error, match="time limit") as e:
            rt.task_wait(spin)
        assert e.value.errno == errno.ETIMEDOUT


def test_devices_and_their_errors(monkeypatch, test_image):
    with pytest.raises(wse.Error, match="sim:WxH") as e:
        wse.Runtime(test_image, device="sim:8")
    assert e.value.errno == errno.EINVAL
    with pytest.raises(wse.Error, match="not installed") as e:
        wse.Runtime(test_image, device="nosuch:1")
    assert e.value.errno == errno.ENODEV
    monkeypatch.setenv("WSE_DEVICE", "sim:4x4;sim:5x5")
    assert wse.device_count() == 2
    with wse.Runtime(test_image, device=1) as rt:
        assert rt.info["node"] == "sim:5x5"
    with wse.Runtime(test_image) as rt:
        assert rt.info["node"] == "sim:4x4"
    with pytest.raises(wse.Error, match="is not loaded"):
        wse.Runtime(test_image, device="sim:4x4").launch("scale", 1)


def test_image_from_bytes_and_stop(test_image):
    with open(test_image, "rb") as f:
        data = f.read()
    rt = wse.Runtime(data, device="sim:4x4")
    rt.load()
    rt.run()
    rt.launch("whoami")
    rt.stop()
    rt.stop()
    with pytest.raises(wse.Error, match="bad image"):
        wse.Runtime(b"not an image", device="sim:4x4").load()
