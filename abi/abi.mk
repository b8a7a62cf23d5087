# SPDX-License-Identifier: GPL-2.0
#
# abi/: the contract between the toolchain, the runtime and the device
# (the ISA tables, the kernel image format and its parser, the statuses a
# wafer reports). Every part builds from these files: libwafer.a (the
# emulator core), libwse.so (as position-independent code), wse-as,
# wse-objdump and wse-run; QEMU compiles them through abi/meson.build.
# Included first by the top-level Makefile, so that ABI_OBJS and
# ABI_PIC_OBJS exist when the other parts' rules are read.

ABI_SRCS := $(wildcard abi/*.c)
ABI_OBJS := $(patsubst abi/%.c,$(B)/abi/%.o,$(ABI_SRCS))
ABI_PIC_OBJS := $(patsubst abi/%.c,$(B)/abi/pic/%.o,$(ABI_SRCS))
ABI_INCLUDE := -I$(TOP)/abi
ABI_CFLAGS = $(HOST_CFLAGS) -fno-strict-aliasing -fwrapv $(ABI_INCLUDE)

$(B)/abi/%.o: abi/%.c
	@mkdir -p $(@D)
	$(CC) $(ABI_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/abi/pic/%.o: abi/%.c
	@mkdir -p $(@D)
	$(CC) $(ABI_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

-include $(ABI_OBJS:.o=.d) $(ABI_PIC_OBJS:.o=.d)

# The layering rule as a host test (tests/host/layering.sh).
HOST_TESTS += $(B)/tests/host/layering

$(B)/tests/host/layering: tests/host/layering.sh
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s\n' $(TOP)/tests/host/layering.sh $(TOP) >$@
	chmod +x $@
