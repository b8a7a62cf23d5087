# SPDX-License-Identifier: GPL-2.0
#
# Stencil: the host program build/examples/stencil and the kernel
# assembled for a 128x128 grid on 8x8 PEs, blocking and dataflow
# (stencil-df-*.img, examples/stencil/stencil-df.wsinc).

STENCIL_OBJS := $(EX_OBJ)/stencil/stencil.o $(EX_OBJ)/stencil/stencil_ref.o
STENCIL_SRCS := examples/stencil/stencil.wsasm examples/stencil/stencil.wsinc
STENCIL_DF_SRCS := examples/stencil/stencil-df.wsasm examples/stencil/stencil-df.wsinc
STENCIL_IMAGES := $(EX_DATA)/stencil-128x128-8x8.img $(EX_DATA)/stencil-df-128x128-8x8.img

examples: $(B)/examples/stencil $(STENCIL_IMAGES)

$(B)/examples/stencil: $(STENCIL_OBJS) $(EX_COMMON_OBJS) $(LIBWSE_SO)
	$(CC) -o $@ $(STENCIL_OBJS) $(EX_COMMON_OBJS) $(EX_LIBS)

# stencil-ROWSxCOLS-PxQ.img: "128x128-8x8" gives -DGH=128 -DGW=128 -DP=8 -DQ=8.
stencil_defs = $(addprefix -D,$(join GH= GW= P= Q=,$(subst x, ,$(subst -, ,$(1)))))

$(EX_DATA)/stencil-df-%.img: $(STENCIL_DF_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as $(call stencil_defs,$*) -o $@ $<

$(EX_DATA)/stencil-%.img: $(STENCIL_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as $(call stencil_defs,$*) -o $@ $<

-include $(STENCIL_OBJS:.o=.d)
