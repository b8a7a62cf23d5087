# SPDX-License-Identifier: GPL-2.0
#
# The device model (everything of qemu-device/ but the QEMU glue) as a
# host library, and its host tests: they drive the registers and rings
# like a guest would, hostile inputs included.

WSEDEV_SRCS := $(addprefix qemu-device/,wse-dev.c wse-queue.c wse-cmd.c wse-cmd-stream.c wse-sgl.c)
WSEDEV_OBJS := $(WSEDEV_SRCS:%.c=$(B)/%.o)
WSEDEV_CFLAGS := -Iqemu-device -Idriver $(ABI_INCLUDE)

$(B)/qemu-device/wse-%.o: qemu-device/wse-%.c | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WSEDEV_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libwsedev.a: $(WSEDEV_OBJS)
	$(AR) rcs $@ $^

WSEDEV_TEST_SRCS := tests/host/wse-dev-test.c tests/host/wse-dev-harness.c

$(B)/tests/host/wse-dev-test: $(WSEDEV_TEST_SRCS) tests/host/wse-dev-harness.h \
		$(B)/libwsedev.a $(B)/libwafer.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-missing-prototypes -Wno-clobbered $(WSEDEV_CFLAGS) -I$(KSFT) -o $@ $(WSEDEV_TEST_SRCS) \
		$(B)/libwsedev.a $(B)/libwafer.a $(HOST_LDFLAGS) -lm

# LOAD and LAUNCH with kernels from the assembler (run from the top
# directory: it assembles examples/gemv/gemv.wsasm).
$(B)/tests/host/wse-dev-kernel: tests/host/wse-dev-kernel.c tests/host/wse-dev-harness.c \
		tests/host/wse-dev-harness.h $(B)/libwsedev.a $(B)/libwseasm.a $(B)/libwafer.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Wno-missing-prototypes -Wno-clobbered $(WSEDEV_CFLAGS) -I$(KSFT) -o $@ tests/host/wse-dev-kernel.c \
		tests/host/wse-dev-harness.c $(B)/libwsedev.a $(B)/libwseasm.a \
		$(B)/libwafer.a $(HOST_LDFLAGS) -lm

HOST_TESTS += $(B)/tests/host/wse-dev-test $(B)/tests/host/wse-dev-kernel

-include $(WSEDEV_OBJS:.o=.d)

# Fuzzing the device model with what a guest controls (clang libFuzzer +
# ASan/UBSan): make fuzz-device FUZZ_SECONDS=600
$(B)/fuzz/device-fuzz: tests/fuzz/device-fuzz.c $(WSEDEV_SRCS) $(wildcard qemu-device/wafer/*.c) \
		$(ABI_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(WSEDEV_CFLAGS) -D_GNU_SOURCE -pthread -o $@ $^ -lm

.PHONY: fuzz-device
fuzz-device: $(B)/fuzz/device-fuzz
	@mkdir -p $(B)/fuzz/corpus-device $(B)/fuzz/crashes-device
	@cd $(B)/fuzz/corpus-device && $(B)/fuzz/device-fuzz -max_total_time=$(FUZZ_SECONDS) \
		-timeout=20 -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 \
		-artifact_prefix=$(B)/fuzz/crashes-device/ .

# QEMU's own generic-fuzz on -device wse, in a clang/ASan QEMU build of
# the cache (scripts/fuzz-qemu.sh): make fuzz-qemu FUZZ_SECONDS=3600
.PHONY: fuzz-qemu
fuzz-qemu:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) $(TOP)/scripts/fuzz-qemu.sh
