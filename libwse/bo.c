// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bo.c - the staging buffers of a device.
 *
 * Every copy moves through a GEM buffer mapped into the process. Creating
 * and mapping one per call would cost two ioctls, an mmap and page faults
 * each time, so idle buffers go back to a small per-device pool and the
 * next copy takes the smallest one that is large enough. One thread
 * copying over and over therefore reuses a single buffer, grown as needed.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "wse_priv.h"

void wse_bo_destroy(struct wse_device *dev, struct wse_bo *bo)
{
	struct drm_gem_close close = { .handle = bo->handle };

	munmap(bo->map, bo->size);
	wse_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
	free(bo);
}

int wse_bo_create(struct wse_device *dev, size_t size, struct wse_bo **out)
{
	struct drm_wse_bo_create args = { .size = size };
	struct drm_gem_close close = { 0 };
	struct wse_bo *bo;
	int ret;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return wse_fail(dev, -ENOMEM, "out of memory");
	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_BO_CREATE, &args);
	if (ret) {
		wse_fail(dev, ret, "creating a %zu byte buffer: %s", size,
			 wse_strerror(ret));
		goto err_free;
	}
	bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		       args.mmap_offset);
	if (bo->map == MAP_FAILED) {
		ret = -errno;
		wse_fail(dev, ret, "mapping a %zu byte buffer: %s", size,
			 wse_strerror(ret));
		goto err_close;
	}
	bo->handle = args.handle;
	bo->size = size;
	*out = bo;
	return 0;

err_close:
	close.handle = args.handle;
	wse_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
err_free:
	free(bo);
	return ret;
}

static size_t wse_bo_round(size_t size)
{
	size_t s = WSE_BO_MIN_SIZE;

	while (s < size)
		s <<= 1;
	return s;
}

/*
 * Take a buffer of at least @size bytes: the smallest idle one that fits,
 * else a new one. When none fits, the largest idle buffer is dropped, so
 * that a pool that keeps growing holds one buffer, not a ladder of sizes.
 */
int wse_bo_get(struct wse_device *dev, size_t size, struct wse_bo **out)
{
	struct wse_bo **pp, **best = NULL, **largest = NULL;
	struct wse_bo *drop = NULL;

	pthread_mutex_lock(&dev->lock);
	for (pp = &dev->bo_free; *pp; pp = &(*pp)->next) {
		if ((*pp)->size >= size && (!best || (*pp)->size < (*best)->size))
			best = pp;
		if (!largest || (*pp)->size > (*largest)->size)
			largest = pp;
	}
	if (best) {
		*out = *best;
		*best = (*best)->next;
		dev->nr_free--;
	} else if (largest) {
		drop = *largest;
		*largest = drop->next;
		dev->nr_free--;
	}
	pthread_mutex_unlock(&dev->lock);

	if (drop)
		wse_bo_destroy(dev, drop);
	if (best)
		return 0;
	return wse_bo_create(dev, wse_bo_round(size), out);
}

/* Give a buffer back; beyond WSE_BO_POOL_MAX idle ones, free the smallest. */
void wse_bo_put(struct wse_device *dev, struct wse_bo *bo)
{
	struct wse_bo **pp, **smallest;
	struct wse_bo *drop = NULL;

	pthread_mutex_lock(&dev->lock);
	bo->next = dev->bo_free;
	dev->bo_free = bo;
	if (++dev->nr_free > WSE_BO_POOL_MAX) {
		smallest = &dev->bo_free;
		for (pp = &dev->bo_free; *pp; pp = &(*pp)->next)
			if ((*pp)->size < (*smallest)->size)
				smallest = pp;
		drop = *smallest;
		*smallest = drop->next;
		dev->nr_free--;
	}
	pthread_mutex_unlock(&dev->lock);

	if (drop)
		wse_bo_destroy(dev, drop);
}

void wse_bo_pool_fini(struct wse_device *dev)
{
	struct wse_bo *bo;

	while ((bo = dev->bo_free)) {
		dev->bo_free = bo->next;
		wse_bo_destroy(dev, bo);
	}
	dev->nr_free = 0;
}
