# SPDX-License-Identifier: GPL-2.0-or-later
"""The arguments and files of python3 -m wse.run's actions (wse-run's
tools/run/spec.c and xfer.c): parsed and read without a device, so that
a typo costs no load.

    --h2d SYM[:TYPE][@PX,PY,W,H[,N]]=FILE, --d2h ... (parse_xfer)
    --launch, --resident, --call NAME[:ARG[,ARG]...] (parse_launch)
"""

import re

import numpy as np

CLOCK_HZ = 0.85e9
TYPES = {"f32": np.float32, "i32": np.int32, "u32": np.uint32,
         "f16": np.float16, "i16": np.int16}
XFER_RE = re.compile(r"^([A-Za-z_.$][\w.$]*)(?::(\w+))?(?:@([0-9,]+))?=(.+)$")


class Usage(Exception):
    pass


class Failure(Exception):
    pass


def fmt_bytes(n):
    if n >= 1 << 20:
        return "%.1f MiB" % (n / float(1 << 20))
    if n >= 1 << 10:
        return "%.1f KiB" % (n / 1024.0)
    return "%d B" % n


def parse_xfer(arg):
    m = XFER_RE.match(arg)
    if not m:
        raise Failure("not SYM[:TYPE][@PX,PY,W,H[,N]]=FILE")
    sym, typ, rect, path = m.groups()
    x = {"sym": sym, "type": None, "rect": None, "n": None, "file": path}
    if typ is not None:
        if typ not in TYPES:
            raise Failure("unknown type '%s' (f32, i32, u32, f16, i16)" % typ)
        x["type"] = np.dtype(TYPES[typ])
    if rect is not None:
        nums = rect.split(",")
        if len(nums) not in (4, 5) or not all(nums):
            raise Failure("'@%s' is not PX,PY,W,H[,N]" % rect)
        nums = [int(v) for v in nums]
        x["rect"] = nums[:4]
        if len(nums) == 5:
            x["n"] = nums[4]
        if x["rect"][2] < 1 or x["rect"][3] < 1 or x["n"] == 0:
            raise Failure("a rectangle has at least 1 x 1 PEs and 1 element each")
    return x


def parse_arg(s):
    """One launch argument: an int (decimal, 0x hex, negative) or a float."""
    t = s.strip()
    if re.fullmatch(r"[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)", t):
        neg = t.startswith("-")
        body = t.lstrip("+-")
        v = int(body, 16) if body[:2].lower() == "0x" else int(body, 10)
        v = -v if neg else v
        if not -2**31 <= v < 2**32:
            raise Failure("argument '%s' does not fit 32 bits" % s)
        return v
    try:
        return np.float32(float(t))
    except ValueError:
        raise Failure("argument '%s' is neither an integer nor a float" % s)


def parse_launch(arg):
    name, _, rest = arg.partition(":")
    if not re.fullmatch(r"[A-Za-z_.$][\w.$]*", name):
        raise Failure("not NAME[:ARG[,ARG]...]")
    args = [parse_arg(a) for a in rest.split(",")] if rest else []
    if len(args) > 8:
        raise Failure("%d arguments, at most 8" % len(args))
    return {"name": name, "args": args}


def read_host(x):
    """The H2D file's elements, flat, and its shape if it is a 3-D .npy."""
    path = x["file"]
    if path == "-":
        raise Failure("--h2d reads files, not standard input")
    try:
        if path.endswith(".npy"):
            with open(path, "rb") as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                else:
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
            if fortran:
                raise Failure("%s: fortran_order is True: the array is in column-major "
                              "order; save it in C order (numpy.ascontiguousarray(a))" % path)
            if dtype.str not in ("<f4", "<i4", "<u4", "<f2", "<i2"):
                raise Failure("%s: holds %s, not <f4, <i4, <u4, <f2 or <i2" % (path, dtype.str))
            a = np.load(path, allow_pickle=False)
            return a.ravel(), (shape if len(shape) == 3 else None)
        return np.fromfile(path, dtype=np.uint8), None
    except OSError as e:
        raise Failure("cannot read '%s': %s" % (path, e.strerror or e))


def type_name(dtype):
    """wse-run's name of a NumPy element type: f32, i32, u32, f16, i16."""
    return {np.dtype(v): k for k, v in TYPES.items()}[np.dtype(dtype)]


def arg_bits(a):
    """A parsed launch argument as wse-run passes it: its 32 bits."""
    if isinstance(a, np.floating):
        return int(np.float32(a).view(np.uint32))
    return a & 0xffffffff


def write_array(path, out, name, px, py, w, h, n):
    """A D2H copy's or a stream-out's host array (h x w x n elements of
    out's type) to path: .npy of shape (h, w, n), raw bytes, or "-" to
    print one line per PE as wse-run does."""
    if path == "-":
        out = out.reshape(h, w, n)
        for j in range(h):
            for i in range(w):
                vals = out[j, i]
                if vals.dtype == np.float32:
                    text = " ".join("%.9g" % v for v in vals)
                elif vals.dtype == np.float16:
                    text = " ".join("%.5g" % v for v in vals)
                else:
                    text = " ".join("%d" % v for v in vals)
                print("%s PE (%d,%d): %s" % (name, px + i, py + j, text))
        return
    try:
        if path.endswith(".npy"):
            np.save(path, out.reshape(h, w, n))
        else:
            out.tofile(path)
    except OSError as e:
        raise Failure("cannot write '%s': %s" % (path, e.strerror or e))
