# SPDX-License-Identifier: GPL-2.0
#
# libwse on the simulator, in check-host: no QEMU, no VM.
#
# - libwse-sim: what only the simulator backend has (device strings,
#   finding the plugin, reset, windows, typed symbols and launches,
#   WSE_TRACE), tests/host/libwse-sim.c;
# - the selftests that exercise the library, not the driver
#   (tests/selftests/libwse/libwse_api_test and libwse_compute_test, and
#   tests/selftests/examples, which runs gemv, stencil, life and wse-run
#   from PATH, and tests/selftests/dataflow), run with WSE_DEVICE naming a
#   simulator: the VM's first mesh for the library suites, 32x32 for the
#   examples (the 1024x1024 GEMV) and the dataflow suite.
#   They are built by their own makefiles, as for the VM;
# - tests/selftests/backends, which compares two backends on every example
#   and the compute selftests: here two simulators at 1 and 3 threads.

# examples/*.mk comes later: name the image it makes.
SIM_STENCIL_IMAGE := $(B)/vm-extra/usr/share/wse/stencil-128x128-8x8.img
SIM_TEST_CFLAGS = $(HOST_CFLAGS) $(LIBWSE_KSFT_CFLAGS) $(LIBWSE_CFLAGS) \
	-I$(TOP)/tools/asm -I$(TOP)/tests/selftests/wse -DWSE_BUILD='"$(B)"' \
	-DSTENCIL_IMAGE='"$(SIM_STENCIL_IMAGE)"'

$(B)/tests/host/libwse-sim: tests/host/libwse-sim.c $(LIBWSE_SO) $(SIM_SO) \
		$(B)/libwseasm.a $(SIM_STENCIL_IMAGE) tests/selftests/wse/wse_kernels.h
	@mkdir -p $(@D)
	$(CC) $(SIM_TEST_CFLAGS) -o $@ $< $(B)/libwseasm.a $(LIBWSE_TEST_LIBS) -ldl -lm

SIM_SUITE_DEVICE := sim:16x12
SIM_EXAMPLES_DEVICE := sim:32x32
SIM_SUITE_PROGS := libwse/libwse_api_test libwse/libwse_compute_test libwse/libwse_dump_test \
	examples/examples_test backends/backends_test dataflow/dataflow_test \
	stream/stream_test stream/stream_run_test

# Built by the suite's own makefile (kselftest's lib.mk), as for the VM.
$(addprefix $(B)/selftests/,$(SIM_SUITE_PROGS)): $(B)/selftests/%: \
		$(LIBWSE_SO) FORCE | ktools
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -s -C tests/selftests/$(*D) KSFT_DIR=$(KSFT) \
		OUTPUT=$(B)/selftests/$(*D) LIBWSE_DIR=$(B) $@

# tests/host/sim-<suite>-<program>: the program with its environment.
SIM_SUITE_TESTS := $(foreach p,$(SIM_SUITE_PROGS),$(B)/tests/host/sim-$(subst /,-,$(p)))

$(B)/tests/host/sim-libwse-%: $(B)/selftests/libwse/% $(SIM_SO) $(B)/wse-run
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexport WSE_DEVICE=%s LD_LIBRARY_PATH=%s PATH=%s:$$PATH\nexec %s "$$@"\n' \
		'$(SIM_SUITE_DEVICE)' $(B) $(B) $< >$@
	chmod +x $@

$(B)/tests/host/sim-examples-examples_test: $(B)/selftests/examples/examples_test \
		$(SIM_SO) examples $(B)/wse-run
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexport WSE_DEVICE=%s LD_LIBRARY_PATH=%s WSE_DATADIR=%s PATH=%s:%s/examples:$$PATH\nexec %s "$$@"\n' \
		'$(SIM_EXAMPLES_DEVICE)' $(B) $(B)/vm-extra/usr/share/wse $(B) $(B) $< >$@
	chmod +x $@

# The dataflow suite: examples/life's images, on the examples' mesh.
$(B)/tests/host/sim-dataflow-dataflow_test: $(B)/selftests/dataflow/dataflow_test \
		$(SIM_SO) examples
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexport WSE_DEVICE=%s LD_LIBRARY_PATH=%s WSE_DATADIR=%s\nexec %s "$$@"\n' \
		'$(SIM_EXAMPLES_DEVICE)' $(B) $(B)/vm-extra/usr/share/wse $< >$@
	chmod +x $@

# The stream suite: examples/stream's images and gemv's, on the VM's mesh;
# stream_run_test runs wse-run from PATH.
$(B)/tests/host/sim-stream-%: $(B)/selftests/stream/% $(SIM_SO) examples $(B)/wse-run
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexport WSE_DEVICE=%s LD_LIBRARY_PATH=%s WSE_DATADIR=%s PATH=%s:$$PATH\nexec %s "$$@"\n' \
		'$(SIM_SUITE_DEVICE)' $(B) $(B)/vm-extra/usr/share/wse $(B) $< >$@
	chmod +x $@

# The comparison of two backends (tests/selftests/backends), here two
# simulators at different thread counts, on the examples the build made.
$(B)/tests/host/sim-backends-backends_test: $(B)/selftests/backends/backends_test \
		$(B)/selftests/libwse/libwse_compute_test $(SIM_SO) examples
	@mkdir -p $(@D)
	ls $(B)/examples | grep -vx obj >$(B)/tests/host/examples.list
	printf '#!/bin/sh\nexport WSE_BACKENDS_A=%s WSE_BACKENDS_B=%s,threads=3 WSE_EXAMPLES_LIST=%s WSE_COMPUTE_TEST=%s\nexport LD_LIBRARY_PATH=%s WSE_DATADIR=%s PATH=%s/examples:$$PATH\nexec %s "$$@"\n' \
		'$(SIM_SUITE_DEVICE)' '$(SIM_SUITE_DEVICE)' $(B)/tests/host/examples.list \
		$(B)/selftests/libwse/libwse_compute_test $(B) $(B)/vm-extra/usr/share/wse \
		$(B) $< >$@
	chmod +x $@

# Launch traces and counters through libwse (tests/host/libwse-trace.c).
$(B)/tests/host/libwse-trace: tests/host/libwse-trace.c tests/host/trace-kernel.wsasm \
		tests/host/trace-vector.wsasm $(LIBWSE_SO) $(SIM_SO) $(B)/libwseasm.a
	@mkdir -p $(@D)
	$(CC) $(SIM_TEST_CFLAGS) -DWSE_TOP='"$(TOP)"' -o $@ $< $(B)/libwseasm.a \
		$(LIBWSE_TEST_LIBS) -lm

# Launch traces and heatmaps through wse-run (tests/host/trace.sh).
$(B)/tests/host/trace: tests/host/trace.sh tests/host/trace-check.py \
		tests/host/trace-kernel.wsasm $(B)/wse-run $(B)/wse-as $(SIM_SO)
	@mkdir -p $(@D)
	printf '#!/bin/sh\nexec %s %s %s %s\n' $(TOP)/tests/host/trace.sh $(TOP) $(B) $(PYTHON) >$@
	chmod +x $@

HOST_TESTS += $(B)/tests/host/libwse-sim $(SIM_SUITE_TESTS) $(B)/tests/host/trace \
	$(B)/tests/host/libwse-trace
