// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Jobs: SUBMIT checks every command, pins the buffers and builds the
 * device's entries, then hands the job to the file's scheduler entity;
 * WAIT reports how a job ended. Internal jobs (region scrubs) go to the
 * queue directly.
 */

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>
#include <linux/dma-fence-chain.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>

#include <drm/wse_accel.h>

#include "wse_gate.h"
#include "wse_hw.h"
#include "wse_job.h"
#include "wse_limits.h"
#include "wse_queue.h"
#include "wse_trace.h"
#include "wse_usage.h"
#include "wse_window.h"

/* The uAPI's operations are the device's opcodes. */
static_assert(DRM_WSE_OP_NOP == WSE_OP_NOP);
static_assert(DRM_WSE_OP_WRITE == WSE_OP_WRITE);
static_assert(DRM_WSE_OP_READ == WSE_OP_READ);
static_assert(DRM_WSE_OP_LOAD == WSE_OP_LOAD);
static_assert(DRM_WSE_OP_H2D == WSE_OP_H2D);
static_assert(DRM_WSE_OP_D2H == WSE_OP_D2H);
static_assert(DRM_WSE_OP_LAUNCH == WSE_OP_LAUNCH);
static_assert(ARRAY_SIZE(((struct wse_sqe *)0)->launch.args) == DRM_WSE_MAX_ARGS);
static_assert(DRM_WSE_STATUS_BAD_SGL == WSE_CQE_BAD_SGL);
static_assert(sizeof(struct drm_wse_cmd) == 72);
static_assert(sizeof(struct drm_wse_submit) == 104);
static_assert(DRM_WSE_STATUS_STREAM_TIMEOUT == WSE_CQE_STREAM_TIMEOUT);

/*
 * The fast path of a job nothing orders behind anything (see
 * wse_job_direct_begin()): SUBMIT puts it on the hardware itself instead
 * of handing it to the scheduler's worker. Read at each SUBMIT.
 */
static bool wse_direct_submit = true;
module_param_named(direct_submit, wse_direct_submit, bool, 0644);
MODULE_PARM_DESC(direct_submit, "SUBMIT runs a job itself when the file's queue is idle and the job has no in-fence or syncobj (default 1)");

/*
 * How long WAIT polls the completion ring before it sleeps until the
 * interrupt: a short job ends sooner than the interrupt and the wake-up
 * it takes arrive (under TCG by far). Bounded by the wait's own timeout,
 * a pending signal and the scheduler wanting the CPU.
 */
static unsigned int wse_wait_poll_us = 50;
module_param_named(wait_poll_us, wse_wait_poll_us, uint, 0644);
MODULE_PARM_DESC(wait_poll_us, "Microseconds WAIT polls for the job's completion before sleeping; 0: never polls (default 50)");

/*
 * Commands SUBMIT copies in on its stack (288 bytes): the common short
 * job costs no allocation for them.
 */
#define WSE_SUBMIT_STACK_CMDS	4

static struct wse_job *to_wse_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct wse_job, base);
}

static void wse_job_result_release(struct kref *ref)
{
	struct wse_job_result *res = container_of(ref, struct wse_job_result,
						  ref);

	dma_fence_put(res->done);
	kfree(res);
}

static void wse_job_result_put(struct wse_job_result *res)
{
	kref_put(&res->ref, wse_job_result_release);
}

/*
 * Jobs of up to this many commands are allocated for this many, and the
 * memory of one that SUBMIT itself frees (a direct job that ended in it)
 * is kept as the file's spare job (wse_file_priv.spare_job) for its next
 * one: a short job's allocation and free, with their memory cgroup
 * accounting, cost more than running it under TCG. One per file, freed
 * with the file; it holds no reference of anything.
 */
#define WSE_JOB_SPARE_CMDS	WSE_SUBMIT_STACK_CMDS

/*
 * @spare: the memory of a job (spare_size) to use, or NULL to allocate;
 * freed here if the allocation of the hardware fence fails.
 */
static struct wse_job *wse_job_alloc(struct wse_device *wdev,
				     struct wse_queue *q, u32 count,
				     struct wse_job *spare)
{
	u32 cap = max_t(u32, count, WSE_JOB_SPARE_CMDS);
	struct wse_job *job = spare;

	if (job) {
		/* Commands past @count are never looked at. */
		memset(job, 0, struct_size(job, cmds, count));
	} else {
		/*
		 * Sized by the submitter: charged to its memory cgroup, and
		 * a failure is its -ENOMEM, not a kernel warning with a
		 * stack trace.
		 */
		job = kvzalloc(struct_size(job, cmds, cap),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!job)
			return NULL;
	}
	job->spare_size = cap == WSE_JOB_SPARE_CMDS;
	job->cmd_count = count;
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	if (!job->hw_fence) {
		kvfree(job);
		return NULL;
	}
	job->wdev = wdev;
	job->queue = q;
	/* Released (wse_queues_release()) and unbound only once it is 0. */
	atomic_inc(&wdev->jobs_live);
	return job;
}

/*
 * The job keeps the device awake until it is freed (wse_job_release()).
 * Taken while the caller holds a reference (SUBMIT's ioctl, a scrub's
 * caller): by every job that may outlive it, that is all but a direct
 * job that ended in SUBMIT (wse_job_direct_release()).
 */
static void wse_job_hold_awake(struct wse_job *job)
{
	wse_pm_get_awake(job->wdev);
	job->awake = true;
}

/*
 * Give the job's list bytes back to the file's budget: once it ended, as
 * the uAPI counts only unfinished jobs (WAIT may return before the
 * scheduler frees the job), or when it is freed unrun. Any context; once.
 */
static void wse_job_uncharge(struct wse_job *job)
{
	unsigned long bytes = xchg(&job->charged, 0);

	if (job->budget && bytes)
		wse_budget_uncharge(job->budget, bytes);
}

/*
 * Let go of everything the job holds; with @keep, but its memory, which
 * the caller keeps as a spare job. Process context for a job that has
 * commands with buffers (GEM puts), else any context.
 */
static void wse_job_release(struct wse_job *job, bool keep)
{
	struct wse_device *wdev = job->wdev;
	u32 i;

	for (i = 0; i < job->cmd_count; i++) {
		struct wse_job_cmd *cmd = &job->cmds[i];

		wse_gem_sgl_destroy(job->wdev, &cmd->sgl);
		if (cmd->obj)
			drm_gem_object_put(cmd->obj);
	}
	/* An armed fence was signalled: wse_queue_run() always ends jobs. */
	if (job->fence_armed)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	if (job->result)
		wse_job_result_put(job->result);
	wse_gate_cancel(job->gate);
	wse_usage_put(job->usage);
	if (job->budget) {
		wse_job_uncharge(job);
		wse_budget_put(job->budget);
	}
	if (job->awake)
		wse_pm_put(wdev);
	if (!keep)
		kvfree(job);
	/*
	 * Jobs a closing file dropped are freed from system work items
	 * that drm_sched_fini() does not flush: the device's release and
	 * remove wait for this count instead. Last: wdev may go after it.
	 */
	if (atomic_dec_and_test(&wdev->jobs_live))
		wake_up_var(&wdev->jobs_live);
}

static void wse_job_destroy(struct wse_job *job)
{
	wse_job_release(job, false);
}

/* Make the outcome visible to WAIT. */
static void wse_job_publish(struct wse_job *job)
{
	struct wse_job_result *res = job->result;

	struct wse_device *wdev = job->wdev;

	wse_dbg(wdev, JOB, "job on queue %u done: status %d, command %u, device status %#x\n",
		job->queue->id, job->outcome.status, job->outcome.failed_cmd,
		job->outcome.device_status);
	if (!res)
		return;
	if (!job->outcome.status) {
		atomic64_inc(&wdev->jobs[WSE_JOBS_COMPLETED]);
	} else {
		atomic64_inc(&wdev->jobs[WSE_JOBS_FAILED]);
		if (job->outcome.status == -ETIMEDOUT)
			atomic64_inc(&wdev->jobs[WSE_JOBS_TIMED_OUT]);
	}
	res->outcome = job->outcome;
	/* Pairs with smp_load_acquire() in wse_wait_ioctl(). */
	smp_store_release(&res->valid, true);
}

static void wse_job_free_work(struct work_struct *work)
{
	wse_job_destroy(container_of(work, struct wse_job, free_work));
}

/* Drop a reference of a direct job; the last one frees it. Any context. */
static void wse_job_direct_put(struct wse_job *job)
{
	if (refcount_dec_and_test(&job->direct_refs))
		queue_work(job->wdev->wq, &job->free_work);
}

/**
 * wse_job_done() - a job left the hardware
 * @job: the job, its outcome filled in
 *
 * Publishes the outcome and signals the hardware fence. Any context.
 */
void wse_job_done(struct wse_job *job)
{
	/* Once signalled, a scheduler's job may be freed at any moment. */
	bool direct = job->direct;

	wse_job_uncharge(job);
	wse_usage_job_end(job);
	trace_wse_done(job);
	wse_job_publish(job);
	if (job->outcome.status)
		dma_fence_set_error(job->hw_fence, job->outcome.status);
	dma_fence_signal(job->hw_fence);
	if (direct)
		wse_job_direct_put(job);
}

/*
 * Put the job on its queue, unless its context or its in-fence says it
 * must not run. Return: 0 once it is on the hardware, or how it ends.
 */
static int wse_job_start(struct wse_job *job)
{
	struct wse_device *wdev = job->wdev;
	int ret, idx;

	/*
	 * Resets stop the scheduler (and keep direct submissions out, by
	 * reset_lock) before they bump the generation: a job of a context
	 * the device no longer knows never runs.
	 */
	if (job->generation != READ_ONCE(wdev->generation))
		return -ECANCELED;
	/* The in-fence failed or never came: the device is not asked. */
	if (job->gate && job->gate->error)
		return job->gate->error;
	if (!drm_dev_enter(&wdev->drm, &idx))
		return -ENODEV;
	/* Before the ring: the job may end before wse_queue_run() returns. */
	trace_wse_run(job);
	wse_usage_job_start(job);
	ret = wse_queue_run(job->queue, job);
	if (ret)
		wse_usage_job_end(job);
	drm_dev_exit(idx);
	return ret;
}

/* The job ends without reaching the hardware: -@ret, device ABORTED. */
static void wse_job_end_unrun(struct wse_job *job, int ret)
{
	job->outcome.status = ret;
	job->outcome.device_status = WSE_CQE_ABORTED;
	trace_wse_done(job);
	wse_job_uncharge(job);
	wse_job_publish(job);
}

static struct dma_fence *wse_job_run(struct drm_sched_job *sched_job)
{
	struct wse_job *job = to_wse_job(sched_job);
	int ret;

	ret = wse_job_start(job);
	if (ret) {
		wse_job_end_unrun(job, ret);
		return ERR_PTR(ret);
	}
	/* The scheduler takes over this reference; the job keeps its own. */
	return dma_fence_get(job->hw_fence);
}

/*
 * Direct submission. The scheduler's hand-off (a work item, the worker's
 * wake-up on some CPU, its pick of the entity) costs more than a NOP's
 * whole run under TCG, and buys nothing for a job that nothing orders
 * behind anything: no in-fence, all of the file's earlier jobs ended (so
 * its queue is idle and the scheduler holds none of its jobs; a scrub
 * runs only under fpriv->lock), and no syncobj to take its fence (which
 * would then be the hardware fence, whose ops live in this module, in a
 * syncobj or sync_file that may outlive it). SUBMIT then runs it itself,
 * as run_job would; a later job that goes to the scheduler waits for it
 * as a dependency. Resets, FLRs and suspend take reset_lock for writing
 * after they stopped the schedulers: holding it for reading (and giving
 * up rather than waiting) keeps them and the direct run apart, as
 * stopping the schedulers keeps them and run_job apart.
 *
 * wse_job_direct_begin() decides, before the last step of SUBMIT that may
 * fail; true takes reset_lock, wse_job_direct_run() drops it.
 */
static bool wse_job_direct_begin(struct wse_file_priv *fpriv,
				 const struct wse_job *job,
				 const struct drm_syncobj *syncobj)
{
	struct wse_device *wdev = fpriv->wdev;

	lockdep_assert_held(&fpriv->lock);

	if (!READ_ONCE(wse_direct_submit) || job->gate || syncobj ||
	    wse_job_file_busy(fpriv))
		return false;
	if (!down_read_trylock(&wdev->reset_lock))
		return false;
	/* Queued jobs wait for resume, and so does this one. */
	if (wdev->suspended) {
		up_read(&wdev->reset_lock);
		return false;
	}
	return true;
}

/*
 * SUBMIT's reference of a direct job, dropped once it let go of
 * fpriv->lock: process context, so the job, if its completion came
 * already (a NOP the device ran in the doorbell write), is freed here
 * rather than from a work item, whose wake-up costs more than the job.
 * Its memory becomes the file's spare job if the file has none.
 */
static void wse_job_direct_release(struct wse_file_priv *fpriv,
				   struct wse_job *job)
{
	/*
	 * Still on the hardware: the job may outlive this ioctl's runtime PM
	 * reference. The completion cannot free it before the refcount
	 * below, which orders @awake before the free.
	 */
	if (job->fence_armed && !dma_fence_is_signaled(job->hw_fence))
		wse_job_hold_awake(job);
	if (!refcount_dec_and_test(&job->direct_refs))
		return;
	if (!job->spare_size) {
		wse_job_destroy(job);
		return;
	}
	wse_job_release(job, true);
	/* Another SUBMIT of the file may have given one back meanwhile. */
	if (cmpxchg(&fpriv->spare_job, NULL, job))
		kvfree(job);
}

/*
 * Run the job; return its done fence: the hardware fence, or a signalled
 * stub if it could not run (the outcome says why, as for run_job). The
 * caller still holds SUBMIT's reference, for wse_job_direct_release().
 */
static struct dma_fence *wse_job_direct_run(struct wse_job *job)
{
	struct wse_device *wdev = job->wdev;
	struct dma_fence *done;
	int ret;

	lockdep_assert_held_read(&wdev->reset_lock);

	INIT_WORK(&job->free_work, wse_job_free_work);
	job->direct = true;
	/* Ours, and the completion's (wse_job_done()). */
	refcount_set(&job->direct_refs, 2);
	ret = wse_job_start(job);
	up_read(&wdev->reset_lock);
	if (ret) {
		wse_job_end_unrun(job, ret);
		refcount_set(&job->direct_refs, 1);
		done = dma_fence_get_stub();
	} else {
		done = dma_fence_get(job->hw_fence);
	}
	return done;
}

/*
 * The schedulers run without a timeout (see wse_queue_init()): the queue
 * watchdog ends jobs that exceed their own limits, and only
 * drm_sched_fault(), which the driver does not call, leads here. Treat
 * that as the job timing out, with the recovery steps of 6.12's
 * gpu_scheduler.h: end the job on the queue, drm_sched_stop() (which
 * parks the scheduler and, as the job has ended, leaves it to
 * drm_sched_job_timedout() to free), drm_sched_start(). Under
 * reset_mutex, so that a reset or suspend, which stop the schedulers
 * themselves, is not undone: a suspended scheduler stays stopped.
 */
static enum drm_gpu_sched_stat wse_job_timedout(struct drm_sched_job *sched_job)
{
	struct wse_job *job = to_wse_job(sched_job);
	struct wse_device *wdev = job->wdev;

	mutex_lock(&wdev->reset_mutex);
	wse_queue_timeout(job->queue, job);
	drm_sched_stop(sched_job->sched, sched_job);
	if (!wdev->suspended)
		drm_sched_start(sched_job->sched);
	mutex_unlock(&wdev->reset_mutex);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void wse_job_free(struct drm_sched_job *sched_job)
{
	struct wse_job *job = to_wse_job(sched_job);

	/*
	 * Dropped without running: the file closed with it queued. Pairs
	 * with smp_store_release() in wse_job_publish().
	 */
	if (job->result && !smp_load_acquire(&job->result->valid))
		atomic64_inc(&job->wdev->jobs[WSE_JOBS_FAILED]);
	/*
	 * The finished fence may outlive the module in a sync_file; the
	 * hardware fence behind it has its ops in module memory. It is
	 * signalled (so is the finished fence): nothing reads the parent
	 * any more, drop it now.
	 */
	dma_fence_put(xchg(&sched_job->s_fence->parent, NULL));
	drm_sched_job_cleanup(sched_job);
	wse_job_destroy(job);
}

const struct drm_sched_backend_ops wse_sched_ops = {
	.run_job = wse_job_run,
	.timedout_job = wse_job_timedout,
	.free_job = wse_job_free,
};

static bool wse_cmd_rsvd_zero(const struct drm_wse_cmd *c, size_t used)
{
	return !memchr_inv((const u8 *)c->rsvd + used, 0,
			   sizeof(c->rsvd) - used);
}

#define wse_cmd_reject(wdev, idx, err, why)				\
({									\
	wse_dbg(wdev, IOCTL, "SUBMIT: command %u: %s\n", idx, why);	\
	err;								\
})

/* A kernel's arguments: LAUNCH, RESIDENT and CALL. */
static int wse_cmd_args_check(struct wse_device *wdev,
			      const struct drm_wse_cmd *c, u32 idx)
{
	u32 n = c->launch.nargs;

	if (n > DRM_WSE_MAX_ARGS)
		return wse_cmd_reject(wdev, idx, -EINVAL, "too many arguments");
	if (memchr_inv(&c->launch.args[n], 0,
		       (DRM_WSE_MAX_ARGS - n) * sizeof(c->launch.args[0])))
		return wse_cmd_reject(wdev, idx, -EINVAL, "unused argument set");
	return 0;
}

/* Resident kernels and streams (Documentation/wse/streaming.rst). */
static int wse_cmd_stream_check(struct wse_device *wdev, const struct wse_rect *r,
				const struct drm_wse_cmd *c, u32 idx)
{
	const struct drm_wse_cmd_stream *s = &c->stream;
	u64 bytes;

	if (!(wdev->hw.caps & WSE_CAP_STREAM))
		return wse_cmd_reject(wdev, idx, -EOPNOTSUPP, "no streams");
	switch (c->op) {
	case DRM_WSE_OP_STOP:
		if (c->handle || c->offset || c->length || !wse_cmd_rsvd_zero(c, 0))
			return wse_cmd_reject(wdev, idx, -EINVAL, "STOP with operands");
		return 0;
	case DRM_WSE_OP_RESIDENT:
	case DRM_WSE_OP_CALL:
		if (c->op == DRM_WSE_OP_RESIDENT &&
		    (c->handle || c->offset || c->length))
			return wse_cmd_reject(wdev, idx, -EINVAL, "RESIDENT with a buffer");
		if (c->op == DRM_WSE_OP_CALL && c->length != 4 &&
		    (c->length || c->handle || c->offset))
			return wse_cmd_reject(wdev, idx, -EINVAL,
					      "CALL return buffer is not 4 bytes");
		if (c->op == DRM_WSE_OP_CALL && c->length && c->offset % 4)
			return wse_cmd_reject(wdev, idx, -EINVAL, "misaligned return value");
		return wse_cmd_args_check(wdev, c, idx);
	}
	/* STREAM_IN, STREAM_OUT */
	if (!wse_cmd_rsvd_zero(c, sizeof(*s)))
		return wse_cmd_reject(wdev, idx, -EINVAL, "reserved bytes set");
	if (s->color >= DRM_WSE_COLORS)
		return wse_cmd_reject(wdev, idx, -EINVAL, "bad color");
	if (s->edge != DRM_WSE_EDGE_WEST)
		return wse_cmd_reject(wdev, idx, -EINVAL, "bad edge");
	if (s->elem_bytes != 2 && s->elem_bytes != 4)
		return wse_cmd_reject(wdev, idx, -EINVAL, "bad element size");
	if (!s->h || !s->elem_per_pe || s->y >= r->h || s->h > r->h - s->y)
		return wse_cmd_reject(wdev, idx, -EINVAL, "rows outside the region");
	if (c->offset % s->elem_bytes)
		return wse_cmd_reject(wdev, idx, -EINVAL, "misaligned buffer offset");
	bytes = (u64)s->h * s->elem_per_pe * s->elem_bytes;
	if (c->length != bytes || bytes > wdev->max_xfer)
		return wse_cmd_reject(wdev, idx, -EINVAL,
				      "length is not h x elem_per_pe elements");
	return 0;
}

/* Check one command against the device's limits and the file's region. */
static int wse_cmd_check(struct wse_device *wdev, const struct wse_rect *r,
			 const struct drm_wse_cmd *c, u32 idx)
{
	const struct drm_wse_cmd_rect *rect = &c->rect;
	u64 sram = wdev->hw.sram_bytes;
	u64 start, pes, bytes;

	if (c->flags || c->pad)
		return wse_cmd_reject(wdev, idx, -EINVAL, "flags or pad set");
	if (c->op != DRM_WSE_OP_NOP && c->op <= DRM_WSE_OP_PE_DUMP && !r->w)
		return wse_cmd_reject(wdev, idx, -EINVAL, "the file has no region");

	switch (c->op) {
	case DRM_WSE_OP_NOP:
		if (c->handle || c->offset || c->length || !wse_cmd_rsvd_zero(c, 0))
			return wse_cmd_reject(wdev, idx, -EINVAL, "NOP with operands");
		return 0;

	case DRM_WSE_OP_LAUNCH:
		if (!(wdev->hw.caps & WSE_CAP_KERNELS))
			return wse_cmd_reject(wdev, idx, -EOPNOTSUPP, "no kernels");
		if (c->handle || c->offset || c->length)
			return wse_cmd_reject(wdev, idx, -EINVAL, "LAUNCH with a buffer");
		return wse_cmd_args_check(wdev, c, idx);

	case DRM_WSE_OP_PE_DUMP:
		if (!(wdev->hw.caps & WSE_CAP_KERNELS))
			return wse_cmd_reject(wdev, idx, -EOPNOTSUPP, "no kernels");
		if (c->sram.pad || c->sram.offset ||
		    !wse_cmd_rsvd_zero(c, sizeof(c->sram)))
			return wse_cmd_reject(wdev, idx, -EINVAL, "reserved bytes set");
		if (c->length < DRM_WSE_PE_DUMP_MIN || c->length > wdev->max_xfer)
			return wse_cmd_reject(wdev, idx, -EINVAL, "bad length");
		if (c->sram.x >= r->w || c->sram.y >= r->h)
			return wse_cmd_reject(wdev, idx, -EINVAL, "PE outside the region");
		return 0;

	case DRM_WSE_OP_WRITE:
	case DRM_WSE_OP_READ:
		if (c->sram.pad || !wse_cmd_rsvd_zero(c, sizeof(c->sram)))
			return wse_cmd_reject(wdev, idx, -EINVAL, "reserved bytes set");
		if (!c->length || c->length > wdev->max_xfer)
			return wse_cmd_reject(wdev, idx, -EINVAL, "bad length");
		if (c->sram.x >= r->w || c->sram.y >= r->h || c->sram.offset >= sram)
			return wse_cmd_reject(wdev, idx, -EINVAL, "start outside the region");
		start = ((u64)c->sram.y * r->w + c->sram.x) * sram + c->sram.offset;
		if (c->length > (u64)r->w * r->h * sram - start)
			return wse_cmd_reject(wdev, idx, -EINVAL, "end outside the region");
		return 0;

	case DRM_WSE_OP_LOAD:
		if (!(wdev->hw.caps & WSE_CAP_KERNELS))
			return wse_cmd_reject(wdev, idx, -EOPNOTSUPP, "no kernels");
		if (!wse_cmd_rsvd_zero(c, 0))
			return wse_cmd_reject(wdev, idx, -EINVAL, "reserved bytes set");
		if (!c->length || c->length > wdev->max_image)
			return wse_cmd_reject(wdev, idx, -EINVAL, "bad image length");
		return 0;

	case DRM_WSE_OP_H2D:
	case DRM_WSE_OP_D2H:
		if (!(wdev->hw.caps & WSE_CAP_RECT))
			return wse_cmd_reject(wdev, idx, -EOPNOTSUPP, "no rectangle copies");
		if (memchr_inv(rect->pad, 0, sizeof(rect->pad)) ||
		    !wse_cmd_rsvd_zero(c, sizeof(*rect)))
			return wse_cmd_reject(wdev, idx, -EINVAL, "reserved bytes set");
		if ((rect->elem_bytes != 2 && rect->elem_bytes != 4) ||
		    rect->order > DRM_WSE_ORDER_COL_MAJOR ||
		    rect->bcast > DRM_WSE_BCAST_COL ||
		    (rect->bcast && c->op != DRM_WSE_OP_H2D))
			return wse_cmd_reject(wdev, idx, -EINVAL,
					      "bad element size, order or broadcast");
		if (!rect->w || !rect->h || !rect->elem_per_pe ||
		    (u64)rect->x + rect->w > r->w || (u64)rect->y + rect->h > r->h)
			return wse_cmd_reject(wdev, idx, -EINVAL, "rectangle outside the region");
		if (rect->addr % rect->elem_bytes ||
		    rect->addr + (u64)rect->elem_per_pe * rect->elem_bytes > sram)
			return wse_cmd_reject(wdev, idx, -EINVAL, "bad SRAM address range");
		if (rect->bcast == DRM_WSE_BCAST_ROW)
			pes = rect->h;
		else if (rect->bcast == DRM_WSE_BCAST_COL)
			pes = rect->w;
		else
			pes = (u64)rect->w * rect->h;
		/* elem_per_pe * elem_bytes <= sram, pes <= mesh size: no overflow */
		bytes = pes * rect->elem_per_pe * rect->elem_bytes;
		if (c->length != bytes || bytes > wdev->max_xfer)
			return wse_cmd_reject(wdev, idx, -EINVAL,
					      "length is not the host array's size");
		return 0;

	case DRM_WSE_OP_RESIDENT:
	case DRM_WSE_OP_CALL:
	case DRM_WSE_OP_STOP:
	case DRM_WSE_OP_STREAM_IN:
	case DRM_WSE_OP_STREAM_OUT:
		return wse_cmd_stream_check(wdev, r, c, idx);

	default:
		return wse_cmd_reject(wdev, idx, -EINVAL, "unknown operation");
	}
}

static void wse_sqe_launch_init(struct wse_sqe *sqe, const struct drm_wse_cmd *c)
{
	sqe->launch.function = c->launch.function;
	sqe->launch.nargs = c->launch.nargs;
	memcpy(sqe->launch.args, c->launch.args, sizeof(sqe->launch.args));
}

/* Build the device entry of a checked command, pinning its buffer. */
/* Commands whose device writes land in the buffer they name. */
static bool wse_cmd_writes_host(u32 op)
{
	return op == DRM_WSE_OP_READ || op == DRM_WSE_OP_D2H ||
	       op == DRM_WSE_OP_STREAM_OUT || op == DRM_WSE_OP_CALL ||
	       op == DRM_WSE_OP_PE_DUMP;
}

static int wse_job_cmd_init(struct wse_job *job, struct drm_file *file,
			    const struct drm_wse_cmd *c, struct wse_job_cmd *cmd)
{
	struct wse_sqe *sqe = &cmd->sqe;
	struct drm_gem_object *obj;
	u64 end;
	int ret;

	sqe->opcode = c->op;
	switch (c->op) {
	case DRM_WSE_OP_NOP:
		return 0;
	case DRM_WSE_OP_LAUNCH:
		wse_sqe_launch_init(sqe, c);
		return 0;
	case DRM_WSE_OP_STOP:
		sqe->opcode = WSE_OP_STOP;
		return 0;
	case DRM_WSE_OP_RESIDENT:
	case DRM_WSE_OP_CALL:
		sqe->opcode = c->op == DRM_WSE_OP_CALL ? WSE_OP_CALL : WSE_OP_RESIDENT;
		wse_sqe_launch_init(sqe, c);
		if (!c->length)
			return 0;
		break;
	case DRM_WSE_OP_STREAM_IN:
	case DRM_WSE_OP_STREAM_OUT:
		sqe->opcode = c->op == DRM_WSE_OP_STREAM_IN ? WSE_OP_STREAM_IN :
			      WSE_OP_STREAM_OUT;
		sqe->stream.color = c->stream.color;
		sqe->stream.edge = c->stream.edge;
		sqe->stream.elem_bytes = c->stream.elem_bytes;
		sqe->stream.y = c->stream.y;
		sqe->stream.h = c->stream.h;
		sqe->stream.elem_per_pe = c->stream.elem_per_pe;
		sqe->stream.length = c->length;
		break;
	case DRM_WSE_OP_WRITE:
	case DRM_WSE_OP_READ:
		sqe->sram.x = c->sram.x;
		sqe->sram.y = c->sram.y;
		sqe->sram.offset = c->sram.offset;
		sqe->sram.length = c->length;
		break;
	case DRM_WSE_OP_LOAD:
		sqe->load.length = c->length;
		break;
	case DRM_WSE_OP_PE_DUMP:
		/* Not the device's opcode: 0x07 is its FENCE. */
		sqe->opcode = WSE_OP_PE_DUMP;
		sqe->sram.x = c->sram.x;
		sqe->sram.y = c->sram.y;
		sqe->sram.length = c->length;
		break;
	case DRM_WSE_OP_H2D:
	case DRM_WSE_OP_D2H:
		sqe->rect.x = c->rect.x;
		sqe->rect.y = c->rect.y;
		sqe->rect.w = c->rect.w;
		sqe->rect.h = c->rect.h;
		sqe->rect.addr = c->rect.addr;
		sqe->rect.elem_per_pe = c->rect.elem_per_pe;
		sqe->rect.elem_bytes = c->rect.elem_bytes;
		sqe->rect.order = c->rect.order;
		sqe->rect.bcast = c->rect.bcast;
		break;
	}

	/* Every other command moves bytes of a buffer of this file. */
	obj = drm_gem_object_lookup(file, c->handle);
	if (!obj)
		return -ENOENT;
	cmd->obj = obj;
	if (wse_gem_is_window(obj)) {
		wse_dbg(job->wdev, IOCTL, "SUBMIT: handle %u is a window, not a buffer\n",
			c->handle);
		return -EINVAL;
	}
	if (wse_cmd_writes_host(c->op) && wse_gem_is_readonly(obj)) {
		wse_dbg(job->wdev, IOCTL, "SUBMIT: handle %u is read-only user memory\n",
			c->handle);
		return -EINVAL;
	}
	if (check_add_overflow(c->offset, c->length, &end) || end > obj->size) {
		wse_dbg(job->wdev, IOCTL, "SUBMIT: range %llu+%llu outside BO %u of %zu bytes\n",
			c->offset, c->length, c->handle, obj->size);
		return -EINVAL;
	}
	ret = wse_gem_sgl_create(job->wdev, obj, c->offset, c->length,
				 &cmd->sgl);
	if (ret)
		return ret;
	/* The exporter of an imported buffer keeps it coherent. */
	cmd->sync = !obj->import_attach;
	sqe->sgl = cmd->sgl.dma;
	sqe->sgl_count = cmd->sgl.count;
	return 0;
}

static bool wse_cmd_writes_sram(u32 op)
{
	return op != DRM_WSE_OP_NOP && op != DRM_WSE_OP_READ &&
	       op != DRM_WSE_OP_D2H && op != DRM_WSE_OP_STOP &&
	       op != DRM_WSE_OP_PE_DUMP;
}

/**
 * wse_job_bind_queue_locked() - give the file its hardware queue
 * @fpriv: the file, locked
 *
 * Binds a free hardware queue and the scheduler entity to the file, which
 * keeps them until it is closed. Nothing happens if it has them already.
 *
 * Return: 0, -EBUSY if no queue is free, or another negative errno.
 */
int wse_job_bind_queue_locked(struct wse_file_priv *fpriv)
{
	struct drm_gpu_scheduler *sched;
	struct wse_queue *q;
	int ret;

	lockdep_assert_held(&fpriv->lock);

	if (fpriv->queue)
		return 0;
	q = wse_queue_acquire(fpriv->wdev, fpriv);
	if (!q) {
		wse_dbg(fpriv->wdev, IOCTL, "no free queue\n");
		return -EBUSY;
	}
	sched = &q->sched;
	ret = drm_sched_entity_init(&fpriv->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		wse_queue_unacquire(q);
		return ret;
	}
	WRITE_ONCE(fpriv->queue, q);
	return 0;
}

/*
 * Take fpriv->lock once the file has fewer than WSE_JOB_RESULTS unfinished
 * jobs: jobs of a file end in order, so waiting for the one whose result
 * the next job would push out is enough.
 */
static int wse_job_throttle_lock(struct wse_file_priv *fpriv)
{
	struct wse_job_result *old;
	struct dma_fence *fence;
	int ret;

	for (;;) {
		ret = mutex_lock_interruptible(&fpriv->lock);
		if (ret)
			return ret;
		old = NULL;
		if (fpriv->next_job_id > WSE_JOB_RESULTS)
			old = xa_load(&fpriv->results,
				      fpriv->next_job_id - WSE_JOB_RESULTS);
		if (!old || dma_fence_is_signaled(old->done))
			return 0;
		fence = dma_fence_get(old->done);
		mutex_unlock(&fpriv->lock);

		ret = dma_fence_wait(fence, true);
		dma_fence_put(fence);
		if (ret)
			return ret;
	}
}

/*
 * Make the job the scheduler's: after the file's earlier jobs (the
 * entity's order, and the hardware fence of a direct one still running),
 * and after its in-fence.
 */
static int wse_job_sched_init(struct wse_file_priv *fpriv, struct wse_job *job)
{
	int ret;

	ret = drm_sched_job_init(&job->base, &fpriv->entity, 1, fpriv);
	if (ret)
		return ret;
	/* Each consumes the reference, also on failure. */
	if (job->gate) {
		ret = drm_sched_job_add_dependency(&job->base,
						   dma_fence_get(job->gate));
		if (ret)
			goto err_cleanup;
	}
	if (fpriv->last_direct && wse_job_file_busy(fpriv)) {
		ret = drm_sched_job_add_dependency(&job->base,
						   dma_fence_get(fpriv->last_fence));
		if (ret)
			goto err_cleanup;
	}
	return 0;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
	return ret;
}

/*
 * SUBMIT's report of a job that ended before SUBMIT returns (uAPI
 * DRM_WSE_SUBMIT_ENDED): the outcome WAIT would report, field for field
 * (wse_wait_fill()). Under fpriv->lock, which keeps the result in the
 * table. Only for a published outcome: a result the scheduler dropped
 * unrun has none, and a scheduled job never ended this early anyway.
 */
static void wse_submit_report(struct drm_wse_submit *args, u32 out_flags,
			      const struct wse_job_outcome *o)
{
	args->out_flags = out_flags;
	args->status = o->status;
	args->failed_cmd = o->failed_cmd;
	args->device_status = o->device_status;
	args->reason = o->reason;
	args->pe_x = o->pe_x;
	args->pe_y = o->pe_y;
	args->pc = o->pc;
	args->cycles = o->cycles;
}

static void wse_submit_report_ended(struct drm_wse_submit *args,
				    struct wse_job_result *res)
{
	/* Pairs with smp_store_release() in wse_job_publish(). */
	if (dma_fence_is_signaled(res->done) && smp_load_acquire(&res->valid))
		wse_submit_report(args, DRM_WSE_SUBMIT_ENDED, &res->outcome);
}

static int wse_submit_locked(struct wse_file_priv *fpriv,
			     struct drm_file *file,
			     struct drm_wse_submit *args,
			     const struct drm_wse_cmd *cmds,
			     struct drm_syncobj *syncobj,
			     struct dma_fence *in_fence,
			     struct dma_fence_chain *chain,
			     struct wse_job **direct_job)
{
	struct wse_device *wdev = fpriv->wdev;
	struct wse_job_result *res, *old;
	unsigned long list_bytes = 0;
	struct wse_rect region;
	bool writes = false, direct;
	struct wse_job *job;
	u64 id;
	u32 i;
	int ret;

	lockdep_assert_held(&fpriv->lock);

	if (wse_file_stale(fpriv)) {
		wse_dbg(wdev, IOCTL, "SUBMIT: stale context\n");
		return -EIO;
	}

	/* Without a region, the queue runs NOPs only. */
	region = fpriv->region ? fpriv->region->rect : (struct wse_rect){ };
	for (i = 0; i < args->cmd_count; i++) {
		ret = wse_cmd_check(wdev, &region, &cmds[i], i);
		if (ret)
			return ret;
		writes |= wse_cmd_writes_sram(cmds[i].op);
	}

	ret = wse_job_bind_queue_locked(fpriv);
	if (ret)
		return ret;

	job = wse_job_alloc(wdev, fpriv->queue, args->cmd_count,
			    args->cmd_count <= WSE_JOB_SPARE_CMDS ?
			    xchg(&fpriv->spare_job, NULL) : NULL);
	if (!job)
		return -ENOMEM;
	job->region = region;
	job->generation = fpriv->generation;
	job->id = fpriv->next_job_id;
	kref_get(&fpriv->usage->ref);
	job->usage = fpriv->usage;
	job->timeout_ms = args->timeout_ms ?: READ_ONCE(wse_timeout_ms);
	for (i = 0; i < args->cmd_count; i++) {
		ret = wse_job_cmd_init(job, file, &cmds[i], &job->cmds[i]);
		if (ret)
			goto err_destroy;
		list_bytes += job->cmds[i].sgl.bytes;
	}
	/* A job without lists (NOP, LAUNCH...) has nothing to charge. */
	if (list_bytes) {
		ret = wse_budget_charge(fpriv->budget, list_bytes);
		if (ret) {
			wse_dbg(wdev, IOCTL, "SUBMIT: lists of %lu bytes, file holds %ld of %lu: %d\n",
				list_bytes, atomic_long_read(&fpriv->budget->used),
				READ_ONCE(wse_file_list_bytes), ret);
			goto err_destroy;
		}
		wse_budget_get(fpriv->budget);
		job->budget = fpriv->budget;
		job->charged = list_bytes;
	}

	/* One reference for the job, one for the result table. */
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res) {
		ret = -ENOMEM;
		goto err_destroy;
	}
	kref_init(&res->ref);
	job->result = res;
	id = fpriv->next_job_id;
	ret = xa_insert(&fpriv->results, id, res, GFP_KERNEL);
	if (ret)
		goto err_destroy;
	kref_get(&res->ref);

	if (in_fence) {
		u32 limit = args->in_timeout_ms ?: READ_ONCE(wse_timeout_ms);

		job->gate = wse_gate_create(wdev, dma_fence_get(in_fence), limit);
		if (IS_ERR(job->gate)) {
			ret = PTR_ERR(job->gate);
			job->gate = NULL;
			goto err_erase;
		}
	}

	direct = wse_job_direct_begin(fpriv, job, syncobj);
	if (!direct) {
		ret = wse_job_sched_init(fpriv, job);
		if (ret)
			goto err_erase;
		wse_job_hold_awake(job);
	}

	/* Nothing fails from here on. */
	fpriv->next_job_id++;
	if (id > WSE_JOB_RESULTS) {
		old = xa_erase(&fpriv->results, id - WSE_JOB_RESULTS);
		if (old)
			wse_job_result_put(old);
	}
	if (writes && fpriv->region)
		fpriv->region->dirty = true;
	atomic64_inc(&wdev->jobs[WSE_JOBS_SUBMITTED]);
	args->job_id = id;
	wse_dbg(wdev, JOB, "job %llu: %u commands on queue %u, limit %u ms%s\n",
		id, job->cmd_count, job->queue->id, job->timeout_ms,
		direct ? ", direct" : "");
	trace_wse_submit(job);

	/*
	 * Last: the job may end (and, if direct, be freed) at once. Nobody
	 * sees res->done before fpriv->lock is dropped.
	 */
	if (direct) {
		res->done = wse_job_direct_run(job);
		*direct_job = job;
		wse_submit_report_ended(args, res);
	} else {
		drm_sched_job_arm(&job->base);
		res->done = dma_fence_get(&job->base.s_fence->finished);
	}
	dma_fence_put(fpriv->last_fence);
	fpriv->last_fence = dma_fence_get(res->done);
	fpriv->last_direct = direct;
	if (syncobj && chain)
		drm_syncobj_add_point(syncobj, chain, res->done, args->out_point);
	else if (syncobj)
		drm_syncobj_replace_fence(syncobj, res->done);
	if (!direct)
		drm_sched_entity_push_job(&job->base);
	return 0;

err_erase:
	xa_erase(&fpriv->results, id);
	wse_job_result_put(res);
err_destroy:
	wse_job_destroy(job);
	return ret;
}

/*
 * A timeline point to signal must come after the syncobj's last one:
 * drm_syncobj_add_point() would accept it and break the timeline's order.
 */
static int wse_submit_check_point(struct drm_syncobj *syncobj, u64 point)
{
	struct dma_fence *last = drm_syncobj_fence_get(syncobj);
	int ret = 0;

	if (last && dma_fence_is_chain(last) && last->seqno >= point)
		ret = -EINVAL;
	dma_fence_put(last);
	return ret;
}

int wse_submit_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_submit *args = data;
	struct drm_wse_cmd stack_cmds[WSE_SUBMIT_STACK_CMDS];
	struct drm_syncobj *syncobj = NULL;
	struct dma_fence_chain *chain = NULL;
	struct dma_fence *in_fence = NULL;
	struct wse_job *direct_job = NULL;
	struct drm_wse_cmd *cmds;
	unsigned int max_ms;
	int ret;

	/* Out only: whatever the caller left there is not reported back. */
	wse_submit_report(args, 0, &(struct wse_job_outcome){ });
	if (args->flags || !args->cmd_count ||
	    args->cmd_count > DRM_WSE_MAX_CMDS) {
		wse_dbg(wdev, IOCTL, "SUBMIT: flags %#x, %u commands\n",
			args->flags, args->cmd_count);
		return -EINVAL;
	}
	if (args->reserved ||
	    (!args->in_syncobj && (args->in_point || args->in_timeout_ms)) ||
	    (!args->out_syncobj && args->out_point)) {
		wse_dbg(wdev, IOCTL, "SUBMIT: reserved %#llx, in-fence fields without in_syncobj or out_point without out_syncobj\n",
			args->reserved);
		return -EINVAL;
	}
	max_ms = READ_ONCE(wse_max_timeout_ms);
	if (max_ms && args->timeout_ms > max_ms) {
		wse_dbg(wdev, IOCTL, "SUBMIT: timeout %u ms above the limit of %u ms\n",
			args->timeout_ms, max_ms);
		return -EINVAL;
	}

	cmds = stack_cmds;
	if (args->cmd_count > ARRAY_SIZE(stack_cmds)) {
		/* Sized by the caller, like the job itself (wse_job_alloc()). */
		cmds = kvmalloc_array(args->cmd_count, sizeof(*cmds),
				      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!cmds)
			return -ENOMEM;
	}
	if (copy_from_user(cmds, u64_to_user_ptr(args->cmds_ptr),
			   args->cmd_count * sizeof(*cmds))) {
		ret = -EFAULT;
		goto out_free;
	}

	if (args->out_syncobj) {
		syncobj = drm_syncobj_find(file, args->out_syncobj);
		if (!syncobj) {
			ret = -ENOENT;
			goto out_free;
		}
	}
	if (args->out_point) {
		ret = wse_submit_check_point(syncobj, args->out_point);
		if (ret)
			goto out_put;
		chain = dma_fence_chain_alloc();
		if (!chain) {
			ret = -ENOMEM;
			goto out_put;
		}
	}
	if (args->in_syncobj) {
		/* -ENOENT for no such syncobj, -EINVAL for a point not there. */
		ret = drm_syncobj_find_fence(file, args->in_syncobj,
					     args->in_point, 0, &in_fence);
		if (ret) {
			/* On failure it leaves a fence it already put there. */
			in_fence = NULL;
			wse_dbg(wdev, IOCTL, "SUBMIT: in_syncobj %u point %llu: %d\n",
				args->in_syncobj, args->in_point, ret);
			goto out_put;
		}
	}

	/*
	 * Submitting does not touch the hardware: run_job does, under
	 * drm_dev_enter().
	 */
	ret = wse_job_throttle_lock(fpriv);
	if (!ret) {
		ret = wse_submit_locked(fpriv, file, args, cmds, syncobj,
					in_fence, chain, &direct_job);
		mutex_unlock(&fpriv->lock);
		if (direct_job)
			wse_job_direct_release(fpriv, direct_job);
		/* drm_syncobj_add_point() took the chain. */
		if (!ret)
			chain = NULL;
	}

out_put:
	dma_fence_put(in_fence);
	dma_fence_chain_free(chain);
	if (syncobj)
		drm_syncobj_put(syncobj);
out_free:
	if (cmds != stack_cmds)
		kvfree(cmds);
	return ret;
}

static long wse_wait_jiffies(s64 timeout_ns)
{
	u64 j;

	if (timeout_ns < 0)
		return MAX_SCHEDULE_TIMEOUT;
	if (!timeout_ns)
		return 0;
	j = nsecs_to_jiffies64(timeout_ns) + 1;
	return min_t(u64, j, MAX_SCHEDULE_TIMEOUT - 1);
}

static void wse_wait_fill(struct drm_wse_wait *args,
			  const struct wse_job_outcome *outcome)
{
	args->status = outcome->status;
	args->failed_cmd = outcome->failed_cmd;
	args->device_status = outcome->device_status;
	args->reason = outcome->reason;
	args->pe_x = outcome->pe_x;
	args->pe_y = outcome->pe_y;
	args->pc = outcome->pc;
	args->cycles = outcome->cycles;
}

/*
 * Poll for the fence before sleeping on it: at most wait_poll_us, and not
 * past the wait's own timeout (0: not at all), a signal or another task's
 * need of the CPU. The queue's completions are reaped as its interrupt
 * handler would; the interrupt, when it comes, finds nothing left.
 */
static void wse_wait_poll(struct wse_queue *q, struct dma_fence *done,
			  s64 timeout_ns)
{
	s64 poll_ns = (s64)READ_ONCE(wse_wait_poll_us) * NSEC_PER_USEC;
	ktime_t end;

	if (timeout_ns >= 0)
		poll_ns = min(poll_ns, timeout_ns);
	if (poll_ns <= 0 || dma_fence_is_signaled(done))
		return;
	end = ktime_add_ns(ktime_get(), poll_ns);
	do {
		wse_queue_poll(q);
		if (dma_fence_is_signaled(done))
			return;
		cpu_relax();
	} while (!need_resched() && !signal_pending(current) &&
		 ktime_before(ktime_get(), end));
}

int wse_wait_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct drm_wse_wait *args = data;
	struct wse_job_result *res;
	struct wse_queue *q;
	ktime_t start;
	long ret;

	if (args->flags) {
		wse_dbg(to_wse_device(drm), IOCTL, "WAIT: flags %#x\n",
			args->flags);
		return -EINVAL;
	}

	/*
	 * The table's own lock, not fpriv->lock, which SUBMIT holds while
	 * it builds a job: SUBMIT drops the table's reference of a result
	 * only after erasing it, so one found here can still be taken.
	 */
	xa_lock(&fpriv->results);
	res = xa_load(&fpriv->results, args->job_id);
	if (res)
		kref_get(&res->ref);
	/* Bound by the SUBMIT that stored the result, kept until close. */
	q = READ_ONCE(fpriv->queue);
	xa_unlock(&fpriv->results);
	if (!res)
		return -ENOENT;

	/* A job that ended already (often in SUBMIT itself) waits for nothing. */
	if (dma_fence_is_signaled(res->done)) {
		ret = 1;
		goto out_done;
	}
	/* A restart after a signal waits only for the time left. */
	start = ktime_get();
	if (q)
		wse_wait_poll(q, res->done, args->timeout_ns);
	ret = dma_fence_wait_timeout(res->done, true,
				     wse_wait_jiffies(args->timeout_ns));
	if (ret == -ERESTARTSYS && args->timeout_ns > 0) {
		s64 left = args->timeout_ns -
			   ktime_to_ns(ktime_sub(ktime_get(), start));

		/* 0 polls: the restart reports -ETIME, never waits forever. */
		args->timeout_ns = max_t(s64, left, 0);
	}
out_done:
	if (ret > 0) {
		/* Pairs with smp_store_release() in wse_job_publish(). */
		if (smp_load_acquire(&res->valid)) {
			wse_wait_fill(args, &res->outcome);
		} else {
			/* Dropped by the scheduler before it ran. */
			struct wse_job_outcome dropped = {
				.device_status = DRM_WSE_STATUS_ABORTED,
			};

			ret = dma_fence_get_status(res->done);
			dropped.status = ret < 0 ? ret : -ECANCELED;
			wse_wait_fill(args, &dropped);
		}
		ret = 0;
	} else if (!ret) {
		ret = -ETIME;
	}
	wse_job_result_put(res);
	return ret;
}

/**
 * wse_job_scrub() - zero the SRAM of a region
 * @q: an idle queue of the region's owner
 * @rect: the region
 *
 * WRITEs from the device's zero page, synchronously.
 *
 * Return: 0 once the SRAM is zero, else a negative errno.
 */
int wse_job_scrub(struct wse_queue *q, const struct wse_rect *rect)
{
	struct wse_device *wdev = q->wdev;
	u32 sram = wdev->hw.sram_bytes;
	u64 chunk = (u64)wdev->zero_sgl_count * PAGE_SIZE;
	u64 total = (u64)rect->w * rect->h * sram;
	struct wse_job *job;
	u32 i, n;
	int ret;

	n = div64_u64(total + chunk - 1, chunk);
	job = wse_job_alloc(wdev, q, n, NULL);
	if (!job)
		return -ENOMEM;
	wse_job_hold_awake(job);
	job->region = *rect;
	job->timeout_ms = max(READ_ONCE(wse_timeout_ms), WSE_SCRUB_TIMEOUT_MS);
	for (i = 0; i < n; i++) {
		struct wse_sqe *sqe = &job->cmds[i].sqe;
		u64 pos = i * chunk;
		u64 len = min(chunk, total - pos);
		u32 offset;
		u64 pe = div_u64_rem(pos, sram, &offset);

		sqe->opcode = WSE_OP_WRITE;
		sqe->sgl = wdev->zero_sgl_dma;
		sqe->sgl_count = DIV_ROUND_UP_ULL(len, PAGE_SIZE);
		sqe->sram.x = (u32)pe % rect->w;
		sqe->sram.y = (u32)pe / rect->w;
		sqe->sram.offset = offset;
		sqe->sram.length = len;
	}

	ret = wse_queue_run(q, job);
	if (!ret) {
		/*
		 * Bounded by the job's limit: the watchdog ends it, and
		 * remove() ends it at once (wse_queues_stop()). Not
		 * interruptible: the PEs go to nobody half-scrubbed.
		 */
		dma_fence_wait(job->hw_fence, false);
		/* Read the outcome only after the fence is signalled. */
		smp_rmb();
		ret = job->outcome.status;
	}
	wse_dbg(wdev, REGION, "scrub of %ux%u PEs at (%u,%u): %d\n",
		rect->w, rect->h, rect->x, rect->y, ret);
	wse_job_destroy(job);
	return ret;
}

/**
 * wse_job_file_busy() - whether jobs of the file are not finished yet
 * @fpriv: the file, locked
 *
 * Return: true while the newest job of the file (and so maybe others) runs
 * or waits to run.
 */
bool wse_job_file_busy(struct wse_file_priv *fpriv)
{
	lockdep_assert_held(&fpriv->lock);

	return fpriv->last_fence && !dma_fence_is_signaled(fpriv->last_fence);
}

/**
 * wse_job_file_cancel() - drop a closing file's jobs
 * @fpriv: the file
 *
 * Jobs still queued end without running (their fences signal -ESRCH), the
 * job on the hardware is aborted and ends with -ECANCELED.
 */
void wse_job_file_cancel(struct wse_file_priv *fpriv)
{
	struct wse_device *wdev = fpriv->wdev;

	if (!fpriv->queue)
		return;
	/*
	 * 6.12's drm_sched_entity_pop_job() puts the entity back in its run
	 * queue's FIFO tree after the pop (drm_sched_rq_update_fifo_locked()
	 * ignores entity->stopped): racing with the kill in
	 * drm_sched_entity_fini(), it leaves the entity, freed with the file,
	 * in the tree, and the scheduler's next walk of it oopses (the 1M-call
	 * ioctl fuzzer hit it). Kill the entity with the scheduler's run_job
	 * work stopped, under reset_mutex so as not to restart a scheduler
	 * that a reset or suspend stopped.
	 */
	mutex_lock(&wdev->reset_mutex);
	drm_sched_wqueue_stop(&fpriv->queue->sched);
	/* Also waits until the scheduler no longer uses the entity. */
	drm_sched_entity_fini(&fpriv->entity);
	if (!wdev->suspended)
		drm_sched_wqueue_start(&fpriv->queue->sched);
	mutex_unlock(&wdev->reset_mutex);
	down_read(&wdev->reset_lock);
	wse_queue_stop(fpriv->queue, -ECANCELED);
	up_read(&wdev->reset_lock);
}

/**
 * wse_job_file_fini() - release a closed file's queue and results
 * @fpriv: the file, its jobs cancelled and its region released
 */
void wse_job_file_fini(struct wse_file_priv *fpriv)
{
	struct wse_job_result *res;
	unsigned long id;

	if (fpriv->queue) {
		down_read(&fpriv->wdev->reset_lock);
		wse_queue_release(fpriv->queue);
		up_read(&fpriv->wdev->reset_lock);
	}
	fpriv->queue = NULL;
	xa_for_each(&fpriv->results, id, res)
		wse_job_result_put(res);
	xa_destroy(&fpriv->results);
	dma_fence_put(fpriv->last_fence);
	fpriv->last_fence = NULL;
	kvfree(xchg(&fpriv->spare_job, NULL));
	wse_budget_put(fpriv->budget);
	fpriv->budget = NULL;
}
