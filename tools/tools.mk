# SPDX-License-Identifier: GPL-2.0
#
# The kernel image toolchain: wse-as (assembler), wse-objdump
# (disassembler), libwseasm.a (the assembler as a library for tests and
# benchmarks) and their host tests. Included by the top-level Makefile,
# which provides B, HOST_CFLAGS, HOST_LDFLAGS, KSFT and collects
# HOST_TESTS. The image parser and ISA tables come from abi/ (abi/abi.mk).

TOOLS_CFLAGS = $(HOST_CFLAGS) $(ABI_INCLUDE) -I$(TOP)/tools/asm
TOOLS_LIB_OBJS := $(ABI_OBJS)
WSEASM_OBJS := $(patsubst %.c,$(B)/%.o,$(filter-out tools/asm/wse-as.c, \
	$(wildcard tools/asm/*.c))) $(TOOLS_LIB_OBJS)
OBJDUMP_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard tools/objdump/*.c))

.PHONY: tools tools-ksft fuzz-image fuzz-asm
tools: $(B)/wse-as $(B)/wse-objdump $(B)/libwseasm.a

$(B)/tools/asm/%.o: tools/asm/%.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/objdump/%.o: tools/objdump/%.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libwseasm.a: $(WSEASM_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/wse-as: $(B)/tools/asm/wse-as.o $(B)/libwseasm.a
	$(CC) -o $@ $^ $(HOST_LDFLAGS) -lm

$(B)/wse-objdump: $(OBJDUMP_OBJS) $(TOOLS_LIB_OBJS)
	$(CC) -o $@ $^ $(HOST_LDFLAGS) -lm

# Host tests (kselftest harness); asm-gemv, which also runs the kernel on
# the wafer core, is built by the core's makefile.
TOOLS_TESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(wildcard \
	tests/host/image-*.c tests/host/asm-*.c))
TOOLS_TEST_CFLAGS = $(TOOLS_CFLAGS) -I$(KSFT) -Itests/host \
	-Wno-missing-prototypes -Wno-clobbered \
	-DWSE_TOP='"$(TOP)"' -DWSE_BUILD='"$(B)"'

tools-ksft:
	@test -f $(KSFT)/kselftest_harness.h || $(TOP)/scripts/kernel-tools.sh >/dev/null

$(B)/tests/host/image-%: tests/host/image-%.c tests/host/tools-test.h \
		$(B)/libwseasm.a | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(TOOLS_TEST_CFLAGS) -MMD -MP -o $@ $< $(B)/libwseasm.a \
		$(HOST_LDFLAGS) -lm

$(B)/tests/host/asm-errors: tests/host/asm-errors.c tests/host/tools-test.h \
		$(B)/libwseasm.a | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(TOOLS_TEST_CFLAGS) -MMD -MP -o $@ $< $(B)/libwseasm.a \
		$(HOST_LDFLAGS) -lm

$(B)/tests/host/asm-programs: tests/host/asm-programs.c tests/host/tools-test.h \
		$(B)/libwseasm.a $(B)/wse-as $(B)/wse-objdump | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(TOOLS_TEST_CFLAGS) -MMD -MP -o $@ $< $(B)/libwseasm.a \
		$(HOST_LDFLAGS) -lm

HOST_TESTS += $(TOOLS_TESTS)

# Fuzzing (clang libFuzzer + ASan/UBSan): make fuzz-image FUZZ_SECONDS=600
FUZZ_SECONDS ?= 120
FUZZ_CC ?= clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined $(ABI_INCLUDE) -I$(TOP)/tools/asm

$(B)/fuzz/image-fuzz: tests/fuzz/image-fuzz.c $(ABI_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

$(B)/fuzz/asm-fuzz: tests/fuzz/asm-fuzz.c $(filter-out tools/asm/wse-as.c, \
		$(wildcard tools/asm/*.c)) $(ABI_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -D_GNU_SOURCE -o $@ $^ -lm

fuzz-image: $(B)/fuzz/image-fuzz $(B)/wse-as
	@$(TOP)/tests/fuzz/run.sh image $(FUZZ_SECONDS)

fuzz-asm: $(B)/fuzz/asm-fuzz
	@$(TOP)/tests/fuzz/run.sh asm $(FUZZ_SECONDS)

-include $(WSEASM_OBJS:.o=.d) $(OBJDUMP_OBJS:.o=.d) $(B)/tools/asm/wse-as.d \
	$(TOOLS_TESTS:=.d)
