# SPDX-License-Identifier: GPL-2.0
#
# wse-run: run a kernel image from the command line (tools/wse-run.c,
# tools/run/). Linked against libwse for the device and against the
# image parser (abi/image.c) for the element types of the arrays, which
# libwse's symbols do not carry.
# Host tests of its .npy and argument parsers go to HOST_TESTS.

RUN_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard tools/run/*.c))
RUN_CFLAGS = $(HOST_CFLAGS) $(LIBWSE_CFLAGS) $(ABI_INCLUDE) -I$(TOP)/tools

.PHONY: tools
tools: $(B)/wse-run

$(B)/tools/run/%.o: tools/run/%.c
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/wse-run.o: tools/wse-run.c libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -MMD -MP -c -o $@ $<

# wse-run-stream.c (the resident kernel's actions) calls libwse: not in RUN_OBJS.
$(B)/tools/wse-run-stream.o: tools/wse-run-stream.c libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/wse-run: $(B)/tools/wse-run.o $(B)/tools/wse-run-stream.o $(RUN_OBJS) \
		$(ABI_OBJS) $(LIBWSE_SO)
	$(CC) -o $@ $(B)/tools/wse-run.o $(B)/tools/wse-run-stream.o $(RUN_OBJS) $(ABI_OBJS) \
		$(HOST_LDFLAGS) $(LIBWSE_LIBS) -lpng -Wl,-rpath,'$$ORIGIN'


# Host tests: tests/host/wserun-*.c against the parsers and checks
# (not run/trace.c, which is libwse's and libpng's).
RUN_TEST_OBJS := $(filter-out $(B)/tools/run/trace.o,$(RUN_OBJS))
RUN_TESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(wildcard tests/host/wserun-*.c))
HOST_TESTS += $(RUN_TESTS)

# wserun-xfer assembles its test image with libwseasm.a.
$(RUN_TESTS): $(B)/tests/host/wserun-%: tests/host/wserun-%.c $(RUN_TEST_OBJS) \
		$(ABI_OBJS) $(B)/libwseasm.a | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -I$(KSFT) -I$(TOP)/tools/asm -Wno-missing-prototypes \
		-Wno-clobbered -MMD -MP -o $@ $< $(RUN_TEST_OBJS) $(ABI_OBJS) \
		$(B)/libwseasm.a $(HOST_LDFLAGS) -lm

-include $(RUN_OBJS:.o=.d) $(B)/tools/wse-run.d $(B)/tools/wse-run-stream.d $(RUN_TESTS:=.d)
