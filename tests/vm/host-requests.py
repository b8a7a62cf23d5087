#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Carry out requests a test in the VM makes of the host.

A test writes a line "# WSE-HOST <request>" to /dev/ttyS1, the VM's result
port (anything may stand before "WSE-HOST"); this script follows that
stream and answers each request through QEMU's QMP socket:

  WSE-HOST device_del <id>           unplug a device (e.g. wse0)
  WSE-HOST device_add <id> <props>   plug a wse device back, props as
                                     k=v,k=v (bus=rp0,mesh-width=8,...)

Usage: host-requests.py <qmp-socket> <result-file>
Runs until the result file shows the VM's WSE-EXIT line or QEMU goes away.
"""
import json
import os
import socket
import sys
import time


def qmp_connect(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            f = s.makefile("rw")
            json.loads(f.readline())          # greeting
            qmp(f, "qmp_capabilities")
            return f
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def qmp(f, cmd, **args):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    f.write(json.dumps(msg) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply


def handle(f, words):
    if words[0] == "device_del" and len(words) == 2:
        return qmp(f, "device_del", id=words[1])
    if words[0] == "device_add" and len(words) >= 2:
        props = {"driver": "wse", "id": words[1]}
        for kv in (words[2].split(",") if len(words) > 2 else []):
            k, _, v = kv.partition("=")
            props[k] = int(v) if v.isdigit() else v
        return qmp(f, "device_add", **props)
    return {"error": "unknown request " + " ".join(words)}


def main():
    sock, results = sys.argv[1], sys.argv[2]
    f = qmp_connect(sock, time.time() + 60)
    pos = 0
    buf = ""
    while True:
        try:
            with open(results, "r", errors="replace") as r:
                r.seek(pos)
                data = r.read()
                pos = r.tell()
        except FileNotFoundError:
            data = ""
        buf += data
        lines = buf.split("\n")
        buf = lines.pop()
        for line in lines:
            if line.startswith("WSE-EXIT"):
                return
            at = line.find("WSE-HOST ")
            if at >= 0:
                reply = handle(f, line[at + 9:].split())
                sys.stderr.write("host-requests: %s -> %s\n" % (line[at:], reply))
        if not data:
            time.sleep(0.1)
            if not os.path.exists(sock):
                return


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError):
        pass
