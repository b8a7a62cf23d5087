// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * task.c - jobs in flight: submit, wait, collect the result.
 *
 * Every libwse operation is one job of the driver: a batch of commands of
 * one kind, submitted with DRM_IOCTL_WSE_SUBMIT and finished with
 * DRM_IOCTL_WSE_WAIT. A task holds the job's id, its staging buffer until
 * the job ends and, for reads, where the buffer's bytes go.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wse_priv.h"

static void wse_task_release_bo(struct wse_task *task)
{
	if (task->bo) {
		wse_bo_put(task->dev, task->bo);
		task->bo = NULL;
	}
}

static void wse_task_finish(struct wse_task *task, const struct drm_wse_wait *res)
{
	task->done = true;
	task->status = res->status;
	task->cycles = res->cycles;
	wse_job_describe(res, task->op, task->error, sizeof(task->error));
	if (!res->status && task->copy_out)
		memcpy(task->copy_out, task->bo->map, task->copy_len);
	wse_task_release_bo(task);
}

/*
 * Ask the driver about the job once. Returns 0 when the task is done
 * (its outcome is then in task->status), -ETIME if it is still running,
 * or another negative errno if the driver could not answer.
 */
static int wse_task_reap(struct wse_task *task, int64_t timeout_ns)
{
	struct drm_wse_wait res = {
		.job_id = task->job_id,
		.timeout_ns = timeout_ns,
	};
	int ret;

	if (task->done)
		return 0;
	ret = wse_ioctl(task->dev->fd, DRM_IOCTL_WSE_WAIT, &res);
	if (!ret || ret == -ENOENT)
		wse_jobs_note_done(task->dev, task->job_id);
	if (ret == -ENOENT) {
		/* The driver dropped the result: the job ended long ago. */
		task->done = true;
		task->status = -ENOENT;
		snprintf(task->error, sizeof(task->error),
			 "job %" PRIu64 ": result dropped by the driver",
			 task->job_id);
		wse_task_release_bo(task);
		return 0;
	}
	if (ret)
		return ret;
	wse_task_finish(task, &res);
	return 0;
}

int wse_task_wait(struct wse_task *task, int64_t timeout_ns)
{
	int ret;

	if (!task)
		return wse_fail(NULL, -EINVAL, "%s: NULL task", __func__);
	ret = wse_task_reap(task, timeout_ns);
	if (ret == -ETIME)
		return wse_fail(task->dev, ret, "job %" PRIu64 " still running after %"
				PRId64 " ns", task->job_id, timeout_ns);
	if (ret)
		return wse_fail(task->dev, ret, "waiting for job %" PRIu64 ": %s",
				task->job_id, wse_strerror(ret));
	if (task->status)
		wse_set_error(task->dev, task->error);
	return task->status;
}

int wse_task_done(struct wse_task *task)
{
	int ret;

	if (!task)
		return wse_fail(NULL, -EINVAL, "%s: NULL task", __func__);
	ret = wse_task_reap(task, 0);
	if (ret == -ETIME)
		return 0;
	if (ret)
		return wse_fail(task->dev, ret, "polling job %" PRIu64 ": %s",
				task->job_id, wse_strerror(ret));
	return 1;
}

const char *wse_task_error(const struct wse_task *task)
{
	return task && task->done ? task->error : "";
}

uint64_t wse_task_cycles(const struct wse_task *task)
{
	return task && task->done ? task->cycles : 0;
}

void wse_task_free(struct wse_task *task)
{
	if (!task)
		return;
	/*
	 * The device may still write the staging buffer: wait before it goes
	 * back to the pool. If the driver cannot answer (device gone), the
	 * buffer is returned anyway; the device cannot use it any more.
	 */
	wse_task_reap(task, -1);
	wse_task_release_bo(task);
	free(task);
}

/*
 * Submit @count commands (all of one operation) as one job. The task takes
 * @bo, which goes back to the pool when the job ends; @copy_out receives
 * @copy_len bytes of it when the job succeeds. Without WSE_NONBLOCK, wait
 * for the job; *@out (if not NULL) receives the task only when the call
 * returns 0.
 */
int wse_task_start(struct wse_device *dev, const struct drm_wse_cmd *cmds,
		   unsigned int count, struct wse_bo *bo, void *copy_out,
		   size_t copy_len, unsigned int flags, struct wse_task **out)
{
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = count,
		.timeout_ms = __atomic_load_n(&dev->timeout_ms, __ATOMIC_RELAXED),
	};
	struct wse_task *task;
	int ret;

	task = calloc(1, sizeof(*task));
	if (!task) {
		if (bo)
			wse_bo_put(dev, bo);
		return wse_fail(dev, -ENOMEM, "out of memory");
	}
	task->dev = dev;
	task->op = cmds[0].op;
	task->bo = bo;
	task->copy_out = copy_out;
	task->copy_len = copy_len;

	/* The job must see what went through windows before it. */
	wse_wc_flush();
	pthread_mutex_lock(&dev->xfer_lock);
	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_SUBMIT, &args);
	if (!ret)
		dev->last_job = args.job_id;
	pthread_mutex_unlock(&dev->xfer_lock);
	if (ret) {
		wse_fail(dev, ret, "submitting %u command(s): %s", count,
			 wse_strerror(ret));
		task->done = true;
		wse_task_free(task);
		return ret;
	}
	task->job_id = args.job_id;

	if (flags & WSE_NONBLOCK) {
		*out = task;
		return 0;
	}
	ret = wse_task_wait(task, -1);
	if (ret || !out)
		wse_task_free(task);
	else
		*out = task;
	return ret;
}

/*
 * A task that has already ended well, for a copy made through a window:
 * it waits, polls and frees like any other.
 */
int wse_task_finished(struct wse_device *dev, uint32_t op, struct wse_task **out)
{
	struct wse_task *task = calloc(1, sizeof(*task));

	if (!task)
		return wse_fail(dev, -ENOMEM, "out of memory");
	task->dev = dev;
	task->op = op;
	task->done = true;
	*out = task;
	return 0;
}

/* Jobs of a file end in submission order: all up to @job_id have ended. */
void wse_jobs_note_done(struct wse_device *dev, uint64_t job_id)
{
	uint64_t old = __atomic_load_n(&dev->done_job, __ATOMIC_RELAXED);

	while (old < job_id &&
	       !__atomic_compare_exchange_n(&dev->done_job, &old, job_id, true,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

/*
 * Wait for every job the device was given so far, since window accesses
 * are not ordered with jobs: 0 once they all ended, whatever their
 * outcome; -ETIME if they run on after @timeout_ns; another negative
 * errno if the driver cannot say. Called with xfer_lock held, so that no
 * job can be submitted meanwhile.
 */
int wse_jobs_wait_locked(struct wse_device *dev, int64_t timeout_ns)
{
	uint64_t last = dev->last_job;
	struct drm_wse_wait res = {
		.job_id = last,
		.timeout_ns = timeout_ns,
	};
	int ret;

	if (__atomic_load_n(&dev->done_job, __ATOMIC_ACQUIRE) >= last)
		return 0;
	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_WAIT, &res);
	/* -ENOENT: the driver dropped the result, the job ended long ago. */
	if (ret == -ENOENT)
		ret = 0;
	if (!ret)
		wse_jobs_note_done(dev, last);
	return ret;
}
