// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * window.c - SRAM windows: a range of the region's SRAM mapped into the
 * process through one of the device's window slots.
 *
 * Backends take window offsets and lengths in whole 4 KiB pages (or host
 * pages, if larger) of one region row's linear SRAM (PE x's bytes
 * followed by PE x + 1's). libwse maps the pages around the range it is
 * asked for and hands out a pointer to the first byte asked for.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "wse_priv.h"

struct wse_window {
	struct wse_device *dev;
	uintptr_t handle;	/* the backend's */
	uint32_t length;	/* of the mapping */
	uint8_t *map;
	uint8_t *ptr;		/* the byte asked for */
};

/* The grain of windows: the device's, or the page if that is larger. */
uint64_t wse_window_grain(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > WSE_WINDOW_ALIGN ? (uint64_t)page : WSE_WINDOW_ALIGN;
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
	ret = dev->ops->window_map(dev->be, y, start, end - start,
				   flags & WSE_WINDOW_READONLY ?
				   WSE_BACKEND_WINDOW_READONLY : 0,
				   &map, &win->handle);
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
	win->dev->ops->window_unmap(win->dev->be, win->map, win->handle,
				    win->length);
	free(win);
}
