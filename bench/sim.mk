# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks of the simulator backend. bench/sim-copy is a host benchmark
# (BENCHES): Python's cost over C for a 1 MiB copy on the simulator, and
# the host time of a null launch (left for the VM's figure). The VM's
# wse-bench-launch (bench/vm/, built by copy.mk) times a null launch on
# the device and on the simulator in the VM. Both use bench/null.wsasm.

BENCH_NULL_IMAGE := $(B)/vm-extra/usr/share/wse/bench/null.img

$(BENCH_NULL_IMAGE): bench/null.wsasm $(B)/wse-as
	@mkdir -p $(@D)
	$(B)/wse-as -o $@ $<

$(B)/bench/sim-copy: bench/sim-copy.c bench/bench.h bench/sim-copy.py \
		$(LIBWSE_SO) $(SIM_SO) $(BENCH_NULL_IMAGE)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -DWSE_TOP='"$(TOP)"' -DWSE_BUILD='"$(B)"' \
		-DNULL_IMAGE='"$(BENCH_NULL_IMAGE)"' -o $@ $< $(HOST_LDFLAGS) \
		$(LIBWSE_LIBS) -Wl,-rpath,$(B)

BENCHES += $(B)/bench/sim-copy
bench: $(BENCH_NULL_IMAGE) $(BENCH_STREAM_IMAGE)

# Streaming against copy mode, and an RPC call against a null launch
# (bench/sim-stream.c), on bench/stream-dsd.wsasm's kernel (CSL's shape:
# async moves into memory, vector ops) and, for comparison,
# examples/stream's (a data task per wavelet).
BENCH_STREAM_IMAGE := $(B)/vm-extra/usr/share/wse/bench/stream-dsd.img

$(BENCH_STREAM_IMAGE): bench/stream-dsd.wsasm $(B)/wse-as
	@mkdir -p $(@D)
	$(B)/wse-as -o $@ $<

$(B)/bench/sim-stream: bench/sim-stream.c bench/bench.h $(LIBWSE_SO) $(SIM_SO) \
		$(BENCH_NULL_IMAGE) $(BENCH_STREAM_IMAGE) \
		$(B)/vm-extra/usr/share/wse/stream-12.img
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -DNULL_IMAGE='"$(BENCH_NULL_IMAGE)"' \
		-DSTREAM_IMAGE='"$(BENCH_STREAM_IMAGE)"' \
		-DTASKS_IMAGE='"$(B)/vm-extra/usr/share/wse/stream-12.img"' -o $@ $< \
		$(HOST_LDFLAGS) $(LIBWSE_LIBS) -Wl,-rpath,$(B)

BENCHES += $(B)/bench/sim-stream
