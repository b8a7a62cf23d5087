# SPDX-License-Identifier: GPL-2.0
#
# bench/device-stop: stopping a queue in the middle of a full-wafer LOAD
# (bench/device-stop.c), on the device model through the host harness.

$(B)/bench/device-stop: bench/device-stop.c tests/host/wse-dev-harness.c \
		tests/host/wse-dev-harness.h $(B)/libwsedev.a $(B)/libwseasm.a $(B)/libwafer.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Wno-missing-prototypes $(WSEDEV_CFLAGS) -Itests/host -Itools/asm \
		-Ibench -o $@ bench/device-stop.c tests/host/wse-dev-harness.c \
		$(B)/libwsedev.a $(B)/libwseasm.a $(B)/libwafer.a $(HOST_LDFLAGS) -lm

BENCHES += $(B)/bench/device-stop
