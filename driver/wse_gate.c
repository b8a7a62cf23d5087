// SPDX-License-Identifier: GPL-2.0
/*
 * Gates: the in-fence of a job, followed with a time limit. See
 * wse_gate.h and struct drm_wse_submit.
 */
#include <linux/slab.h>

#include "wse_drv.h"
#include "wse_gate.h"

static const char *wse_gate_driver_name(struct dma_fence *fence)
{
	return "wse";
}

static const char *wse_gate_timeline_name(struct dma_fence *fence)
{
	return "in-fence";
}

static const struct dma_fence_ops wse_gate_ops = {
	.get_driver_name = wse_gate_driver_name,
	.get_timeline_name = wse_gate_timeline_name,
};

/* Signal once: the first of the followed fence and the timeout wins. */
static void wse_gate_open(struct wse_gate *gate, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&gate->lock, flags);
	if (!dma_fence_is_signaled_locked(&gate->base)) {
		if (err)
			dma_fence_set_error(&gate->base, err);
		dma_fence_signal_locked(&gate->base);
	}
	spin_unlock_irqrestore(&gate->lock, flags);
}

static void wse_gate_in_signalled(struct dma_fence *in, struct dma_fence_cb *cb)
{
	struct wse_gate *gate = container_of(cb, struct wse_gate, cb);

	wse_gate_open(gate, in->error ? -ECANCELED : 0);
}

static void wse_gate_timeout(struct work_struct *work)
{
	struct wse_gate *gate = container_of(to_delayed_work(work),
					     struct wse_gate, timeout);

	wse_gate_open(gate, -ETIMEDOUT);
}

/**
 * wse_gate_create() - follow @in for at most @timeout_ms
 * @wdev: the device, whose workqueue runs the timeout
 * @in: the fence; the gate takes this reference
 * @timeout_ms: 0 for no limit
 *
 * Return: the gate's fence (a reference), or ERR_PTR(-ENOMEM); @in is put
 * on failure too.
 */
struct dma_fence *wse_gate_create(struct wse_device *wdev,
				  struct dma_fence *in, u32 timeout_ms)
{
	struct wse_gate *gate = kzalloc(sizeof(*gate), GFP_KERNEL);

	if (!gate) {
		dma_fence_put(in);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&gate->lock);
	dma_fence_init(&gate->base, &wse_gate_ops, &gate->lock,
		       wdev->gate_context, atomic64_inc_return(&wdev->gate_seqno));
	gate->in = in;
	gate->wq = wdev->wq;
	INIT_DELAYED_WORK(&gate->timeout, wse_gate_timeout);
	/* A signalled @in calls nothing: open the gate here. */
	if (dma_fence_add_callback(in, &gate->cb, wse_gate_in_signalled))
		wse_gate_open(gate, in->error ? -ECANCELED : 0);
	else if (timeout_ms)
		queue_delayed_work(gate->wq, &gate->timeout,
				   msecs_to_jiffies(timeout_ms));
	return &gate->base;
}

/**
 * wse_gate_cancel() - stop following, and put the caller's reference
 * @fence: a gate from wse_gate_create(), or NULL
 *
 * Called when the job is freed: after this nothing of the gate runs, so
 * that the module's code outlives none of its callbacks.
 */
void wse_gate_cancel(struct dma_fence *fence)
{
	struct wse_gate *gate;

	if (!fence)
		return;
	gate = container_of(fence, struct wse_gate, base);
	cancel_delayed_work_sync(&gate->timeout);
	dma_fence_remove_callback(gate->in, &gate->cb);
	wse_gate_open(gate, -ECANCELED);
	dma_fence_put(gate->in);
	dma_fence_put(&gate->base);
}
