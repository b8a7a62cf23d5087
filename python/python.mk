# SPDX-License-Identifier: GPL-2.0
#
# The Python package wse (python/wse/, ctypes over libwse) and its tests:
# pytest on the simulator, a host test of check-host that prints a TAP
# line per test case. Debian's python3 with python3-numpy and
# python3-pytest (scripts/setup.sh), not whatever python3 comes first in
# PATH: PYTHON names it.

PYTHON ?= /usr/bin/python3

PY_SRCS := $(wildcard python/wse/*.py python/tests/*.py)

$(B)/tests/host/python-wse: $(PY_SRCS) $(LIBWSE_SO) $(SIM_SO) $(B)/wse-as \
		$(B)/wse-run examples
	@mkdir -p $(@D)
	printf '#!/bin/sh\ncd %s || exit 1\nexport WSE_BUILD=%s PYTHONDONTWRITEBYTECODE=1\nexec %s -m pytest -q -p no:cacheprovider python/tests --tap "$$@"\n' \
		$(TOP) $(B) $(PYTHON) >$@
	chmod +x $@

HOST_TESTS += $(B)/tests/host/python-wse
