// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * queue.c - a context's jobs, run one at a time in submission order.
 *
 * A job that finds the queue empty runs at once in the submitting thread,
 * unless it is a launch the caller does not wait for: a copy so made
 * costs a memcpy, which is the simulator's answer to the driver's small
 * copies through windows, and a blocking launch no thread hand-over.
 * Everything else waits in the queue for the context's worker thread,
 * started with the first such job. While a launch runs, in either
 * thread, the context's watchdog thread stops it when its time limit
 * passes, as the driver's watchdog does: it ends with -ETIMEDOUT and the
 * context's program is dropped.
 *
 * Bytes a queued job reads (H2D, WRITE, LOAD) are copied at submit, so
 * that the caller may reuse them at once, unless they lie in memory
 * from host_alloc, which the job reads when it runs. Bytes it writes go
 * straight to the caller's memory, which libwse keeps valid until the
 * job ends.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"

uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void sim_abs_time(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / 1000000000u;
	ts->tv_nsec = ns % 1000000000u;
}

static bool sim_reads_host(uint32_t op)
{
	return op == WSE_BACKEND_OP_WRITE || op == WSE_BACKEND_OP_LOAD ||
	       op == WSE_BACKEND_OP_H2D || op == WSE_BACKEND_OP_STREAM_IN;
}

static bool sim_in_host_memory(struct wse_backend_dev *dev, const void *p,
			       size_t len)
{
	const uint8_t *c = p;
	struct sim_host *h;

	for (h = dev->host; h; h = h->next)
		if (c >= (uint8_t *)h->ptr && c < (uint8_t *)h->ptr + h->size &&
		    len <= h->size - (size_t)(c - (uint8_t *)h->ptr))
			return true;
	return false;
}

/* Copy what a queued job reads, unless it is in host memory. */
static int sim_job_stage(struct wse_backend_dev *dev, struct wse_backend_job *job)
{
	uint64_t total = 0, at = 0;
	unsigned int i;
	bool in_host[WSE_BACKEND_MAX_CMDS];

	pthread_mutex_lock(&dev->lock);
	for (i = 0; i < job->n; i++) {
		const struct wse_backend_cmd *c = &job->cmds[i];

		in_host[i] = !sim_reads_host(c->op) || !c->host ||
			     sim_in_host_memory(dev, c->host, c->length);
		if (!in_host[i])
			total += c->length;
	}
	pthread_mutex_unlock(&dev->lock);
	if (!total)
		return 0;
	job->staged = malloc(total);
	if (!job->staged)
		return -ENOMEM;
	for (i = 0; i < job->n; i++) {
		struct wse_backend_cmd *c = &job->cmds[i];

		if (in_host[i])
			continue;
		memcpy((uint8_t *)job->staged + at, c->host, c->length);
		c->host = (uint8_t *)job->staged + at;
		at += c->length;
	}
	return 0;
}

/* End @job, which is not queued any more, with -ECANCELED. */
static void sim_job_cancel(struct wse_backend_job *job)
{
	job->res = (struct wse_backend_result) {
		.status = -ECANCELED,
		.device_status = WSE_BACKEND_STATUS_ABORTED,
	};
	job->done = true;
}

/* Drop the queued jobs and flag the running one (a reset). */
void sim_queue_cancel_locked(struct wse_backend_dev *dev)
{
	struct wse_backend_job *job;

	while ((job = dev->head)) {
		dev->head = job->next;
		sim_job_cancel(job);
	}
	dev->tail = NULL;
	if (dev->running)
		dev->running->reset = true;
	pthread_cond_broadcast(&dev->cond);
}

/* Run @job, then tidy up after it: the context is locked on entry and exit. */
static void sim_job_run_locked(struct wse_backend_dev *dev,
			       struct wse_backend_job *job)
{
	pthread_mutex_unlock(&dev->lock);
	sim_job_run(dev, job);
	pthread_mutex_lock(&dev->lock);
	if ((job->timed_out && job->res.status == -ETIMEDOUT) || dev->drop_prog) {
		/* The driver drops the program of a queue it had to stop. */
		sim_prog_drop_locked(dev);
		dev->drop_prog = false;
	}
	if (dev->prog)
		wafer_program_uncancel(dev->prog);
	job->done = true;
	pthread_cond_broadcast(&dev->cond);
}

static void *sim_worker(void *arg)
{
	struct wse_backend_dev *dev = arg;
	struct wse_backend_job *job;

	pthread_mutex_lock(&dev->lock);
	for (;;) {
		while (!dev->stop && (!dev->head || dev->inline_busy))
			pthread_cond_wait(&dev->cond, &dev->lock);
		if (dev->stop)
			break;
		job = dev->head;
		dev->head = job->next;
		if (!dev->head)
			dev->tail = NULL;
		dev->running = job;
		/* Only kernels can run for ever. */
		dev->deadline_ns = job->cmds[0].op == WSE_BACKEND_OP_LAUNCH ?
				   sim_now_ns() + job->timeout_ms * 1000000ull : 0;
		pthread_cond_broadcast(&dev->cond);
		sim_job_run_locked(dev, job);
		dev->running = NULL;
		dev->deadline_ns = 0;
	}
	pthread_mutex_unlock(&dev->lock);
	return NULL;
}

/* Stops the running launch once its time limit has passed. */
static void *sim_watchdog(void *arg)
{
	struct wse_backend_dev *dev = arg;
	struct timespec ts;
	uint64_t now;

	pthread_mutex_lock(&dev->lock);
	while (!dev->stop) {
		if (!dev->deadline_ns) {
			pthread_cond_wait(&dev->cond, &dev->lock);
			continue;
		}
		now = sim_now_ns();
		if (now < dev->deadline_ns) {
			sim_abs_time(dev->deadline_ns, &ts);
			pthread_cond_timedwait(&dev->cond, &dev->lock, &ts);
			continue;
		}
		if (dev->running && !dev->running->timed_out) {
			dev->running->timed_out = true;
			if (dev->prog)
				wafer_program_cancel(dev->prog);
		}
		pthread_cond_wait(&dev->cond, &dev->lock);
	}
	pthread_mutex_unlock(&dev->lock);
	return NULL;
}

static int sim_threads_start_locked(struct wse_backend_dev *dev)
{
	if (!dev->have_worker) {
		if (pthread_create(&dev->worker, NULL, sim_worker, dev))
			return -EAGAIN;
		dev->have_worker = true;
	}
	if (!dev->have_watchdog) {
		if (pthread_create(&dev->watchdog, NULL, sim_watchdog, dev))
			return -EAGAIN;
		dev->have_watchdog = true;
	}
	return 0;
}

int sim_submit(struct wse_backend_dev *dev, const struct wse_backend_cmd *cmds,
	       unsigned int n, const struct wse_backend_submit *how,
	       struct wse_backend_job **out, struct wse_backend_result *res)
{
	struct wse_backend_job *job;
	bool launch;
	int ret;

	if (!n || n > WSE_BACKEND_MAX_CMDS)
		return -EINVAL;
	ret = sim_queue_take(dev);
	if (ret)
		return ret;
	job = calloc(1, sizeof(*job) + n * sizeof(job->cmds[0]));
	if (!job)
		return -ENOMEM;
	job->n = n;
	memcpy(job->cmds, cmds, n * sizeof(*cmds));
	job->timeout_ms = how->timeout_ms ? how->timeout_ms : SIM_TIMEOUT_MS;

	pthread_mutex_lock(&dev->lock);
	if (dev->stale) {
		ret = -EIO;
		goto err_unlock;
	}
	launch = cmds[0].op == WSE_BACKEND_OP_LAUNCH;
	if (!dev->head && !dev->running && !dev->inline_busy &&
	    (!launch || !(how->flags & WSE_BACKEND_SUBMIT_NONBLOCK))) {
		/* Idle, and the caller waits anyway: run it here, now. */
		if (launch) {
			/* The watchdog watches it as it watches the worker's. */
			ret = sim_threads_start_locked(dev);
			if (ret)
				goto err_unlock;
			dev->running = job;
			dev->deadline_ns = sim_now_ns() + job->timeout_ms * 1000000ull;
		}
		dev->inline_busy = true;
		pthread_cond_broadcast(&dev->cond);
		sim_job_run_locked(dev, job);
		dev->inline_busy = false;
		dev->running = NULL;
		dev->deadline_ns = 0;
		pthread_cond_broadcast(&dev->cond);
		pthread_mutex_unlock(&dev->lock);
		*res = job->res;
		free(job);
		*out = NULL;
		return 0;
	}
	ret = sim_threads_start_locked(dev);
	if (ret)
		goto err_unlock;
	pthread_mutex_unlock(&dev->lock);

	ret = sim_job_stage(dev, job);
	if (ret)
		goto err_free;

	pthread_mutex_lock(&dev->lock);
	if (dev->stale) {
		/* A reset came in between: it would have dropped the job. */
		ret = -EIO;
		goto err_unlock;
	}
	if (dev->tail)
		dev->tail->next = job;
	else
		dev->head = job;
	dev->tail = job;
	pthread_cond_broadcast(&dev->cond);
	pthread_mutex_unlock(&dev->lock);
	*out = job;
	return 0;

err_unlock:
	pthread_mutex_unlock(&dev->lock);
err_free:
	free(job->staged);
	free(job);
	return ret;
}

int sim_wait(struct wse_backend_dev *dev, struct wse_backend_job *job,
	     int64_t timeout_ns, struct wse_backend_result *res)
{
	uint64_t end = timeout_ns > 0 ? sim_now_ns() + timeout_ns : 0;
	struct timespec ts;
	int ret = 0;

	pthread_mutex_lock(&dev->lock);
	while (!job->done) {
		if (!timeout_ns || (end && sim_now_ns() >= end)) {
			ret = -ETIME;
			break;
		}
		if (timeout_ns < 0) {
			pthread_cond_wait(&dev->cond, &dev->lock);
		} else {
			sim_abs_time(end, &ts);
			pthread_cond_timedwait(&dev->cond, &dev->lock, &ts);
		}
	}
	if (!ret)
		*res = job->res;
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

void sim_job_free(struct wse_backend_dev *dev, struct wse_backend_job *job)
{
	struct wse_backend_result res;

	if (!job)
		return;
	sim_wait(dev, job, -1, &res);
	free(job->staged);
	free(job);
}

/* Close: cancel what is queued, let the running job end, stop the threads. */
void sim_queue_stop(struct wse_backend_dev *dev)
{
	pthread_mutex_lock(&dev->lock);
	sim_queue_cancel_locked(dev);
	if (dev->running && dev->prog)
		wafer_program_cancel(dev->prog);
	while (dev->running || dev->inline_busy)
		pthread_cond_wait(&dev->cond, &dev->lock);
	dev->stop = true;
	pthread_cond_broadcast(&dev->cond);
	pthread_mutex_unlock(&dev->lock);
	if (dev->have_worker)
		pthread_join(dev->worker, NULL);
	if (dev->have_watchdog)
		pthread_join(dev->watchdog, NULL);
}
