// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bo.c - the GEM buffers of the drm backend: staging buffers and host
 * memory.
 *
 * Every copy the driver makes moves through a GEM buffer mapped into the
 * process. Creating and mapping one per job would cost two ioctls, an
 * mmap and page faults each time, so idle staging buffers go back to a
 * small per-device pool and the next job takes the smallest one that is
 * large enough. One thread copying over and over therefore reuses a
 * single buffer, grown as needed.
 *
 * Memory from host_alloc is such a buffer, mapped into the process: a
 * command whose host bytes lie in it names the buffer and the device
 * moves the bytes straight there, with no staging memcpy on the CPU
 * (CUDA's pinned host memory).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "drm.h"

void wse_drm_bo_destroy(struct wse_backend_dev *dev, struct wse_drm_bo *bo)
{
	struct drm_gem_close close = { .handle = bo->handle };

	munmap(bo->map, bo->size);
	wse_drm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
	free(bo);
}

int wse_drm_bo_create(struct wse_backend_dev *dev, size_t size,
		      struct wse_drm_bo **out)
{
	struct drm_wse_bo_create args = { .size = size };
	struct drm_gem_close close = { 0 };
	struct wse_drm_bo *bo;
	int ret;

	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_BO_CREATE, &args);
	if (ret)
		goto err_free;
	bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		       args.mmap_offset);
	if (bo->map == MAP_FAILED) {
		ret = -errno;
		goto err_close;
	}
	bo->handle = args.handle;
	bo->size = size;
	*out = bo;
	return 0;

err_close:
	close.handle = args.handle;
	wse_drm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
err_free:
	free(bo);
	return ret;
}

static size_t wse_drm_bo_round(size_t size)
{
	size_t s = WSE_DRM_BO_MIN_SIZE;

	while (s < size)
		s <<= 1;
	return s;
}

/*
 * Take a buffer of at least @size bytes: the smallest idle one that fits,
 * else a new one. When none fits, the largest idle buffer is dropped, so
 * that a pool that keeps growing holds one buffer, not a ladder of sizes.
 */
int wse_drm_bo_get(struct wse_backend_dev *dev, size_t size,
		   struct wse_drm_bo **out)
{
	struct wse_drm_bo **pp, **best = NULL, **largest = NULL;
	struct wse_drm_bo *drop = NULL;

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
		wse_drm_bo_destroy(dev, drop);
	if (best)
		return 0;
	return wse_drm_bo_create(dev, wse_drm_bo_round(size), out);
}

/* Give a buffer back; beyond WSE_DRM_BO_POOL_MAX idle ones, free the smallest. */
void wse_drm_bo_put(struct wse_backend_dev *dev, struct wse_drm_bo *bo)
{
	struct wse_drm_bo **pp, **smallest;
	struct wse_drm_bo *drop = NULL;

	pthread_mutex_lock(&dev->lock);
	bo->next = dev->bo_free;
	dev->bo_free = bo;
	if (++dev->nr_free > WSE_DRM_BO_POOL_MAX) {
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
		wse_drm_bo_destroy(dev, drop);
}

void wse_drm_bo_pool_fini(struct wse_backend_dev *dev)
{
	struct wse_drm_bo *bo;

	while ((bo = dev->bo_free)) {
		dev->bo_free = bo->next;
		wse_drm_bo_destroy(dev, bo);
	}
	dev->nr_free = 0;
}

int wse_drm_host_alloc(struct wse_backend_dev *dev, size_t size, void **ptr)
{
	struct wse_drm_bo *bo;
	int ret;

	ret = wse_drm_bo_create(dev, size, &bo);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->lock);
	bo->next = dev->host;
	dev->host = bo;
	pthread_mutex_unlock(&dev->lock);
	*ptr = bo->map;
	return 0;
}

void wse_drm_host_free(struct wse_backend_dev *dev, void *ptr)
{
	struct wse_drm_bo **pp, *bo = NULL;

	pthread_mutex_lock(&dev->lock);
	for (pp = &dev->host; *pp; pp = &(*pp)->next)
		if ((*pp)->map == ptr) {
			bo = *pp;
			*pp = bo->next;
			break;
		}
	pthread_mutex_unlock(&dev->lock);
	/* A job still using it keeps the pages: the driver holds them. */
	if (bo)
		wse_drm_bo_destroy(dev, bo);
}

/*
 * Whether [@p, @p + @len) lies in memory from host_alloc: if so, the
 * buffer's handle and the offset of @p in it.
 */
bool wse_drm_host_find(struct wse_backend_dev *dev, const void *p, size_t len,
		       uint32_t *handle, uint64_t *offset)
{
	const char *c = p;
	struct wse_drm_bo *bo;
	bool found = false;

	pthread_mutex_lock(&dev->lock);
	for (bo = dev->host; bo && !found; bo = bo->next) {
		const char *base = bo->map;

		if (c >= base && c < base + bo->size &&
		    len <= bo->size - (size_t)(c - base)) {
			*handle = bo->handle;
			*offset = c - base;
			found = true;
		}
	}
	pthread_mutex_unlock(&dev->lock);
	return found;
}

void wse_drm_host_fini(struct wse_backend_dev *dev)
{
	struct wse_drm_bo *bo;

	while ((bo = dev->host)) {
		dev->host = bo->next;
		wse_drm_bo_destroy(dev, bo);
	}
}
