// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host.c - host memory that copies move without staging.
 *
 * A copy from ordinary memory goes through a staging buffer: libwse
 * copies the host array into a GEM buffer the device can reach, or out
 * of it. That memcpy runs on the CPU and, for large copies, takes longer
 * than the DMA itself. Memory from wse_host_alloc() is such a buffer,
 * mapped into the process: a copy whose host array lies in it names the
 * buffer in its commands and the device moves the bytes straight there
 * (CUDA's pinned host memory).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>

#include "wse_priv.h"

/* The driver's limit of one buffer. */
#define WSE_HOST_MAX		(1ull << 30)

int wse_host_alloc(struct wse_device *dev, size_t size, void **ptr)
{
	struct wse_bo *bo;
	int ret;

	if (!dev || !ptr)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	if (!size || size > WSE_HOST_MAX)
		return wse_fail(dev, -EINVAL, "host memory of %zu bytes: 1 byte to 1 GiB",
				size);
	ret = wse_bo_create(dev, size, &bo);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->lock);
	bo->next = dev->host;
	dev->host = bo;
	pthread_mutex_unlock(&dev->lock);
	*ptr = bo->map;
	return 0;
}

void wse_host_free(struct wse_device *dev, void *ptr)
{
	struct wse_bo **pp, *bo = NULL;

	if (!dev || !ptr)
		return;
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
		wse_bo_destroy(dev, bo);
}

/*
 * Whether [@p, @p + @len) lies in memory from wse_host_alloc(): if so,
 * the buffer's handle and the offset of @p in it.
 */
bool wse_host_find(struct wse_device *dev, const void *p, size_t len,
		   uint32_t *handle, uint64_t *offset)
{
	const char *c = p;
	struct wse_bo *bo;
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

void wse_host_fini(struct wse_device *dev)
{
	struct wse_bo *bo;

	while ((bo = dev->host)) {
		dev->host = bo->next;
		wse_bo_destroy(dev, bo);
	}
}
