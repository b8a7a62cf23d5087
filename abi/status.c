// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - short names of the statuses a wafer reports (wafer-abi.h),
 * shared by the device, libwse and the tools.
 */
#include "wafer-abi.h"

static const char *const status_names[WAFER_STATUS_COUNT] = {
	[WAFER_OK]		= "ok",
	[WAFER_ERR_SRAM_RANGE]	= "sram-range",
	[WAFER_ERR_ILLEGAL_INSN] = "illegal-instruction",
	[WAFER_ERR_MISALIGNED]	= "misaligned",
	[WAFER_ERR_UNROUTED]	= "unrouted",
	[WAFER_ERR_DEADLOCK]	= "deadlock",
	[WAFER_ERR_RUNAWAY]	= "runaway",
	[WAFER_ERR_CANCELLED]	= "cancelled",
	[WAFER_ERR_BAD_IMAGE]	= "bad-image",
	[WAFER_ERR_NO_FUNCTION]	= "no-function",
	[WAFER_ERR_BAD_REGION]	= "bad-region",
	[WAFER_ERR_NOMEM]	= "no-memory",
	[WAFER_ERR_INVALID]	= "invalid",
	[WAFER_ERR_STREAM_TIMEOUT] = "stream-timeout",
};

const char *wafer_status_name(enum wafer_status st)
{
	if ((unsigned int)st >= WAFER_STATUS_COUNT)
		return "unknown";
	return status_names[st];
}
