// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * job.c - jobs of the drm backend: stage, submit, wait, copy out.
 *
 * A job is one DRM_IOCTL_WSE_SUBMIT. Its commands name GEM buffers: a
 * command's host bytes are either in memory from host_alloc (the buffer
 * is named as it is) or staged through one buffer of the pool, copied in
 * at submit and, for reads, copied out when the job ends. Small copies
 * that need no job at all go through windows instead (small.c).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drm.h"
#include "pe-dump.h"

_Static_assert(WSE_BACKEND_MAX_CMDS == DRM_WSE_MAX_CMDS, "commands per job");
_Static_assert(WSE_BACKEND_MAX_ARGS == DRM_WSE_MAX_ARGS, "launch arguments");
_Static_assert(WSE_BACKEND_OP_LAUNCH == DRM_WSE_OP_LAUNCH &&
	       WSE_BACKEND_OP_H2D == DRM_WSE_OP_H2D &&
	       WSE_BACKEND_OP_D2H == DRM_WSE_OP_D2H &&
	       WSE_BACKEND_OP_LOAD == DRM_WSE_OP_LOAD &&
	       WSE_BACKEND_OP_READ == DRM_WSE_OP_READ &&
	       WSE_BACKEND_OP_WRITE == DRM_WSE_OP_WRITE &&
	       WSE_BACKEND_OP_NOP == DRM_WSE_OP_NOP &&
	       WSE_BACKEND_OP_RESIDENT == DRM_WSE_OP_RESIDENT &&
	       WSE_BACKEND_OP_STREAM_IN == DRM_WSE_OP_STREAM_IN &&
	       WSE_BACKEND_OP_STREAM_OUT == DRM_WSE_OP_STREAM_OUT &&
	       WSE_BACKEND_OP_CALL == DRM_WSE_OP_CALL &&
	       WSE_BACKEND_OP_STOP == DRM_WSE_OP_STOP &&
	       WSE_BACKEND_OP_PE_DUMP == DRM_WSE_OP_PE_DUMP, "operations");
_Static_assert(DRM_WSE_PE_DUMP_MIN == WAFER_PE_DUMP_V1_SIZE, "PE dump record");
_Static_assert(WSE_BACKEND_ORDER_COL_MAJOR == DRM_WSE_ORDER_COL_MAJOR &&
	       WSE_BACKEND_BCAST_ROW == DRM_WSE_BCAST_ROW &&
	       WSE_BACKEND_BCAST_COL == DRM_WSE_BCAST_COL, "rectangles");
_Static_assert(WSE_BACKEND_STATUS_BAD_SGL == DRM_WSE_STATUS_BAD_SGL &&
	       WSE_BACKEND_STATUS_ABORTED == DRM_WSE_STATUS_ABORTED &&
	       WSE_BACKEND_STATUS_KERNEL_FAULT == DRM_WSE_STATUS_KERNEL_FAULT &&
	       WSE_BACKEND_STATUS_BAD_IMAGE == DRM_WSE_STATUS_BAD_IMAGE,
	       "device statuses");

static bool wse_drm_reads_host(uint32_t op)
{
	return op == WSE_BACKEND_OP_WRITE || op == WSE_BACKEND_OP_LOAD ||
	       op == WSE_BACKEND_OP_H2D || op == WSE_BACKEND_OP_STREAM_IN;
}

static bool wse_drm_writes_host(uint32_t op)
{
	return op == WSE_BACKEND_OP_READ || op == WSE_BACKEND_OP_D2H ||
	       op == WSE_BACKEND_OP_STREAM_OUT || op == WSE_BACKEND_OP_CALL ||
	       op == WSE_BACKEND_OP_PE_DUMP;
}

/* The driver's command for @c, its bytes at @offset of buffer @handle. */
static void wse_drm_cmd(const struct wse_backend_cmd *c, uint32_t handle,
			uint64_t offset, struct drm_wse_cmd *out)
{
	unsigned int i;

	*out = (struct drm_wse_cmd){ .op = c->op };
	if (c->host) {
		out->handle = handle;
		out->offset = offset;
		out->length = c->length;
	}
	switch (c->op) {
	case WSE_BACKEND_OP_WRITE:
	case WSE_BACKEND_OP_READ:
	case WSE_BACKEND_OP_PE_DUMP:
		out->sram.x = c->sram.x;
		out->sram.y = c->sram.y;
		out->sram.offset = c->sram.offset;
		break;
	case WSE_BACKEND_OP_H2D:
	case WSE_BACKEND_OP_D2H:
		out->rect = (struct drm_wse_cmd_rect) {
			.x = c->rect.x, .y = c->rect.y,
			.w = c->rect.w, .h = c->rect.h,
			.addr = c->rect.addr,
			.elem_per_pe = c->rect.elem_per_pe,
			.elem_bytes = c->rect.elem_bytes,
			.order = c->rect.order,
			.bcast = c->rect.bcast,
		};
		break;
	case WSE_BACKEND_OP_STREAM_IN:
	case WSE_BACKEND_OP_STREAM_OUT:
		out->stream = (struct drm_wse_cmd_stream) {
			.color = c->stream.color, .edge = c->stream.edge,
			.y = c->stream.y, .h = c->stream.h,
			.elem_per_pe = c->stream.elem_per_pe,
			.elem_bytes = c->stream.elem_bytes,
		};
		break;
	case WSE_BACKEND_OP_RESIDENT:
	case WSE_BACKEND_OP_CALL:
	case WSE_BACKEND_OP_LAUNCH:
		out->launch.function = c->launch.function;
		out->launch.nargs = c->launch.nargs;
		for (i = 0; i < c->launch.nargs; i++)
			out->launch.args[i] = c->launch.args[i];
		break;
	}
}

/*
 * Pin the pages of a command's host bytes as a buffer of their own; its
 * handle and the bytes' offset in it in @handle, @offset. False when the
 * memory cannot be pinned (the driver is older, RLIMIT_MEMLOCK, memory
 * of a device): the copy is staged then.
 */
static bool wse_drm_userptr(struct wse_backend_dev *dev,
			    const struct wse_backend_cmd *c, uint32_t *handle,
			    uint64_t *offset)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE) - 1;
	uintptr_t start = (uintptr_t)c->host & ~page;
	uintptr_t end = ((uintptr_t)c->host + c->length + page) & ~page;
	struct drm_wse_bo_userptr args = {
		.user_ptr = start,
		.size = end - start,
		/* The device only reads what it copies in. */
		.flags = wse_drm_reads_host(c->op) ? DRM_WSE_USERPTR_READONLY : 0,
	};
	int ret;

	if (c->length < WSE_DRM_USERPTR_MIN || args.size > WSE_DRM_BO_MAX ||
	    __atomic_load_n(&dev->no_userptr, __ATOMIC_RELAXED))
		return false;
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_BO_USERPTR, &args);
	if (ret == -EINVAL || ret == -ENOTTY || ret == -EOPNOTSUPP)
		__atomic_store_n(&dev->no_userptr, true, __ATOMIC_RELAXED);
	if (ret)
		return false;
	*handle = args.handle;
	*offset = (uintptr_t)c->host - start;
	return true;
}

/*
 * Name every command's bytes: in host memory as they are, large ones
 * pinned where they are, the others packed into one staging buffer
 * (copied in for H2D, WRITE and LOAD). Reads from the staging buffer are
 * noted in job->out.
 */
static int wse_drm_stage(struct wse_backend_dev *dev,
			 const struct wse_backend_cmd *cmds, unsigned int n,
			 struct wse_backend_job *job, struct drm_wse_cmd *out)
{
	uint64_t staged = 0, at = 0, offset;
	bool in_host[WSE_BACKEND_MAX_CMDS];
	uint32_t handles[WSE_BACKEND_MAX_CMDS];
	uint64_t offsets[WSE_BACKEND_MAX_CMDS];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		in_host[i] = cmds[i].host &&
			     wse_drm_host_find(dev, cmds[i].host, cmds[i].length,
					       &handles[i], &offsets[i]);
		if (cmds[i].host && !in_host[i] &&
		    wse_drm_userptr(dev, &cmds[i], &handles[i], &offsets[i])) {
			job->uptr[job->nuptr++] = handles[i];
			in_host[i] = true;
		}
		if (cmds[i].host && !in_host[i])
			staged += cmds[i].length;
	}
	if (staged) {
		ret = wse_drm_bo_get(dev, staged, &job->bo);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		const struct wse_backend_cmd *c = &cmds[i];

		if (!c->host || in_host[i]) {
			wse_drm_cmd(c, c->host ? handles[i] : 0,
				    c->host ? offsets[i] : 0, &out[i]);
			continue;
		}
		offset = at;
		at += c->length;
		if (wse_drm_reads_host(c->op))
			memcpy((uint8_t *)job->bo->map + offset, c->host, c->length);
		else if (wse_drm_writes_host(c->op))
			job->out[job->nout++] = (struct wse_drm_copy_out) {
				.host = c->host, .at = offset, .len = c->length,
			};
		wse_drm_cmd(c, job->bo->handle, offset, &out[i]);
	}
	return 0;
}

static void wse_drm_job_release(struct wse_backend_dev *dev,
				struct wse_backend_job *job)
{
	if (job->bo) {
		wse_drm_bo_put(dev, job->bo);
		job->bo = NULL;
	}
	/* The driver keeps pinned pages until the job is done with them. */
	while (job->nuptr) {
		struct drm_gem_close c = { .handle = job->uptr[--job->nuptr] };

		wse_drm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &c);
	}
}

/* Jobs of a file end in submission order: all up to @job_id have ended. */
static void wse_drm_jobs_note_done(struct wse_backend_dev *dev, uint64_t job_id)
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
int wse_drm_jobs_wait_locked(struct wse_backend_dev *dev, int64_t timeout_ns)
{
	uint64_t last = dev->last_job;
	struct drm_wse_wait res = {
		.job_id = last,
		.timeout_ns = timeout_ns,
	};
	int ret;

	if (__atomic_load_n(&dev->done_job, __ATOMIC_ACQUIRE) >= last)
		return 0;
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_WAIT, &res);
	/* -ENOENT: the driver dropped the result, the job ended long ago. */
	if (ret == -ENOENT)
		ret = 0;
	if (!ret)
		wse_drm_jobs_note_done(dev, last);
	return ret;
}

/* A single copy small enough for a window: made at once, no job. */
static bool wse_drm_small(struct wse_backend_dev *dev,
			  const struct wse_backend_cmd *cmds, unsigned int n)
{
	uint32_t op = cmds[0].op;

	return n == 1 && (op == WSE_BACKEND_OP_WRITE || op == WSE_BACKEND_OP_READ ||
			  op == WSE_BACKEND_OP_H2D || op == WSE_BACKEND_OP_D2H) &&
	       cmds[0].length <= __atomic_load_n(&dev->small_copy_max,
						 __ATOMIC_RELAXED);
}

static void wse_drm_job_finish(struct wse_backend_dev *dev,
			       struct wse_backend_job *job,
			       const struct drm_wse_wait *w);

/*
 * The driver said the job ended before SUBMIT returned
 * (DRM_WSE_SUBMIT_ENDED) and gave its outcome, the same WAIT would: end
 * it here without the WAIT ioctl, copying out as WAIT's path does.
 */
static void wse_drm_job_ended(struct wse_backend_dev *dev,
			      struct wse_backend_job *job,
			      const struct drm_wse_submit *args)
{
	const struct drm_wse_wait w = {
		.job_id = args->job_id,
		.status = args->status,
		.failed_cmd = args->failed_cmd,
		.device_status = args->device_status,
		.reason = args->reason,
		.pe_x = args->pe_x,
		.pe_y = args->pe_y,
		.pc = args->pc,
		.cycles = args->cycles,
	};

	wse_drm_jobs_note_done(dev, job->id);
	wse_drm_job_finish(dev, job, &w);
}

int wse_drm_submit(struct wse_backend_dev *dev,
		   const struct wse_backend_cmd *cmds, unsigned int n,
		   const struct wse_backend_submit *how,
		   struct wse_backend_job **out, struct wse_backend_result *res)
{
	struct drm_wse_cmd dcmds[WSE_BACKEND_MAX_CMDS];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)dcmds,
		.cmd_count = n,
		.timeout_ms = how->timeout_ms,
	};
	struct wse_backend_job *job;
	unsigned int nout = 0, i;
	int ret;

	if (!n || n > WSE_BACKEND_MAX_CMDS)
		return -EINVAL;
	if (wse_drm_small(dev, cmds, n) &&
	    !wse_drm_small_copy(dev, &cmds[0],
				how->flags & WSE_BACKEND_SUBMIT_NONBLOCK)) {
		*res = (struct wse_backend_result){ 0 };
		*out = NULL;
		return 0;
	}
	for (i = 0; i < n; i++)
		nout += wse_drm_writes_host(cmds[i].op);
	job = calloc(1, sizeof(*job) + nout * sizeof(job->out[0]));
	if (!job)
		return -ENOMEM;
	ret = wse_drm_stage(dev, cmds, n, job, dcmds);
	if (ret)
		goto err_release;

	/* The job must see what went through windows before it. */
	wse_drm_wc_flush();
	pthread_mutex_lock(&dev->xfer_lock);
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_SUBMIT, &args);
	if (!ret)
		dev->last_job = args.job_id;
	pthread_mutex_unlock(&dev->xfer_lock);
	if (ret)
		goto err_release;
	job->id = args.job_id;
	/*
	 * Zero from an older driver, which leaves the Out fields as they
	 * were passed (zero, see args above): then WAIT tells.
	 */
	if (args.out_flags & DRM_WSE_SUBMIT_ENDED) {
		wse_drm_job_ended(dev, job, &args);
		*res = job->res;
		free(job);
		*out = NULL;
		return 0;
	}
	*out = job;
	return 0;

err_release:
	wse_drm_job_release(dev, job);
	free(job);
	return ret;
}

static void wse_drm_job_finish(struct wse_backend_dev *dev,
			       struct wse_backend_job *job,
			       const struct drm_wse_wait *w)
{
	unsigned int i;

	job->done = true;
	job->res = (struct wse_backend_result) {
		.status = w->status,
		.failed_cmd = w->failed_cmd,
		.device_status = w->device_status,
		.reason = w->reason,
		.pe_x = w->pe_x,
		.pe_y = w->pe_y,
		.pc = w->pc,
		.cycles = w->cycles,
	};
	if (!w->status)
		for (i = 0; i < job->nout; i++)
			memcpy(job->out[i].host,
			       (uint8_t *)job->bo->map + job->out[i].at,
			       job->out[i].len);
	wse_drm_job_release(dev, job);
}

int wse_drm_wait(struct wse_backend_dev *dev, struct wse_backend_job *job,
		 int64_t timeout_ns, struct wse_backend_result *res)
{
	struct drm_wse_wait w = {
		.job_id = job->id,
		.timeout_ns = timeout_ns,
	};
	int ret;

	if (!job->done) {
		ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_WAIT, &w);
		if (!ret || ret == -ENOENT)
			wse_drm_jobs_note_done(dev, job->id);
		if (ret == -ENOENT) {
			/* The driver dropped the result: the job ended long ago. */
			w.status = -ENOENT;
			ret = 0;
		}
		if (ret)
			return ret;
		wse_drm_job_finish(dev, job, &w);
	}
	*res = job->res;
	return 0;
}

void wse_drm_job_free(struct wse_backend_dev *dev, struct wse_backend_job *job)
{
	struct wse_backend_result res;

	if (!job)
		return;
	/*
	 * The device may still write the staging buffer: wait before it goes
	 * back to the pool. If the driver cannot answer (device gone), the
	 * buffer is returned anyway; the device cannot use it any more.
	 */
	wse_drm_wait(dev, job, -1, &res);
	wse_drm_job_release(dev, job);
	free(job);
}
