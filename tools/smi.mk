# SPDX-License-Identifier: GPL-2.0
#
# wse-smi: device listing, telemetry and reset (tools/wse-smi.c and its
# pieces in tools/smi/), linked against build/libwse.so.1 (found beside
# it through $ORIGIN, or wherever the loader finds it). The JSON view has
# a host test against a strict parser.

SMI_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard tools/smi/*.c))
SMI_CFLAGS = $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -I$(TOP)/tools

.PHONY: tools
tools: $(B)/wse-smi

$(B)/tools/smi/%.o: tools/smi/%.c tools/smi/smi.h libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(SMI_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/wse-smi.o: tools/wse-smi.c tools/smi/smi.h libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(SMI_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/wse-smi: $(B)/tools/wse-smi.o $(SMI_OBJS) $(LIBWSE_SO)
	$(CC) -o $@ $(B)/tools/wse-smi.o $(SMI_OBJS) $(HOST_LDFLAGS) \
		$(LIBWSE_LIBS) -Wl,-rpath,'$$ORIGIN' -lm

-include $(SMI_OBJS:.o=.d) $(B)/tools/wse-smi.d

# Host test of the views, with the VM tests' JSON checker.
SMI_TEST_OBJS := $(B)/tools/smi/json.o $(B)/tools/smi/table.o \
	$(B)/tools/smi/telemetry.o
HOST_TESTS += $(B)/tests/host/smi-json

$(B)/tests/host/smi-json: tests/host/smi-json.c \
		tests/selftests/libwse/json_check.c \
		tests/selftests/libwse/json_check.h $(SMI_TEST_OBJS) | tools-ksft
	@mkdir -p $(@D)
	$(CC) $(SMI_CFLAGS) -I$(KSFT) -Itests/selftests/libwse \
		-Wno-missing-prototypes -Wno-clobbered -o $@ $< \
		tests/selftests/libwse/json_check.c $(SMI_TEST_OBJS) $(HOST_LDFLAGS)
