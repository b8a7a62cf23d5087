# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures of the wse package's tests, and a TAP report for make check.

The tests run from a wse build tree: the package from python/, libwse and
the simulator plugin from build/ (or $WSE_BUILD), the kernel images the
build made, wse-as to assemble the test kernels. With --tap, each result
is also printed as a TAP line, which tests/summary.sh counts (a skip is
printed as one, and counted as a failure).
"""

import os
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("WSE_BUILD", os.path.join(TOP, "build"))
sys.path.insert(0, os.path.join(TOP, "python"))
os.environ.setdefault("WSE_LIBRARY", os.path.join(BUILD, "libwse.so.1"))

DATADIR = os.path.join(BUILD, "vm-extra", "usr", "share", "wse")


def pytest_addoption(parser):
    parser.addoption("--tap", action="store_true", help="print a TAP line per test")


def pytest_configure(config):
    config._wse_tap = 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    cfg = item.config
    if not cfg.getoption("--tap"):
        return
    tr = cfg.pluginmanager.getplugin("terminalreporter")
    line = None
    if rep.when == "call" or (rep.when == "setup" and not rep.passed):
        cfg._wse_tap += 1
        if rep.skipped:
            line = "ok %d %s # SKIP" % (cfg._wse_tap, item.nodeid)
        elif rep.passed:
            line = "ok %d %s" % (cfg._wse_tap, item.nodeid)
        else:
            line = "not ok %d %s" % (cfg._wse_tap, item.nodeid)
    elif rep.when == "teardown" and rep.failed:
        cfg._wse_tap += 1
        line = "not ok %d %s (teardown)" % (cfg._wse_tap, item.nodeid)
    if line and tr:
        # On a line of its own: the progress dots do not end theirs.
        tr.write("\n%s\n" % line)


@pytest.fixture(scope="session")
def datadir():
    return DATADIR


@pytest.fixture(scope="session")
def assemble(tmp_path_factory):
    """assemble(source text or .wsasm path, **defines) -> image path."""
    out = tmp_path_factory.mktemp("images")
    count = [0]

    def run(src, **defines):
        count[0] += 1
        if "\n" in src:
            path = out / ("k%d.wsasm" % count[0])
            path.write_text(src)
        else:
            path = src
        img = out / ("k%d.img" % count[0])
        cmd = [os.path.join(BUILD, "wse-as"), "-o", str(img)]
        cmd += ["-D%s=%s" % kv for kv in defines.items()]
        subprocess.run(cmd + [str(path)], check=True)
        return str(img)

    return run


@pytest.fixture(scope="session")
def test_image(assemble):
    """The selftests' kernels: scale, widen, whoami, fault, spin on 4x4 PEs."""
    return assemble(os.path.join(TOP, "tests", "selftests", "wse", "kernels",
                                 "wse_test.wsasm"))


@pytest.fixture(scope="session")
def gemv_image(datadir):
    return os.path.join(datadir, "gemv-256x256-8x8.img")


@pytest.fixture(scope="session")
def stencil_image(datadir):
    return os.path.join(datadir, "stencil-128x128-8x8.img")
