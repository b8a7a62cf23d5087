# SPDX-License-Identifier: GPL-2.0
#
# GEMV: the host program build/examples/gemv and the kernel assembled for
# 256x256 on 8x8 PEs and 1024x1024 on 32x32 PEs, blocking and dataflow
# (gemv-df-*.img, examples/gemv/gemv-df.wsinc).

GEMV_OBJS := $(EX_OBJ)/gemv/gemv.o $(EX_OBJ)/gemv/gemv_ref.o
GEMV_SRCS := examples/gemv/gemv.wsasm examples/gemv/gemv.wsinc \
	examples/gemv/dsd.wsinc
GEMV_DF_SRCS := examples/gemv/gemv-df.wsasm examples/gemv/gemv-df.wsinc \
	examples/gemv/dsd.wsinc
GEMV_IMAGES := $(EX_DATA)/gemv-256x256-8x8.img $(EX_DATA)/gemv-1024x1024-32x32.img \
	$(EX_DATA)/gemv-df-256x256-8x8.img $(EX_DATA)/gemv-df-1024x1024-32x32.img

examples: $(B)/examples/gemv $(GEMV_IMAGES)

$(B)/examples/gemv: $(GEMV_OBJS) $(EX_COMMON_OBJS) $(LIBWSE_SO)
	$(CC) -o $@ $(GEMV_OBJS) $(EX_COMMON_OBJS) $(EX_LIBS)

# gemv-MxN-PxQ.img from the one source: "256x256-8x8" gives
# -DM=256 -DN=256 -DP=8 -DQ=8.
gemv_defs = $(addprefix -D,$(join M= N= P= Q=,$(subst x, ,$(subst -, ,$(1)))))

$(EX_DATA)/gemv-df-%.img: $(GEMV_DF_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as $(call gemv_defs,$*) -o $@ $<

$(EX_DATA)/gemv-%.img: $(GEMV_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as $(call gemv_defs,$*) -o $@ $<

-include $(GEMV_OBJS:.o=.d)
