# SPDX-License-Identifier: GPL-2.0
#
# Life: the host program build/examples/life and the kernel assembled for
# a 160x160 grid on 4x4 PEs (40x40 cells a PE), async and blocking.

LIFE_OBJS := $(EX_OBJ)/life/life.o $(EX_OBJ)/life/life_ref.o
LIFE_SRCS := examples/life/life.wsasm examples/life/life.wsinc
LIFE_IMAGES := $(EX_DATA)/life-160x160-4x4.img $(EX_DATA)/life-sync-160x160-4x4.img

examples: $(B)/examples/life $(LIFE_IMAGES)

$(B)/examples/life: $(LIFE_OBJS) $(EX_COMMON_OBJS) $(LIBWSE_SO)
	$(CC) -o $@ $(LIFE_OBJS) $(EX_COMMON_OBJS) $(EX_LIBS)

# life-ROWSxCOLS-PxQ.img: "160x160-4x4" gives -DGH=160 -DGW=160 -DP=4 -DQ=4.
life_defs = $(addprefix -D,$(join GH= GW= P= Q=,$(subst x, ,$(subst -, ,$(1)))))

$(EX_DATA)/life-sync-%.img: $(LIFE_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as -DSYNC=1 $(call life_defs,$*) -o $@ $<

$(EX_DATA)/life-%.img: $(LIFE_SRCS) $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as $(call life_defs,$*) -o $@ $<

-include $(LIFE_OBJS:.o=.d)
