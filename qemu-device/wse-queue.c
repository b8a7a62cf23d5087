// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-queue.c - submission/completion queue pairs and their workers.
 *
 * Rings live in guest memory. The worker fetches one submission entry at a
 * time, executes it (wse-cmd.c) and posts a completion with the current
 * phase, then signals the queue's vector. A short entry that finds the
 * worker idle runs in the doorbell write instead (queue_inline_locked()). A completion is only written
 * into a free slot: when the guest stops consuming, the worker waits.
 * Anything wrong with the ring itself (a fetch or post that DMA refuses,
 * a doorbell outside the ring) stops the queue in the error state, which
 * only disabling it clears; bad commands only fail themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pe-dump.h"
#include "wse-dev.h"
#include "wse-sgl.h"

_Static_assert(sizeof(struct wafer_pe_dump) == WSE_DUMP_BYTES,
	       "WSE_DUMP_BYTES is the version 1 PE dump record");

static uint32_t ring_entries(const struct wse_queue *q)
{
	return 1u << q->order;
}

/* Forget the loaded program. Called with q->lock held or by the worker
 * while it owns the queue. */
void wse_queue_program_drop(struct wse_queue *q)
{
	if (q->program)
		wafer_program_free(q->program);
	if (q->image)
		wafer_image_free(q->image);
	q->program = NULL;
	q->image = NULL;
}

/* Stop the queue after a ring failure and tell the driver. */
static void queue_fail_locked(struct wse_queue *q, uint8_t code)
{
	q->error = code;
	pthread_cond_broadcast(&q->cond);
}

static void queue_clear_locked(struct wse_queue *q);

static bool queue_runnable_locked(const struct wse_queue *q)
{
	return q->enabled && !q->error && !q->abort && q->sq_head != q->sq_tail;
}

/*
 * Wait for a free completion slot; false if the queue must stop instead.
 * An aborting queue still posts the completion of the command it was
 * running (ABORTED) if a slot is free, but does not wait for one.
 */
static bool cq_space_locked(const struct wse_queue *q)
{
	return ((q->cq_tail + 1) & (ring_entries(q) - 1)) != q->cq_head;
}

static bool cq_wait_space_locked(struct wse_queue *q)
{
	for (;;) {
		bool space = cq_space_locked(q);

		if (q->stop || !q->enabled || q->error)
			return false;
		if (space || q->abort)
			return space;
		pthread_cond_wait(&q->cond, &q->lock);
	}
}

static void queue_post(struct wse_queue *q, struct wse_cqe *cqe)
{
	struct wse_dev *d = q->dev;
	uint64_t addr;
	bool notify = false;
	int ret;

	pthread_mutex_lock(&q->lock);
	if (!cq_wait_space_locked(q)) {
		pthread_mutex_unlock(&q->lock);
		return;
	}
	cqe->sq_head = q->sq_head;
	cqe->phase = q->phase;
	addr = q->cq_base + (uint64_t)q->cq_tail * WSE_CQE_SIZE;
	pthread_mutex_unlock(&q->lock);

	ret = d->ops->dma_write(d->opaque, addr, cqe, sizeof(*cqe));

	pthread_mutex_lock(&q->lock);
	if (ret) {
		wse_dev_guest_error(d, "queue %u: completion ring write at 0x%llx failed",
				    q->id, (unsigned long long)addr);
		queue_fail_locked(q, WSE_QERR_CQ_DMA);
	} else if (q->enabled) {
		/*
		 * The command is over once its completion is visible: a PE
		 * dump the driver asks for after seeing it must not find the
		 * queue busy for the moment the worker needs to get idle.
		 */
		q->done = true;
		q->cq_tail = (q->cq_tail + 1) & (ring_entries(q) - 1);
		if (!q->cq_tail)
			q->phase ^= WSE_CQE_PHASE;
		notify = true;
	}
	pthread_mutex_unlock(&q->lock);

	wse_dev_count(d, WSE_CNT_CMDS_DONE, 1);
	if (cqe->status != WSE_CQE_OK)
		wse_dev_count(d, WSE_CNT_CMDS_FAILED, 1);
	if (ret)
		wse_dev_event(d, WSE_EVENT_QUEUE_ERROR);
	else if (notify)
		d->ops->irq(d->opaque, q->vector);
}

/*
 * The worker is done with a command (or a failed fetch). If a stop was
 * asked meanwhile, finish it: the queue goes disabled and empty, and the
 * driver, polling BUSY or waiting for EVENT.QUEUE_STOPPED, learns of it.
 * Called and returns with q->lock held.
 */
static void queue_idle_locked(struct wse_queue *q)
{
	bool stopped = q->abort;

	q->busy = false;
	if (stopped) {
		queue_clear_locked(q);
		q->abort = false;
	}
	pthread_cond_broadcast(&q->idle);
	if (stopped) {
		pthread_mutex_unlock(&q->lock);
		wse_dev_event(q->dev, WSE_EVENT_QUEUE_STOPPED);
		pthread_mutex_lock(&q->lock);
	}
}

static void *queue_worker(void *arg)
{
	struct wse_queue *q = arg;
	struct wse_dev *d = q->dev;
	struct wse_sqe sqe;
	struct wse_cqe cqe;
	uint64_t addr;
	uint32_t idx;
	bool aborted;

	if (d->ops->thread_start)
		d->ops->thread_start(d->opaque);
	pthread_mutex_lock(&q->lock);
	for (;;) {
		/* busy here: the doorbell runs an entry inline. */
		while (!q->stop && (q->busy || !queue_runnable_locked(q)))
			pthread_cond_wait(&q->cond, &q->lock);
		if (q->stop)
			break;
		idx = q->sq_head;
		addr = q->sq_base + (uint64_t)idx * WSE_SQE_SIZE;
		q->busy = true;
		q->done = false;
		__atomic_store_n(&q->cancel, 0, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&q->lock);

		if (d->ops->dma_read(d->opaque, addr, &sqe, sizeof(sqe))) {
			wse_dev_guest_error(d, "queue %u: submission ring read at 0x%llx failed",
					    q->id, (unsigned long long)addr);
			pthread_mutex_lock(&q->lock);
			queue_fail_locked(q, WSE_QERR_SQ_DMA);
			pthread_mutex_unlock(&q->lock);
			wse_dev_event(d, WSE_EVENT_QUEUE_ERROR);
			pthread_mutex_lock(&q->lock);
			queue_idle_locked(q);
			continue;
		}
		pthread_mutex_lock(&q->lock);
		q->sq_head = (idx + 1) & (ring_entries(q) - 1);
		aborted = q->abort;
		pthread_mutex_unlock(&q->lock);

		memset(&cqe, 0, sizeof(cqe));
		cqe.tag = sqe.tag;
		/* Fetched as the stop came: it completes without running. */
		if (aborted)
			cqe.status = WSE_CQE_ABORTED;
		else
			wse_cmd_execute(q, &sqe, &cqe);
		queue_post(q, &cqe);

		pthread_mutex_lock(&q->lock);
		queue_idle_locked(q);
	}
	q->busy = false;
	pthread_cond_broadcast(&q->idle);
	pthread_mutex_unlock(&q->lock);
	if (d->ops->thread_stop)
		d->ops->thread_stop(d->opaque);
	return NULL;
}

/*
 * The doorbell's fast path. Waking the worker (a futex wake of a thread
 * the host must then schedule) costs more than a short command itself:
 * under TCG it was most of a NOP's round trip. So when the worker is
 * idle and a completion slot is free, the entry at the head runs here, on
 * the thread that wrote the doorbell (in QEMU a vCPU thread holding the
 * BQL), if wse_cmd_is_short() says it is bounded small work; its
 * completion, counters, events and interrupt are the worker's, and it is
 * done when the doorbell write returns. The queue is the inline runner's
 * while busy is set, as it is the worker's while it runs a command: the
 * worker takes no entry meanwhile, so entries still complete strictly in
 * ring order. Anything else (a long command, a fetch DMA refuses, which
 * the worker then reports) is left to the worker, woken as before.
 * Called and returns with q->lock held; true if an entry ran.
 */
static bool queue_inline_locked(struct wse_queue *q)
{
	struct wse_dev *d = q->dev;
	struct wse_sqe sqe;
	struct wse_cqe cqe;
	uint64_t addr;
	uint32_t idx;
	bool aborted;

	if (q->busy || q->stop || !queue_runnable_locked(q) ||
	    !cq_space_locked(q))
		return false;
	idx = q->sq_head;
	addr = q->sq_base + (uint64_t)idx * WSE_SQE_SIZE;
	q->busy = true;
	q->done = false;
	__atomic_store_n(&q->cancel, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&q->lock);

	if (d->ops->dma_read(d->opaque, addr, &sqe, sizeof(sqe)) ||
	    !wse_cmd_is_short(&sqe)) {
		/* Not taken: the worker fetches it again. */
		pthread_mutex_lock(&q->lock);
		q->busy = false;
		return false;
	}
	pthread_mutex_lock(&q->lock);
	q->sq_head = (idx + 1) & (ring_entries(q) - 1);
	aborted = q->abort;
	pthread_mutex_unlock(&q->lock);

	memset(&cqe, 0, sizeof(cqe));
	cqe.tag = sqe.tag;
	if (aborted)
		cqe.status = WSE_CQE_ABORTED;
	else
		wse_cmd_execute(q, &sqe, &cqe);
	queue_post(q, &cqe);

	pthread_mutex_lock(&q->lock);
	queue_idle_locked(q);
	return true;
}

int wse_queue_init(struct wse_dev *d, struct wse_queue *q, unsigned int id)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->dev = d;
	q->id = id;
	q->phase = WSE_CQE_PHASE;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	pthread_cond_init(&q->idle, NULL);
	if (d->ops->thread_create) {
		char name[16];

		snprintf(name, sizeof(name), "wse-queue%u", id);
		ret = -d->ops->thread_create(d->opaque, name, queue_worker, q,
					     &q->thread_handle);
	} else {
		ret = pthread_create(&q->thread, NULL, queue_worker, q);
	}
	if (ret) {
		pthread_cond_destroy(&q->idle);
		pthread_cond_destroy(&q->cond);
		pthread_mutex_destroy(&q->lock);
		return -ret;
	}
	return 0;
}

/*
 * Ask the running command to end early: a LAUNCH is cancelled, a LOAD
 * gives up between route records and PE rows, copies stop between
 * chunks. Returns at once; the worker finishes the stop.
 */
static void queue_abort_locked(struct wse_queue *q)
{
	q->abort = true;
	__atomic_store_n(&q->cancel, 1, __ATOMIC_RELAXED);
	if (q->program)
		wafer_program_cancel(q->program);
	pthread_cond_broadcast(&q->cond);
}

/*
 * Stop the running command, if any, and wait until the worker is idle.
 * Only for reset and teardown: every command stops within one chunk of
 * work once aborted, so the wait is short.
 */
static void queue_quiesce_locked(struct wse_queue *q)
{
	if (q->busy) {
		queue_abort_locked(q);
		while (q->busy)
			pthread_cond_wait(&q->idle, &q->lock);
	}
	q->abort = false;
}

void wse_queue_fini(struct wse_queue *q)
{
	pthread_mutex_lock(&q->lock);
	queue_quiesce_locked(q);
	q->stop = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
	if (q->dev->ops->thread_create)
		q->dev->ops->thread_join(q->dev->opaque, q->thread_handle);
	else
		pthread_join(q->thread, NULL);
	wse_queue_program_drop(q);
	pthread_cond_destroy(&q->idle);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
}

static void queue_clear_locked(struct wse_queue *q)
{
	wse_queue_program_drop(q);
	q->enabled = false;
	q->error = WSE_QERR_NONE;
	q->sq_head = q->sq_tail = 0;
	q->cq_head = q->cq_tail = 0;
	q->phase = WSE_CQE_PHASE;
}

void wse_queue_reset(struct wse_queue *q)
{
	pthread_mutex_lock(&q->lock);
	queue_quiesce_locked(q);
	queue_clear_locked(q);
	q->sq_base = q->cq_base = 0;
	q->order = 0;
	q->vector = 0;
	memset(&q->region, 0, sizeof(q->region));
	pthread_mutex_unlock(&q->lock);
}

static bool region_empty(const struct wafer_rect *r)
{
	return !r->w || !r->h;
}

static bool regions_overlap(const struct wafer_rect *a, const struct wafer_rect *b)
{
	if (region_empty(a) || region_empty(b))
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

/*
 * Check the configuration before enabling. Regions of enabled queues may
 * not overlap: that is what keeps one context's kernels and copies away
 * from another's PEs. An empty region (no PEs) is valid: such a queue
 * can only run NOP and FENCE.
 */
static bool queue_config_valid(struct wse_queue *q)
{
	struct wse_dev *d = q->dev;
	const struct wafer_rect *r = &q->region;
	unsigned int i;
	bool ok = true;

	if (!q->sq_base || !q->cq_base || q->sq_base % 4096 || q->cq_base % 4096 ||
	    q->order < WSE_Q_MIN_ORDER || q->order > WSE_Q_MAX_ORDER ||
	    q->vector >= d->cfg.num_vectors ||
	    (!region_empty(r) && (r->x + r->w > d->cfg.mesh_width ||
				  r->y + r->h > d->cfg.mesh_height))) {
		wse_dev_guest_error(d, "queue %u: bad configuration (sq 0x%llx cq 0x%llx size %u vector %u region %ux%u at %u,%u)",
				    q->id, (unsigned long long)q->sq_base,
				    (unsigned long long)q->cq_base, q->order,
				    q->vector, r->w, r->h, r->x, r->y);
		return false;
	}
	/* Other queues' regions only change under their own lock while they
	 * are disabled; reading them here races only with a disabled queue. */
	for (i = 0; i < d->cfg.num_queues && ok; i++) {
		struct wse_queue *o = &d->queues[i];

		if (o == q)
			continue;
		pthread_mutex_lock(&o->lock);
		if (o->enabled && regions_overlap(r, &o->region)) {
			wse_dev_guest_error(d, "queue %u: region overlaps queue %u's",
					    q->id, o->id);
			ok = false;
		}
		pthread_mutex_unlock(&o->lock);
	}
	return ok;
}

/*
 * CANCEL: end the running command early like ABORT, but keep the queue
 * enabled and its program, for the driver's PE dumps of a hung kernel.
 */
static void queue_cancel_locked(struct wse_queue *q)
{
	if (!q->busy)
		return;
	__atomic_store_n(&q->cancel, 1, __ATOMIC_RELAXED);
	if (q->program)
		wafer_program_cancel(q->program);
}

static void queue_ctrl_write(struct wse_queue *q, uint32_t v)
{
	struct wse_dev *d = q->dev;

	if (v & WSE_QCTRL_CANCEL) {
		pthread_mutex_lock(&q->lock);
		queue_cancel_locked(q);
		pthread_mutex_unlock(&q->lock);
		return;
	}
	if (v & WSE_QCTRL_ABORT || !(v & WSE_QCTRL_ENABLE)) {
		/*
		 * Abort and disable are the same: stop, drop, go idle. An
		 * idle queue stops here; a busy one is told to and the
		 * worker completes the stop (STATUS shows BUSY until then,
		 * EVENT.QUEUE_STOPPED announces it): the vCPU never waits
		 * for a command.
		 */
		pthread_mutex_lock(&q->lock);
		if (q->busy)
			queue_abort_locked(q);
		else
			queue_clear_locked(q);
		pthread_mutex_unlock(&q->lock);
		return;
	}
	pthread_mutex_lock(&q->lock);
	if (q->busy && q->abort) {
		pthread_mutex_unlock(&q->lock);
		wse_dev_guest_error(d, "queue %u: enabled while still stopping", q->id);
		return;
	}
	if (q->enabled || q->error) {
		pthread_mutex_unlock(&q->lock);
		return;
	}
	pthread_mutex_unlock(&q->lock);

	/* Enabling takes the device lock to serialize the overlap check with
	 * other enables; queue locks nest inside it. */
	pthread_mutex_lock(&d->lock);
	pthread_mutex_lock(&q->lock);
	queue_clear_locked(q);
	pthread_mutex_unlock(&q->lock);
	if (queue_config_valid(q)) {
		pthread_mutex_lock(&q->lock);
		q->enabled = true;
		pthread_mutex_unlock(&q->lock);
	} else {
		pthread_mutex_lock(&q->lock);
		q->error = WSE_QERR_BAD_CONFIG;
		pthread_mutex_unlock(&q->lock);
	}
	pthread_mutex_unlock(&d->lock);
}

/*
 * The driver's PE dump (WSE_REG_DUMP_CTRL): the record a PE_DUMP entry
 * would write, of an enabled queue that runs no command (or whose
 * command has posted its completion: q->done). q->lock keeps the worker
 * from starting one while the record is taken, so it shows the state the
 * last command left; the DMA happens after, from a copy.
 */
uint8_t wse_queue_pe_dump(struct wse_queue *q, uint32_t x, uint32_t y,
			  uint64_t addr)
{
	struct wse_dev *d = q->dev;
	struct wafer_pe_dump rec;
	uint8_t st = WSE_CQE_OK;

	pthread_mutex_lock(&q->lock);
	if (!q->enabled || q->error || (q->busy && !q->done))
		st = WSE_CQE_BAD_FIELD;
	else if (x >= q->region.w || y >= q->region.h)
		st = WSE_CQE_OUT_OF_REGION;
	else if (!q->program)
		st = WSE_CQE_NO_PROGRAM;
	else if (wafer_pe_dump(q->program, x, y, &rec))
		st = WSE_CQE_OUT_OF_REGION;
	pthread_mutex_unlock(&q->lock);
	if (st)
		return st;
	if (d->ops->dma_write(d->opaque, addr, &rec, sizeof(rec))) {
		wse_dev_guest_error(d, "queue %u: PE dump write at 0x%llx failed",
				    q->id, (unsigned long long)addr);
		return WSE_CQE_DMA_ERROR;
	}
	return WSE_CQE_OK;
}

uint32_t wse_queue_reg_read(struct wse_queue *q, uint32_t reg)
{
	uint32_t v = 0;

	pthread_mutex_lock(&q->lock);
	switch (reg) {
	case WSE_Q_SQ_BASE_LO:
		v = (uint32_t)q->sq_base;
		break;
	case WSE_Q_SQ_BASE_HI:
		v = q->sq_base >> 32;
		break;
	case WSE_Q_CQ_BASE_LO:
		v = (uint32_t)q->cq_base;
		break;
	case WSE_Q_CQ_BASE_HI:
		v = q->cq_base >> 32;
		break;
	case WSE_Q_SIZE:
		v = q->order;
		break;
	case WSE_Q_VECTOR:
		v = q->vector;
		break;
	case WSE_Q_REGION_XY:
		v = q->region.x | q->region.y << 16;
		break;
	case WSE_Q_REGION_WH:
		v = q->region.w | q->region.h << 16;
		break;
	case WSE_Q_CTRL:
		v = q->enabled ? WSE_QCTRL_ENABLE : 0;
		break;
	case WSE_Q_STATUS:
		v = (q->enabled ? WSE_QSTATUS_ENABLED : 0) |
		    (q->error ? WSE_QSTATUS_ERROR : 0) |
		    (q->busy ? WSE_QSTATUS_BUSY : 0) |
		    (uint32_t)q->error << 8;
		break;
	case WSE_Q_SQ_HEAD:
		v = q->sq_head;
		break;
	}
	pthread_mutex_unlock(&q->lock);
	return v;
}

static void queue_doorbell_locked(struct wse_queue *q, uint32_t reg, uint32_t v)
{
	struct wse_dev *d = q->dev;

	if (!q->enabled || q->error) {
		wse_dev_guest_error(d, "queue %u: doorbell while %s", q->id,
				    q->error ? "in error" : "disabled");
		return;
	}
	if (v >= ring_entries(q)) {
		wse_dev_guest_error(d, "queue %u: doorbell value %u outside a ring of %u",
				    q->id, v, ring_entries(q));
		queue_fail_locked(q, WSE_QERR_BAD_DOORBELL);
		return;
	}
	if (reg == WSE_Q_SQ_TAIL) {
		q->sq_tail = v;
		/* One short entry inline; the worker takes the rest. */
		queue_inline_locked(q);
		if (!q->busy && queue_runnable_locked(q))
			pthread_cond_broadcast(&q->cond);
	} else {
		q->cq_head = v;
		/* Only a busy worker waits for a slot (cq_wait_space_locked()):
		 * an idle one is not woken for nothing. */
		if (q->busy)
			pthread_cond_broadcast(&q->cond);
	}
}

void wse_queue_reg_write(struct wse_queue *q, uint32_t reg, uint32_t v)
{
	struct wse_dev *d = q->dev;
	bool raise = false;

	if (reg == WSE_Q_CTRL) {
		queue_ctrl_write(q, v);
		return;
	}
	pthread_mutex_lock(&q->lock);
	if (reg == WSE_Q_SQ_TAIL || reg == WSE_Q_CQ_HEAD) {
		queue_doorbell_locked(q, reg, v);
		raise = q->error == WSE_QERR_BAD_DOORBELL;
	} else if (q->enabled || q->error) {
		wse_dev_guest_error(d, "queue %u: configuration write 0x%x while enabled",
				    q->id, reg);
	} else {
		switch (reg) {
		case WSE_Q_SQ_BASE_LO:
			q->sq_base = (q->sq_base & ~0xffffffffull) | v;
			break;
		case WSE_Q_SQ_BASE_HI:
			q->sq_base = (q->sq_base & 0xffffffffull) | (uint64_t)v << 32;
			break;
		case WSE_Q_CQ_BASE_LO:
			q->cq_base = (q->cq_base & ~0xffffffffull) | v;
			break;
		case WSE_Q_CQ_BASE_HI:
			q->cq_base = (q->cq_base & 0xffffffffull) | (uint64_t)v << 32;
			break;
		case WSE_Q_SIZE:
			q->order = v;
			break;
		case WSE_Q_VECTOR:
			q->vector = v;
			break;
		case WSE_Q_REGION_XY:
			q->region.x = v & 0xffff;
			q->region.y = v >> 16;
			break;
		case WSE_Q_REGION_WH:
			q->region.w = v & 0xffff;
			q->region.h = v >> 16;
			break;
		default:
			wse_dev_guest_error(d, "queue %u: write to read-only register 0x%x",
					    q->id, reg);
		}
	}
	pthread_mutex_unlock(&q->lock);
	if (raise)
		wse_dev_event(d, WSE_EVENT_QUEUE_ERROR);
}
