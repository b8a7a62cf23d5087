// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * debugfs: the driver's view of queues and regions, under
 * /sys/kernel/debug/accel/<minor>/.
 */

#include <drm/drm_debugfs.h>
#include <linux/seq_file.h>

#include "wse_job.h"
#include "wse_queue.h"

static int wse_debugfs_queues_show(struct seq_file *s, void *unused)
{
	struct drm_debugfs_entry *entry = s->private;
	struct wse_device *wdev = to_wse_device(entry->dev);
	u32 i;

	seq_puts(s, "queue vector owner enabled broken region active_cmd\n");
	for (i = 0; i < wdev->hw.num_queues; i++) {
		struct wse_queue *q = &wdev->queues[i];
		struct wse_rect r;
		bool owned, enabled, broken;
		int cmd = -1;

		mutex_lock(&wdev->queue_lock);
		owned = q->owner;
		mutex_unlock(&wdev->queue_lock);
		mutex_lock(&q->hw_lock);
		enabled = q->hw_enabled;
		broken = q->broken;
		r = q->hw_region;
		spin_lock_irq(&q->lock);
		if (q->active)
			cmd = q->active->next_cmd;
		spin_unlock_irq(&q->lock);
		mutex_unlock(&q->hw_lock);
		seq_printf(s, "%5u %6u %5d %7d %6d %ux%u@%u,%u %d\n", q->id,
			   q->vector, owned, enabled, broken, r.w, r.h, r.x,
			   r.y, cmd);
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

static const struct drm_debugfs_info wse_debugfs_list[] = {
	{ "queues", wse_debugfs_queues_show, 0 },
	{ "regions", wse_debugfs_regions_show, 0 },
};

void wse_debugfs_init(struct wse_device *wdev)
{
	drm_debugfs_add_files(&wdev->drm, wse_debugfs_list,
			      ARRAY_SIZE(wse_debugfs_list));
}
