#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# trace-check.py JSON CSV PREFIX - what wse-run --trace and --profile
# wrote for tests/host/trace-kernel.wsasm (2 x 3 PEs, N wavelets a row)
# is what the kernel must produce. Prints TAP lines from number FIRST on;
# used by tests/host/trace.sh.
import csv
import json
import sys

from PIL import Image

N = 80
W, H = 2, 3
path_json, path_csv, prefix, first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
n = first


def ok(cond, what, detail=""):
    global n
    if not cond and detail:
        print("# " + detail)
    print(("ok %d " if cond else "not ok %d ") % n + what)
    n += 1


doc = json.load(open(path_json))
events = doc["traceEvents"]
ok(doc["otherData"]["width"] == W and doc["otherData"]["height"] == H and
   doc["otherData"]["clock_mhz"] == 850 and doc["otherData"]["dropped"] == 0,
   "trace: otherData names the region, the clock and no drops", str(doc["otherData"]))

names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
         if e["ph"] == "M" and e["name"] == "thread_name"}
ok(names == {(y + 1, x + 1): "PE (%d,%d)" % (x, y) for x in range(W) for y in range(H)},
   "trace: a track per PE, named PE (x,y)", str(names))

cycles = {}
for y in range(H):
    for x in range(W):
        mine = [e for e in events if e["pid"] == y + 1 and e["tid"] == x + 1 and e["ph"] != "M"]
        cyc = [e["args"]["cycle"] for e in mine]
        ok(cyc == sorted(cyc), "trace: PE (%d,%d)'s events in cycle order" % (x, y))
        ts = [e["ts"] for e in mine]
        ok(ts == sorted(ts) and all(abs(e["ts"] - e["args"]["cycle"] / 850.0) < 1e-6 for e in mine),
           "trace: PE (%d,%d)'s ts is cycles at 850 MHz, in order" % (x, y))
        tasks = [e for e in mine if e["cat"] == "task"]
        ok(len(tasks) == 1 and tasks[0]["name"] == "function" and tasks[0]["args"]["cycle"] == 0,
           "trace: PE (%d,%d) ran the function once, from cycle 0" % (x, y), str(tasks))
        kind = "send c1" if x == 0 else "recv c1"
        wav = [e for e in mine if e["cat"] == "wavelet"]
        ok(len(wav) == N and all(e["name"] == kind and e["args"]["wavelets"] == 1 for e in wav),
           "trace: PE (%d,%d) has %d '%s' events" % (x, y, N, kind), "%d events" % len(wav))
        insn = [e for e in mine if e["cat"] == "insn"]
        count = 3 + 3 * N if x == 0 else 6 + 8 * N
        ok(len(insn) == count // 10, "trace: PE (%d,%d) has an instruction sample every 10" % (x, y),
           "%d samples of %d instructions" % (len(insn), count))
        stalls = [e for e in mine if e["cat"] == "stall"]
        ok(all(e["name"] == ("stall send c1" if x == 0 else "stall recv c1") for e in stalls) and
           (x == 1 or stalls), "trace: PE (%d,%d)'s stalls are its own kind (the sender has some)" % (x, y))
        end = tasks[0]["args"]["cycle"] + tasks[0]["args"]["cycles"] if tasks else 0
        ok(all(s["args"]["cycle"] >= 0 and s["args"]["cycle"] + s["args"]["cycles"] <= end for s in stalls),
           "trace: PE (%d,%d)'s stalls lie within its task" % (x, y))
        cycles[(x, y)] = (end, sum(s["args"]["cycles"] for s in stalls))

rows = list(csv.DictReader(open(path_csv)))
ok(len(rows) == W * H, "csv: a line per PE")
good = True
for r in rows:
    x, y = int(r["x"]), int(r["y"])
    v = {k: int(r[k]) for k in r}
    want_in, want_out = (0, N) if x == 0 else (N, 0)
    want_insn = 3 + 3 * N if x == 0 else 6 + 8 * N
    end, stalled = cycles[(x, y)]
    stall = v["stall_send"] + v["stall_recv"]
    if not (v["wavelets_in"] == want_in and v["wavelets_out"] == want_out and
            v["instructions"] == want_insn and v["tasks"] == 1 and
            v["sram_bytes"] == (4 if x == 1 else 0) and
            v["busy"] + stall + v["idle"] == v["cycles"] and
            v["busy"] == end - stalled and stall == stalled and
            (v["stall_send"] > 0) == (x == 0)):
        good = False
        print("# PE (%d,%d): %s" % (x, y, v))
ok(good, "csv: wavelets, instructions, tasks, SRAM bytes exact; busy and stalls as the trace's")

# tools/run/trace.c's colour(): viridis at 0, 1/8, ..., 1, in 1/1024ths.
VIRIDIS = [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
           (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)]


def colour(v, top):
    pos = v * 8 * 1024 // top if top else 0
    i, f = (7, 1024) if pos // 1024 >= 8 else (pos // 1024, pos % 1024)
    return tuple((VIRIDIS[i][k] * (1024 - f) + VIRIDIS[i + 1][k] * f) // 1024 for k in range(3))


# Each heatmap is its counter PE by PE (the CSV's line for (x, y) at
# pixel (x, y)), not a total: SRAM bytes and stalls are only the
# receivers' or the senders' (checked above), so a uniform map fails.
per_pe = {(int(r["x"]), int(r["y"])): r for r in rows}
for name in ("busy", "stall_send", "stall_recv", "idle", "wavelets_in", "wavelets_out",
             "sram_bytes", "instructions", "tasks"):
    img = Image.open("%s-%s.png" % (prefix, name))
    img.load()
    top = max(int(r[name]) for r in rows)
    bad = [(x, y) for x in range(W) for y in range(H)
           if img.size == (W, H) and img.mode == "RGB" and
           img.getpixel((x, y)) != colour(int(per_pe[(x, y)][name]), top)]
    ok(img.size == (W, H) and img.mode == "RGB" and not bad and img.info.get("wse-max") == str(top),
       "png: %s is %dx%d RGB, each PE its own counter on viridis" % (name, W, H),
       "%s %s, wrong pixels %s, wse-max %s" % (img.size, img.mode, bad, img.info.get("wse-max")))
img = Image.open(prefix + "-wavelets_out.png").convert("RGB")
ok(all(img.getpixel((0, y)) == (253, 231, 37) and img.getpixel((1, y)) == (68, 1, 84) for y in range(H))
   and img.info.get("wse-max") == str(N),
   "png: wavelets_out is viridis' top on the senders, its bottom on the receivers")
print("# %d checks" % (n - first))
