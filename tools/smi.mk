# SPDX-License-Identifier: GPL-2.0
#
# wse-smi: device listing and status, linked against build/libwse.so.1
# (found beside it through $ORIGIN, or wherever the loader finds it).

.PHONY: tools
tools: $(B)/wse-smi

$(B)/wse-smi: tools/wse-smi.c $(LIBWSE_SO) libwse/include/wse/wse.h | $(B)
	$(CC) $(HOST_CFLAGS) $(LIBWSE_CFLAGS) -o $@ $< $(HOST_LDFLAGS) \
		$(LIBWSE_LIBS) -Wl,-rpath,'$$ORIGIN'
