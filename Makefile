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

# The stack's version: libwse's WSE_VERSION_MAJOR/MINOR/PATCH in wse.h
# (read from the tree, so no package is needed to know it).
WSE_VERSION := $(shell sed -n 's/^\#define WSE_VERSION_\(MAJOR\|MINOR\|PATCH\)[[:space:]]*\([0-9]*\).*/\2/p' \
	$(TOP)/libwse/include/wse/wse.h | tr '\n' . | sed 's/\.$$//')

CC ?= gcc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Werror=implicit-function-declaration
HOST_CFLAGS = $(CPPFLAGS) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE -pthread
HOST_LDFLAGS = $(LDFLAGS) -pthread

# Debian's bookworm-backports 6.12 headers (newest installed).
KVER = $(shell ls /usr/src 2>/dev/null | sed -n 's/^linux-headers-\(6\.12\..*-amd64\)$$/\1/p' | sort -V | tail -n1)
KDIR = /usr/src/linux-headers-$(KVER)
QEMU_BUILD = $(WSE_CACHE)/qemu-build
QEMU = $(QEMU_BUILD)/qemu-system-x86_64
KTOOLS = $(WSE_CACHE)/linux-tools
KSFT = $(KTOOLS)/tools/testing/selftests

.PHONY: all setup module libwse tools qemu ktools check check-host check-qtest check-vm \
	demo demo-sim bench clean checkpatch help FORCE
.DEFAULT_GOAL := all

all: module libwse tools

# Every package is installed before make reads the rules below (see
# "Packages first" at the end); `make setup` installs them explicitly.
setup:
	@$(TOP)/scripts/setup.sh

ktools:
	@$(TOP)/scripts/kernel-tools.sh >/dev/null

qemu:
	@$(TOP)/scripts/build-qemu.sh

module:
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

$(B):
	@mkdir -p $@

# Each part contributes rules and adds its host tests to HOST_TESTS
# (programs printing TAP) and its benchmarks to BENCHES.
HOST_TESTS :=
BENCHES :=
-include $(wildcard abi/*.mk qemu-device/*.mk qemu-device/wafer/*.mk libwse/*.mk tools/*.mk \
	python/*.mk \
	tests/*/*.mk bench/*.mk examples/*.mk dist/*.mk)

# Host tests compile against the kselftest headers.
$(HOST_TESTS) $(BENCHES): | ktools

# Build what builds (-k), then run everything: a test that failed to
# build is reported as a failure by run-tap.sh, not silently left out.
check-host: ktools
	@$(MAKE) --no-print-directory -k $(HOST_TESTS); \
	 $(TOP)/tests/run-tap.sh host $(HOST_TESTS)

# The device's qtest, built in the cached QEMU tree.
check-qtest:
	@$(TOP)/scripts/build-qemu.sh qemu-system-x86_64 tests/qtest/wse-test
	@cd $(QEMU_BUILD) && QTEST_QEMU_BINARY=./qemu-system-x86_64 \
		$(TOP)/tests/run-tap.sh qtest ./tests/qtest/wse-test --tap -k; r=$$?; \
	 $(TOP)/tests/run-tap.sh qtest $(TOP)/qemu-device/tests/kconfig-host.sh || r=1; \
	 exit $$r

# The kselftest suites, then the first hour (quiet boot, the shell on a
# terminal, the module DKMS builds: tests/vm/first-hour.sh).
check-vm: all qemu ktools dkms-source
	@$(TOP)/tests/vm/run-suites.sh; r=$$?; \
	 WSE_VERSION=$(WSE_VERSION) $(TOP)/tests/vm/first-hour.sh --reuse-initrd || r=1; \
	 exit $$r

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
# setup installs only the sim profile for it (SETUP_SIM_GOALS, below).
demo-sim:
	@$(MAKE) --no-print-directory libwse tools examples
	@PYTHON=$(PYTHON) $(TOP)/scripts/demo-sim.sh

bench: all qemu ktools $(BENCHES)
	@$(TOP)/bench/run.sh $(BENCHES)

# BIT()/BIT_ULL() do not exist for the two headers shared with userspace
# and QEMU (uapi/drm/wse_accel.h, driver/wse_regs.h), hence BIT_MACRO.
# wse_dbg() names its format twice (dbg_mask and dynamic debug), always a
# string literal, hence MACRO_ARG_REUSE. Tracepoint headers are written in
# TRACE_EVENT()'s own layout, which --strict's alignment rules misread.
checkpatch: ktools
	@$(KTOOLS)/scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,BIT_MACRO,MACRO_ARG_REUSE \
		-f $(filter-out %_trace.h,$(wildcard driver/*.[ch])) uapi/drm/*.h
	@$(KTOOLS)/scripts/checkpatch.pl --no-tree --terse -f driver/*_trace.h

help:
	@echo 'make            the module, libwse, the tools and the examples'
	@echo 'make demo       boot the VM with the device and run the examples on it'
	@echo 'make check      host tests, the qtest, kselftest suites in the VM'
	@echo '                (check-host, check-qtest, check-vm one by one)'
	@echo 'make bench      the benchmarks'
	@echo 'make fuzz-ioctl the ioctl fuzzer for 1M calls in the VM, then every suite'
	@echo 'make check-debug   the same under a KASAN/lockdep/kmemleak debug kernel'
	@echo 'make install    libwse, headers, libwse.pc, tools, man pages, udev rule'
	@echo '                (PREFIX=/usr/local, DESTDIR=; make uninstall takes it back)'
	@echo 'make install-dkms, module-install   the kernel module (DKMS, or plain)'
	@echo 'make deb        Debian packages in build/deb (and lintian)'
	@echo 'make check-packages   install them in a fresh Debian 12 root, build an example'
	@echo 'make man, checkpatch, setup, setup-sim, clean'

clean:
	rm -rf $(B)
	-$(MAKE) -C $(KDIR) M=$(TOP) clean >/dev/null 2>&1

# ---- Packages first ----
# A fresh machine has none of the packages the rules above use, not even
# a compiler, and nothing may depend on one while make parses. So
# scripts/setup.sh runs before any rule does: its stamp is an included
# makefile, which GNU make brings up to date (that is, runs setup) after
# reading the makefiles and before building any goal, then restarts and
# reads everything again with the packages installed. The stamp is redone
# when the setup scripts change. Goals that need no package skip it; goals
# that need only the simulator's packages take the small sim profile
# (parts add such goals to SETUP_SIM_GOALS). WSE_SKIP_SETUP=1 skips it
# when the packages are managed otherwise (Debian's package build).
SETUP_FREE_GOALS += clean uninstall setup setup-sim help
SETUP_SIM_GOALS += libwse tools examples demo-sim setup-sim
SETUP_GOALS := $(filter-out $(SETUP_FREE_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL)))
SETUP_PROFILE := $(if $(filter-out $(SETUP_SIM_GOALS),$(SETUP_GOALS)),full,sim)
SETUP_STAMP := $(B)/.setup-$(SETUP_PROFILE)

.PHONY: setup-sim
setup-sim:
	@$(TOP)/scripts/setup.sh --profile=sim

ifeq ($(WSE_SKIP_SETUP)$(if $(SETUP_GOALS),,none),)
include $(SETUP_STAMP)
endif

$(SETUP_STAMP): scripts/setup.sh scripts/apt-sources.sh
	@$(TOP)/scripts/setup.sh --profile=$(SETUP_PROFILE)
	@mkdir -p $(@D)
	@echo '# scripts/setup.sh --profile=$(SETUP_PROFILE) has run' >$@
