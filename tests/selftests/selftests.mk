# SPDX-License-Identifier: GPL-2.0
#
# `make selftests` builds the kselftest suites under tests/selftests/ on the
# host (tests/vm/mkinitramfs.sh builds and installs them for the VM the
# same way): each suite's own Makefile with the kernel's lib.mk.

SELFTEST_SUITES := $(patsubst tests/selftests/%/Makefile,%,$(wildcard tests/selftests/*/Makefile))

.PHONY: selftests
selftests: libwse ktools
	@for s in $(SELFTEST_SUITES); do \
		mkdir -p $(B)/selftests/$$s && \
		$(MAKE) --no-print-directory -C tests/selftests/$$s KSFT_DIR=$(KSFT) \
			OUTPUT=$(B)/selftests/$$s LIBWSE_DIR=$(B) || exit 1; \
	done

# wse_kernels.h must be what kernels/wse_test.wsasm assembles to.
HOST_TESTS += $(B)/tests/host/wse-kernels-check

$(B)/tests/host/wse-kernels-check: tests/selftests/wse/gen-kernels.sh \
		tests/selftests/wse/kernels/wse_test.wsasm \
		tests/selftests/wse/wse_kernels.h $(B)/wse-as $(B)/wse-objdump
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s --check %s %s\n' \
		$(TOP)/tests/selftests/wse/gen-kernels.sh $(B)/wse-as \
		$(B)/wse-objdump >$@
	chmod +x $@
