# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the first hour: setup's apt sources, nothing package-
# dependent at parse time, make install/uninstall with pkg-config, the man
# pages. Shell scripts printing TAP, run through a wrapper in build/ like
# tests/host/layering.sh.

DIST_TESTS := setup-sources parse-time install man-pages
HOST_TESTS += $(addprefix $(B)/tests/host/,$(DIST_TESTS))

# What each one needs built first.
$(B)/tests/host/install: libwse tools examples man
$(B)/tests/host/man-pages: tools man

$(addprefix $(B)/tests/host/,$(DIST_TESTS)): $(B)/tests/host/%: tests/host/%.sh
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/$< $(TOP) >$@
	chmod +x $@
