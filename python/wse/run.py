# SPDX-License-Identifier: GPL-2.0-or-later
"""python3 -m wse.run: wse-run in Python, on wse.Runtime.

    python3 -m wse.run [-d DEVICE] [-q] IMAGE [ACTION]...
    python3 -m wse.run -l [-d DEVICE] IMAGE

The actions, files, types and output lines are wse-run's
(Documentation/wse/wse-run.rst):

    --h2d SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
    --launch NAME[:ARG[,ARG]...]
    --d2h SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
    --resident NAME[:ARG[,ARG]...]            (_runstream.py)
    --stream-in COLOR[:TYPE]@west[,Y,H]=FILE
    --stream-out COLOR[:TYPE]@west[,Y,H]=FILE[:N]
    --call NAME[:ARG[,ARG]...]
    --stop

Every action and its file is checked before anything runs: the
arguments and files before the device is opened, the arrays and
rectangles against the program once it is loaded (wse-run checks both
before opening the device, with libwse's image parser; Python has only
the loaded program). -l lists the image as loaded on DEVICE. Exit status
0 on success, 1 on any error, 2 for a bad command line.
"""

import argparse
import re
import sys
import time

import numpy as np

from .runtime import Error, Runtime

from ._runspec import (CLOCK_HZ, TYPES, Failure, arg_bits, fmt_bytes, parse_launch,
                       parse_xfer, read_host, type_name, write_array)
from ._runstream import RpcAction, StreamAction, check_order, what


class Action:
    def __init__(self, kind, arg):
        self.kind = kind
        self.arg = arg

    def check_syntax(self):
        if self.kind == "launch":
            self.launch = parse_launch(self.arg)
            return
        self.x = parse_xfer(self.arg)
        if self.kind == "h2d":
            self.data, self.shape = read_host(self.x)

    def check_program(self, rt, pw, ph, prev=None):
        """Against the loaded program: fills the rectangle, N and the host
        array. prev (the last --stream-in) is returned as it is."""
        if self.kind == "launch":
            syms = {s.name: s for s in rt.symbols()}
            s = syms.get(self.launch["name"])
            if not s or s.kind != "function":
                raise Failure("the image exports no function '%s' (-l lists them)"
                              % self.launch["name"])
            return prev
        self._check_copy(rt, pw, ph)
        return prev

    def _check_copy(self, rt, pw, ph):
        x = self.x
        syms = {s.name: s for s in rt.symbols()}
        s = syms.get(x["sym"])
        if not s or s.kind != "array":
            arrays = " ".join(v.name for v in syms.values() if v.kind == "array")
            raise Failure("%s '%s' is not an array of the image (arrays: %s)"
                          % ("function" if s else "symbol", x["sym"], arrays))
        self.sym = s
        px, py, w, h = x["rect"] or (0, 0, pw, ph)
        if px + w > pw or py + h > ph:
            raise Failure("%s@%d,%d,%d,%d leaves the program's %dx%d PEs"
                          % (s.name, px, py, w, h, pw, ph))
        self.rect = (px, py, w, h)
        want = x["type"] if x["type"] is not None else s.dtype
        if want.itemsize != s.elem_bytes:
            raise Failure("%s holds %d-byte %s elements, not %s"
                          % (s.name, s.elem_bytes, s.type, want))
        self.dtype = want
        if self.kind == "d2h":
            self.n = x["n"] or s.elems
            if self.n > s.elems:
                raise Failure("%s holds %d elements per PE, not %d" % (s.name, s.elems, self.n))
            return
        data = self.data
        path = x["file"]
        if not path.endswith(".npy"):
            if data.size % want.itemsize:
                raise Failure("%s has %d bytes, not a whole number of %d-byte elements"
                              % (path, data.size, want.itemsize))
            data = data.view(want)
        elif data.dtype != want:
            if x["type"] is not None:
                raise Failure("%s: %s holds %s, not %s" % (path, path, data.dtype.str, want.str))
            if not (s.dtype == np.int32 and data.dtype == np.uint32):
                raise Failure("%s holds %s elements, %s holds %s: convert it (a.astype('%s')) "
                              "or write %s:%s=... to copy the bits as they are"
                              % (s.name, s.type, path, data.dtype.str, s.dtype.str, s.name,
                                 {4: "i32", 2: "i16"}[s.elem_bytes]))
        if self.shape is not None and (self.shape[0], self.shape[1]) != (h, w):
            raise Failure("%s has shape %s, the copy to %d x %d PEs (w x h) needs (%d, %d, n)"
                          % (path, tuple(self.shape), w, h, h, w))
        if data.size % (w * h):
            raise Failure("%s holds %d elements, not a multiple of the %d PEs of %s@%d,%d,%d,%d"
                          % (path, data.size, w * h, s.name, px, py, w, h))
        n = data.size // (w * h)
        if x["n"] is not None and x["n"] != n:
            raise Failure("%s gives each PE %d elements, not the %d asked for"
                          % (path, n, x["n"]))
        if n > s.elems:
            raise Failure("%s gives each PE %d elements, %s holds %d" % (path, n, s.name, s.elems))
        self.n = n
        self.data = data.view(s.dtype) if data.dtype.kind in "iu" else data

    def run(self, rt, quiet):
        if self.kind == "launch":
            return self.run_launch(rt, quiet)
        px, py, w, h = self.rect
        t0 = time.monotonic()
        if self.kind == "h2d":
            rt.memcpy_h2d(self.sym, self.data, px, py, w, h, self.n)
            out = None
        else:
            out = rt.memcpy_d2h(None, self.sym, px, py, w, h, self.n)
        t = time.monotonic() - t0
        nbytes = w * h * self.n * self.sym.elem_bytes
        if not quiet:
            print("%s %s@%d,%d,%d,%d %s %s: %d PEs x %d %s (%s) in %.1f ms"
                  % (self.kind, self.sym.name, px, py, w, h,
                     "<-" if self.kind == "h2d" else "->", self.x["file"], w * h, self.n,
                     type_name(self.dtype),
                     fmt_bytes(nbytes), t * 1e3))
        if out is not None:
            sys.stdout.flush()
            self.write(out.view(self.dtype))

    def write(self, out):
        px, py, w, h = self.rect
        write_array(self.x["file"], out, self.sym.name, px, py, w, h, self.n)

    def run_launch(self, rt, quiet):
        args = self.launch["args"]
        t0 = time.monotonic()
        task = rt.launch(self.launch["name"], *args)
        t = time.monotonic() - t0
        cycles = task.cycles
        if not quiet:
            bits = ["0x%x" % arg_bits(a) for a in args]
            print("launch %s(%s): %.1f ms, %d cycles = %.2f us at %.2f GHz"
                  % (self.launch["name"], ", ".join(bits), t * 1e3, cycles,
                     cycles / CLOCK_HZ * 1e6, CLOCK_HZ / 1e9))


class _Append(argparse.Action):
    KINDS = {"h2d": Action, "launch": Action, "d2h": Action, "resident": RpcAction,
             "call": RpcAction, "stop": RpcAction, "stream_in": StreamAction,
             "stream_out": StreamAction}

    def __call__(self, parser, ns, value, option=None):
        kind = self.dest.replace("_", "-")
        ns.actions.append(self.KINDS[self.dest](kind, value if value != [] else None))


def parse(argv):
    p = argparse.ArgumentParser(
        prog="wse.run",
        description="Load a kernel image, copy arrays in, launch functions, copy arrays out.",
        epilog="FILE is a .npy file (little-endian f4, i4, u4, f2 or i2, C order), raw bytes "
               "otherwise, or - (--d2h, --stream-out) to print the values. TYPE: f32, i32, u32, f16, "
               "i16. ARG: an integer or a float. See Documentation/wse/wse-run.rst.")
    p.add_argument("-d", "--device", default=None,
                   help="an index (default 0, the first of $WSE_DEVICE if set), a node, "
                        "drm:N or sim:WxH")
    p.add_argument("-l", "--list", action="store_true",
                   help="list the image's arrays and functions (as loaded on DEVICE)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print nothing but errors and '-' dumps")
    p.add_argument("image")
    for kind in ("h2d", "launch", "d2h", "resident", "stream-in", "stream-out", "call"):
        p.add_argument("--" + kind, dest=kind.replace("-", "_"), action=_Append,
                       metavar="SPEC", help=argparse.SUPPRESS)
    p.add_argument("--stop", dest="stop", action=_Append, nargs=0, help=argparse.SUPPRESS)
    p.set_defaults(actions=[])
    return p.parse_args(argv)


def device_arg(d):
    if d is None:
        return None
    return int(d) if d.isdigit() else d


def main(argv=None):
    try:
        a = parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as e:
        return e.code
    try:
        for act in a.actions:
            try:
                act.check_syntax()
            except Failure as e:
                raise Failure("%s: %s" % (what(act), e))
        resident_at_end = check_order(a.actions)
        start = time.monotonic()
        try:
            rt = Runtime(a.image, device=device_arg(a.device))
        except OSError as e:
            if isinstance(e, Error):
                raise Failure("cannot open the device %s: %s%s" % (
                    a.device or "0", e.strerror, " (%s)" % e.detail if e.detail else ""))
            raise Failure("cannot read '%s': %s" % (a.image, e.strerror))
        try:
            t0 = time.monotonic()
            try:
                rt.load()
            except Error as e:
                raise Failure("cannot load %s: %s%s" % (a.image, e.strerror,
                                                         " (%s)" % e.detail if e.detail else ""))
            t = time.monotonic() - t0
            x, y, w, h = rt.region
            if a.list:
                print("%s: %dx%d PEs, %d-byte SRAM per PE" % (a.image, w, h,
                                                              rt.info["sram_bytes"]))
                for s in rt.symbols():
                    if s.kind == "function":
                        print("  function %s" % s.name)
                    else:
                        print("  array    %s: %s[%d] at 0x%x" % (s.name, s.type, s.elems, s.addr))
                return 0
            prev_in = None
            for act in a.actions:
                try:
                    prev_in = act.check_program(rt, w, h, prev_in)
                except Failure as e:
                    raise Failure("%s: %s" % (what(act), e))
            if not a.quiet:
                print("load %s on %s: %dx%d PEs at (%d,%d) in %.1f ms"
                      % (a.image, rt.info["node"], w, h, x, y, t * 1e3))
            # A resident kernel left running is stopped, its error reported.
            stop = [RpcAction("stop", None)] if resident_at_end else []
            for act in a.actions + stop:
                try:
                    act.run(rt, a.quiet)
                except Error as e:
                    raise Failure("%s: %s%s" % (what(act), e.strerror,
                                                " (%s)" % e.detail if e.detail else ""))
            if not a.quiet:
                print("total %.1f ms" % ((time.monotonic() - start) * 1e3))
        finally:
            rt.stop()
    except Failure as e:
        sys.stdout.flush()
        print("wse.run: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
