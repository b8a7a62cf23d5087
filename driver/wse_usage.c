// SPDX-License-Identifier: GPL-2.0
/*
 * fdinfo: what a file's jobs used, in the keys of
 * Documentation/gpu/drm-usage-stats.rst. The device has one engine, the
 * wafer ("wse"): drm-engine-wse is the time the file's jobs spent on their
 * hardware queue, drm-cycles-wse the modeled wafer cycles of its kernels,
 * and drm-total-cycles-wse the cycles of every file's kernels on the
 * device since the driver bound, so cycles over total cycles is the file's
 * share of the wafer's work. Memory keys come from the DRM core.
 */
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "wse_drv.h"
#include "wse_job.h"
#include "wse_usage.h"

struct wse_usage *wse_usage_alloc(void)
{
	struct wse_usage *usage = kzalloc(sizeof(*usage), GFP_KERNEL);

	if (!usage)
		return NULL;
	kref_init(&usage->ref);
	spin_lock_init(&usage->lock);
	usage->pid = task_tgid_nr(current);
	return usage;
}

static void wse_usage_release(struct kref *ref)
{
	kfree(container_of(ref, struct wse_usage, ref));
}

void wse_usage_put(struct wse_usage *usage)
{
	if (usage)
		kref_put(&usage->ref, wse_usage_release);
}

/* The job reached its hardware queue. One job per file runs at a time. */
void wse_usage_job_start(struct wse_job *job)
{
	struct wse_usage *usage = job->usage;
	unsigned long flags;

	if (!usage)
		return;
	spin_lock_irqsave(&usage->lock, flags);
	usage->running_since = ktime_get_ns();
	spin_unlock_irqrestore(&usage->lock, flags);
}

/* The job left the hardware; called where its fence is signalled. */
void wse_usage_job_end(struct wse_job *job)
{
	struct wse_usage *usage = job->usage;
	unsigned long flags;

	atomic64_add(job->outcome.cycles, &job->wdev->usage_cycles);
	if (!usage)
		return;
	spin_lock_irqsave(&usage->lock, flags);
	if (usage->running_since)
		usage->engine_ns += ktime_get_ns() - usage->running_since;
	usage->running_since = 0;
	usage->cycles += job->outcome.cycles;
	spin_unlock_irqrestore(&usage->lock, flags);
}

void wse_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_usage *usage = fpriv->usage;
	u64 engine_ns, cycles;

	/* The job on the hardware counts too, so readers see time advance. */
	spin_lock_irq(&usage->lock);
	engine_ns = usage->engine_ns;
	if (usage->running_since)
		engine_ns += ktime_get_ns() - usage->running_since;
	cycles = usage->cycles;
	spin_unlock_irq(&usage->lock);

	drm_printf(p, "drm-engine-wse:\t%llu ns\n", engine_ns);
	drm_printf(p, "drm-cycles-wse:\t%llu\n", cycles);
	drm_printf(p, "drm-total-cycles-wse:\t%llu\n",
		   (u64)atomic64_read(&fpriv->wdev->usage_cycles));
	drm_show_memory_stats(p, file);
}
