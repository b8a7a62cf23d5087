# SPDX-License-Identifier: GPL-2.0
#
# libwse: build/libwse.so.1 (soname libwse.so.1, symbols versioned by
# libwse.map), the libwse.so link for -lwse and libwse.pc. The front end
# is libwse/*.c, the built-in drm backend libwse/drm/*.c; other backends
# are plugins libwse-NAME.so.1 that libwse loads from its own directory
# or LIBWSE_LIBDIR (the sim one is built with the wafer core). The
# kernel image parser is compiled in from abi/ (abi/abi.mk); the version
# script keeps its symbols, and every other internal one, local.

LIBWSE_VERSION := 1.2.0
LIBWSE_SONAME := libwse.so.1
LIBWSE_PREFIX ?= /usr/local
LIBWSE_LIBDIR ?= $(LIBWSE_PREFIX)/lib

LIBWSE_SRCS := $(wildcard libwse/*.c libwse/drm/*.c)
LIBWSE_OBJS := $(patsubst libwse/%.c,$(B)/libwse/%.o,$(LIBWSE_SRCS)) \
	$(ABI_PIC_OBJS)
LIBWSE_SO := $(B)/$(LIBWSE_SONAME)

LIBDRM_CFLAGS := $(shell pkg-config --cflags libdrm 2>/dev/null)
LIBDRM_LIBS := $(shell pkg-config --libs libdrm 2>/dev/null || echo -ldrm)

# For programs that use libwse from the build tree.
LIBWSE_CFLAGS := -I$(TOP)/libwse/include
LIBWSE_LIBS := -L$(B) -lwse

LIBWSE_BUILD_CFLAGS = $(HOST_CFLAGS) -fPIC -MMD -MP $(LIBWSE_CFLAGS) \
	-I$(TOP)/libwse -I$(TOP)/uapi $(ABI_INCLUDE) $(LIBDRM_CFLAGS) \
	-DWSE_LIBDIR='"$(LIBWSE_LIBDIR)"'

.PHONY: libwse
libwse: $(LIBWSE_SO) $(B)/libwse.so $(B)/libwse.pc

$(B)/libwse/%.o: libwse/%.c
	@mkdir -p $(@D)
	$(CC) $(LIBWSE_BUILD_CFLAGS) -c -o $@ $<

# The libwse.so link is made with the library: everything that links
# with -lwse depends on $(LIBWSE_SO) only.
$(LIBWSE_SO): $(LIBWSE_OBJS) libwse/libwse.map
	$(CC) -shared -Wl,-soname,$(LIBWSE_SONAME) \
		-Wl,--version-script=libwse/libwse.map -Wl,--no-undefined \
		$(HOST_LDFLAGS) -o $@ $(LIBWSE_OBJS) $(LIBDRM_LIBS)
	ln -sf $(LIBWSE_SONAME) $(B)/libwse.so

$(B)/libwse.so: $(LIBWSE_SO)

$(B)/libwse.pc: libwse/libwse.pc.in | $(B)
	sed -e 's|@PREFIX@|$(LIBWSE_PREFIX)|' \
	    -e 's|@LIBDIR@|$(LIBWSE_LIBDIR)|' \
	    -e 's|@VERSION@|$(LIBWSE_VERSION)|' $< >$@

-include $(LIBWSE_OBJS:.o=.d)
