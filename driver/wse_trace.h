/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the wse driver: a job's life (submit, run, done,
 * timeout), device resets and SRAM window slots. Enable them under
 * /sys/kernel/tracing/events/wse/; Documentation/wse/driver.rst lists the
 * fields. The device index is the accel minor, as in /dev/accel/accelN.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM wse

#if !defined(_WSE_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _WSE_TRACE_H_

#include <linux/tracepoint.h>

#include "wse_drv.h"
#include "wse_job.h"
#include "wse_queue.h"

DECLARE_EVENT_CLASS(wse_job_event,
	TP_PROTO(const struct wse_job *job),
	TP_ARGS(job),
	TP_STRUCT__entry(
		__field(u32, minor)
		__field(u32, queue)
		__field(u64, job_id)
		__field(u32, cmds)
	),
	TP_fast_assign(
		__entry->minor = job->wdev->drm.accel->index;
		__entry->queue = job->queue->id;
		__entry->job_id = job->id;
		__entry->cmds = job->cmd_count;
	),
	TP_printk("accel%u queue=%u job=%llu cmds=%u", __entry->minor,
		  __entry->queue, __entry->job_id, __entry->cmds)
);

/* A job passed its checks and went to the scheduler, or straight on. */
DEFINE_EVENT(wse_job_event, wse_submit,
	TP_PROTO(const struct wse_job *job),
	TP_ARGS(job)
);

/* The scheduler (or SUBMIT, for a direct job) handed it to its queue. */
DEFINE_EVENT(wse_job_event, wse_run,
	TP_PROTO(const struct wse_job *job),
	TP_ARGS(job)
);

/* The job left the hardware (or never reached it) with an outcome. */
TRACE_EVENT(wse_done,
	TP_PROTO(const struct wse_job *job),
	TP_ARGS(job),
	TP_STRUCT__entry(
		__field(u32, minor)
		__field(u32, queue)
		__field(u64, job_id)
		__field(s32, status)
		__field(u32, device_status)
		__field(u32, failed_cmd)
		__field(u64, cycles)
	),
	TP_fast_assign(
		__entry->minor = job->wdev->drm.accel->index;
		__entry->queue = job->queue->id;
		__entry->job_id = job->id;
		__entry->status = job->outcome.status;
		__entry->device_status = job->outcome.device_status;
		__entry->failed_cmd = job->outcome.failed_cmd;
		__entry->cycles = job->outcome.cycles;
	),
	TP_printk("accel%u queue=%u job=%llu status=%d device_status=%#x failed_cmd=%u cycles=%llu",
		  __entry->minor, __entry->queue, __entry->job_id,
		  __entry->status, __entry->device_status,
		  __entry->failed_cmd, __entry->cycles)
);

/* The job ran over its time limit and is being ended. */
DEFINE_EVENT(wse_job_event, wse_timeout,
	TP_PROTO(const struct wse_job *job),
	TP_ARGS(job)
);

TRACE_EVENT(wse_reset,
	TP_PROTO(const struct wse_device *wdev, const char *reason, u64 count,
		 int ret),
	TP_ARGS(wdev, reason, count, ret),
	TP_STRUCT__entry(
		__field(u32, minor)
		__string(reason, reason)
		__field(u64, count)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->minor = wdev->drm.accel->index;
		__assign_str(reason);
		__entry->count = count;
		__entry->ret = ret;
	),
	TP_printk("accel%u reason=%s count=%llu ret=%d", __entry->minor,
		  __get_str(reason), __entry->count, __entry->ret)
);

DECLARE_EVENT_CLASS(wse_window_event,
	TP_PROTO(const struct wse_device *wdev, u32 slot, u32 pe_x, u32 pe_y,
		 u32 offset, u32 length),
	TP_ARGS(wdev, slot, pe_x, pe_y, offset, length),
	TP_STRUCT__entry(
		__field(u32, minor)
		__field(u32, slot)
		__field(u32, pe_x)
		__field(u32, pe_y)
		__field(u32, offset)
		__field(u32, length)
	),
	TP_fast_assign(
		__entry->minor = wdev->drm.accel->index;
		__entry->slot = slot;
		__entry->pe_x = pe_x;
		__entry->pe_y = pe_y;
		__entry->offset = offset;
		__entry->length = length;
	),
	TP_printk("accel%u slot=%u pe=(%u,%u) offset=%#x length=%#x",
		  __entry->minor, __entry->slot, __entry->pe_x, __entry->pe_y,
		  __entry->offset, __entry->length)
);

/* A window got a slot: its PE's SRAM is reachable through BAR2. */
DEFINE_EVENT(wse_window_event, wse_window_map,
	TP_PROTO(const struct wse_device *wdev, u32 slot, u32 pe_x, u32 pe_y,
		 u32 offset, u32 length),
	TP_ARGS(wdev, slot, pe_x, pe_y, offset, length)
);

/* A window lost its slot; mappings of it fault with SIGBUS from now on. */
DEFINE_EVENT(wse_window_event, wse_window_revoke,
	TP_PROTO(const struct wse_device *wdev, u32 slot, u32 pe_x, u32 pe_y,
		 u32 offset, u32 length),
	TP_ARGS(wdev, slot, pe_x, pe_y, offset, length)
);

#endif /* _WSE_TRACE_H_ */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE wse_trace
#include <trace/define_trace.h>
