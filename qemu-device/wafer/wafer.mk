# SPDX-License-Identifier: GPL-2.0
#
# The wafer core as a host library, and its host tests. Included by the
# top-level Makefile, which provides B, HOST_CFLAGS, HOST_LDFLAGS, KSFT and
# collects HOST_TESTS. Every .c of qemu-device/wafer/ goes into
# libwafer.a, with the contract it executes (abi/: the image parser and
# ISA tables); QEMU builds the same files through the meson.build files.

WAFER_DIR := qemu-device/wafer
WAFER_SRCS := $(wildcard $(WAFER_DIR)/*.c)
WAFER_OBJS := $(patsubst %.c,$(B)/%.o,$(WAFER_SRCS))
# QEMU compiles with the first two too; a * b + c stays two roundings;
# loops start on 32-byte boundaries (vector.c asks for it itself, this is
# for the benchmark's native baselines: same code, same alignment).
WAFER_CFLAGS = $(HOST_CFLAGS) -fno-strict-aliasing -fwrapv -ffp-contract=off \
	-falign-loops=32 -I$(TOP)/$(WAFER_DIR) $(ABI_INCLUDE)

$(B)/$(WAFER_DIR)/%.o: $(WAFER_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libwafer.a: $(WAFER_OBJS) $(ABI_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# Host tests: every tests/host/wafer-*.c with a main; the builder is a
# helper linked into each of them (and into bench/wafer).
WAFER_TEST_SRCS := $(filter-out tests/host/wafer-builder.c,$(wildcard tests/host/wafer-*.c))
WAFER_TESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(WAFER_TEST_SRCS))
WAFER_BUILDER := $(B)/tests/host/wafer-builder.o

.PHONY: wafer-ksft
wafer-ksft:
	@test -f $(KSFT)/kselftest_harness.h || $(TOP)/scripts/kernel-tools.sh >/dev/null

$(WAFER_BUILDER): tests/host/wafer-builder.c
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/host/wafer-%: tests/host/wafer-%.c $(WAFER_BUILDER) $(B)/libwafer.a | wafer-ksft
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Wno-missing-prototypes -Wno-clobbered -I$(KSFT) -Itests/host -MMD -MP -o $@ $< \
		$(WAFER_BUILDER) $(B)/libwafer.a $(HOST_LDFLAGS) -lm

HOST_TESTS += $(WAFER_TESTS)

# meson.build lists the core's files by hand: the same list as make's.
HOST_TESTS += $(B)/tests/host/wafer-meson

$(B)/tests/host/wafer-meson: tests/host/wafer-meson.sh
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/tests/host/wafer-meson.sh $(TOP) >$@
	chmod +x $@

# The GEMV example assembled by the toolchain and run on the core (listed
# in HOST_TESTS by tools/tools.mk, with the other asm-* tests).
$(B)/tests/host/asm-gemv: tests/host/asm-gemv.c tests/host/tools-test.h \
		$(B)/libwseasm.a $(B)/libwafer.a | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(TOOLS_TEST_CFLAGS) -I$(TOP)/$(WAFER_DIR) -MMD -MP -o $@ $< \
		$(B)/libwseasm.a $(B)/libwafer.a $(HOST_LDFLAGS) -lm

# The dataflow examples assembled and run on the core, against the
# examples' host references.
$(B)/tests/host/asm-dataflow: tests/host/asm-dataflow.c tests/host/tools-test.h \
		examples/life/life_ref.c examples/stencil/stencil_ref.c \
		$(B)/libwseasm.a $(B)/libwafer.a | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(TOOLS_TEST_CFLAGS) -I$(TOP)/$(WAFER_DIR) -Iexamples/life -Iexamples/stencil \
		-MMD -MP -o $@ $< examples/life/life_ref.c examples/stencil/stencil_ref.c \
		$(B)/libwseasm.a $(B)/libwafer.a $(HOST_LDFLAGS) -lm

-include $(WAFER_OBJS:.o=.d) $(WAFER_BUILDER:.o=.d) $(WAFER_TESTS:=.d)

# The simulator backend of libwse: the core and its adapter (sim/) as one
# position-independent plugin, $(B)/libwse-sim.so.1, that libwse loads for
# "sim:" device strings. It exports only the entry of abi/wse-backend.h;
# libwse finds it beside libwse.so.1. Built with libwse.
SIM_DIR := $(WAFER_DIR)/sim
SIM_SRCS := $(wildcard $(SIM_DIR)/*.c)
SIM_OBJS := $(patsubst %.c,$(B)/pic/%.o,$(WAFER_SRCS) $(SIM_SRCS))
SIM_SO := $(B)/libwse-sim.so.1

$(B)/pic/$(WAFER_DIR)/%.o: $(WAFER_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(SIM_SO): $(SIM_OBJS) $(ABI_PIC_OBJS) $(SIM_DIR)/sim.map
	$(CC) -shared -Wl,-soname,libwse-sim.so.1 -Wl,--version-script=$(SIM_DIR)/sim.map \
		-Wl,--no-undefined $(HOST_LDFLAGS) -o $@ $(SIM_OBJS) $(ABI_PIC_OBJS) -lm

.PHONY: sim
sim: $(SIM_SO)
libwse: $(SIM_SO)

-include $(SIM_OBJS:.o=.d)
