# SPDX-License-Identifier: GPL-2.0-or-later
"""ctypes bindings of libwse.so.1: its structures and prototypes.

The library is looked for, in this order: $WSE_LIBRARY (a path to
libwse.so.1), the build tree this package sits in (build/libwse.so.1 of
a wse checkout, for running from the sources), then wherever the dynamic
loader finds libwse.so.1. Only this module touches ctypes; runtime.py
speaks NumPy.
"""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("WSE_LIBRARY")
    if env:
        yield env
        return
    tree = os.path.join(_HERE, "..", "..", "build", "libwse.so.1")
    if os.path.exists(tree):
        yield os.path.normpath(tree)
    yield "libwse.so.1"


def _load():
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path, use_errno=False)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("wse: cannot load libwse.so.1 (set WSE_LIBRARY to its path): "
                      + "; ".join(errors))


lib = _load()

WSE_NONBLOCK = 1
WSE_MAX_ARGS = 8
WSE_SYMBOL_OBJECT = 1
WSE_SYMBOL_FUNCTION = 2
WSE_MEMCPY_ROW_MAJOR = 0
WSE_MEMCPY_COL_MAJOR = 1

WSE_TYPE_NONE = 0
WSE_TYPE_I32 = 1
WSE_TYPE_F32 = 2
WSE_TYPE_I16 = 3
WSE_TYPE_F16 = 4
WSE_TYPE_U32 = 5


class DeviceInfo(ctypes.Structure):
    _fields_ = [
        ("mesh_width", ctypes.c_uint32),
        ("mesh_height", ctypes.c_uint32),
        ("sram_bytes", ctypes.c_uint32),
        ("num_queues", ctypes.c_uint32),
        ("num_windows", ctypes.c_uint32),
        ("window_size", ctypes.c_uint32),
        ("max_xfer", ctypes.c_uint32),
        ("max_image", ctypes.c_uint32),
        ("hw_version", ctypes.c_uint32),
        ("fw_version", ctypes.c_uint32),
        ("caps", ctypes.c_uint64),
        ("minor", ctypes.c_int32),
        ("node", ctypes.c_char * 32),
        ("pci_slot", ctypes.c_char * 32),
        ("driver_version", ctypes.c_char * 32),
        ("reserved", ctypes.c_uint32 * 15),
    ]


class Region(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("x", "y", "width", "height")]


class SymbolStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("kind", ctypes.c_uint32),
        ("index", ctypes.c_uint32),
        ("addr", ctypes.c_uint32),
        ("size", ctypes.c_uint32),
        ("elem_bytes", ctypes.c_uint32),
        ("elem_type", ctypes.c_uint32),
    ]


class _ArgValue(ctypes.Union):
    _fields_ = [("i32", ctypes.c_int32), ("u32", ctypes.c_uint32),
                ("f32", ctypes.c_float)]


class Arg(ctypes.Structure):
    _anonymous_ = ("v",)  # a.f32 for a.v.f32
    _fields_ = [("type", ctypes.c_uint32), ("v", _ArgValue)]


# The PE state record, abi/pe-dump.h (version 1): the same layout.
_u8, _u32_, _u64 = ctypes.c_uint8, ctypes.c_uint32, ctypes.c_uint64


class PeDumpDsd(ctypes.Structure):
    _fields_ = [("kind", _u8), ("type", _u8), ("ndim", _u8), ("color", _u8),
                ("base", _u32_), ("len", _u32_ * 4), ("stride", ctypes.c_int32 * 4)]


class PeDumpTask(ctypes.Structure):
    _fields_ = [("entry", _u32_), ("kind", _u8), ("color", _u8), ("prio", _u8),
                ("flags", _u8)]


class PeDumpUthread(ctypes.Structure):
    _fields_ = [("busy", _u8), ("action", _u8), ("task", _u8), ("op", _u8),
                ("pc", _u32_), ("n", _u32_), ("done", _u32_), ("wait_kind", _u8),
                ("wait_color", _u8), ("pad", _u8 * 6), ("clock", _u64)]


class PeDumpRouter(ctypes.Structure):
    _fields_ = [("npos", _u8), ("pos", _u8), ("rx", _u8), ("tx", _u8),
                ("torn_down", _u8), ("ring", _u8), ("pad", _u8 * 2),
                ("pos_rx", _u8 * 4), ("pos_tx", _u8 * 4)]


class PeDumpQueue(ctypes.Structure):
    _fields_ = [("depth", _u32_), ("count", _u32_), ("val", _u32_ * 8),
                ("arr", _u64 * 8)]


class PeDump(ctypes.Structure):
    _fields_ = [
        ("magic", _u32_), ("version", _u32_), ("size", _u32_), ("flags", _u32_),
        ("x", _u32_), ("y", _u32_), ("state", _u32_), ("cur_task", _u32_),
        ("pc", _u32_), ("sram_bytes", _u32_), ("insn", _u64), ("clock", _u64),
        ("icount", _u64), ("end", _u64), ("wait_kind", _u8), ("wait_color", _u8),
        ("wait_ut", _u8), ("ut_busy", _u8), ("pad", _u32_), ("r", _u32_ * 16),
        ("task_active", _u64), ("task_blocked", _u64), ("task_defined", _u64),
        ("dsd", PeDumpDsd * 16), ("task", PeDumpTask * 64),
        ("ut", PeDumpUthread * 8), ("router", PeDumpRouter * 24),
        ("queue", PeDumpQueue * 24),
    ]


_p = ctypes.c_void_p
_u32 = ctypes.c_uint32
_int = ctypes.c_int
_pp = ctypes.POINTER(ctypes.c_void_p)


def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


strerror = _fn("wse_strerror", ctypes.c_char_p, _int)
last_error = _fn("wse_last_error", ctypes.c_char_p, _p)
device_count = _fn("wse_device_count", _int)
device_open = _fn("wse_device_open", _int, _int, _pp)
device_open_path = _fn("wse_device_open_path", _int, ctypes.c_char_p, _pp)
device_close = _fn("wse_device_close", None, _p)
device_info = _fn("wse_device_info", _int, _p, ctypes.POINTER(DeviceInfo))
device_set_timeout = _fn("wse_device_set_timeout", _int, _p, _u32)
program_load_mem = _fn("wse_program_load_mem", _int, _p, ctypes.c_char_p,
                       ctypes.c_size_t, _pp)
program_free = _fn("wse_program_free", None, _p)
program_region = _fn("wse_program_region", _int, _p, ctypes.POINTER(Region))
program_symbol = _fn("wse_program_symbol", _int, _p, ctypes.c_char_p,
                     ctypes.POINTER(SymbolStruct))
program_function = _fn("wse_program_function", _int, _p, ctypes.c_char_p,
                       ctypes.POINTER(SymbolStruct))
program_symbol_count = _fn("wse_program_symbol_count", _int, _p)
program_symbol_at = _fn("wse_program_symbol_at", _int, _p, ctypes.c_uint,
                        ctypes.POINTER(SymbolStruct))

_copy_args = (_p, ctypes.POINTER(SymbolStruct), _p, _u32, _u32, _u32, _u32,
              _u32, _int, _int, ctypes.c_uint, _pp)
memcpy_h2d = _fn("wse_memcpy_h2d", _int, *_copy_args)
memcpy_d2h = _fn("wse_memcpy_d2h", _int, *_copy_args)
memcpy_h2d_rowbcast = _fn("wse_memcpy_h2d_rowbcast", _int, *_copy_args)
memcpy_h2d_colbcast = _fn("wse_memcpy_h2d_colbcast", _int, *_copy_args)
launch_args = _fn("wse_launch_args", _int, _p, ctypes.c_char_p, ctypes.c_uint,
                  ctypes.POINTER(Arg), ctypes.c_uint, _pp)
task_wait = _fn("wse_task_wait", _int, _p, ctypes.c_int64)
task_done = _fn("wse_task_done", _int, _p)
task_error = _fn("wse_task_error", ctypes.c_char_p, _p)
task_cycles = _fn("wse_task_cycles", ctypes.c_uint64, _p)
task_free = _fn("wse_task_free", None, _p)
type_name = _fn("wse_type_name", ctypes.c_char_p, _int)

# Resident kernels and streams (libwse 1.3, Documentation/wse/streaming.rst)
WSE_STREAM_EDGE_WEST = 0
_u32p = ctypes.POINTER(ctypes.c_uint32)
launch_resident = _fn("wse_launch_resident", _int, _p, ctypes.c_char_p, ctypes.c_uint,
                      _u32p, ctypes.c_uint, _pp)
stream_send = _fn("wse_stream_send", _int, _p, ctypes.c_uint, ctypes.c_uint, _u32, _u32,
                  _u32, ctypes.c_uint, _p, ctypes.c_uint, _pp)
stream_receive = _fn("wse_stream_receive", _int, _p, ctypes.c_uint, ctypes.c_uint, _u32,
                     _u32, _u32, ctypes.c_uint, _p, ctypes.c_uint, _pp)


class StreamXfer(ctypes.Structure):
    """struct wse_stream_xfer: one direction of wse_stream_send_receive()."""
    _fields_ = [("color", ctypes.c_uint), ("edge", ctypes.c_uint), ("y", ctypes.c_uint32),
                ("h", ctypes.c_uint32), ("elem_per_pe", ctypes.c_uint32),
                ("elem_bytes", ctypes.c_uint), ("buf", ctypes.c_void_p)]


_xferp = ctypes.POINTER(StreamXfer)
stream_send_receive = _fn("wse_stream_send_receive", _int, _p, _xferp, _xferp, ctypes.c_uint,
                          _pp)
call = _fn("wse_call", _int, _p, ctypes.c_char_p, ctypes.c_uint, _u32p, _u32p,
           ctypes.c_uint, _pp)
stop = _fn("wse_stop", _int, _p, ctypes.c_uint, _pp)
# Streaming memcpy (SdkRuntime's streaming=True): a color, not a symbol
_stream_copy_args = (_p, ctypes.c_uint, _p, _u32, _u32, _u32, _u32, _u32, _int, _int,
                     ctypes.c_uint, _pp)
memcpy_h2d_streaming = _fn("wse_memcpy_h2d_streaming", _int, *_stream_copy_args)
memcpy_d2h_streaming = _fn("wse_memcpy_d2h_streaming", _int, *_stream_copy_args)
pe_dump = _fn("wse_pe_dump", _int, _p, _u32, _u32, _p, ctypes.c_size_t)

WSE_TRACE_EVENTS = 1 << 0
WSE_TRACE_COUNTERS = 1 << 1
WSE_TRACE_CLOCK_MHZ = 850
TRACE_KINDS = {1: "task_start", 2: "task_end", 3: "insn", 4: "send", 5: "recv",
               6: "stall_send", 7: "stall_recv"}


class TraceConfig(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_uint32), ("sample_every", ctypes.c_uint32),
                ("max_events", ctypes.c_uint32), ("reserved", ctypes.c_uint32)]


class TraceEvent(ctypes.Structure):
    _fields_ = [("cycle", ctypes.c_uint64), ("arg", ctypes.c_uint32),
                ("aux", ctypes.c_uint16), ("kind", ctypes.c_uint8),
                ("color", ctypes.c_uint8)]


class TracePe(ctypes.Structure):
    _fields_ = [("x", ctypes.c_uint32), ("y", ctypes.c_uint32),
                ("nevents", ctypes.c_uint32), ("reserved", ctypes.c_uint32),
                ("dropped", ctypes.c_uint64)]


COUNTERS = ("cycles", "busy", "stall_send", "stall_recv", "idle", "wavelets_in",
            "wavelets_out", "sram_bytes", "instructions", "tasks")


class PeCounters(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in COUNTERS]


trace_next_launch = _fn("wse_trace_next_launch", _int, _p, ctypes.POINTER(TraceConfig))
trace_read = _fn("wse_trace_read", _int, _p, _u32, _u32, ctypes.POINTER(TracePe),
                 ctypes.POINTER(TraceEvent), _u32)
counters_read = _fn("wse_counters_read", _int, _p, ctypes.POINTER(PeCounters),
                    ctypes.c_size_t)
trace_write_json = _fn("wse_trace_write_json", _int, _p, ctypes.c_char_p)
pe_dump_text = _fn("wse_pe_dump_text", _int, _p, ctypes.c_size_t, ctypes.c_char_p,
                   ctypes.c_size_t)
