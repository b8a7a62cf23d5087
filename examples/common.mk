# SPDX-License-Identifier: GPL-2.0
#
# Examples: host programs in build/examples/ (linked against libwse, found
# beside them in build/ or in the VM's /usr/lib) and their kernel images
# in build/vm-extra/usr/share/wse/, which tests/vm/mkinitramfs.sh copies
# into the VM. `make` builds them; examples/<name>.mk adds each example.

EX_OBJ := $(B)/examples/obj
EX_DATA := $(B)/vm-extra/usr/share/wse
EX_CFLAGS = $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -Iexamples/common -MMD -MP
EX_LIBS = $(HOST_LDFLAGS) $(LIBWSE_LIBS) -Wl,-rpath,'$$ORIGIN/..' -lm
EX_COMMON_OBJS := $(EX_OBJ)/common/example.o

.PHONY: examples
all: examples

$(EX_OBJ)/%.o: examples/%.c libwse/include/wse/wse.h
	@mkdir -p $(@D)
	$(CC) $(EX_CFLAGS) -c -o $@ $<

$(EX_DATA):
	@mkdir -p $@

-include $(EX_COMMON_OBJS:.o=.d)
