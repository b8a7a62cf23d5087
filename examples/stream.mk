# SPDX-License-Identifier: GPL-2.0
#
# Stream: a resident kernel fed by streams (SdkRuntime's streaming
# tutorial, summed vectors, an RPC): stream-ROWS.img for ROWS west-edge
# PEs. Its host side is tests/selftests/stream.

STREAM_IMAGES := $(EX_DATA)/stream-4.img $(EX_DATA)/stream-12.img

examples: $(STREAM_IMAGES)

$(EX_DATA)/stream-%.img: examples/stream/stream.wsasm $(B)/wse-as | $(EX_DATA)
	$(B)/wse-as -DROWS=$* -o $@ $<
