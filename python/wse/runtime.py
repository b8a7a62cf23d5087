# SPDX-License-Identifier: GPL-2.0-or-later
"""wse.Runtime: libwse shaped like Cerebras' SdkRuntime, with NumPy arrays.

    rt = wse.Runtime("gemv-256x256-8x8.img", device="sim:8x8")
    rt.load()
    rt.run()
    rt.memcpy_h2d("A", a_tiles, 0, 0, 8, 8, 1024)
    rt.launch("compute")
    y = rt.memcpy_d2h(None, "y", 7, 0, 1, 8, 32)
    rt.stop()

Copies take and return arrays of the symbol's element type (float32,
int32, float16, int16; raw integer views of the same size are taken as
bit patterns, as SdkRuntime's 32-bit copies take them). Every failure
raises wse.Error with libwse's sentence, e.g. "PE (2,1) pc 0x110: SRAM
access out of range" (wse.KernelFault for a kernel fault).
"""

import ctypes
import errno as _errno
import os

import numpy as np

from . import _libwse as L

ROW_MAJOR = L.WSE_MEMCPY_ROW_MAJOR
COL_MAJOR = L.WSE_MEMCPY_COL_MAJOR
MEMCPY_16BIT = 2
MEMCPY_32BIT = 4

_DTYPES = {
    L.WSE_TYPE_I32: np.dtype(np.int32),
    L.WSE_TYPE_F32: np.dtype(np.float32),
    L.WSE_TYPE_I16: np.dtype(np.int16),
    L.WSE_TYPE_F16: np.dtype(np.float16),
}


class Error(OSError):
    """A libwse call failed: errno, libwse's name for it, and its sentence.

    str(e) is the sentence when libwse gave one ("PE (3,7) pc 0x1a4: SRAM
    access out of range"), its name for the errno otherwise.
    """

    def __init__(self, err, detail=""):
        err = abs(err)
        name = L.strerror(-err).decode()
        super().__init__(err, name)
        self.detail = detail

    def __str__(self):
        return self.detail or self.strerror


class KernelFault(Error):
    """A kernel faulted on the wafer (-EFAULT); the sentence names the PE and pc."""


def _error(err, detail):
    cls = KernelFault if abs(err) == _errno.EFAULT else Error
    return cls(err, detail)


def _check(ret, dev=None):
    if ret < 0:
        raise _error(ret, L.last_error(dev).decode(errors="replace"))
    return ret


class Symbol:
    """An array or a function the program exports."""

    def __init__(self, s):
        self._s = s
        self._ref = ctypes.byref(s)
        self.name = s.name.decode()
        self.kind = "function" if s.kind == L.WSE_SYMBOL_FUNCTION else "array"
        self.index = s.index
        self.addr = s.addr
        self.size = s.size
        self.elem_bytes = s.elem_bytes
        self.type = L.type_name(s.elem_type).decode() if s.elem_type else None
        self.dtype = _DTYPES.get(s.elem_type)

    @property
    def elems(self):
        """Elements of the array on each PE."""
        return self.size // self.elem_bytes if self.elem_bytes else 0

    def __repr__(self):
        if self.kind == "function":
            return "<wse.Symbol function %s>" % self.name
        return "<wse.Symbol array %s: %s[%d] at 0x%x>" % (
            self.name, self.type, self.elems, self.addr)


class Task:
    """A copy or a launch started with nonblock=True (or a finished one).

    wait() or rt.task_wait() finishes it; .array is the host array of a
    copy (for memcpy_d2h: the data, once done), .cycles the modeled
    wafer cycles of a launch.
    """

    def __init__(self, rt, handle, array=None, done=False):
        self._rt = rt
        self._h = handle
        self.array = array
        self._status = None
        self._cycles = 0
        self._error = ""
        if done:
            self._settle(0)

    def _settle(self, ret):
        """Keep the outcome: the task's handle may go before the object."""
        self._status = ret
        self._cycles = L.task_cycles(self._h)
        self._error = L.task_error(self._h).decode(errors="replace")

    def _finish(self, ret):
        self._settle(ret)
        if ret < 0:
            raise _error(ret, self._error)

    def wait(self, timeout=None):
        """Wait for the end (timeout in seconds; None waits for ever).

        Raises wse.Error with errno ETIME if it runs on after timeout,
        its failure otherwise. Returns the task's array (if any).
        """
        if self._status is None:
            ns = -1 if timeout is None else int(timeout * 1e9)
            ret = L.task_wait(self._h, ns)
            if ret == -_errno.ETIME:
                raise Error(ret, L.last_error(self._rt._dev).decode())
            self._finish(ret)
        elif self._status < 0:
            raise _error(self._status, self._error)
        return self.array

    def done(self):
        """Whether it has ended (SdkRuntime's is_task_done)."""
        if self._status is not None:
            return True
        if not self._h:
            return True
        done = bool(_check(L.task_done(self._h), self._rt._dev))
        if done:
            self._settle(L.task_wait(self._h, 0))
        return done

    @property
    def cycles(self):
        """Modeled wafer cycles of a finished launch (0 until then)."""
        return self._cycles

    @property
    def error(self):
        """libwse's sentence about a failed task, "" otherwise."""
        return self._error

    def free(self):
        """Wait for the end if need be and let go of libwse's task."""
        if self._h:
            if self._status is None:
                self._settle(L.task_wait(self._h, -1))
            L.task_free(self._h)
            self._h = None

    def __del__(self):
        self.free()


def _address(arr):
    """Where a C-contiguous array's bytes are, the cheap way when it is writable."""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(arr))
    except (TypeError, ValueError):
        return arr.ctypes.data


def _arg(v):
    """A typed launch argument from a Python or NumPy scalar."""
    a = L.Arg()
    if isinstance(v, np.generic):
        dt = v.dtype
        if dt == np.float32 or dt == np.float64:
            a.type, a.f32 = L.WSE_TYPE_F32, float(v)
        elif dt == np.float16:
            a.type, a.f32 = L.WSE_TYPE_F16, float(v)
        elif dt == np.int16:
            a.type, a.i32 = L.WSE_TYPE_I16, int(v)
        elif dt == np.uint32 or dt == np.uint16 or dt == np.uint8:
            a.type, a.u32 = L.WSE_TYPE_U32, int(v)
        elif dt == np.int32 or dt == np.int8 or dt == np.bool_:
            a.type, a.i32 = L.WSE_TYPE_I32, int(v)
        elif dt.kind in "iu":
            return _arg(int(v))
        else:
            raise TypeError("launch argument of type %s: give an int or a float" % dt)
        return a
    if isinstance(v, bool) or isinstance(v, int):
        v = int(v)
        if -2**31 <= v < 2**31:
            a.type, a.i32 = L.WSE_TYPE_I32, v
        elif 0 <= v < 2**32:
            a.type, a.u32 = L.WSE_TYPE_U32, v
        else:
            raise OverflowError("launch argument %d does not fit 32 bits" % v)
        return a
    if isinstance(v, float):
        a.type, a.f32 = L.WSE_TYPE_F32, v
        return a
    raise TypeError("launch argument %r: give an int, a float or a NumPy scalar" % (v,))


class Runtime:
    """A kernel image on a wse device, the way SdkRuntime runs a program.

    image: a path to the image, or its bytes. device: None for device 0
    (the first of $WSE_DEVICE if set), an index, or a device string such
    as "sim:8x8", "drm:0", "/dev/accel/accel0". The device is opened at
    once; load() (or run(), or entering a with block) loads the image.
    """

    def __init__(self, image, device=None, timeout_ms=None):
        if isinstance(image, (bytes, bytearray, memoryview)):
            self._image = bytes(image)
            self.image_path = None
        else:
            self.image_path = os.fspath(image)
            with open(self.image_path, "rb") as f:
                self._image = f.read()
        self._dev = None
        self._prog = None
        self._syms = {}
        self._tasks = []
        dev = ctypes.c_void_p()
        if device is None or isinstance(device, int):
            ret = L.device_open(device or 0, ctypes.byref(dev))
        else:
            ret = L.device_open_path(os.fsencode(device), ctypes.byref(dev))
        _check(ret)
        self._dev = dev.value
        if timeout_ms is not None:
            _check(L.device_set_timeout(self._dev, timeout_ms), self._dev)

    # ---- the program ----

    def load(self):
        """Load the image onto a region of its extent."""
        if self._prog:
            return
        prog = ctypes.c_void_p()
        _check(L.program_load_mem(self._dev, self._image, len(self._image),
                                  ctypes.byref(prog)), self._dev)
        self._prog = prog.value

    def run(self):
        """Start the program (SdkRuntime's run): load it if not yet."""
        self.load()

    def stop(self):
        """Wait for every unfinished task, unload the program, close the device."""
        for t in self._tasks:
            t.free()
        self._tasks = []
        if self._prog:
            L.program_free(self._prog)
            self._prog = None
        if self._dev:
            L.device_close(self._dev)
            self._dev = None

    close = stop

    def __enter__(self):
        self.load()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def __del__(self):
        try:
            self.stop()
        except Exception:
            pass

    def _loaded(self):
        if not self._prog:
            raise Error(_errno.EINVAL, "the program is not loaded: call load() first")
        return self._prog

    @property
    def info(self):
        """What the device reports: mesh, SRAM per PE, node..., as a dict."""
        i = L.DeviceInfo()
        _check(L.device_info(self._dev, ctypes.byref(i)), self._dev)
        return {
            "mesh_width": i.mesh_width, "mesh_height": i.mesh_height,
            "sram_bytes": i.sram_bytes, "num_windows": i.num_windows,
            "max_xfer": i.max_xfer, "node": i.node.decode(),
            "driver_version": i.driver_version.decode(),
        }

    @property
    def region(self):
        """(x, y, width, height) of the program on the wafer."""
        r = L.Region()
        _check(L.program_region(self._loaded(), ctypes.byref(r)), self._dev)
        return (r.x, r.y, r.width, r.height)

    def symbols(self):
        """Every exported array and function, in the image's order."""
        prog = self._loaded()
        out = []
        for i in range(_check(L.program_symbol_count(prog), self._dev)):
            s = L.SymbolStruct()
            _check(L.program_symbol_at(prog, i, ctypes.byref(s)), self._dev)
            out.append(Symbol(s))
        return out

    def get_id(self, name):
        """The array or function called name (SdkRuntime's get_id)."""
        if isinstance(name, Symbol):
            return name
        sym = self._syms.get(name)
        if sym:
            return sym
        prog = self._loaded()
        s = L.SymbolStruct()
        ret = L.program_symbol(prog, name.encode(), ctypes.byref(s))
        if ret == -_errno.ENOENT:
            ret = L.program_function(prog, name.encode(), ctypes.byref(s))
            if ret == -_errno.ENOENT:
                raise Error(ret, "the program exports no array or function named '%s'" % name)
        _check(ret, self._dev)
        sym = self._syms[name] = Symbol(s)
        return sym

    def _array(self, name):
        sym = self.get_id(name)
        if sym.kind != "array":
            raise Error(_errno.EINVAL, "'%s' is a function, not an array" % sym.name)
        return sym

    # ---- copies ----

    @staticmethod
    def _host(sym, arr, count, what):
        """arr as a C-contiguous array of sym's elements, count of them."""
        if not isinstance(arr, np.ndarray):
            arr = np.asarray(arr, dtype=sym.dtype)
        dt = arr.dtype
        if dt != sym.dtype:
            if dt.kind in "iu" and dt.itemsize == sym.elem_bytes:
                arr = arr.view(sym.dtype)
            else:
                raise TypeError("%s: '%s' holds %s elements (%s), not %s: convert with "
                                ".astype(numpy.%s)" % (what, sym.name, sym.type,
                                                       sym.dtype, dt, sym.dtype))
        if arr.size != count:
            raise ValueError("%s: '%s' takes %d elements here, the array has %d"
                             % (what, sym.name, count, arr.size))
        return np.ascontiguousarray(arr)

    def _check_copy(self, sym, streaming, data_type):
        if streaming:
            raise NotImplementedError("broadcasts have no streaming mode; "
                                      "use memcpy_h2d(color, ..., streaming=True)")
        if data_type is not None and data_type != sym.elem_bytes:
            raise ValueError("'%s' holds %d-bit elements, not %d-bit"
                             % (sym.name, sym.elem_bytes * 8, data_type * 8))

    def _start(self, fn, sym, arr, px, py, w, h, elem_per_pe, order, nonblock):
        if not nonblock:
            _check(fn(self._loaded(), sym._ref, _address(arr), px, py, w, h,
                      elem_per_pe, sym.elem_bytes, order, 0, None), self._dev)
            return None
        t = ctypes.c_void_p()
        _check(fn(self._loaded(), sym._ref, _address(arr), px, py, w, h,
                  elem_per_pe, sym.elem_bytes, order, L.WSE_NONBLOCK,
                  ctypes.byref(t)), self._dev)
        task = Task(self, t.value, arr)
        self._tasks = [x for x in self._tasks if x._h] + [task]
        return task

    def _h2d(self, fn, sets, dest, src, px, py, w, h, elem_per_pe, streaming,
             data_type, order, nonblock):
        if streaming:
            self._check_copy(None, streaming, data_type)
        sym = self._array(dest)
        self._check_copy(sym, streaming, data_type)
        arr = self._host(sym, src, sets * elem_per_pe, "memcpy_h2d")
        return self._start(fn, sym, arr, px, py, w, h, elem_per_pe, order, nonblock)

    @staticmethod
    def _stream_dtype(what, data_type, dtype=None):
        """The element size of a streaming copy: data_type, else dtype's."""
        size = data_type if data_type is not None else (
            np.dtype(dtype).itemsize if dtype is not None else MEMCPY_32BIT)
        if size not in (MEMCPY_16BIT, MEMCPY_32BIT):
            raise ValueError("%s: streaming elements are 16 or 32 bits, not %d bytes"
                             % (what, size))
        return size

    def _stream_start(self, fn, color, arr, px, py, w, h, elem_per_pe, size, order,
                      nonblock):
        if not isinstance(color, int):
            raise TypeError("a streaming copy goes to a color (0..23), not %r" % (color,))
        if not nonblock:
            _check(fn(self._loaded(), color, _address(arr), px, py, w, h, elem_per_pe,
                      size, order, 0, None), self._dev)
            return None
        t = ctypes.c_void_p()
        _check(fn(self._loaded(), color, _address(arr), px, py, w, h, elem_per_pe,
                  size, order, L.WSE_NONBLOCK, ctypes.byref(t)), self._dev)
        task = Task(self, t.value, arr)
        self._tasks = [x for x in self._tasks if x._h] + [task]
        return task

    def _h2d_streaming(self, color, src, px, py, w, h, elem_per_pe, data_type, order,
                       nonblock):
        arr = np.ascontiguousarray(src)
        size = self._stream_dtype("memcpy_h2d", data_type, arr.dtype)
        if arr.dtype.itemsize != size:
            raise TypeError("memcpy_h2d: %s elements are not %d-bit" % (arr.dtype, size * 8))
        if arr.size != w * h * elem_per_pe:
            raise ValueError("memcpy_h2d: the stream takes %d elements here, the array has %d"
                             % (w * h * elem_per_pe, arr.size))
        return self._stream_start(L.memcpy_h2d_streaming, color, arr, px, py, w, h,
                                  elem_per_pe, size, order, nonblock)

    def memcpy_h2d(self, dest, src, px, py, w, h, elem_per_pe, streaming=False,
                   data_type=None, order=ROW_MAJOR, nonblock=False):
        """Copy src (h x w x elem_per_pe elements in order) into array dest
        on the w x h PEs at (px, py) of the program's region.
        With streaming=True, dest is a color and src goes to the resident
        kernel as wavelets: row j of the rectangle through the west edge
        PE (0, py + j), PE (px, py + j)'s elements first (16- or 32-bit:
        data_type, or src's element size; Documentation/wse/streaming.rst).
        Returns a Task with nonblock=True, None otherwise."""
        if streaming:
            return self._h2d_streaming(dest, src, px, py, w, h, elem_per_pe, data_type,
                                       order, nonblock)
        return self._h2d(L.memcpy_h2d, w * h, dest, src, px, py, w, h,
                         elem_per_pe, streaming, data_type, order, nonblock)

    def memcpy_h2d_rowbcast(self, dest, src, px, py, w, h, elem_per_pe,
                            streaming=False, data_type=None, order=ROW_MAJOR,
                            nonblock=False):
        """Row y's elem_per_pe elements of src (h of them) to every PE of row y."""
        return self._h2d(L.memcpy_h2d_rowbcast, h, dest, src, px, py, w, h,
                         elem_per_pe, streaming, data_type, order, nonblock)

    def memcpy_h2d_colbcast(self, dest, src, px, py, w, h, elem_per_pe,
                            streaming=False, data_type=None, order=ROW_MAJOR,
                            nonblock=False):
        """Column x's elem_per_pe elements of src (w of them) to every PE of column x."""
        return self._h2d(L.memcpy_h2d_colbcast, w, dest, src, px, py, w, h,
                         elem_per_pe, streaming, data_type, order, nonblock)

    def memcpy_d2h(self, dest, src, px, py, w, h, elem_per_pe, streaming=False,
                   data_type=None, order=ROW_MAJOR, nonblock=False):
        """Copy array src of the w x h PEs at (px, py) into dest, a new array
        (shape (h, w, elem_per_pe), or (elem_per_pe, w, h) in COL_MAJOR)
        if dest is None. Returns the array, or with nonblock=True a Task
        whose array holds the data once it has finished.
        With streaming=True, src is a color: the wavelets the resident
        kernel sent west off the edge PEs, in memcpy_h2d's streaming
        layout; a new dest is uint32 (uint16 with data_type=MEMCPY_16BIT)."""
        if streaming:
            return self._d2h_streaming(dest, src, px, py, w, h, elem_per_pe, data_type,
                                       order, nonblock)
        sym = self._array(src)
        self._check_copy(sym, streaming, data_type)
        if dest is None:
            shape = (h, w, elem_per_pe) if order == ROW_MAJOR else (elem_per_pe, w, h)
            arr = out = np.empty(shape, dtype=sym.dtype)
        else:
            out = dest
            if (not isinstance(dest, np.ndarray) or not dest.flags.c_contiguous or
                    not dest.flags.writeable):
                raise ValueError("memcpy_d2h: dest must be a writable C-contiguous array")
            arr = self._host(sym, dest, w * h * elem_per_pe, "memcpy_d2h")
        task = self._start(L.memcpy_d2h, sym, arr, px, py, w, h, elem_per_pe,
                           order, nonblock)
        if not nonblock:
            return out
        task.array = out
        return task

    def _d2h_streaming(self, dest, color, px, py, w, h, elem_per_pe, data_type, order,
                       nonblock):
        if dest is None:
            size = self._stream_dtype("memcpy_d2h", data_type)
            shape = (h, w, elem_per_pe) if order == ROW_MAJOR else (elem_per_pe, w, h)
            out = np.zeros(shape, dtype=np.uint32 if size == MEMCPY_32BIT else np.uint16)
        else:
            out = dest
            if (not isinstance(dest, np.ndarray) or not dest.flags.c_contiguous or
                    not dest.flags.writeable):
                raise ValueError("memcpy_d2h: dest must be a writable C-contiguous array")
            size = self._stream_dtype("memcpy_d2h", data_type, dest.dtype)
            if dest.dtype.itemsize != size or dest.size != w * h * elem_per_pe:
                raise ValueError("memcpy_d2h: dest must hold %d %d-bit elements"
                                 % (w * h * elem_per_pe, size * 8))
        task = self._stream_start(L.memcpy_d2h_streaming, color, out, px, py, w, h,
                                  elem_per_pe, size, order, nonblock)
        if not nonblock:
            return out
        task.array = out
        return task

    def read_symbol(self, name):
        """Array name of every PE of the program, shape (height, width, elements)."""
        sym = self._array(name)
        _, _, w, h = self.region
        return self.memcpy_d2h(None, sym, 0, 0, w, h, sym.elems)

    # ---- PE state ----

    _PE_STATES = ("off", "running", "idle", "halted")
    _WAITS = ("none", "recv", "send", "switch", "microthreads", "lookahead")

    def pe_dump(self, x, y):
        """The state of PE (x, y) of the region, after the last launch, as a
        dict (Documentation/wse/debugging.rst): x, y, state, pc, insn (the
        word at pc), disasm (its text as wse-objdump prints it), clock,
        icount, wait, regs (r0..r15), dsds, tasks (defined ones: entry,
        kind, color, prio, active, blocked), uthreads (busy ones),
        routers and queues (colors in use), and text (the whole dump as
        wse-run --dump prints it)."""
        d = L.PeDump()
        _check(L.pe_dump(self._dev, x, y, ctypes.byref(d), ctypes.sizeof(d)), self._dev)
        n = L.pe_dump_text(ctypes.byref(d), ctypes.sizeof(d), None, 0)
        buf = ctypes.create_string_buffer(max(n, 0) + 1)
        _check(L.pe_dump_text(ctypes.byref(d), ctypes.sizeof(d), buf, len(buf)))
        text = buf.value.decode(errors="replace")
        disasm = ""
        for line in text.splitlines():
            if line.startswith("pc 0x"):
                disasm = line.split("  ", 1)[1].strip() if "  " in line else ""
                break
        tasks = {}
        for t in range(64):
            if d.task_defined >> t & 1:
                k = d.task[t]
                tasks[t] = {"entry": k.entry, "kind": ("none", "data", "local", "control")[k.kind & 3],
                            "color": k.color, "prio": k.prio,
                            "active": bool(d.task_active >> t & 1),
                            "blocked": bool(d.task_blocked >> t & 1)}
        routers, queues = {}, {}
        for c in range(24):
            r, q = d.router[c], d.queue[c]
            if r.npos:
                routers[c] = {"rx": r.rx, "tx": r.tx, "position": r.pos, "positions": r.npos,
                              "torn_down": bool(r.torn_down)}
            if q.depth:
                k = min(q.count, 8)
                queues[c] = {"depth": q.depth, "count": q.count,
                             "wavelets": [q.val[i] for i in range(k)],
                             "arrivals": [q.arr[i] & ((1 << 61) - 1) for i in range(k)],
                             "control": [bool(q.arr[i] >> 63) for i in range(k)]}
        return {
            "x": d.x, "y": d.y, "version": d.version,
            "state": self._PE_STATES[d.state] if d.state < 4 else d.state,
            "task": None if d.cur_task == 255 else d.cur_task,
            "pc": d.pc, "insn": d.insn, "disasm": disasm,
            "clock": d.clock, "icount": d.icount,
            "wait": self._WAITS[d.wait_kind] if d.wait_kind < 6 else d.wait_kind,
            "wait_color": d.wait_color,
            "regs": list(d.r),
            "dsds": {i: {"kind": "fabric" if s.kind else "mem", "type": s.type,
                         "base": s.base, "color": s.color,
                         "len": list(s.len)[:max(s.ndim, 1)],
                         "stride": list(s.stride)[:max(s.ndim, 1)]}
                     for i, s in enumerate(d.dsd) if s.kind or s.len[0]},
            "tasks": tasks,
            "uthreads": {u: {"pc": t.pc, "op": t.op, "n": t.n, "done": t.done}
                         for u, t in enumerate(d.ut) if t.busy},
            "routers": routers, "queues": queues, "text": text,
        }

    # ---- launch traces and counters ----

    def trace_next_launch(self, events=True, sample_every=0, max_events=0):
        """Record the next launch: events (task starts and ends,
        instruction samples every sample_every, wavelets, stalls) and
        counters, or counters only with events=False; max_events per PE
        (0: 4096). Simulator devices only: others raise wse.Error with
        errno EOPNOTSUPP (Documentation/wse/debugging.rst)."""
        cfg = L.TraceConfig(L.WSE_TRACE_EVENTS if events else L.WSE_TRACE_COUNTERS,
                            sample_every, max_events, 0)
        _check(L.trace_next_launch(self._dev, ctypes.byref(cfg)), self._dev)

    def read_trace(self, x, y):
        """PE (x, y)'s events of the last traced launch, in cycle order:
        (events, dropped), each event a dict with cycle, kind (task_start,
        task_end, insn, send, recv, stall_send, stall_recv), color (None
        if none), arg (pc, wavelets or stalled cycles) and task."""
        h = L.TracePe()
        _check(L.trace_read(self._dev, x, y, ctypes.byref(h), None, 0), self._dev)
        ev = (L.TraceEvent * max(h.nevents, 1))()
        n = L.trace_read(self._dev, x, y, ctypes.byref(h), ev, h.nevents)
        _check(n, self._dev)
        out = [{"cycle": e.cycle, "kind": L.TRACE_KINDS.get(e.kind, e.kind),
                "color": None if e.color == 255 else e.color, "arg": e.arg,
                "task": e.aux} for e in ev[:n]]
        return out, h.dropped

    def read_counters(self):
        """The counters of the last traced launch: a dict of (height,
        width) uint64 arrays, one per counter (cycles, busy, stall_send,
        stall_recv, idle, wavelets_in, wavelets_out, sram_bytes,
        instructions, tasks), indexed [y, x] like the region."""
        _, _, w, h = self.region
        c = (L.PeCounters * (w * h))()
        _check(L.counters_read(self._dev, c, w * h), self._dev)
        return {k: np.array([getattr(p, k) for p in c], dtype=np.uint64).reshape(h, w)
                for k in L.COUNTERS}

    def write_trace(self, path):
        """The last traced launch as Chrome/Perfetto trace-event JSON at
        path (wse_trace_write_json())."""
        _check(L.trace_write_json(self._dev, os.fsencode(path)), self._dev)

    # ---- launches and tasks ----

    def launch(self, name, *args, nonblock=False):
        """Run exported function name on every PE with typed arguments
        (ints, floats, NumPy scalars: float32, float16, int32, int16,
        uint32), in r1..r8. Returns the Task (finished unless nonblock),
        whose .cycles are the modeled wafer cycles."""
        if len(args) > L.WSE_MAX_ARGS:
            raise ValueError("launch: %d arguments, at most %d" % (len(args), L.WSE_MAX_ARGS))
        argv = (L.Arg * max(len(args), 1))(*[_arg(a) for a in args])
        t = ctypes.c_void_p()
        ret = L.launch_args(self._loaded(), name.encode(), len(args), argv,
                            L.WSE_NONBLOCK if nonblock else 0, ctypes.byref(t))
        _check(ret, self._dev)
        task = Task(self, t.value, done=not nonblock)
        if nonblock:
            self._tasks = [x for x in self._tasks if x._h] + [task]
        else:
            task.free()  # finished: its outcome is kept, the handle goes
        return task

    # ---- resident kernels and streams (Documentation/wse/streaming.rst) ----

    @staticmethod
    def _words(what, args):
        if len(args) > L.WSE_MAX_ARGS:
            raise ValueError("%s: %d arguments, at most %d" % (what, len(args), L.WSE_MAX_ARGS))
        return (ctypes.c_uint32 * max(len(args), 1))(*[int(a) & 0xffffffff for a in args])

    def _job(self, start, nonblock, array=None):
        """A resident kernel's job: start(flags, task) blocks, or with
        nonblock returns the Task (whose array is array)."""
        if not nonblock:
            _check(start(0, None), self._dev)
            return None
        t = ctypes.c_void_p()
        _check(start(L.WSE_NONBLOCK, ctypes.byref(t)), self._dev)
        task = Task(self, t.value, array)
        self._tasks = [x for x in self._tasks if x._h] + [task]
        return task

    def launch_resident(self, name, *args, nonblock=False):
        """Launch name with 32-bit integer arguments; the kernel stays
        resident for send(), receive() and call() until stop_resident().
        With nonblock, returns the Task (.cycles once finished)."""
        argv = self._words("launch_resident", args)
        prog = self._loaded()
        return self._job(lambda f, t: L.launch_resident(prog, name.encode(), len(args), argv,
                                                        f, t), nonblock)

    def send(self, color, data, y=0, h=None, nonblock=False):
        """Stream data (h rows of elements, int32/uint32/float32 or 16-bit)
        into the west-edge PEs of rows y..y+h-1 on color (SdkRuntime's
        streaming memcpy_h2d of a 1 x h rectangle). With nonblock,
        returns the Task (.cycles once finished)."""
        arr = np.ascontiguousarray(data)
        if arr.dtype.itemsize not in (2, 4):
            raise ValueError("send: %s elements are neither 16 nor 32 bits" % arr.dtype)
        h = h if h is not None else (arr.shape[0] if arr.ndim > 1 else 1)
        if h < 1 or arr.size % h:
            raise ValueError("send: %d elements do not split over %d rows" % (arr.size, h))
        prog = self._loaded()
        return self._job(lambda f, t: L.stream_send(prog, color, L.WSE_STREAM_EDGE_WEST, y, h,
                                                    arr.size // h, arr.dtype.itemsize,
                                                    arr.ctypes.data, f, t), nonblock, arr)

    def receive(self, color, elem_per_pe, y=0, h=1, dtype=np.uint32, nonblock=False):
        """The next elem_per_pe wavelets each of rows y..y+h-1 sent west on
        color, as an (h, elem_per_pe) array of dtype; with nonblock, a
        Task whose array holds them once it has finished."""
        out = np.zeros((h, elem_per_pe), dtype=dtype)
        if out.dtype.itemsize not in (2, 4):
            raise ValueError("receive: %s elements are neither 16 nor 32 bits" % out.dtype)
        prog = self._loaded()
        task = self._job(lambda f, t: L.stream_receive(prog, color, L.WSE_STREAM_EDGE_WEST, y,
                                                       h, elem_per_pe, out.dtype.itemsize,
                                                       out.ctypes.data, f, t), nonblock, out)
        return task if nonblock else out

    def send_receive(self, color, data, out_color, out_elem_per_pe, y=0, h=None, out_y=None,
                     out_h=None, dtype=np.uint32, nonblock=False):
        """send(color, data, y, h) then receive(out_color, out_elem_per_pe,
        out_y, out_h, dtype) in one job (wse_stream_send_receive()): the
        receive is posted with the send, so the kernel's wavelets may go
        straight into its array. out_y and out_h default to y and h.
        Returns the (out_h, out_elem_per_pe) array, or with nonblock the
        Task whose array it is once it has finished."""
        arr = np.ascontiguousarray(data)
        if arr.dtype.itemsize not in (2, 4):
            raise ValueError("send_receive: %s elements are neither 16 nor 32 bits" % arr.dtype)
        h = h if h is not None else (arr.shape[0] if arr.ndim > 1 else 1)
        if h < 1 or arr.size % h:
            raise ValueError("send_receive: %d elements do not split over %d rows"
                             % (arr.size, h))
        out = np.zeros((out_h if out_h is not None else h, out_elem_per_pe), dtype=dtype)
        if out.dtype.itemsize not in (2, 4):
            raise ValueError("send_receive: %s elements are neither 16 nor 32 bits" % out.dtype)
        sx = L.StreamXfer(color, L.WSE_STREAM_EDGE_WEST, y, h, arr.size // h,
                          arr.dtype.itemsize, arr.ctypes.data)
        rx = L.StreamXfer(out_color, L.WSE_STREAM_EDGE_WEST, out_y if out_y is not None else y,
                          out.shape[0], out_elem_per_pe, out.dtype.itemsize, out.ctypes.data)
        prog = self._loaded()
        task = self._job(lambda f, t: L.stream_send_receive(prog, ctypes.byref(sx),
                                                            ctypes.byref(rx), f, t),
                         nonblock, out)
        if task is not None:
            task._keep = (arr, sx, rx)  # alive until the job has ended
        return task if nonblock else out

    def call(self, name, *args, nonblock=False):
        """RPC: run name on the resident kernel; returns its r1 (uint32),
        or with nonblock a Task whose array[0] is r1 once it has finished."""
        argv = self._words("call", args)
        ret = np.zeros(1, dtype=np.uint32)
        prog = self._loaded()
        rp = ret.ctypes.data_as(L._u32p)
        task = self._job(lambda f, t: L.call(prog, name.encode(), len(args), argv, rp, f, t),
                         nonblock, ret)
        return task if nonblock else int(ret[0])

    def stop_resident(self, nonblock=False):
        """End the resident kernel (wse_stop(); stop() releases the device).
        With nonblock, returns the Task."""
        prog = self._loaded()
        return self._job(lambda f, t: L.stop(prog, f, t), nonblock)

    def task_wait(self, task, timeout=None):
        """Wait for task (SdkRuntime's task_wait); see Task.wait()."""
        return task.wait(timeout)

    def is_task_done(self, task):
        """Whether task has finished (SdkRuntime's is_task_done)."""
        return task.done()
