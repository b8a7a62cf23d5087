// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafers.c - the simulated wafers of the process and what their
 * contexts share: PEs (regions), window slots, hardware queues, reset.
 *
 * Every open of one device string is a context on the same wafer, as two
 * opens of a device node are two contexts on one device: regions are
 * placed first fit from the top left among the PEs the other contexts
 * hold (the driver's wse_region.c), the 16 window slots and 16 queues
 * are the wafer's, and a reset is the whole wafer's. The wafer goes when
 * its last context closes.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim.h"

static pthread_mutex_t sim_registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sim_wafer *sim_registry;	/* under sim_registry_lock */

int sim_wafer_get(const struct sim_spec *spec, struct sim_wafer **out,
		  char *err, size_t errlen)
{
	struct sim_wafer *sw;
	int ret = 0;

	pthread_mutex_lock(&sim_registry_lock);
	for (sw = sim_registry; sw; sw = sw->next)
		if (!strcmp(sw->spec.key, spec->key))
			break;
	if (sw) {
		sw->refs++;
		goto out;
	}
	sw = calloc(1, sizeof(*sw));
	if (sw)
		sw->taken = calloc((size_t)spec->cfg.width * spec->cfg.height, 1);
	if (!sw || !sw->taken) {
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", spec->key);
		goto err_free;
	}
	sw->spec = *spec;
	ret = wafer_create(&spec->cfg, &sw->w, err, errlen);
	if (ret)
		goto err_free;
	sw->sram = wafer_sram_base(sw->w);
	pthread_mutex_init(&sw->lock, NULL);
	sw->refs = 1;
	sw->next = sim_registry;
	sim_registry = sw;
	goto out;

err_free:
	if (sw)
		free(sw->taken);
	free(sw);
	sw = NULL;
out:
	pthread_mutex_unlock(&sim_registry_lock);
	*out = sw;
	return ret;
}

void sim_wafer_put(struct sim_wafer *sw)
{
	struct sim_wafer **pp;

	pthread_mutex_lock(&sim_registry_lock);
	if (--sw->refs) {
		pthread_mutex_unlock(&sim_registry_lock);
		return;
	}
	for (pp = &sim_registry; *pp != sw; pp = &(*pp)->next)
		;
	*pp = sw->next;
	pthread_mutex_unlock(&sim_registry_lock);
	wafer_destroy(sw->w);
	pthread_mutex_destroy(&sw->lock);
	free(sw->taken);
	free(sw);
}

static uint8_t *sim_pe(struct sim_wafer *sw, uint32_t x, uint32_t y)
{
	return sw->sram + ((size_t)y * sw->spec.cfg.width + x) *
			  sw->spec.cfg.sram_bytes;
}

/*
 * First fit, top to bottom, then left to right, as the driver places
 * regions: the first (x, y) whose w x h rectangle is free, in the order
 * of its bottom row, then its column.
 */
static int sim_region_find_locked(struct sim_wafer *sw, uint32_t w, uint32_t h,
				  uint32_t *ox, uint32_t *oy)
{
	uint32_t mw = sw->spec.cfg.width, mh = sw->spec.cfg.height;
	uint32_t x, y, run, *rows;
	int ret = -ENOSPC;

	rows = calloc(mw, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (y = 0; y < mh && ret; y++) {
		run = 0;
		for (x = mw; x-- > 0; ) {
			run = sw->taken[(size_t)y * mw + x] ? 0 : run + 1;
			rows[x] = run >= w ? rows[x] + 1 : 0;
		}
		for (x = 0; x + w <= mw; x++) {
			if (rows[x] >= h) {
				*ox = x;
				*oy = y + 1 - h;
				ret = 0;
				break;
			}
		}
	}
	free(rows);
	return ret;
}

static void sim_region_mark_locked(struct sim_wafer *sw,
				   const struct wafer_rect *r, uint8_t taken)
{
	uint32_t row;

	for (row = r->y; row < r->y + r->h; row++)
		memset(&sw->taken[(size_t)row * sw->spec.cfg.width + r->x], taken,
		       r->w);
}

/*
 * Zero a region's SRAM before its PEs go back to the pool: each region
 * row is one page-aligned run of the wafer's private anonymous mapping,
 * which MADV_DONTNEED gives back as zero pages.
 */
static void sim_region_zero(struct sim_wafer *sw, const struct wafer_rect *r)
{
	size_t len = (size_t)r->w * sw->spec.cfg.sram_bytes;
	uint32_t row;

	for (row = r->y; row < r->y + r->h; row++) {
		uint8_t *p = sim_pe(sw, r->x, row);

		if (madvise(p, len, MADV_DONTNEED))
			memset(p, 0, len);
	}
}

/* Drop the loaded program; the context is locked and nothing runs. */
void sim_prog_drop_locked(struct wse_backend_dev *dev)
{
	if (dev->prog)
		wafer_program_free(dev->prog);
	if (dev->img)
		wafer_image_free(dev->img);
	dev->prog = NULL;
	dev->img = NULL;
}

int sim_region_alloc(struct wse_backend_dev *dev, uint32_t w, uint32_t h,
		     uint32_t *x, uint32_t *y)
{
	struct sim_wafer *sw = dev->sw;
	int ret;

	if (!w || !h || w > sw->spec.cfg.width || h > sw->spec.cfg.height)
		return -EINVAL;
	pthread_mutex_lock(&sw->lock);
	pthread_mutex_lock(&dev->lock);
	/* A stale context starts afresh: the reset took its region. */
	if (dev->stale) {
		dev->stale = false;
		dev->has_region = false;
	}
	if (dev->has_region) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = sim_region_find_locked(sw, w, h, x, y);
	if (ret)
		goto out_unlock;
	dev->region = (struct wafer_rect){ *x, *y, w, h };
	dev->has_region = true;
	sim_region_mark_locked(sw, &dev->region, 1);
out_unlock:
	pthread_mutex_unlock(&dev->lock);
	pthread_mutex_unlock(&sw->lock);
	return ret;
}

int sim_region_free(struct wse_backend_dev *dev)
{
	struct sim_wafer *sw = dev->sw;
	int ret = 0;

	pthread_mutex_lock(&sw->lock);
	pthread_mutex_lock(&dev->lock);
	if (dev->stale) {
		/* The reset released the region already. */
		dev->stale = false;
		dev->has_region = false;
		goto out_unlock;
	}
	if (!dev->has_region) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (dev->head || dev->running || dev->inline_busy) {
		ret = -EBUSY;
		goto out_unlock;
	}
	sim_prog_drop_locked(dev);
	sim_region_zero(sw, &dev->region);
	sim_region_mark_locked(sw, &dev->region, 0);
	dev->has_region = false;
out_unlock:
	pthread_mutex_unlock(&dev->lock);
	pthread_mutex_unlock(&sw->lock);
	return ret;
}

/* The first job, or a writable window, takes one of the wafer's queues. */
int sim_queue_take(struct wse_backend_dev *dev)
{
	struct sim_wafer *sw = dev->sw;
	int ret = 0;

	pthread_mutex_lock(&sw->lock);
	if (!dev->has_queue) {
		if (sw->queues_used == SIM_NUM_QUEUES)
			ret = -EBUSY;
		else
			sw->queues_used++;
		dev->has_queue = !ret;
	}
	pthread_mutex_unlock(&sw->lock);
	return ret;
}

/* Window handles: the slot, and the reset epoch it was made in. */
#define SIM_HANDLE(epoch, slot)	((uintptr_t)(epoch) << 8 | (slot))

int sim_window_map(struct wse_backend_dev *dev, uint32_t row, uint64_t start,
		   uint32_t length, unsigned int flags, void **map,
		   uintptr_t *handle)
{
	struct sim_wafer *sw = dev->sw;
	uint64_t row_bytes;
	unsigned int slot;
	int ret = 0;

	if (!(flags & WSE_BACKEND_WINDOW_READONLY)) {
		ret = sim_queue_take(dev);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&sw->lock);
	pthread_mutex_lock(&dev->lock);
	row_bytes = (uint64_t)dev->region.w * sw->spec.cfg.sram_bytes;
	if (dev->stale)
		ret = -EIO;
	else if (!dev->has_region || row >= dev->region.h || !length ||
		 length % 4096 || start % 4096 || length > SIM_WINDOW_SIZE ||
		 start + length > row_bytes)
		ret = -EINVAL;
	for (slot = 0; !ret && slot < SIM_NUM_WINDOWS && sw->slot_used[slot];
	     slot++)
		;
	if (!ret && slot == SIM_NUM_WINDOWS)
		ret = -ENOSPC;
	if (!ret) {
		sw->slot_used[slot] = true;
		*map = sim_pe(sw, dev->region.x, dev->region.y + row) + start;
		*handle = SIM_HANDLE(sw->epoch, slot);
	}
	pthread_mutex_unlock(&dev->lock);
	pthread_mutex_unlock(&sw->lock);
	return ret;
}

void sim_window_unmap(struct wse_backend_dev *dev, void *map, uintptr_t handle,
		      uint32_t length)
{
	struct sim_wafer *sw = dev->sw;
	unsigned int slot = handle & 0xff;

	pthread_mutex_lock(&sw->lock);
	/* A reset freed the slots of windows made before it. */
	if (slot < SIM_NUM_WINDOWS && handle == SIM_HANDLE(sw->epoch, slot))
		sw->slot_used[slot] = false;
	pthread_mutex_unlock(&sw->lock);
}

/*
 * Reset the wafer, as the device resets: every job of every context ends
 * with -ECANCELED (a running launch is stopped by wafer_reset()), all
 * SRAM is zeroed, regions, programs and window slots go, every context is
 * stale until it makes or frees its region.
 */
int sim_reset(struct wse_backend_dev *self, uint64_t *count)
{
	struct sim_wafer *sw = self->sw;
	struct wse_backend_dev *dev;

	pthread_mutex_lock(&sw->lock);
	for (dev = sw->ctxs; dev; dev = dev->next) {
		pthread_mutex_lock(&dev->lock);
		sim_queue_cancel_locked(dev);
		if (dev->running || dev->inline_busy)
			dev->drop_prog = true;
		else
			sim_prog_drop_locked(dev);
		dev->stale = true;
		pthread_mutex_unlock(&dev->lock);
	}
	wafer_reset(sw->w);
	memset(sw->taken, 0, (size_t)sw->spec.cfg.width * sw->spec.cfg.height);
	memset(sw->slot_used, 0, sizeof(sw->slot_used));
	sw->epoch++;
	*count = ++sw->resets;
	pthread_mutex_unlock(&sw->lock);
	return 0;
}
