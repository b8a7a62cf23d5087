// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Regions: rectangles of PEs, at most one per file, placed first-fit on
 * the mesh. The queue of a file is programmed with its region, and the
 * device refuses to enable queues whose regions overlap: that is the
 * isolation between files.
 *
 * SRAM is zero when a region is handed out: the device zeroes all SRAM
 * on reset (probe resets it), and the driver zeroes a region that a job
 * may have written before its PEs go back to the free pool ("scrub on
 * free"). PEs whose scrub fails stay quarantined until the device is
 * released.
 */

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/sizes.h>

#include <drm/wse_accel.h>

#include "wse_job.h"
#include "wse_queue.h"
#include "wse_window.h"

/* Bytes one scrub command zeroes at most */
#define WSE_SCRUB_CHUNK		SZ_16M

static void wse_region_mark_locked(struct wse_device *wdev,
				   const struct wse_rect *r, bool taken)
{
	unsigned long *map = wdev->pe_map;
	u32 row;

	lockdep_assert_held(&wdev->region_lock);

	for (row = r->y; row < r->y + r->h; row++) {
		unsigned long start = (unsigned long)row * wdev->hw.mesh_width + r->x;

		if (taken)
			bitmap_set(map, start, r->w);
		else
			bitmap_clear(map, start, r->w);
	}
}

/*
 * First fit, top to bottom, then left to right. Row by row, keep for every
 * column x the number of rows, ending at the current one, in which the w
 * PEs from x on are all free; the first column to reach h rows is the
 * answer. O(mesh size).
 */
static int wse_region_find_locked(struct wse_device *wdev, u32 w, u32 h,
				  struct wse_rect *out)
{
	u32 mw = wdev->hw.mesh_width, mh = wdev->hw.mesh_height;
	unsigned long *map = wdev->pe_map;
	u32 x, y, run, *rows;
	int ret = -ENOSPC;

	lockdep_assert_held(&wdev->region_lock);

	/* A failure is the caller's -ENOMEM: no allocation-failure splat. */
	rows = kvcalloc(mw, sizeof(*rows), GFP_KERNEL | __GFP_NOWARN);
	if (!rows)
		return -ENOMEM;
	for (y = 0; y < mh && ret; y++) {
		run = 0;
		for (x = mw; x-- > 0; ) {
			run = test_bit(y * mw + x, map) ? 0 : run + 1;
			rows[x] = run >= w ? rows[x] + 1 : 0;
		}
		for (x = 0; x + w <= mw; x++) {
			if (rows[x] >= h) {
				*out = (struct wse_rect){ x, y + 1 - h, w, h };
				ret = 0;
				break;
			}
		}
	}
	kvfree(rows);
	return ret;
}

int wse_region_alloc_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_region *args = data;
	struct wse_region *region;
	int ret;

	if (args->flags || args->pad || !args->width || !args->height ||
	    args->width > wdev->hw.mesh_width ||
	    args->height > wdev->hw.mesh_height) {
		wse_dbg(wdev, IOCTL, "REGION_ALLOC: %ux%u, flags %#x, pad %#x\n",
			args->width, args->height, args->flags, args->pad);
		return -EINVAL;
	}

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return -ENOMEM;

	mutex_lock(&fpriv->lock);
	/* Regions come and go only between resets. */
	down_read(&wdev->reset_lock);
	wse_region_file_recover_locked(fpriv);
	if (fpriv->region) {
		ret = -EBUSY;
		goto out_unlock;
	}
	mutex_lock(&wdev->region_lock);
	ret = wse_region_find_locked(wdev, args->width, args->height,
				     &region->rect);
	if (!ret) {
		wse_region_mark_locked(wdev, &region->rect, true);
		region->owner = fpriv;
		list_add(&region->link, &wdev->regions);
	}
	mutex_unlock(&wdev->region_lock);
	if (ret)
		goto out_unlock;

	fpriv->region = region;
	args->x = region->rect.x;
	args->y = region->rect.y;
	region = NULL;
	wse_dbg(wdev, REGION, "region %ux%u at (%u,%u)\n", args->width,
		args->height, args->x, args->y);
out_unlock:
	up_read(&wdev->reset_lock);
	mutex_unlock(&fpriv->lock);
	kfree(region);
	return ret;
}

/**
 * wse_region_file_recover_locked() - end the stale state of a file
 * @fpriv: the file, locked, with wse_device.reset_lock held
 *
 * After a reset the file's region, if it had one, is lost: the reset gave
 * its PEs back. Drop it and make the context current again.
 *
 * Return: 1 if the file was stale, else 0.
 */
int wse_region_file_recover_locked(struct wse_file_priv *fpriv)
{
	struct wse_device *wdev = fpriv->wdev;

	lockdep_assert_held(&fpriv->lock);
	lockdep_assert_held(&wdev->reset_lock);

	if (!wse_file_stale(fpriv))
		return 0;
	if (fpriv->region) {
		drm_WARN_ON(&wdev->drm, !fpriv->region->lost);
		kfree(fpriv->region);
		fpriv->region = NULL;
	}
	fpriv->generation = wdev->generation;
	wse_dbg(wdev, REGION, "stale context recovered\n");
	return 1;
}

/*
 * Give the file's region back: revoke its windows, scrub it if a job may
 * have written it, stop the queue (the device would not enable another
 * queue on these PEs while this one is enabled on them), then free the
 * PEs, or quarantine them if either failed. A region a reset took away
 * only needs freeing.
 *
 * Not in a drm_dev_enter() section: the scrub and the stop are safe
 * against unplug by the queue's hw_lock (wse_queue.c), and remove() ends
 * a scrub in progress instead of waiting for it. A suspended device is
 * not touched: its queues are stopped, and resume resets it, which zeroes
 * the SRAM before any job or window reaches the PEs again.
 */
static void wse_region_release_locked(struct wse_file_priv *fpriv)
{
	struct wse_region *region = fpriv->region;
	struct wse_device *wdev = fpriv->wdev;
	bool clean = !region->dirty;
	int ret;

	lockdep_assert_held(&fpriv->lock);
	lockdep_assert_held(&wdev->reset_lock);

	/* Nobody may look at the scrub, or at the next owner's data. */
	wse_windows_revoke_file(fpriv);
	if (region->lost) {
		kfree(region);
		fpriv->region = NULL;
		return;
	}

	if (wdev->suspended) {
		clean = true;
	} else if (fpriv->queue) {
		if (region->dirty) {
			ret = wse_job_scrub(fpriv->queue, &region->rect);
			clean = !ret;
			if (ret && !READ_ONCE(wdev->unplugging))
				wse_err_ratelimited(wdev, "scrub of %ux%u PEs at (%u,%u) failed (%d): quarantined\n",
						    region->rect.w, region->rect.h,
						    region->rect.x, region->rect.y,
						    ret);
		}
		if (wse_queue_stop(fpriv->queue, -ECANCELED))
			clean = false;
	}
	/* The device is going: nobody can read the SRAM any more. */
	if (READ_ONCE(wdev->unplugging))
		clean = true;
	drm_WARN_ON(&wdev->drm, !fpriv->queue && region->dirty);

	mutex_lock(&wdev->region_lock);
	if (clean) {
		wse_region_mark_locked(wdev, &region->rect, false);
		list_del(&region->link);
	} else {
		region->owner = NULL;
	}
	mutex_unlock(&wdev->region_lock);
	wse_dbg(wdev, REGION, "region %ux%u at (%u,%u) %s\n", region->rect.w,
		region->rect.h, region->rect.x, region->rect.y,
		clean ? "freed" : "quarantined");
	if (clean)
		kfree(region);
	fpriv->region = NULL;
}

int wse_region_free_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_region *args = data;
	int ret = 0;

	if (args->width || args->height || args->flags || args->pad) {
		wse_dbg(wdev, IOCTL, "REGION_FREE: In fields set\n");
		return -EINVAL;
	}

	mutex_lock(&fpriv->lock);
	down_read(&wdev->reset_lock);
	if (wse_region_file_recover_locked(fpriv))
		ret = 0;
	else if (!fpriv->region)
		ret = -ENOENT;
	else if (wse_job_file_busy(fpriv))
		ret = -EBUSY;
	else
		wse_region_release_locked(fpriv);
	up_read(&wdev->reset_lock);
	mutex_unlock(&fpriv->lock);
	return ret;
}

/**
 * wse_region_file_fini() - release a closing file's region
 * @fpriv: the file, its jobs cancelled
 */
void wse_region_file_fini(struct wse_file_priv *fpriv)
{
	mutex_lock(&fpriv->lock);
	down_read(&fpriv->wdev->reset_lock);
	if (fpriv->region)
		wse_region_release_locked(fpriv);
	up_read(&fpriv->wdev->reset_lock);
	mutex_unlock(&fpriv->lock);
}

/**
 * wse_regions_reset() - forget every region after the device zeroed SRAM
 * @wdev: the device, reset_lock held for writing
 *
 * Owned regions are marked lost, their owners free them when they next
 * touch them; quarantined PEs are zero now and free again.
 */
void wse_regions_reset(struct wse_device *wdev)
{
	struct wse_region *region, *tmp;

	lockdep_assert_held_write(&wdev->reset_lock);

	mutex_lock(&wdev->region_lock);
	list_for_each_entry_safe(region, tmp, &wdev->regions, link) {
		list_del_init(&region->link);
		if (region->owner)
			region->lost = true;
		else
			kfree(region);
	}
	bitmap_zero(wdev->pe_map,
		    (unsigned long)wdev->hw.mesh_width * wdev->hw.mesh_height);
	mutex_unlock(&wdev->region_lock);
}

static void wse_regions_release(struct drm_device *drm, void *arg)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct wse_region *region, *tmp;

	/* Only quarantined regions are left: every file is closed. */
	list_for_each_entry_safe(region, tmp, &wdev->regions, link) {
		drm_WARN_ON(drm, region->owner);
		list_del(&region->link);
		kfree(region);
	}
}

/**
 * wse_regions_init() - set up the region allocator and the scrub source
 * @wdev: the device, identity read
 *
 * Return: 0 or -ENOMEM.
 */
int wse_regions_init(struct wse_device *wdev)
{
	struct device *dev = wdev->drm.dev;
	u32 i, count;
	int ret;

	INIT_LIST_HEAD(&wdev->regions);
	ret = drmm_mutex_init(&wdev->drm, &wdev->region_lock);
	if (ret)
		return ret;
	wdev->pe_map = drmm_kcalloc(&wdev->drm,
				    BITS_TO_LONGS((size_t)wdev->hw.mesh_width *
						  wdev->hw.mesh_height),
				    sizeof(unsigned long), GFP_KERNEL);
	if (!wdev->pe_map)
		return -ENOMEM;
	ret = drmm_add_action(&wdev->drm, wse_regions_release, NULL);
	if (ret)
		return ret;

	/* Coherent allocations come zeroed. */
	wdev->zero_page = dmam_alloc_coherent(dev, PAGE_SIZE,
					      &wdev->zero_page_dma, GFP_KERNEL);
	if (!wdev->zero_page)
		return -ENOMEM;
	count = min(wdev->max_xfer, WSE_SCRUB_CHUNK) / PAGE_SIZE;
	wdev->zero_sgl = dmam_alloc_coherent(dev, count * sizeof(struct wse_sge),
					     &wdev->zero_sgl_dma, GFP_KERNEL);
	if (!wdev->zero_sgl)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		wdev->zero_sgl[i].addr = wdev->zero_page_dma;
		wdev->zero_sgl[i].len = PAGE_SIZE;
	}
	wdev->zero_sgl_count = count;
	return 0;
}
