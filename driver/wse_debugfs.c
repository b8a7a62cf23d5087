// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * debugfs: the driver's view of queues, regions, windows and open files
 * ("queues", "regions", "windows", "clients"), under
 * /sys/kernel/debug/accel/<PCI address>/ (the DRM core names the
 * directory after the device's unique name, not its minor).
 */

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <linux/seq_file.h>

#include "wse_hw.h"
#include "wse_job.h"
#include "wse_queue.h"
#include "wse_window.h"

/*
 * One line per queue: the owner's pid, the driver's state (enabled with a
 * region, broken), the device's (QSTATUS enabled/busy/error and code, SQ
 * head) when it can be read, the ring indices and the command running.
 */
static int wse_debugfs_queues_show(struct seq_file *s, void *unused)
{
	struct drm_debugfs_entry *entry = s->private;
	struct wse_device *wdev = to_wse_device(entry->dev);
	bool hw;
	u32 i;
	int idx;

	hw = drm_dev_enter(&wdev->drm, &idx);
	if (hw)
		down_read(&wdev->reset_lock);
	seq_puts(s, "queue vector owner enabled broken region hw_status busy error code sq_head sq_tail cq_head active_cmd\n");
	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];
		u32 status = 0, sq_head = 0, sq_tail, cq_head;
		bool enabled, broken, read_hw;
		pid_t owner = 0;
		struct wse_rect r;
		int cmd = -1;

		mutex_lock(&wdev->queue_lock);
		if (q->owner)
			owner = q->owner->pid;
		mutex_unlock(&wdev->queue_lock);
		mutex_lock(&q->hw_lock);
		enabled = q->hw_enabled;
		broken = q->broken;
		r = q->hw_region;
		read_hw = hw && !broken && !wdev->suspended &&
			  !wdev->runtime_suspended;
		if (read_hw) {
			status = wse_read(wdev, WSE_REG_Q(q->id, WSE_Q_STATUS));
			sq_head = wse_read(wdev, WSE_REG_Q(q->id, WSE_Q_SQ_HEAD));
		}
		spin_lock_irq(&q->lock);
		sq_tail = q->sq_tail;
		cq_head = q->cq_head;
		if (q->active)
			cmd = q->active->next_cmd;
		spin_unlock_irq(&q->lock);
		mutex_unlock(&q->hw_lock);
		seq_printf(s, "%5u %6u %5d %7d %6d %ux%u@%u,%u", q->id, q->vector,
			   owner, enabled, broken, r.w, r.h, r.x, r.y);
		if (read_hw)
			seq_printf(s, " %#x %d %d %u %u", status,
				   !!(status & WSE_QSTATUS_BUSY),
				   !!(status & WSE_QSTATUS_ERROR),
				   WSE_QSTATUS_CODE(status), sq_head);
		else
			seq_puts(s, " - - - - -");
		seq_printf(s, " %u %u %d\n", sq_tail, cq_head, cmd);
	}
	if (hw) {
		up_read(&wdev->reset_lock);
		drm_dev_exit(idx);
	}
	return 0;
}

static int wse_debugfs_regions_show(struct seq_file *s, void *unused)
{
	struct drm_debugfs_entry *entry = s->private;
	struct wse_device *wdev = to_wse_device(entry->dev);
	struct wse_region *region;

	seq_puts(s, "x y w h state\n");
	mutex_lock(&wdev->region_lock);
	list_for_each_entry(region, &wdev->regions, link)
		seq_printf(s, "%u %u %u %u %s\n", region->rect.x,
			   region->rect.y, region->rect.w, region->rect.h,
			   region->owner ? "owned" : "quarantined");
	mutex_unlock(&wdev->region_lock);
	return 0;
}

static int wse_debugfs_windows_show(struct seq_file *s, void *unused)
{
	struct drm_debugfs_entry *entry = s->private;
	struct wse_device *wdev = to_wse_device(entry->dev);
	u32 slot;

	seq_puts(s, "slot owner pe offset length mode\n");
	mutex_lock(&wdev->window_lock);
	for (slot = 0; slot < wdev->hw.num_windows; slot++) {
		struct wse_window *win = wdev->slots[slot];

		if (!win)
			continue;
		seq_printf(s, "%4u %5d %u,%u %#x %#x %s%s\n", slot,
			   win->owner ? win->owner->pid : 0, win->pe_x,
			   win->pe_y, win->offset, win->length,
			   win->readonly ? "ro" : "rw",
			   wdev->windows_hidden ? " hidden" : "");
	}
	mutex_unlock(&wdev->window_lock);
	return 0;
}

/* Each open file: its context, then its jobs that are not done. */
static void wse_debugfs_client_show(struct seq_file *s,
				    struct wse_file_priv *fpriv)
{
	struct wse_job_result *res;
	u32 pending = 0, failed = 0;
	unsigned long id;

	/*
	 * The caller holds filelist_mutex, which every open and close of
	 * the device takes; fpriv->lock may be held for a region's scrub.
	 * Never wait for it here.
	 */
	if (!mutex_trylock(&fpriv->lock)) {
		seq_printf(s, "pid %d busy\n", fpriv->pid);
		return;
	}
	seq_printf(s, "pid %d%s queue %d region ", fpriv->pid,
		   wse_file_stale(fpriv) ? " stale" : "",
		   fpriv->queue ? (int)fpriv->queue->id : -1);
	if (fpriv->region && !fpriv->region->lost)
		seq_printf(s, "%ux%u@%u,%u", fpriv->region->rect.w,
			   fpriv->region->rect.h, fpriv->region->rect.x,
			   fpriv->region->rect.y);
	else
		seq_puts(s, "-");
	seq_printf(s, " next_job %llu\n", fpriv->next_job_id);
	xa_for_each(&fpriv->results, id, res) {
		/* Pairs with smp_store_release() in wse_job_publish(). */
		bool valid = smp_load_acquire(&res->valid);

		if (!res->done || !dma_fence_is_signaled(res->done)) {
			seq_printf(s, "  job %lu %s\n", id,
				   valid ? "ending" : "queued or running");
			pending++;
		} else if (valid && res->outcome.status) {
			seq_printf(s, "  job %lu status %d command %u device_status %#x\n",
				   id, res->outcome.status,
				   res->outcome.failed_cmd,
				   res->outcome.device_status);
			failed++;
		}
	}
	seq_printf(s, "  %u unfinished, %u failed of the last %u\n", pending,
		   failed, WSE_JOB_RESULTS);
	mutex_unlock(&fpriv->lock);
}

static int wse_debugfs_clients_show(struct seq_file *s, void *unused)
{
	struct drm_debugfs_entry *entry = s->private;
	struct drm_device *drm = entry->dev;
	struct drm_file *file;

	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead)
		wse_debugfs_client_show(s, to_wse_file(file));
	mutex_unlock(&drm->filelist_mutex);
	return 0;
}

static const struct drm_debugfs_info wse_debugfs_list[] = {
	{ "queues", wse_debugfs_queues_show, 0 },
	{ "regions", wse_debugfs_regions_show, 0 },
	{ "windows", wse_debugfs_windows_show, 0 },
	{ "clients", wse_debugfs_clients_show, 0 },
};

void wse_debugfs_init(struct wse_device *wdev)
{
	drm_debugfs_add_files(&wdev->drm, wse_debugfs_list,
			      ARRAY_SIZE(wse_debugfs_list));
}
