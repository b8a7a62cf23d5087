/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_QUEUE_H__
#define __WSE_QUEUE_H__

#include <drm/gpu_scheduler.h>
#include <linux/bits.h>
#include <linux/spinlock.h>

#include "wse_drv.h"

/* 64 entries: a whole job would fit, although jobs go one command at a time. */
#define WSE_QUEUE_ORDER		6
#define WSE_QUEUE_ENTRIES	BIT(WSE_QUEUE_ORDER)

struct wse_job;

/**
 * struct wse_queue - a hardware queue pair and its scheduler
 */
struct wse_queue {
	/** @wdev: the device */
	struct wse_device *wdev;
	/** @id: hardware queue index */
	u32 id;
	/** @vector: MSI-X vector of its completions */
	u32 vector;
	/** @name: scheduler and timeline name */
	char name[16];

	/** @sq: submission ring */
	struct wse_sqe *sq;
	/** @sq_dma: its bus address */
	dma_addr_t sq_dma;
	/** @cq: completion ring */
	struct wse_cqe *cq;
	/** @cq_dma: its bus address */
	dma_addr_t cq_dma;

	/** @sched: one job at a time, in order (credit limit 1) */
	struct drm_gpu_scheduler sched;
	/** @sched_ready: @sched is initialized */
	bool sched_ready;
	/** @fence_context: of the hardware fences */
	u64 fence_context;
	/** @fence_lock: the lock of the hardware fences */
	spinlock_t fence_lock;
	/** @watchdog: ends the active job when its time is up */
	struct delayed_work watchdog;

	/**
	 * @hw_lock: serializes (re)configuration, stops and recovery.
	 * Protects @hw_region, @hw_enabled, @broken, @fence_seqno.
	 */
	struct mutex hw_lock;
	/** @hw_region: the region programmed in the queue */
	struct wse_rect hw_region;
	/** @hw_enabled: the queue is enabled with @hw_region */
	bool hw_enabled;
	/** @broken: the queue does not stop or the device is gone */
	bool broken;
	/** @fence_seqno: of the last hardware fence */
	u64 fence_seqno;

	/**
	 * @lock: protects the ring state below; taken in the MSI-X handler
	 * and with interrupts disabled elsewhere.
	 */
	spinlock_t lock;
	/** @running: the queue takes doorbells */
	bool running;
	/** @sq_tail: next submission slot */
	u32 sq_tail;
	/** @cq_head: next completion slot */
	u32 cq_head;
	/** @cq_head_hw: the completion head the device was last told */
	u32 cq_head_hw;
	/** @cq_phase: phase of valid completions in this pass */
	u8 cq_phase;
	/** @tag: tag of the last issued entry */
	u32 tag;
	/** @active: the job on the hardware, or NULL */
	struct wse_job *active;
	/**
	 * @watchdog_armed: @watchdog may be pending: only then does a job's
	 * end cancel it (most short jobs end before it is ever armed)
	 */
	bool watchdog_armed;

	/** @owner: the file using the queue. Protected by wse_device.queue_lock. */
	struct wse_file_priv *owner;
	/** @retired: broken, never handed out again. Protected by wse_device.queue_lock. */
	bool retired;
};

static inline struct wse_queue *to_wse_queue(struct drm_gpu_scheduler *sched)
{
	return container_of(sched, struct wse_queue, sched);
}

int wse_queues_init(struct wse_device *wdev);
void wse_queues_stop(struct wse_device *wdev);
void wse_queues_sched_stop(struct wse_device *wdev);
void wse_queues_sched_start(struct wse_device *wdev);
void wse_queues_abort(struct wse_device *wdev, int err);
void wse_queues_reinit(struct wse_device *wdev, bool ok);

struct wse_queue *wse_queue_acquire(struct wse_device *wdev,
				    struct wse_file_priv *owner);
void wse_queue_unacquire(struct wse_queue *q);
void wse_queue_release(struct wse_queue *q);
int wse_queue_run(struct wse_queue *q, struct wse_job *job);
int wse_queue_stop(struct wse_queue *q, int err);
void wse_queue_timeout(struct wse_queue *q, struct wse_job *job);
void wse_queue_poll(struct wse_queue *q);

#endif /* __WSE_QUEUE_H__ */
