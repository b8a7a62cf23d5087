# SPDX-License-Identifier: GPL-2.0
#
# bench/wafer: the wafer executor's figures (bench/wafer.c). It runs the
# examples/gemv kernel through the assembler library, so it links
# libwseasm.a (tools/tools.mk) before libwafer.a (qemu-device/wafer/wafer.mk).

$(B)/bench/wafer: bench/wafer.c $(WAFER_BUILDER) $(B)/libwseasm.a $(B)/libwafer.a
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Itests/host -Itools/asm -DWSE_TOP='"$(TOP)"' \
		-MMD -MP -o $@ $< $(WAFER_BUILDER) $(B)/libwseasm.a \
		$(B)/libwafer.a $(HOST_LDFLAGS) -lm

BENCHES += $(B)/bench/wafer

-include $(B)/bench/wafer.d

# bench/wafer-full: the core at full-wafer scale (load, launch, RSS).
$(B)/bench/wafer-full: bench/wafer-full.c $(WAFER_BUILDER) $(B)/libwafer.a
	@mkdir -p $(@D)
	$(CC) $(WAFER_CFLAGS) -Itests/host -MMD -MP -o $@ $< $(WAFER_BUILDER) \
		$(B)/libwafer.a $(HOST_LDFLAGS) -lm

BENCHES += $(B)/bench/wafer-full

-include $(B)/bench/wafer-full.d
