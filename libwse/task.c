// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * task.c - tasks: the front end's handle on a backend's job.
 *
 * Every libwse operation is one job of the backend: a batch of commands
 * of one kind. A task holds the job until it ends, then its outcome: the
 * errno, the modeled cycles and the sentence that says what went wrong.
 * Jobs that a backend finished while submitting them (a small copy made
 * at once) give tasks that are done from the start.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "wse_priv.h"

static void wse_task_finish(struct wse_task *task,
			    const struct wse_backend_result *res)
{
	task->done = true;
	task->status = res->status;
	task->cycles = res->cycles;
	task->fault_x = res->pe_x;
	task->fault_y = res->pe_y;
	task->fault_pc = res->pc;
	wse_job_describe(res, task->op, task->error, sizeof(task->error));
	if (task->job) {
		task->dev->ops->job_free(task->dev->be, task->job);
		task->job = NULL;
	}
	if (task->reorder && !task->status)
		wse_reorder_finish(task->reorder);
	wse_trace_task(task);
}

static void wse_reorder_free(struct wse_reorder *ro)
{
	if (ro) {
		free(ro->stage);
		free(ro);
	}
}

/*
 * Ask the backend about the job once. Returns 0 when the task is done
 * (its outcome is then in task->status), -ETIME if it is still running,
 * or another negative errno if the backend could not answer.
 */
static int wse_task_reap(struct wse_task *task, int64_t timeout_ns)
{
	struct wse_backend_result res;
	int ret;

	if (task->done)
		return 0;
	ret = task->dev->ops->wait(task->dev->be, task->job, timeout_ns, &res);
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
		return wse_fail(task->dev, ret, "task %" PRIu64 " still running after %"
				PRId64 " ns", task->seq, timeout_ns);
	if (ret)
		return wse_fail(task->dev, ret, "waiting for task %" PRIu64 ": %s",
				task->seq, wse_strerror(ret));
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
		return wse_fail(task->dev, ret, "polling task %" PRIu64 ": %s",
				task->seq, wse_strerror(ret));
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
	 * The backend may still write the host arrays of the job: wait
	 * before they can be reused. If it cannot answer (the device is
	 * gone), job_free lets go of the job anyway.
	 */
	wse_task_reap(task, -1);
	if (task->job)
		task->dev->ops->job_free(task->dev->be, task->job);
	free(task->trace);
	wse_reorder_free(task->reorder);
	free(task);
}

/* With WSE_TRACE: note what the task copies out, for its digest. */
static void wse_task_trace_setup(struct wse_task *task,
				 const struct wse_backend_cmd *cmds,
				 unsigned int count)
{
	unsigned int i;

	if (!wse_trace_on() ||
	    (task->op != WSE_BACKEND_OP_READ && task->op != WSE_BACKEND_OP_D2H))
		return;
	task->trace = calloc(count, sizeof(*task->trace));
	if (!task->trace)
		return;
	for (i = 0; i < count; i++)
		task->trace[i] = (struct wse_trace_range){ cmds[i].host,
							    cmds[i].length };
	task->ntrace = count;
}

/*
 * Submit @count commands (all of one operation) as one job. Without
 * WSE_NONBLOCK, wait for the job; *@out (if not NULL) receives the task
 * only when the call returns 0.
 */
int wse_task_start(struct wse_device *dev, const struct wse_backend_cmd *cmds,
		   unsigned int count, unsigned int flags, struct wse_task **out)
{
	return wse_task_start_reorder(dev, cmds, count, flags, out, NULL);
}

int wse_task_start_reorder(struct wse_device *dev,
			   const struct wse_backend_cmd *cmds,
			   unsigned int count, unsigned int flags,
			   struct wse_task **out, struct wse_reorder *ro)
{
	struct wse_backend_submit how = {
		.timeout_ms = __atomic_load_n(&dev->timeout_ms, __ATOMIC_RELAXED),
		.flags = flags & WSE_NONBLOCK ? WSE_BACKEND_SUBMIT_NONBLOCK : 0,
	};
	struct wse_backend_result res;
	struct wse_task *task;
	int ret;

	task = calloc(1, sizeof(*task));
	if (!task) {
		wse_reorder_free(ro);
		return wse_fail(dev, -ENOMEM, "out of memory");
	}
	task->reorder = ro;
	task->dev = dev;
	task->op = cmds[0].op;
	task->seq = __atomic_add_fetch(&dev->tasks, 1, __ATOMIC_RELAXED);
	wse_task_trace_setup(task, cmds, count);

	ret = dev->ops->submit(dev->be, cmds, count, &how, &task->job, &res);
	if (ret) {
		wse_fail(dev, ret, "submitting %u command(s): %s", count,
			 wse_strerror(ret));
		free(task->trace);
		wse_reorder_free(task->reorder);
		free(task);
		return ret;
	}
	if (!task->job)
		wse_task_finish(task, &res);

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
