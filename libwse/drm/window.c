// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * window.c - SRAM windows of the drm backend: a range of one region row's
 * linear SRAM shown through one of the device's window slots and mapped
 * into the process.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drm.h"

/* The driver's grain: the device's 4 KiB, or the page if that is larger. */
uint64_t wse_drm_window_grain(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 4096 ? (uint64_t)page : 4096;
}

/*
 * Create a window of @length bytes (a multiple of the grain) from byte
 * @start (aligned) of region row @row and map it.
 */
int wse_drm_window_create(struct wse_backend_dev *dev, uint32_t row,
			  uint64_t start, uint32_t length, bool readonly,
			  uint32_t *handle, void **map)
{
	struct drm_wse_window_create args = {
		.x = start / dev->info.sram_bytes,
		.y = row,
		.offset = start % dev->info.sram_bytes,
		.length = length,
		.flags = readonly ? DRM_WSE_WINDOW_READONLY : 0,
	};
	int prot = PROT_READ | (readonly ? 0 : PROT_WRITE);
	struct drm_gem_close close = { 0 };
	void *p;
	int ret;

	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_WINDOW_CREATE, &args);
	if (ret)
		return ret;
	p = mmap(NULL, length, prot, MAP_SHARED, dev->fd, args.mmap_offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		close.handle = args.handle;
		wse_drm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
		return ret;
	}
	*handle = args.handle;
	*map = p;
	return 0;
}

/* Unmap a window and destroy it, which frees its slot. */
void wse_drm_window_destroy(struct wse_backend_dev *dev, uint32_t handle,
			    void *map, uint32_t length)
{
	struct drm_gem_close close = { .handle = handle };

	munmap(map, length);
	wse_drm_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
}

int wse_drm_window_map(struct wse_backend_dev *dev, uint32_t row,
		       uint64_t start, uint32_t length, unsigned int flags,
		       void **map, uintptr_t *handle)
{
	bool ro = flags & WSE_BACKEND_WINDOW_READONLY;
	uint32_t h;
	int ret;

	ret = wse_drm_window_create(dev, row, start, length, ro, &h, map);
	if (ret == -ENOSPC) {
		/* Slots this device keeps for small copies are for the taking. */
		wse_drm_wcache_flush(dev);
		ret = wse_drm_window_create(dev, row, start, length, ro, &h, map);
	}
	if (!ret)
		*handle = h;
	return ret;
}

void wse_drm_window_unmap(struct wse_backend_dev *dev, void *map,
			  uintptr_t handle, uint32_t length)
{
	wse_drm_window_destroy(dev, (uint32_t)handle, map, length);
}
