/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-fences of jobs with a time limit (drm_wse_submit.in_syncobj).
 */
#ifndef _WSE_GATE_H_
#define _WSE_GATE_H_

#include <linux/dma-fence.h>
#include <linux/workqueue.h>

struct wse_device;

/**
 * struct wse_gate - a fence that follows another one, or gives up on it
 *
 * The scheduler holds the job back until the gate signals: when the
 * fence it follows does (with -ECANCELED if that one failed), or when the
 * time runs out (-ETIMEDOUT). So a job never waits longer than its limit
 * for a fence of another driver, device or process, and run_job can tell
 * from the gate's error whether the job may run.
 */
struct wse_gate {
	/** @base: the gate's own fence; the scheduler waits for it */
	struct dma_fence base;
	/** @lock: the fence lock */
	spinlock_t lock;
	/** @in: the fence followed; a reference */
	struct dma_fence *in;
	/** @cb: on @in */
	struct dma_fence_cb cb;
	/** @timeout: gives up on @in */
	struct delayed_work timeout;
	/** @wq: where @timeout runs */
	struct workqueue_struct *wq;
};

struct dma_fence *wse_gate_create(struct wse_device *wdev,
				  struct dma_fence *in, u32 timeout_ms);
void wse_gate_cancel(struct dma_fence *gate);

#endif /* _WSE_GATE_H_ */
