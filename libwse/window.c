// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * window.c - SRAM windows: a range of the region's SRAM mapped into the
 * process through one of the device's window slots.
 *
 * The driver takes window offsets and lengths in whole 4 KiB pages of one
 * region row's linear SRAM (PE x's bytes followed by PE x + 1's). libwse
 * maps the pages around the range it is asked for and hands out a pointer
 * to the first byte asked for.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wse_priv.h"

struct wse_window {
	struct wse_device *dev;
	uint32_t handle;
	uint32_t length;	/* of the mapping */
	uint8_t *map;
	uint8_t *ptr;		/* the byte asked for */
};

/* The driver's grain: the device's, or the page if that is larger. */
size_t wse_window_grain(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > WSE_WINDOW_ALIGN ? (size_t)page : WSE_WINDOW_ALIGN;
}

/*
 * Create a window of @length bytes (a multiple of the grain) from byte
 * @start (aligned) of region row @row and map it. Details of a failure
 * are left to the caller, which knows what it was for.
 */
int wse_window_map(struct wse_device *dev, uint32_t row, uint64_t start,
		   uint32_t length, bool readonly, uint32_t *handle, void **map)
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

	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_WINDOW_CREATE, &args);
	if (ret)
		return ret;
	p = mmap(NULL, length, prot, MAP_SHARED, dev->fd, args.mmap_offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		close.handle = args.handle;
		wse_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
		return ret;
	}
	*handle = args.handle;
	*map = p;
	return 0;
}

/* Unmap a window and destroy it, which frees its slot. */
void wse_window_unmap(struct wse_device *dev, uint32_t handle, void *map,
		      uint32_t length)
{
	struct drm_gem_close close = { .handle = handle };

	munmap(map, length);
	wse_ioctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &close);
}

static int wse_window_check(struct wse_device *dev, uint32_t x, uint32_t y,
			    uint32_t offset, size_t length,
			    const struct wse_region *r)
{
	uint64_t sram = dev->info.sram_bytes;

	if (!(dev->info.caps & WSE_DEVICE_CAP_WINDOWS) || !dev->info.num_windows)
		return wse_fail(dev, -EOPNOTSUPP, "window: the device has no windows");
	if (x >= r->width || y >= r->height || offset >= sram)
		return wse_fail(dev, -EINVAL, "window: PE (%u,%u) offset %u is outside the %ux%u region",
				x, y, offset, r->width, r->height);
	if (!length || length > r->width * sram - (x * sram + offset))
		return wse_fail(dev, -EINVAL, "window: %zu bytes from PE (%u,%u) offset %u do not fit row %u of the %ux%u region",
				length, x, y, offset, y, r->width, r->height);
	return 0;
}

int wse_window_create(struct wse_device *dev, uint32_t x, uint32_t y,
		      uint32_t offset, size_t length, unsigned int flags,
		      struct wse_window **out)
{
	uint64_t grain = wse_window_grain(), lin, start, end;
	struct wse_window *win;
	struct wse_region r;
	void *map;
	int ret;

	if (!dev || !out)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	if (flags & ~WSE_WINDOW_READONLY)
		return wse_fail(dev, -EINVAL, "window: unknown flags 0x%x",
				flags & ~WSE_WINDOW_READONLY);
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	ret = wse_window_check(dev, x, y, offset, length, &r);
	if (ret)
		return ret;
	lin = (uint64_t)x * dev->info.sram_bytes + offset;
	start = lin / grain * grain;
	end = (lin + length + grain - 1) / grain * grain;
	if (end - start > dev->info.window_size)
		return wse_fail(dev, -EINVAL, "window: %zu bytes at PE (%u,%u) offset %u need %llu bytes of window, more than the device's %u",
				length, x, y, offset,
				(unsigned long long)(end - start),
				dev->info.window_size);

	win = calloc(1, sizeof(*win));
	if (!win)
		return wse_fail(dev, -ENOMEM, "out of memory");
	ret = wse_window_map(dev, y, start, end - start,
			     flags & WSE_WINDOW_READONLY, &win->handle, &map);
	if (ret == -ENOSPC) {
		/* Slots this device keeps for small copies are for the taking. */
		wse_wcache_flush(dev);
		ret = wse_window_map(dev, y, start, end - start,
				     flags & WSE_WINDOW_READONLY, &win->handle,
				     &map);
	}
	if (ret) {
		free(win);
		if (ret == -ENOSPC)
			return wse_fail(dev, ret, "window: all %u window slots of the device are taken",
					dev->info.num_windows);
		return wse_fail(dev, ret, "window on PE (%u,%u) offset %u, %zu bytes: %s",
				x, y, offset, length, wse_strerror(ret));
	}
	win->dev = dev;
	win->length = end - start;
	win->map = map;
	win->ptr = win->map + (lin - start);
	*out = win;
	return 0;
}

void *wse_window_ptr(const struct wse_window *win)
{
	return win ? win->ptr : NULL;
}

void wse_window_destroy(struct wse_window *win)
{
	if (!win)
		return;
	wse_window_unmap(win->dev, win->handle, win->map, win->length);
	free(win);
}
