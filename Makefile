# SPDX-License-Identifier: GPL-2.0
#
# wse: top-level build. `make` builds the kernel module, libwse and the
# tools; `make demo` boots the VM and shows the stack working, `make
# demo-sim` runs the examples on the simulator without QEMU; `make check`
# runs the host tests and the kselftest suites in the VM; `make bench` runs
# the benchmarks. Host build outputs go to build/, the kernel module is
# built in place by Kbuild, QEMU and extracted kernel files live in
# $(WSE_CACHE).

WSE_CACHE ?= /var/cache/wse
export WSE_CACHE

TOP := $(CURDIR)
B := $(TOP)/build

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Werror=implicit-function-declaration
HOST_CFLAGS = $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -pthread
HOST_LDFLAGS = -pthread

# Debian's bookworm-backports 6.12 headers (newest installed).
KVER = $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$$/\1/p' | sort -V | tail -n1)
KDIR = /usr/src/linux-headers-$(KVER)
QEMU_BUILD = $(WSE_CACHE)/qemu-build
QEMU = $(QEMU_BUILD)/qemu-system-x86_64
KTOOLS = $(WSE_CACHE)/linux-tools
KSFT = $(KTOOLS)/tools/testing/selftests

.PHONY: all setup module libwse tools qemu ktools check check-host check-qtest check-vm \
	demo demo-sim bench clean checkpatch FORCE
.DEFAULT_GOAL := all

all: module libwse tools

# Install missing packages (fast no-op when everything is there).
setup:
	@$(TOP)/scripts/setup.sh

ktools: setup
	@$(TOP)/scripts/kernel-tools.sh >/dev/null

qemu: setup
	@$(TOP)/scripts/build-qemu.sh

module: setup
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

$(B):
	@mkdir -p $@

# Each part contributes rules and adds its host tests to HOST_TESTS
# (programs printing TAP) and its benchmarks to BENCHES.
HOST_TESTS :=
BENCHES :=
-include $(wildcard abi/*.mk qemu-device/*.mk qemu-device/wafer/*.mk libwse/*.mk tools/*.mk \
	python/*.mk \
	tests/*/*.mk bench/*.mk examples/*.mk)

# Host tests compile against the kselftest headers.
$(HOST_TESTS) $(BENCHES): | ktools

# Build what builds (-k), then run everything: a test that failed to
# build is reported as a failure by run-tap.sh, not silently left out.
check-host: setup ktools
	@$(MAKE) --no-print-directory -k $(HOST_TESTS); \
	 $(TOP)/tests/run-tap.sh host $(HOST_TESTS)

# The device's qtest, built in the cached QEMU tree.
check-qtest: setup
	@$(TOP)/scripts/build-qemu.sh qemu-system-x86_64 tests/qtest/wse-test
	@cd $(QEMU_BUILD) && QTEST_QEMU_BINARY=./qemu-system-x86_64 \
		$(TOP)/tests/run-tap.sh qtest ./tests/qtest/wse-test --tap -k

check-vm: all qemu ktools
	@$(TOP)/tests/vm/run-suites.sh

# Host tests first (fast), then the device's qtest, then the VM suites;
# one totals line at the end. A stage that fails without saying which
# test failed (a build error, a dead VM) still counts as a failure.
check:
	@rm -rf $(B)/results; mkdir -p $(B)/results
	@for stage in check-host check-qtest check-vm; do \
		$(MAKE) --no-print-directory $$stage || \
		echo "not ok 1 $$stage failed (see its output above)" >$(B)/results/zz-$$stage.tap; \
	 done; \
	 $(TOP)/tests/summary.sh $(B)/results

demo: all qemu ktools
	@$(TOP)/tests/vm/demo.sh

# The user side on the simulator: no QEMU, no VM, no kernel module, and
# only the packages that needs where setup.sh has a profile for it.
demo-sim:
	@if grep -q -- '--profile' $(TOP)/scripts/setup.sh; then \
		$(TOP)/scripts/setup.sh --profile=sim; else $(TOP)/scripts/setup.sh; fi
	@$(MAKE) --no-print-directory libwse tools examples
	@PYTHON=$(PYTHON) $(TOP)/scripts/demo-sim.sh

bench: all qemu ktools $(BENCHES)
	@$(TOP)/bench/run.sh $(BENCHES)

# BIT()/BIT_ULL() do not exist for the two headers shared with userspace
# and QEMU (uapi/drm/wse_accel.h, driver/wse_regs.h), hence BIT_MACRO.
checkpatch: ktools
	@$(KTOOLS)/scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,BIT_MACRO -f driver/*.[ch] uapi/drm/*.h

clean:
	rm -rf $(B)
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1
