/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_JOB_H__
#define __WSE_JOB_H__

#include <drm/gpu_scheduler.h>
#include <linux/kref.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

#include "wse_drv.h"
#include "wse_gem.h"

/* Results kept per file; also the most jobs a file may have unfinished. */
#define WSE_JOB_RESULTS		1024

/* Scrubs get at least this long, whatever the timeout_ms parameter says. */
#define WSE_SCRUB_TIMEOUT_MS	60000

/**
 * struct wse_job_outcome - how a job ended, as DRM_IOCTL_WSE_WAIT tells it
 */
struct wse_job_outcome {
	/** @status: 0 or a negative errno, see struct drm_wse_wait */
	s32 status;
	/** @failed_cmd: index of the command that failed */
	u32 failed_cmd;
	/** @device_status: WSE_CQE_* of that command */
	u32 device_status;
	/** @reason: wafer status of a kernel fault or rejected image */
	u32 reason;
	/** @pe_x: faulting PE column, relative to the region */
	u32 pe_x;
	/** @pe_y: faulting PE row, relative to the region */
	u32 pe_y;
	/** @pc: program counter of the fault */
	u32 pc;
	/** @cycles: modeled cycles of the job's launches */
	u64 cycles;
};

/**
 * struct wse_job_result - a job's outcome, kept for DRM_IOCTL_WSE_WAIT
 *
 * Shared by the job, which fills it once, and the file's result table,
 * which keeps it for WSE_JOB_RESULTS jobs.
 */
struct wse_job_result {
	/** @ref: the job's and the table's references */
	struct kref ref;
	/** @done: the job's finished fence, signalled when it is over */
	struct dma_fence *done;
	/** @valid: @outcome is filled (store-release) */
	bool valid;
	/** @outcome: the job's, copied when it left the hardware */
	struct wse_job_outcome outcome;
};

/**
 * struct wse_job_cmd - one command, ready for the submission ring
 */
struct wse_job_cmd {
	/** @sqe: the entry; the queue sets its tag when issuing it */
	struct wse_sqe sqe;
	/** @obj: the buffer the command reads or writes, or NULL */
	struct drm_gem_object *obj;
	/** @sgl: the device list of its bytes */
	struct wse_sgl sgl;
	/** @sync: @sgl maps pages of ours that need DMA syncs */
	bool sync;
};

/**
 * struct wse_job - a batch of commands run in order on one queue
 *
 * The commands go to the hardware one at a time: each is issued when the
 * one before it completed successfully, so the first failing command
 * ends the job and the rest never run.
 */
struct wse_job {
	/** @base: the scheduler's part; unused by internal jobs */
	struct drm_sched_job base;
	/** @wdev: the device */
	struct wse_device *wdev;
	/** @queue: the hardware queue the job runs on */
	struct wse_queue *queue;
	/** @hw_fence: signalled when the job left the hardware */
	struct dma_fence *hw_fence;
	/** @fence_armed: @hw_fence was initialized by wse_queue_run() */
	bool fence_armed;
	/** @budget: the file's budget @charged is taken from, or NULL */
	struct wse_budget *budget;
	/** @charged: bytes of @budget the job's lists hold */
	unsigned long charged;
	/** @result: where the outcome goes, NULL for internal jobs */
	struct wse_job_result *result;
	/** @region: the region the commands were checked against */
	struct wse_rect region;
	/** @timeout_ms: run time limit, 0 for none */
	u32 timeout_ms;
	/** @id: the job id SUBMIT returned; 0 for the driver's own jobs */
	u64 id;
	/** @gate: the in-fence gate (wse_gate.h), or NULL; a reference */
	struct dma_fence *gate;
	/** @usage: the submitting file's statistics, or NULL; a reference */
	struct wse_usage *usage;
	/** @generation: of the submitting context; a reset makes it stale */
	u32 generation;
	/**
	 * @direct: run by SUBMIT itself, not by the scheduler; freed by
	 * @free_work once SUBMIT and the completion dropped @direct_refs
	 */
	bool direct;
	/** @direct_refs: SUBMIT's and the completion's, for a direct job */
	refcount_t direct_refs;
	/** @free_work: frees a direct job (it may end in an interrupt) */
	struct work_struct free_work;
	/**
	 * @spare_size: sized for WSE_JOB_SPARE_CMDS commands, so that its
	 * memory may become its file's spare job (wse_job.c)
	 */
	bool spare_size;
	/** @awake: holds a runtime PM reference (wse_job_hold_awake()) */
	bool awake;

	/* Protected by queue->lock while the job is on the hardware. */
	/** @deadline: jiffies when the job times out */
	unsigned long deadline;
	/** @abort_err: why the driver stopped the queue under the job */
	int abort_err;
	/** @next_cmd: the command on the hardware, or the next to issue */
	u32 next_cmd;

	/** @outcome: how it ended, final once @hw_fence is signalled */
	struct wse_job_outcome outcome;

	/** @cmd_count: entries of @cmds */
	u32 cmd_count;
	/** @cmds: the commands */
	struct wse_job_cmd cmds[] __counted_by(cmd_count);
};

extern const struct drm_sched_backend_ops wse_sched_ops;

int wse_submit_ioctl(struct drm_device *drm, void *data,
		     struct drm_file *file);
int wse_wait_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

int wse_job_bind_queue_locked(struct wse_file_priv *fpriv);
void wse_job_done(struct wse_job *job);
int wse_job_scrub(struct wse_queue *q, const struct wse_rect *rect);
bool wse_job_file_busy(struct wse_file_priv *fpriv);
void wse_job_file_cancel(struct wse_file_priv *fpriv);
void wse_job_file_fini(struct wse_file_priv *fpriv);

#endif /* __WSE_JOB_H__ */
