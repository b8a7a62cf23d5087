# SPDX-License-Identifier: GPL-2.0
#
# Host tests of libwse: what needs no device. libwse-fault links error.c's
# object directly to reach the private job formatter.

LIBWSE_HOST_TESTS := $(addprefix $(B)/tests/host/libwse-,args strerror symbols fault)
HOST_TESTS += $(LIBWSE_HOST_TESTS)

# kselftest_harness.h defines functions without prototypes and longjmps
# over locals: those warnings are the harness's, not the tests'.
LIBWSE_KSFT_CFLAGS = -I$(KSFT) -Wno-missing-prototypes -Wno-clobbered
LIBWSE_TEST_CFLAGS = $(HOST_CFLAGS) $(LIBWSE_KSFT_CFLAGS) $(LIBWSE_CFLAGS)
LIBWSE_TEST_LIBS = $(HOST_LDFLAGS) $(LIBWSE_LIBS) -Wl,-rpath,$(B)

$(B)/tests/host/libwse-args $(B)/tests/host/libwse-strerror: \
		$(B)/tests/host/libwse-%: tests/host/libwse-%.c $(LIBWSE_SO)
	@mkdir -p $(@D)
	$(CC) $(LIBWSE_TEST_CFLAGS) -o $@ $< $(LIBWSE_TEST_LIBS)

$(B)/tests/host/libwse-symbols: tests/host/libwse-symbols.c $(LIBWSE_SO) \
		libwse/libwse-symbols.txt libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(LIBWSE_TEST_CFLAGS) -DLIBWSE_SO='"$(LIBWSE_SO)"' \
		-DLIBWSE_SYMBOLS='"$(TOP)/libwse/libwse-symbols.txt"' \
		-DLIBWSE_HEADER='"$(TOP)/libwse/include/wse/wse.h"' \
		-o $@ $< $(HOST_LDFLAGS)

$(B)/tests/host/libwse-fault: tests/host/libwse-fault.c $(B)/libwse/error.o
	@mkdir -p $(@D)
	$(CC) $(LIBWSE_BUILD_CFLAGS) $(LIBWSE_KSFT_CFLAGS) -o $@ $< $(B)/libwse/error.o \
		$(HOST_LDFLAGS)
