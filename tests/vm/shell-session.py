#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive `tests/vm/run-vm.sh --mode shell` the way a person would: on a
terminal (a pty), wait for the prompt, type commands, read their output,
type `exit`, and see the VM power off.

Usage: shell-session.py TRANSCRIPT RUN-VM-COMMAND...
Prints TAP; the whole session (what the person would have seen) goes to
TRANSCRIPT.
"""
import os
import pty
import re
import select
import sys
import time

BOOT_TIMEOUT = 300	# TCG on a loaded 2-core machine
CMD_TIMEOUT = 60
# What must not appear on a normal boot's console: what reads as an error
# to a new user.
ERROR_LOOKING = re.compile(
    r"error|fail|invalid|unable|cannot|can't|not found|no such|warning|"
    r"bug|oops|panic|call trace|segfault|denied|taint",
    re.IGNORECASE)


class Session:
    def __init__(self, argv, transcript):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        self.buf = b""
        self.log = open(transcript, "wb")

    def read_until(self, pattern, timeout):
        """Read until `pattern` (bytes regex) matches what came since the
        last match; return the text before it, None on timeout or EOF."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                before = self.buf[:m.start()]
                self.buf = self.buf[m.end():]
                return before.decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                return None
            if not data:
                return None
            self.log.write(data)
            self.log.flush()
            self.buf += data

    def type(self, line):
        """Type a line as a person would: once the prompt has settled (the
        shell sets up its line editing after printing it), a key at a
        time."""
        self.read_until(rb"(?!x)x", 1.0)
        for c in line.encode() + b"\r":
            os.write(self.fd, bytes([c]))
            time.sleep(0.02)

    def wait(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Keep draining the pty so that QEMU never blocks on output.
            self.read_until(rb"(?!x)x", 0.2)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        return None


def main():
    transcript, argv = sys.argv[1], sys.argv[2:]
    n = 0
    fails = 0

    def ok(good, what):
        nonlocal n, fails
        n += 1
        print(("ok %d " if good else "not ok %d ") % n + what, flush=True)
        if not good:
            fails += 1

    print("TAP version 13")
    print("1..5")
    s = Session(argv, transcript)
    # The prompt: busybox sh as root shows "/ # ".
    boot = s.read_until(rb"\n/ # ", BOOT_TIMEOUT)
    ok(boot is not None, "the shell prompt appears on the terminal")
    if boot is None:
        s.wait(5)
        return 1
    bad = [l for l in boot.splitlines() if ERROR_LOOKING.search(l)]
    for l in bad:
        print("# " + l.strip())
    ok(not bad, "the boot shows no error-looking line (%d lines)"
       % len(boot.splitlines()))

    # Type a command, read its answer (the echo of the typed line first).
    s.type("echo answer-$((6 * 7))")
    out = s.read_until(rb"\nanswer-42\r*\n", CMD_TIMEOUT)
    ok(out is not None, "a typed command runs: echo answer-$((6 * 7)) gives answer-42")

    s.type("wse-smi -L; echo smi-status-$?")
    out = s.read_until(rb"smi-status-(\d+)", CMD_TIMEOUT)
    good = out is not None and "accel0: wse mesh" in out
    if out is not None:
        for l in out.splitlines()[-3:]:
            print("# " + l.strip())
    ok(good, "wse-smi -L typed at the prompt lists the device")

    s.type("exit")
    rc = s.wait(120)
    ok(rc == 0, "exit powers the VM off and run-vm.sh ends with status 0 (%s)" % rc)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
