# SPDX-License-Identifier: GPL-2.0
#
# libwse: build/libwse.so.1 (soname libwse.so.1, symbols versioned by
# libwse.map), the libwse.so link for -lwse and libwse-uninstalled.pc for
# programs built against the build tree (`make install` writes the
# installed libwse.pc). The front end is libwse/*.c, the built-in drm
# backend libwse/drm/*.c; other backends are plugins libwse-NAME.so.1 that
# libwse loads from its own directory or LIBWSE_LIBDIR, the libdir it is
# installed in (the sim one is built with the wafer core). The kernel
# image parser is compiled in from abi/ (abi/abi.mk); the version script
# keeps its symbols, and every other internal one, local.

LIBWSE_VERSION := $(WSE_VERSION)
LIBWSE_SONAME := libwse.so.1
# make install's LIBDIR (dist/install.mk)
LIBWSE_LIBDIR = $(LIBDIR)

LIBWSE_SRCS := $(wildcard libwse/*.c libwse/drm/*.c)
LIBWSE_OBJS := $(patsubst libwse/%.c,$(B)/libwse/%.o,$(LIBWSE_SRCS)) \
	$(ABI_PIC_OBJS)
LIBWSE_SO := $(B)/$(LIBWSE_SONAME)

# libdrm's flags come from pkg-config when a recipe first needs them,
# once: never while make parses, when on a fresh machine setup has not
# installed libdrm-dev yet (see "Packages first" in the Makefile).
LIBDRM_CFLAGS = $(eval LIBDRM_CFLAGS := $$(shell pkg-config --cflags libdrm))$(LIBDRM_CFLAGS)
LIBDRM_LIBS = $(eval LIBDRM_LIBS := $$(shell pkg-config --libs libdrm))$(LIBDRM_LIBS)

# For programs that use libwse from the build tree.
LIBWSE_CFLAGS := -I$(TOP)/libwse/include
LIBWSE_LIBS := -L$(B) -lwse

LIBWSE_BUILD_CFLAGS = $(HOST_CFLAGS) -fPIC -MMD -MP $(LIBWSE_CFLAGS) \
	-I$(TOP)/libwse -I$(TOP)/uapi $(ABI_INCLUDE) $(LIBDRM_CFLAGS) \
	-DWSE_LIBDIR='"$(LIBWSE_LIBDIR)"'

.PHONY: libwse
libwse: $(LIBWSE_SO) $(B)/libwse.so $(B)/libwse-uninstalled.pc

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

# pkg-config's convention for an uninstalled library: with
# PKG_CONFIG_PATH=build, `pkg-config libwse` reads this file (build tree
# headers and library) instead of an installed libwse.pc. Programs built so
# run with LD_LIBRARY_PATH=build.
$(B)/libwse-uninstalled.pc: libwse/libwse.pc.in libwse/include/wse/wse.h | $(B)
	sed -e 's|@PREFIX@|$(TOP)|' -e 's|@LIBDIR@|$(B)|' \
	    -e 's|@INCLUDEDIR@|$(TOP)/libwse/include|' \
	    -e 's|@VERSION@|$(LIBWSE_VERSION)|' \
	    -e 's|^Description: .*|& (uninstalled, $(TOP))|' $< >$@

-include $(LIBWSE_OBJS:.o=.d)
