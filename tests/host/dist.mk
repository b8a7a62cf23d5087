# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the first hour: setup's apt sources, nothing package-
# dependent at parse time. Shell scripts printing TAP, run through a wrapper in build/ like
# tests/host/layering.sh.

DIST_TESTS := setup-sources parse-time
HOST_TESTS += $(addprefix $(B)/tests/host/,$(DIST_TESTS))

$(addprefix $(B)/tests/host/,$(DIST_TESTS)): $(B)/tests/host/%: tests/host/%.sh
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/$< $(TOP) >$@
	chmod +x $@
