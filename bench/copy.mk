# SPDX-License-Identifier: GPL-2.0
#
# Copy benchmarks. bench/host-memcpy is a host benchmark (BENCHES): the
# host's memcpy bandwidth, baseline of the VM's DMA figures, left in
# $(B)/results/host-memcpy.txt. The programs that bench/vm/*.sh run in the
# VM are built into $(B)/vm-extra/usr/bin/, which tests/vm/mkinitramfs.sh
# copies into the VM's root file system.

BENCH_VM_PROGS := $(patsubst bench/vm/%.c,$(B)/vm-extra/usr/bin/%,$(wildcard bench/vm/*.c))

$(B)/bench/host-memcpy: bench/host-memcpy.c bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -DWSE_BUILD='"$(B)"' -o $@ $< $(HOST_LDFLAGS)

$(B)/vm-extra/usr/bin/wse-bench-%: bench/vm/wse-bench-%.c bench/vm/bench.h bench/bench.h \
		$(LIBWSE_SO) libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -I$(TOP)/uapi $(LIBDRM_CFLAGS) \
		-o $@ $< $(HOST_LDFLAGS) $(LIBWSE_LIBS)

BENCHES += $(B)/bench/host-memcpy
bench: $(BENCH_VM_PROGS)
