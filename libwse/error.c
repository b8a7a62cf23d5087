// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * error.c - error names, the thread-local detail of the last failure, and
 * the sentence that says how a job failed, the same for every backend.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wafer-abi.h"
#include "wse_priv.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The last failure of this thread and the device it happened on. */
static __thread struct {
	const struct wse_device *dev;
	char msg[WSE_ERR_LEN];
} wse_err;

const char *wse_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	/* Where libwse gives an errno a narrower meaning, say so. */
	switch (err) {
	case 0:
		return "Success";
	case ETIME:
		return "Task still running after the wait's timeout";
	case ETIMEDOUT:
		return "Job stopped after exceeding its time limit";
	case EFAULT:
		return "Kernel fault on the wafer, or bad address";
	case EIO:
		return "Device reported an error";
	case ECANCELED:
		return "Job dropped by a device reset";
	case ENODEV:
		return "No such wse device";
	case ENOSPC:
		return "No free rectangle of PEs or window slot";
	}
	s = strerrordesc_np(err);
	return s ? s : "Unknown error";
}

const char *wse_last_error(const struct wse_device *dev)
{
	if (!dev || wse_err.dev == dev)
		return wse_err.msg;
	return "";
}

void wse_set_error(const struct wse_device *dev, const char *msg)
{
	wse_err.dev = dev;
	snprintf(wse_err.msg, sizeof(wse_err.msg), "%s", msg);
}

/* Record a detail for the failure @err and return @err. */
int wse_fail(const struct wse_device *dev, int err, const char *fmt, ...)
{
	va_list ap;

	wse_err.dev = dev;
	va_start(ap, fmt);
	vsnprintf(wse_err.msg, sizeof(wse_err.msg), fmt, ap);
	va_end(ap);
	return err;
}

static const char *const wse_op_names[] = {
	[WSE_BACKEND_OP_NOP] = "NOP",
	[WSE_BACKEND_OP_WRITE] = "WRITE",
	[WSE_BACKEND_OP_READ] = "READ",
	[WSE_BACKEND_OP_LOAD] = "LOAD",
	[WSE_BACKEND_OP_H2D] = "H2D",
	[WSE_BACKEND_OP_D2H] = "D2H",
	[WSE_BACKEND_OP_LAUNCH] = "LAUNCH",
	[WSE_BACKEND_OP_RESIDENT] = "RESIDENT",
	[WSE_BACKEND_OP_STREAM_IN] = "STREAM_IN",
	[WSE_BACKEND_OP_STREAM_OUT] = "STREAM_OUT",
	[WSE_BACKEND_OP_CALL] = "CALL",
	[WSE_BACKEND_OP_STOP] = "STOP",
	[WSE_BACKEND_OP_PE_DUMP] = "PE_DUMP",
};

static const char *const wse_device_status_names[] = {
	[WSE_BACKEND_STATUS_OK] = "no error",
	[WSE_BACKEND_STATUS_BAD_OPCODE] = "unknown command",
	[WSE_BACKEND_STATUS_BAD_FIELD] = "invalid command field",
	[WSE_BACKEND_STATUS_DMA_ERROR] = "DMA error",
	[WSE_BACKEND_STATUS_OUT_OF_REGION] = "access outside the region",
	[WSE_BACKEND_STATUS_KERNEL_FAULT] = "kernel fault",
	[WSE_BACKEND_STATUS_BAD_IMAGE] = "image rejected",
	[WSE_BACKEND_STATUS_NO_PROGRAM] = "no program loaded",
	[WSE_BACKEND_STATUS_ABORTED] = "aborted",
	[WSE_BACKEND_STATUS_TOO_LARGE] = "transfer too large",
	[WSE_BACKEND_STATUS_BAD_SGL] = "bad scatter-gather list",
	[WSE_BACKEND_STATUS_STREAM_TIMEOUT] = "stream timed out",
};

/* What the wafer reports in drm_wse_wait.reason (enum wafer_status). */
static const char *const wse_wafer_reasons[WAFER_STATUS_COUNT] = {
	[WAFER_OK] = "no error",
	[WAFER_ERR_SRAM_RANGE] = "SRAM access out of range",
	[WAFER_ERR_ILLEGAL_INSN] = "illegal instruction",
	[WAFER_ERR_MISALIGNED] = "misaligned access",
	[WAFER_ERR_UNROUTED] = "wavelet on a color its route does not carry",
	[WAFER_ERR_DEADLOCK] = "deadlock: every running PE is blocked",
	[WAFER_ERR_RUNAWAY] = "instruction budget exhausted",
	[WAFER_ERR_CANCELLED] = "run cancelled",
	[WAFER_ERR_BAD_IMAGE] = "image rejected",
	[WAFER_ERR_NO_FUNCTION] = "no such function",
	[WAFER_ERR_BAD_REGION] = "region off the wafer or too small",
	[WAFER_ERR_NOMEM] = "device out of memory",
	[WAFER_ERR_INVALID] = "invalid argument",
	[WAFER_ERR_STREAM_TIMEOUT] = "stream timed out: the kernel did not take or send its wavelets",
};

#define WSE_NAME(table, i) \
	((i) < ARRAY_SIZE(table) && (table)[i] ? (table)[i] : NULL)

static const char *wse_reason(uint32_t reason, char *tmp, size_t len)
{
	const char *s = WSE_NAME(wse_wafer_reasons, reason);

	if (s)
		return s;
	snprintf(tmp, len, "wafer status %u", reason);
	return tmp;
}

/*
 * Turn the result of a failed job into one sentence. @op is the operation
 * of the job's commands (libwse never mixes them in one job).
 */
void wse_job_describe(const struct wse_backend_result *res, uint32_t op,
		      char *buf, size_t len)
{
	const char *opname = WSE_NAME(wse_op_names, op);
	const char *dstat = WSE_NAME(wse_device_status_names, res->device_status);
	char tmp[32];

	if (!opname)
		opname = "command";
	switch (res->status) {
	case 0:
		buf[0] = '\0';
		break;
	case -EFAULT:
		snprintf(buf, len, "PE (%u,%u) pc 0x%x: %s", res->pe_x, res->pe_y,
			 res->pc, wse_reason(res->reason, tmp, sizeof(tmp)));
		break;
	case -EIO:
		if (res->device_status == WSE_BACKEND_STATUS_BAD_IMAGE)
			snprintf(buf, len, "%s %u: image rejected: %s", opname,
				 res->failed_cmd,
				 wse_reason(res->reason, tmp, sizeof(tmp)));
		else if (dstat && res->reason)
			snprintf(buf, len, "%s %u: %s: %s", opname,
				 res->failed_cmd, dstat,
				 wse_reason(res->reason, tmp, sizeof(tmp)));
		else if (dstat)
			snprintf(buf, len, "%s %u: %s", opname, res->failed_cmd,
				 dstat);
		else
			snprintf(buf, len, "%s %u: device status 0x%x", opname,
				 res->failed_cmd, res->device_status);
		break;
	case -ETIMEDOUT:
		if (res->device_status == WSE_BACKEND_STATUS_STREAM_TIMEOUT)
			snprintf(buf, len, "%s %u: stream timed out: the kernel went quiet before it took or sent every wavelet (row %u)",
				 opname, res->failed_cmd, res->pe_y);
		else
			snprintf(buf, len, "%s %u: stopped after the job's time limit",
				 opname, res->failed_cmd);
		break;
	case -ECANCELED:
		snprintf(buf, len, "%s %u: dropped by a device reset", opname,
			 res->failed_cmd);
		break;
	case -ENOENT:
		snprintf(buf, len, "%s: result dropped by the driver", opname);
		break;
	default:
		snprintf(buf, len, "%s %u: %s", opname, res->failed_cmd,
			 wse_strerror(res->status));
		break;
	}
}
