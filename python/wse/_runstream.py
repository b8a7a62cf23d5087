# SPDX-License-Identifier: GPL-2.0-or-later
"""python3 -m wse.run's resident kernel actions, wse-run's
(tools/run/stream.c, tools/wse-run-stream.c; Documentation/wse/wse-run.rst):

    --resident NAME[:ARG[,ARG]...]
    --stream-in  COLOR[:TYPE]@EDGE[,Y,H]=FILE
    --stream-out COLOR[:TYPE]@EDGE[,Y,H]=FILE[:N]
    --call NAME[:ARG[,ARG]...]
    --stop

The same spec syntax, defaults, refusals (word for word) and output
lines as wse-run: COLOR 0..23, EDGE west (w, 0), rows Y..Y+H-1 (default
all), a stream-out's N and TYPE from the last stream-in before it.
"""

import sys
import time

import numpy as np

from ._runspec import (CLOCK_HZ, TYPES, Failure, arg_bits, parse_launch, read_host, type_name,
                       write_array)

COLORS = 24
EDGES = ("west", "w", "0")


def _u32(s, i):
    """A decimal number of 32 bits at s[i:]: (value, index after it), or None."""
    j = i
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    if j == i or int(s[i:j]) > 0xffffffff:
        return None
    return int(s[i:j]), j


def parse_stream(arg, inp):
    """A --stream-in (inp) or --stream-out spec, as tools/run/stream.c parses it."""
    form = "COLOR[:TYPE]@west[,Y,H]=FILE" + ("" if inp else "[:N]")
    x = {"in": inp, "color": 0, "type": None, "rows": None, "n": 0, "file": None}
    eq = arg.find("=")
    v = _u32(arg, 0)
    if eq < 0 or v is None or v[1] > eq:
        raise Failure("expected %s" % form)
    x["color"], p = v
    if x["color"] >= COLORS:
        raise Failure("color %d: colors are 0..%d" % (x["color"], COLORS - 1))
    if arg[p] == ":":
        te = p + 1
        while te < eq and arg[te] != "@":
            te += 1
        name = arg[p + 1:te]
        if name not in TYPES:
            raise Failure("type '%s' is not f32, i32, u32, f16 or i16" % name)
        x["type"] = np.dtype(TYPES[name])
        p = te
    if arg[p] != "@":
        raise Failure("expected %s ('@' and the edge after the color)" % form)
    p += 1
    for e in EDGES:
        if arg.startswith(e, p) and p + len(e) < len(arg) and arg[p + len(e)] in ",=":
            p += len(e)
            break
    else:
        at = arg.index("@") + 1
        n = at
        while n < len(arg) and arg[n] not in ",=":
            n += 1
        raise Failure("edge '%s': only the west edge ('west') has I/O channels" % arg[at:n])
    if arg[p] == ",":
        y = _u32(arg, p + 1)
        h = y and y[1] < len(arg) and arg[y[1]] == "," and _u32(arg, y[1] + 1)
        if not h or h[1] != eq or not h[0]:
            raise Failure("expected west,Y,H (first row, rows above 0) before '='")
        x["rows"] = (y[0], h[0])
    f = arg[eq + 1:]
    colon = -1 if inp else f.rfind(":")
    if colon >= 0 and colon + 1 < len(f):
        n = _u32(f, colon + 1)
        if n is not None and n[1] == len(f):
            if not n[0]:
                raise Failure("N (elements per row, after ':') must be above 0")
            x["n"] = n[0]
            f = f[:colon]
    if not f:
        raise Failure("no file after '='")
    if len(f) >= 4096:
        raise Failure("file name too long")
    x["file"] = f
    return x


def _read_in(x):
    """A stream-in's file: its elements, flat, of the file's type (a .npy)
    or TYPE (raw bytes; u32 if none is given)."""
    path = x["file"]
    if path == "-":
        raise Failure("--stream-in reads files, not standard input")
    data, _ = read_host(x)
    if path.endswith(".npy"):
        if x["type"] is not None and x["type"] != data.dtype:
            raise Failure("%s holds %s, not %s" % (path, data.dtype.str, type_name(x["type"])))
        return data
    dt = x["type"] if x["type"] is not None else np.dtype(np.uint32)
    if data.size % dt.itemsize:
        raise Failure("%s has %d bytes, not a whole number of %d-byte elements"
                      % (path, data.size, dt.itemsize))
    return data.view(dt)


def _finish(task):
    """Wait for a job started with nonblock=True; its modeled cycles."""
    try:
        task.wait()
    finally:
        task.free()
    return task.cycles


class StreamAction:
    """--stream-in or --stream-out."""

    def __init__(self, kind, arg):
        self.kind = kind
        self.arg = arg

    def check_syntax(self):
        self.x = parse_stream(self.arg, self.kind == "stream-in")
        if self.x["in"]:
            self.data = _read_in(self.x)

    def check_program(self, rt, pw, ph, prev):
        """The rows against the program, N and the type (a stream-out's from
        prev, the last stream-in before it); returns self if a stream-in."""
        x = self.x
        self.y, self.h = x["rows"] or (0, ph)
        if self.y + self.h > ph:
            raise Failure("rows %d..%d are not all in the image's %d rows"
                          % (self.y, self.y + self.h - 1, ph))
        if x["in"]:
            count = self.data.size
            if not count or count % self.h:
                raise Failure("%s holds %d elements, not a multiple of the %d rows"
                              % (x["file"], count, self.h))
            self.n = count // self.h
            if self.n > 0xffffffff:
                raise Failure("%s: too many elements per row" % x["file"])
            self.dtype = self.data.dtype
            return self
        self.dtype = x["type"] if x["type"] is not None else (
            prev.dtype if prev else np.dtype(np.uint32))
        self.n = x["n"] or (prev.n if prev else 0)
        if not self.n:
            raise Failure("how many elements per row? Write FILE:N (no --stream-in "
                          "before it to take N from)")
        return prev

    def run(self, rt, quiet):
        x = self.x
        t0 = time.monotonic()
        if x["in"]:
            task = rt.send(x["color"], self.data.reshape(self.h, self.n), self.y, self.h,
                           nonblock=True)
        else:
            task = rt.receive(x["color"], self.n, self.y, self.h, self.dtype, nonblock=True)
        cycles = _finish(task)
        t = time.monotonic() - t0
        if not quiet:
            print("%s %d@west,%d,%d %s %s: %d rows x %d %s in %.1f ms, %d cycles"
                  % (self.kind, x["color"], self.y, self.h, "<-" if x["in"] else "->",
                     x["file"], self.h, self.n, type_name(self.dtype), t * 1e3, cycles))
        if not x["in"]:
            sys.stdout.flush()
            write_array(x["file"], task.array, "stream %d" % x["color"], 0, self.y, 1,
                        self.h, self.n)


class RpcAction:
    """--resident, --call or --stop."""

    def __init__(self, kind, arg):
        self.kind = kind
        self.arg = arg

    def check_syntax(self):
        if self.kind != "stop":
            self.launch = parse_launch(self.arg)

    def check_program(self, rt, pw, ph, prev):
        if self.kind != "stop":
            syms = {s.name: s for s in rt.symbols()}
            s = syms.get(self.launch["name"])
            if not s or s.kind != "function":
                raise Failure("the image exports no function '%s' (-l lists them)"
                              % self.launch["name"])
        return prev

    def run(self, rt, quiet):
        t0 = time.monotonic()
        if self.kind == "stop":
            _finish(rt.stop_resident(nonblock=True))
            if not quiet:
                print("stop: %.1f ms" % ((time.monotonic() - t0) * 1e3))
            return
        name = self.launch["name"]
        bits = [arg_bits(a) for a in self.launch["args"]]
        if self.kind == "resident":
            task = rt.launch_resident(name, *bits, nonblock=True)
        else:
            task = rt.call(name, *bits, nonblock=True)
        cycles = _finish(task)
        t = time.monotonic() - t0
        if quiet:
            return
        ret = ""
        if self.kind == "call":
            rv = int(task.array[0])
            ret = " = %d (0x%x)" % (rv - (1 << 32) if rv >= 1 << 31 else rv, rv)
        print("%s %s(%s)%s: %.1f ms, %d cycles = %.2f us at %.2f GHz"
              % (self.kind, name, ", ".join("0x%x" % b for b in bits), ret, t * 1e3,
                 cycles, cycles / CLOCK_HZ * 1e6, CLOCK_HZ / 1e9))


def check_order(actions):
    """Every stream and call follows a --resident that no --launch or
    --stop ended; returns whether a kernel is left resident at the end."""
    resident = False
    for a in actions:
        if a.kind == "resident":
            resident = True
        elif a.kind == "launch":
            resident = False
        elif a.kind in ("call", "stop", "stream-in", "stream-out"):
            if not resident:
                raise Failure("%s: no resident kernel to %s: start one with --resident NAME "
                              "first" % (what(a), {"call": "call", "stop": "stop"}.get(
                                  a.kind, "stream to or from")))
            if a.kind == "stop":
                resident = False
    return resident


def what(a):
    """An action as written: "--stream-in 1@west=x.npy", "--stop"."""
    return "--%s%s" % (a.kind, " " + a.arg if a.arg is not None else "")
