# SPDX-License-Identifier: GPL-2.0
#
# bench/wafer: the wafer executor's figures (bench/wafer.c). It runs the
# examples/gemv kernel through the assembler library, so it links
# libwseasm.a (tools/tools.mk) before libwafer.a (qemu-device/wafer/wafer.mk).

# The native baselines are built as a user builds C (bench/native.c).
$(B)/bench/native.o: bench/native.c bench/native.h
	@mkdir -p $(@D)
	$(CC) -O2 -march=native -MMD -MP -c -o $@ $<

$(B)/bench/wafer: bench/wafer.c $(B)/bench/native.o $(WAFER_BUILDER) $(B)/libwseasm.a $(B)/libwafer.a
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Itests/host -Itools/asm -DWSE_TOP='"$(TOP)"' \
		-MMD -MP -o $@ $< $(B)/bench/native.o $(WAFER_BUILDER) $(B)/libwseasm.a \
		$(B)/libwafer.a $(HOST_LDFLAGS) -lm

BENCHES += $(B)/bench/wafer

-include $(B)/bench/wafer.d $(B)/bench/native.d

# bench/wafer-full: the core at full-wafer scale (load, launch, RSS).
$(B)/bench/wafer-full: bench/wafer-full.c $(WAFER_BUILDER) $(B)/libwafer.a
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Itests/host -MMD -MP -o $@ $< $(WAFER_BUILDER) \
		$(B)/libwafer.a $(HOST_LDFLAGS) -lm

BENCHES += $(B)/bench/wafer-full

-include $(B)/bench/wafer-full.d

# bench/wafer-trace: tracing's cost. It dlopen()s two copies of the core
# as shared objects: as built (tracing compiled in) and compiled with
# WAFER_NO_TRACE, its baseline.
WAFER_NOTRACE_OBJS := $(patsubst %.c,$(B)/notrace/%.o,$(WAFER_SRCS))

$(B)/notrace/$(WAFER_DIR)/%.o: $(WAFER_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -fPIC -DWAFER_NO_TRACE -MMD -MP -c -o $@ $<

$(B)/bench/libwafer-trace.so: $(patsubst %.c,$(B)/pic/%.o,$(WAFER_SRCS)) $(ABI_PIC_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-Bsymbolic $(HOST_LDFLAGS) -o $@ $^ -lm

$(B)/bench/libwafer-notrace.so: $(WAFER_NOTRACE_OBJS) $(ABI_PIC_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-Bsymbolic $(HOST_LDFLAGS) -o $@ $^ -lm

$(B)/bench/wafer-trace: bench/wafer-trace.c $(B)/libwseasm.a
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Itools/asm -MMD -MP -o $@ $< $(B)/libwseasm.a \
		$(HOST_LDFLAGS) -ldl -lm

$(B)/bench/wafer-trace-run: $(B)/bench/wafer-trace $(B)/bench/libwafer-trace.so \
		$(B)/bench/libwafer-notrace.so
	printf '#!/bin/sh\nexec %s %s %s\n' $(B)/bench/wafer-trace \
		$(B)/bench/libwafer-trace.so $(B)/bench/libwafer-notrace.so >$@
	chmod +x $@

BENCHES += $(B)/bench/wafer-trace-run

-include $(B)/bench/wafer-trace.d $(WAFER_NOTRACE_OBJS:.o=.d)
