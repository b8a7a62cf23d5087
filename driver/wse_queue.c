// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Hardware queues: submission and completion rings in coherent memory,
 * doorbells, MSI-X completion handling, the watchdog that stops a job past
 * its deadline, error recovery, and the pool that hands one queue to each
 * file that submits.
 *
 * A queue runs one job at a time (its scheduler has a credit limit of 1)
 * and a job's commands go to the ring one at a time: the completion of one
 * issues the next. Stopping the queue under a job therefore affects that
 * job only, and a failing command stops its job before the next command
 * reaches the device.
 *
 * Unplug safety: a queue's registers are only touched with the queue's
 * hw_lock held and @broken clear (configuration, stops, recovery, the
 * watchdog, the error work, debugfs) or with its lock held and @running
 * set (doorbells and completion heads); wse_qread() and wse_qwrite()
 * assert the lock. These paths are not drm_dev_enter() sections of their
 * own. remove() calls wse_queues_stop() before it
 * waits for those sections and before the BARs go: that stops every
 * queue and marks it broken under hw_lock (and not running under its
 * lock), so a stop, run, recovery or watchdog that comes later finds it
 * broken and leaves the device alone. This is what makes the close path
 * (wse_queue_stop(), wse_queue_release()) and the watchdog safe against
 * unplug, and what lets remove() end a job that a drm_dev_enter()
 * section waits for (a region's scrub) before it waits for the section.
 */

#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/wait_bit.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>

#include "wse_coredump.h"
#include "wse_hw.h"
#include "wse_job.h"
#include "wse_queue.h"
#include "wse_trace.h"

#define WSE_ENABLE_TIMEOUT_US	(100 * USEC_PER_MSEC)
#define WSE_STOP_TIMEOUT_US	(10 * USEC_PER_SEC)

#define WSE_SQ_BYTES		PAGE_ALIGN(WSE_QUEUE_ENTRIES * WSE_SQE_SIZE)
#define WSE_CQ_BYTES		PAGE_ALIGN(WSE_QUEUE_ENTRIES * WSE_CQE_SIZE)
#define WSE_SGE_SIZE		16

static_assert(sizeof(struct wse_sqe) == WSE_SQE_SIZE);
static_assert(sizeof(struct wse_cqe) == WSE_CQE_SIZE);
static_assert(sizeof(struct wse_sge) == WSE_SGE_SIZE);

static const char *wse_fence_get_driver_name(struct dma_fence *fence)
{
	return DRIVER_NAME;
}

static const char *wse_fence_get_timeline_name(struct dma_fence *fence)
{
	return "wse-queue";
}

static const struct dma_fence_ops wse_fence_ops = {
	.get_driver_name = wse_fence_get_driver_name,
	.get_timeline_name = wse_fence_get_timeline_name,
};

static u32 wse_qreg(const struct wse_queue *q, u32 reg)
{
	return WSE_REG_Q(q->id, reg);
}

/* Queue register accesses: see "Unplug safety" above. */
static void wse_qwrite(struct wse_queue *q, u32 reg, u32 val)
{
	lockdep_assert(lockdep_is_held(&q->hw_lock) || lockdep_is_held(&q->lock));
	wse_write(q->wdev, wse_qreg(q, reg), val);
}

static u32 wse_qread(struct wse_queue *q, u32 reg)
{
	lockdep_assert_held(&q->hw_lock);
	return wse_read(q->wdev, wse_qreg(q, reg));
}

/* Put the active job's next command on the ring and ring the doorbell. */
static void wse_queue_issue_locked(struct wse_queue *q)
{
	struct wse_job *job = q->active;
	struct wse_job_cmd *cmd = &job->cmds[job->next_cmd];
	struct wse_sqe *sqe = &q->sq[q->sq_tail];

	lockdep_assert_held(&q->lock);

	if (cmd->sync)
		wse_gem_sgl_sync_for_device(q->wdev, &cmd->sgl);
	memcpy(sqe, &cmd->sqe, sizeof(*sqe));
	sqe->tag = ++q->tag;
	q->sq_tail = (q->sq_tail + 1) % WSE_QUEUE_ENTRIES;
	/* writel() orders the entry's stores to coherent memory before it. */
	wse_qwrite(q, WSE_Q_SQ_TAIL, q->sq_tail);
}

/*
 * Take the active job off the queue with its outcome. The caller passes it
 * to wse_job_done() once q->lock is dropped.
 */
static struct wse_job *wse_queue_finish_locked(struct wse_queue *q, int status,
					       const struct wse_cqe *cqe)
{
	struct wse_job *job = q->active;

	lockdep_assert_held(&q->lock);

	job->outcome.status = status;
	if (status) {
		struct wse_job_outcome *o = &job->outcome;

		o->failed_cmd = job->next_cmd;
		o->device_status = cqe ? cqe->status : WSE_CQE_ABORTED;
		if (cqe) {
			o->reason = cqe->reason;
			o->pe_x = cqe->pe_x;
			o->pe_y = cqe->pe_y;
			o->pc = cqe->pc;
		}
	}
	q->active = NULL;
	/* Armed only under q->lock: not armed, not pending. */
	if (q->watchdog_armed) {
		cancel_delayed_work(&q->watchdog);
		q->watchdog_armed = false;
	}
	return job;
}

static int wse_cqe_errno(const struct wse_job *job, u8 status)
{
	switch (status) {
	case WSE_CQE_OK:
		return 0;
	case WSE_CQE_KERNEL_FAULT:
		return -EFAULT;
	case WSE_CQE_STREAM_TIMEOUT:
		return -ETIMEDOUT;
	case WSE_CQE_ABORTED:
		return job->abort_err ?: -EIO;
	default:
		return -EIO;
	}
}

/*
 * Consume the completions the device posted: issue the next command of the
 * active job after a successful one, end the job after its last or first
 * failing one. Returns the job that ended, if any.
 */
static struct wse_job *wse_queue_reap_locked(struct wse_queue *q)
{
	struct wse_device *wdev = q->wdev;
	struct wse_job *done = NULL;
	bool consumed = false;

	lockdep_assert_held(&q->lock);

	for (;;) {
		struct wse_cqe *slot = &q->cq[q->cq_head];
		struct wse_job_cmd *cmd;
		struct wse_job *job;
		struct wse_cqe cqe;

		if ((READ_ONCE(slot->phase) & WSE_CQE_PHASE) != q->cq_phase)
			break;
		/* Read the entry only after its phase says it is complete. */
		dma_rmb();
		memcpy(&cqe, slot, sizeof(cqe));
		if (++q->cq_head == WSE_QUEUE_ENTRIES) {
			q->cq_head = 0;
			q->cq_phase ^= WSE_CQE_PHASE;
		}
		consumed = true;

		job = q->active;
		if (!job || cqe.tag != q->tag) {
			wse_err_ratelimited(wdev, "queue %u: unexpected completion: tag %u, status %#x\n",
					    q->id, cqe.tag, cqe.status);
			continue;
		}
		wse_dbg(wdev, IRQ, "queue %u: command %u of %u: status %#x\n",
			q->id, job->next_cmd, job->cmd_count, cqe.status);

		cmd = &job->cmds[job->next_cmd];
		if (cmd->sync)
			wse_gem_sgl_sync_for_cpu(wdev, &cmd->sgl);
		/* A launch that faulted or was cancelled ran cycles too. */
		if (cmd->sqe.opcode == WSE_OP_LAUNCH ||
		    (cmd->sqe.opcode >= WSE_OP_RESIDENT &&
		     cmd->sqe.opcode <= WSE_OP_CALL))
			job->outcome.cycles += cqe.result;
		if (cqe.status == WSE_CQE_OK) {
			if (++job->next_cmd < job->cmd_count) {
				/* A stopping queue takes no doorbells. */
				if (q->running)
					wse_queue_issue_locked(q);
				continue;
			}
		}
		if (cqe.status == WSE_CQE_KERNEL_FAULT)
			wse_coredump_fault_locked(q, job, &cqe);
		done = wse_queue_finish_locked(q, wse_cqe_errno(job, cqe.status),
					       &cqe);
	}
	/*
	 * The device only needs the head for free slots, and a queue has one
	 * command at a time on the hardware: telling it every half ring
	 * leaves it 31 free slots at least, and saves the register write
	 * (a trap into the emulator, a quarter of a microsecond under TCG)
	 * that would follow every command.
	 */
	if (consumed && q->running &&
	    (q->cq_head - q->cq_head_hw) % WSE_QUEUE_ENTRIES >= WSE_QUEUE_ENTRIES / 2) {
		q->cq_head_hw = q->cq_head;
		wse_qwrite(q, WSE_Q_CQ_HEAD, q->cq_head);
	}
	return done;
}

static void wse_queue_process(struct wse_queue *q)
{
	struct wse_job *done;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	done = wse_queue_reap_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);

	if (done)
		wse_job_done(done);
}

/**
 * wse_queue_poll() - consume the queue's completions without its interrupt
 * @q: the queue
 *
 * What the MSI-X handler does, for a waiter that polls: the interrupt
 * that follows finds the ring consumed. Only while the device is there:
 * the rings go with it. Any context but hard interrupts.
 */
void wse_queue_poll(struct wse_queue *q)
{
	struct wse_cqe *slot;
	int idx;

	if (!drm_dev_enter(&q->wdev->drm, &idx))
		return;
	/* A peek without the lock first: a poll mostly finds nothing. */
	slot = &q->cq[READ_ONCE(q->cq_head)];
	if ((READ_ONCE(slot->phase) & WSE_CQE_PHASE) == READ_ONCE(q->cq_phase))
		wse_queue_process(q);
	drm_dev_exit(idx);
}

static irqreturn_t wse_queue_irq(int irq, void *arg)
{
	struct wse_irq_vector *vec = arg;
	struct wse_device *wdev = vec->wdev;
	u32 stride = wdev->num_vectors - 1;
	u32 i;

	for (i = vec->first_queue; i < wdev->hw.num_queues; i += stride)
		wse_queue_process(&wdev->queues[i]);
	return IRQ_HANDLED;
}

static irqreturn_t wse_event_irq(int irq, void *arg)
{
	struct wse_device *wdev = arg;
	u32 events;

	events = wse_read(wdev, WSE_REG_EVENT);
	if (!events || events == U32_MAX)
		return IRQ_NONE;
	wse_write(wdev, WSE_REG_EVENT, events);
	wse_dbg(wdev, IRQ, "device events %#x\n", events);
	if (events & WSE_EVENT_QUEUE_ERROR)
		queue_work(wdev->wq, &wdev->event_work);
	return IRQ_HANDLED;
}

/*
 * Disable the queue. Like ABORT, this cancels a running LAUNCH and drops
 * the entries not yet fetched and the loaded program; STATUS shows BUSY
 * until the running command has ended. A queue that does not stop is
 * marked broken and never touched again.
 */
static int wse_queue_hw_stop_locked(struct wse_queue *q)
{
	struct wse_device *wdev = q->wdev;
	u32 status;
	int ret;

	lockdep_assert_held(&q->hw_lock);

	/* A fault's PEs are dumped before the stop drops the program. */
	wse_coredump_capture_locked(q);
	spin_lock_irq(&q->lock);
	q->running = false;
	spin_unlock_irq(&q->lock);
	q->hw_enabled = false;
	if (q->broken)
		return -ENODEV;

	wse_qwrite(q, WSE_Q_CTRL, WSE_QCTRL_ABORT);
	ret = read_poll_timeout(wse_qread, status,
				status == U32_MAX ||
				!(status & (WSE_QSTATUS_ENABLED | WSE_QSTATUS_ERROR |
					    WSE_QSTATUS_BUSY)),
				100, WSE_STOP_TIMEOUT_US, false, q, WSE_Q_STATUS);
	if (ret || status == U32_MAX) {
		wse_err(wdev, "queue %u does not stop: status %#x\n", q->id, status);
		q->broken = true;
		/* Its job's lists are freed next: no DMA may reach them. */
		wse_hw_dma_off(wdev);
		return -EIO;
	}
	return 0;
}

/* Program the queue for @region and enable it with empty rings. */
static int wse_queue_hw_enable_locked(struct wse_queue *q,
				      const struct wse_rect *region)
{
	struct wse_device *wdev = q->wdev;
	u32 status;
	int ret;

	lockdep_assert_held(&q->hw_lock);

	/* Configuration registers only take writes while disabled. */
	ret = wse_queue_hw_stop_locked(q);
	if (ret)
		return ret;

	/* Enabling starts both rings at index 0 with completion phase 1. */
	spin_lock_irq(&q->lock);
	memset(q->cq, 0, WSE_CQ_BYTES);
	q->sq_tail = 0;
	q->cq_head = 0;
	q->cq_head_hw = 0;
	q->cq_phase = WSE_CQE_PHASE;
	spin_unlock_irq(&q->lock);

	wse_qwrite(q, WSE_Q_SQ_BASE_LO, lower_32_bits(q->sq_dma));
	wse_qwrite(q, WSE_Q_SQ_BASE_HI, upper_32_bits(q->sq_dma));
	wse_qwrite(q, WSE_Q_CQ_BASE_LO, lower_32_bits(q->cq_dma));
	wse_qwrite(q, WSE_Q_CQ_BASE_HI, upper_32_bits(q->cq_dma));
	wse_qwrite(q, WSE_Q_SIZE, WSE_QUEUE_ORDER);
	wse_qwrite(q, WSE_Q_VECTOR, q->vector);
	wse_qwrite(q, WSE_Q_REGION_XY, region->x | region->y << 16);
	wse_qwrite(q, WSE_Q_REGION_WH, region->w | region->h << 16);
	wse_qwrite(q, WSE_Q_CTRL, WSE_QCTRL_ENABLE);

	ret = read_poll_timeout(wse_qread, status,
				status == U32_MAX ||
				(status & (WSE_QSTATUS_ENABLED | WSE_QSTATUS_ERROR)),
				10, WSE_ENABLE_TIMEOUT_US, false, q, WSE_Q_STATUS);
	if (ret || status == U32_MAX || !(status & WSE_QSTATUS_ENABLED)) {
		wse_err_ratelimited(wdev, "queue %u: enabling for %ux%u PEs at (%u,%u) failed: status %#x, code %u\n",
				    q->id, region->w, region->h, region->x,
				    region->y, status, WSE_QSTATUS_CODE(status));
		/* Leave the error state. */
		wse_queue_hw_stop_locked(q);
		return -EIO;
	}

	q->hw_region = *region;
	q->hw_enabled = true;
	spin_lock_irq(&q->lock);
	q->running = true;
	spin_unlock_irq(&q->lock);
	wse_dbg(wdev, QUEUE, "queue %u enabled for %ux%u PEs at (%u,%u)\n",
		q->id, region->w, region->h, region->x, region->y);
	return 0;
}

/*
 * Stop the queue under its active job, if any. Completions the device
 * posted before it stopped still count; a job still on the queue after
 * that ends with @err. The next job enables the queue again.
 */
static int wse_queue_recover_locked(struct wse_queue *q, int err)
{
	struct wse_job *done = NULL;
	int ret;

	lockdep_assert_held(&q->hw_lock);

	spin_lock_irq(&q->lock);
	if (q->active)
		q->active->abort_err = err;
	spin_unlock_irq(&q->lock);

	ret = wse_queue_hw_stop_locked(q);

	spin_lock_irq(&q->lock);
	if (!ret)
		done = wse_queue_reap_locked(q);
	if (!done && q->active)
		done = wse_queue_finish_locked(q, err, NULL);
	spin_unlock_irq(&q->lock);

	if (done)
		wse_job_done(done);
	return ret;
}

static void wse_queue_watchdog_work(struct work_struct *work)
{
	struct wse_queue *q = container_of(to_delayed_work(work),
					   struct wse_queue, watchdog);
	unsigned long now = jiffies;
	struct wse_job *job;
	u32 cmd = 0, limit = 0;
	bool expired = false;

	mutex_lock(&q->hw_lock);
	spin_lock_irq(&q->lock);
	job = q->active;
	if (job && job->timeout_ms) {
		if (time_after_eq(now, job->deadline)) {
			expired = true;
			cmd = job->next_cmd;
			limit = job->timeout_ms;
		} else {
			/* The job on the queue now is a later one. */
			mod_delayed_work(q->wdev->wq, &q->watchdog,
					 job->deadline - now);
			q->watchdog_armed = true;
		}
	}
	spin_unlock_irq(&q->lock);

	if (expired) {
		wse_warn_ratelimited(q->wdev, "queue %u: job over its limit of %u ms in command %u, aborting it\n",
				     q->id, limit, cmd);
		trace_wse_timeout(job);
		wse_coredump_hang_locked(q, job);
		wse_queue_recover_locked(q, -ETIMEDOUT);
	}
	mutex_unlock(&q->hw_lock);
}

/* A queue stopped in the error state: end its job with -EIO. */
static void wse_queue_event_work(struct work_struct *work)
{
	struct wse_device *wdev = container_of(work, struct wse_device,
					       event_work);
	u32 i, status;
	int idx;

	if (!drm_dev_enter(&wdev->drm, &idx))
		return;

	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];

		mutex_lock(&q->hw_lock);
		if (q->hw_enabled) {
			status = wse_qread(q, WSE_Q_STATUS);
			if (status != U32_MAX && (status & WSE_QSTATUS_ERROR)) {
				wse_err_ratelimited(wdev, "queue %u stopped with error %u\n",
						    q->id, WSE_QSTATUS_CODE(status));
				wse_queue_recover_locked(q, -EIO);
			}
		}
		mutex_unlock(&q->hw_lock);
	}
	drm_dev_exit(idx);
}

/**
 * wse_queue_run() - put a job on the hardware
 * @q: the queue, idle
 * @job: the job; its commands were checked against @job->region
 *
 * Enables the queue for the job's region if it is not already, arms the
 * job's hardware fence and watchdog and issues the first command. Called
 * from the scheduler's run_job, from SUBMIT (direct submission) and for
 * internal jobs; allocates nothing. A job whose commands the device runs
 * in the doorbell write ends before this returns (wse_job_done()).
 *
 * Return: 0, or -EIO if the queue cannot run (the fence is not armed).
 */
int wse_queue_run(struct wse_queue *q, struct wse_job *job)
{
	unsigned long timeout = msecs_to_jiffies(job->timeout_ms);
	struct wse_job *done = NULL;
	bool busy;
	int ret = 0;

	mutex_lock(&q->hw_lock);
	spin_lock_irq(&q->lock);
	busy = q->active;
	spin_unlock_irq(&q->lock);
	if (drm_WARN_ON(&q->wdev->drm, busy)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (q->broken) {
		ret = READ_ONCE(q->wdev->unplugging) ? -ENODEV : -EIO;
		goto out_unlock;
	}
	wse_coredump_capture_locked(q);
	if (!q->hw_enabled || !wse_rect_equal(&q->hw_region, &job->region)) {
		ret = wse_queue_hw_enable_locked(q, &job->region);
		if (ret)
			goto out_unlock;
	}

	dma_fence_init(job->hw_fence, &wse_fence_ops, &q->fence_lock,
		       q->fence_context, ++q->fence_seqno);
	job->fence_armed = true;

	spin_lock_irq(&q->lock);
	job->next_cmd = 0;
	job->deadline = jiffies + timeout;
	q->active = job;
	wse_queue_issue_locked(q);
	/*
	 * The device runs short commands in the doorbell write itself
	 * (Documentation/wse/hardware.rst): a NOP's completion is in the
	 * ring by now. Reaping it here ends the job without waiting for the
	 * interrupt or a WAIT to poll, and a job that ended this way never
	 * needs its watchdog. The deadline was set before the first
	 * doorbell either way, and the watchdog checks it.
	 */
	done = wse_queue_reap_locked(q);
	if (q->active == job && job->timeout_ms) {
		mod_delayed_work(q->wdev->wq, &q->watchdog, timeout);
		q->watchdog_armed = true;
	}
	spin_unlock_irq(&q->lock);
out_unlock:
	mutex_unlock(&q->hw_lock);
	if (done)
		wse_job_done(done);
	return ret;
}

/*
 * Suspended (reset_lock held): the suspend stopped every queue under its
 * job and the schedulers, and nothing starts a job before resume, which
 * resets the device; wse_drv.h promises it is not touched meanwhile.
 */
static bool wse_queue_suspended(struct wse_queue *q)
{
	struct wse_device *wdev = q->wdev;
	bool active;

	lockdep_assert_held(&wdev->reset_lock);

	if (!wdev->suspended)
		return false;
	spin_lock_irq(&q->lock);
	active = q->active;
	spin_unlock_irq(&q->lock);
	drm_WARN_ON(&wdev->drm, active);
	return true;
}

/**
 * wse_queue_stop() - stop a queue
 * @q: the queue
 * @err: how its active job, if any, ends
 *
 * The queue is disabled until the next job enables it again. The caller
 * holds wse_device.reset_lock, so that no reset or FLR has the device.
 * While the device is suspended the queue is already stopped, with no
 * job (wse_pm_suspend()), and nothing is asked of the device.
 *
 * Return: 0 if the queue stopped, -EIO if it is broken, -ENODEV if the
 * device is gone.
 */
int wse_queue_stop(struct wse_queue *q, int err)
{
	int ret;

	lockdep_assert_held(&q->wdev->reset_lock);

	if (wse_queue_suspended(q))
		return 0;
	mutex_lock(&q->hw_lock);
	ret = wse_queue_recover_locked(q, err);
	mutex_unlock(&q->hw_lock);
	return ret;
}

/**
 * wse_queue_timeout() - end a job that is over its time
 * @q: the queue
 * @job: the job; nothing happens unless it is still on the queue
 */
void wse_queue_timeout(struct wse_queue *q, struct wse_job *job)
{
	bool active;

	mutex_lock(&q->hw_lock);
	spin_lock_irq(&q->lock);
	active = q->active == job;
	spin_unlock_irq(&q->lock);
	if (active)
		wse_queue_recover_locked(q, -ETIMEDOUT);
	mutex_unlock(&q->hw_lock);
}

/**
 * wse_queue_acquire() - take a free hardware queue
 * @wdev: the device
 * @owner: the file that gets it
 *
 * Return: the queue, or NULL if all are in use.
 */
struct wse_queue *wse_queue_acquire(struct wse_device *wdev,
				    struct wse_file_priv *owner)
{
	struct wse_queue *q = NULL;
	u32 i;

	mutex_lock(&wdev->queue_lock);
	for (i = 0; i < wdev->hw.num_queues; i++) {
		if (!wdev->queues[i].owner && !wdev->queues[i].retired) {
			q = &wdev->queues[i];
			q->owner = owner;
			break;
		}
	}
	mutex_unlock(&wdev->queue_lock);
	if (q)
		wse_dbg(wdev, QUEUE, "queue %u taken\n", q->id);
	return q;
}

/**
 * wse_queue_unacquire() - give back a queue that never ran anything
 * @q: the queue, taken with wse_queue_acquire() a moment ago
 */
void wse_queue_unacquire(struct wse_queue *q)
{
	mutex_lock(&q->wdev->queue_lock);
	q->owner = NULL;
	mutex_unlock(&q->wdev->queue_lock);
}

/**
 * wse_queue_release() - stop a queue and give it back to the pool
 * @q: the queue, with no job left in its scheduler; reset_lock held
 */
void wse_queue_release(struct wse_queue *q)
{
	struct wse_device *wdev = q->wdev;
	bool broken;

	lockdep_assert_held(&wdev->reset_lock);

	mutex_lock(&q->hw_lock);
	if (!wse_queue_suspended(q))
		wse_queue_recover_locked(q, -ECANCELED);
	broken = q->broken;
	mutex_unlock(&q->hw_lock);

	mutex_lock(&wdev->queue_lock);
	q->owner = NULL;
	q->retired = broken;
	mutex_unlock(&wdev->queue_lock);
	wse_dbg(wdev, QUEUE, "queue %u released%s\n", q->id,
		broken ? " and retired" : "");
}

/**
 * wse_queues_stop() - stop every queue for good
 * @wdev: the device, being removed
 *
 * Jobs on the hardware end with -ENODEV, and so does every later job
 * (wse_queue_run()); the schedulers keep running so that queued jobs
 * fail in run_job and get freed. Called before remove() waits for the
 * drm_dev_enter() sections, none of which then waits for a job. A device
 * that is gone or suspended is not asked anything, and once a queue did
 * not stop (DMA is off then) the others are not polled either: this
 * waits WSE_STOP_TIMEOUT_US at most, not that for every queue.
 */
void wse_queues_stop(struct wse_device *wdev)
{
	bool gone;
	u32 i;

	/* Read under every hw_lock below: no reset gives a queue back. */
	WRITE_ONCE(wdev->unplugging, true);
	gone = wdev->suspended || wse_read(wdev, WSE_REG_ID) != WSE_ID_MAGIC;
	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];

		mutex_lock(&q->hw_lock);
		if (gone)
			q->broken = true;
		if (wse_queue_recover_locked(q, -ENODEV) == -EIO)
			gone = true;
		q->broken = true;
		mutex_unlock(&q->hw_lock);
		cancel_delayed_work_sync(&q->watchdog);
	}
	cancel_work_sync(&wdev->event_work);
}

/**
 * wse_queues_sched_stop() - keep the schedulers from running jobs
 * @wdev: the device
 *
 * Waits for run_job and free_job calls in progress. Jobs keep queueing.
 */
void wse_queues_sched_stop(struct wse_device *wdev)
{
	u32 i;

	for (i = 0; i < wdev->hw.num_queues; i++)
		drm_sched_wqueue_stop(&wdev->queues[i].sched);
}

/**
 * wse_queues_sched_start() - let the schedulers run jobs again
 * @wdev: the device
 */
void wse_queues_sched_start(struct wse_device *wdev)
{
	u32 i;

	for (i = 0; i < wdev->hw.num_queues; i++)
		drm_sched_wqueue_start(&wdev->queues[i].sched);
}

/**
 * wse_queues_abort() - stop every queue under its job
 * @wdev: the device, schedulers stopped, reset_lock held for writing
 * @err: how the jobs on the hardware end
 */
void wse_queues_abort(struct wse_device *wdev, int err)
{
	u32 i;

	lockdep_assert_held_write(&wdev->reset_lock);

	for (i = 0; i < wdev->hw.num_queues; i++)
		wse_queue_stop(&wdev->queues[i], err);
}

/**
 * wse_queues_reinit() - take the queues back after a device reset
 * @wdev: the device, reset, reset_lock held for writing
 * @ok: the device came back; if not, every queue is out of service
 *
 * The reset disabled every queue; the next job of each enables it again.
 * Queues retired because they did not stop return to the pool.
 */
void wse_queues_reinit(struct wse_device *wdev, bool ok)
{
	u32 i;

	lockdep_assert_held_write(&wdev->reset_lock);

	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];

		mutex_lock(&q->hw_lock);
		q->hw_enabled = false;
		/* A reset racing with remove() gives no queue back. */
		q->broken = !ok || READ_ONCE(wdev->unplugging);
		mutex_unlock(&q->hw_lock);
	}
	mutex_lock(&wdev->queue_lock);
	for (i = 0; i < wdev->hw.num_queues; i++)
		wdev->queues[i].retired = !ok && !wdev->queues[i].owner;
	mutex_unlock(&wdev->queue_lock);
}

static void wse_queues_release(struct drm_device *drm, void *arg)
{
	struct wse_device *wdev = to_wse_device(drm);
	u32 i;

	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];
		struct drm_sched_job *job, *tmp;

		cancel_delayed_work_sync(&q->watchdog);
		if (q->sched_ready) {
			drm_sched_fini(&q->sched);
			/* drm_sched_fini() leaves finished jobs to the driver. */
			list_for_each_entry_safe(job, tmp, &q->sched.pending_list,
						 list) {
				list_del_init(&job->list);
				wse_sched_ops.free_job(job);
			}
		}
	}
	/*
	 * Jobs a closed file dropped are freed from system work items that
	 * drm_sched_fini() does not flush; they use the device and the
	 * schedulers. The job on the hardware was stopped at close, so
	 * their fences all signal.
	 */
	wait_var_event(&wdev->jobs_live, !atomic_read(&wdev->jobs_live));

	/* The rings are device-managed (wse_queue_init()). */
	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];

		mutex_destroy(&q->hw_lock);
	}
}

static int wse_queue_init(struct wse_queue *q)
{
	struct wse_device *wdev = q->wdev;
	struct device *dev = wdev->drm.dev;
	int ret;

	/*
	 * Device-managed: the rings go when the device is unbound, after
	 * remove() stopped every queue. This release runs at the last close,
	 * possibly after hot-unplug, when a DMA free would find the device's
	 * IOMMU state gone.
	 */
	q->sq = dmam_alloc_coherent(dev, WSE_SQ_BYTES, &q->sq_dma, GFP_KERNEL);
	if (!q->sq)
		return -ENOMEM;
	q->cq = dmam_alloc_coherent(dev, WSE_CQ_BYTES, &q->cq_dma, GFP_KERNEL);
	if (!q->cq)
		return -ENOMEM;

	/*
	 * drm_sched only knows one timeout per scheduler, but every job
	 * has its own limit: the queue watchdog keeps the deadlines, the
	 * scheduler runs without a timeout of its own.
	 */
	ret = drm_sched_init(&q->sched, &wse_sched_ops, NULL,
			     DRM_SCHED_PRIORITY_COUNT, 1, 0,
			     MAX_SCHEDULE_TIMEOUT, wdev->wq, NULL, q->name, dev);
	if (ret)
		return ret;
	q->sched_ready = true;
	return 0;
}

static int wse_irqs_request(struct wse_device *wdev)
{
	struct pci_dev *pdev = to_pci_dev(wdev->drm.dev);
	int ret;
	u32 v;

	ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, WSE_VECTOR_EVENTS),
			       wse_event_irq, 0, DRIVER_NAME, wdev);
	if (ret)
		return ret;
	for (v = 1; v < wdev->num_vectors; v++) {
		wdev->vectors[v].wdev = wdev;
		wdev->vectors[v].first_queue = v - 1;
		ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, v),
				       wse_queue_irq, 0, DRIVER_NAME,
				       &wdev->vectors[v]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * wse_queues_init() - set up MSI-X, every queue and its scheduler
 * @wdev: the device, identity read and reset
 *
 * The rings and schedulers live until the DRM device is released; the
 * interrupts until the driver unbinds.
 *
 * Return: 0 or a negative errno.
 */
int wse_queues_init(struct wse_device *wdev)
{
	struct pci_dev *pdev = to_pci_dev(wdev->drm.dev);
	u32 nq = wdev->hw.num_queues;
	int nvec, ret;
	u32 i;

	INIT_WORK(&wdev->event_work, wse_queue_event_work);

	/* Vector 0 for device events, ideally one more per queue. */
	nvec = pci_alloc_irq_vectors(pdev, 2, nq + 1, PCI_IRQ_MSIX);
	if (nvec < 0) {
		wse_err(wdev, "cannot allocate MSI-X vectors: %d\n", nvec);
		return nvec;
	}
	wdev->num_vectors = nvec;
	wdev->vectors = drmm_kcalloc(&wdev->drm, nvec, sizeof(*wdev->vectors),
				     GFP_KERNEL);
	if (!wdev->vectors)
		return -ENOMEM;

	wdev->queues = drmm_kcalloc(&wdev->drm, nq, sizeof(*wdev->queues),
				    GFP_KERNEL);
	if (!wdev->queues)
		return -ENOMEM;
	for (i = 0; i < nq; i++) {
		struct wse_queue *q = &wdev->queues[i];

		q->wdev = wdev;
		q->id = i;
		q->vector = 1 + i % (nvec - 1);
		snprintf(q->name, sizeof(q->name), "wse-q%u", i);
		spin_lock_init(&q->lock);
		spin_lock_init(&q->fence_lock);
		mutex_init(&q->hw_lock);
		INIT_DELAYED_WORK(&q->watchdog, wse_queue_watchdog_work);
		q->fence_context = dma_fence_context_alloc(1);
		q->cq_phase = WSE_CQE_PHASE;
	}
	ret = drmm_add_action_or_reset(&wdev->drm, wse_queues_release, NULL);
	if (ret)
		return ret;

	for (i = 0; i < nq; i++) {
		ret = wse_queue_init(&wdev->queues[i]);
		if (ret)
			return ret;
	}

	/* Last: the handlers walk the rings. */
	return wse_irqs_request(wdev);
}
