// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wcache.c - the windows a device keeps for small copies.
 *
 * Creating a window costs an ioctl, an mmap and the page fault that maps
 * it, destroying it a munmap and another ioctl: a good part of what a
 * small copy saves by not running a DMA job. So a device keeps its last
 * few windows, each WSE_WCACHE_LENGTH bytes of one region row (less if
 * the row or the device's window size is shorter), and the next copy
 * into the same part of the region finds its window mapped.
 *
 * A miss costs more than the DMA job it would save (about three times as
 * much under TCG, see bench/vm/wse-bench-smallcopy.c), so the cache must
 * not thrash: it holds at most WSE_WCACHE_MAX windows and gives back the
 * least recently used one for a new window only if no copy used it in
 * the last WSE_WCACHE_COLD copies. A copy that finds no window and no
 * room goes by DMA; copies spread over more rows than the cache holds
 * then hit the windows they have and go by DMA for the others.
 *
 * Window slots are shared by every context of the device: when the
 * driver has none free, the cache gives back a cold window of its own and
 * tries again, and the copy goes by DMA if it has none. wse_window_create()
 * and freeing the region empty the cache.
 *
 * Everything here runs under the device's xfer_lock.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

/* Bytes of a cached window: 256 pages are mapped in one fault. */
#define WSE_WCACHE_LENGTH	(1u << 20)
/* Copies after its last use that a window may be given back. */
#define WSE_WCACHE_COLD		16

static void wse_wcache_drop_locked(struct wse_device *dev, unsigned int i)
{
	struct wse_wcache *wc = &dev->wcache;
	struct wse_wcache_entry *e = &wc->e[i];

	wse_window_unmap(dev, e->handle, e->map, e->length);
	*e = wc->e[--wc->n];
}

void wse_wcache_flush_locked(struct wse_device *dev)
{
	while (dev->wcache.n)
		wse_wcache_drop_locked(dev, dev->wcache.n - 1);
}

void wse_wcache_flush(struct wse_device *dev)
{
	pthread_mutex_lock(&dev->xfer_lock);
	wse_wcache_flush_locked(dev);
	pthread_mutex_unlock(&dev->xfer_lock);
}

/* Give back the least recently used window, if it is cold. */
static bool wse_wcache_evict_locked(struct wse_device *dev)
{
	struct wse_wcache *wc = &dev->wcache;
	unsigned int i, lru = wc->n;

	for (i = 0; i < wc->n; i++)
		if (wc->e[i].used + WSE_WCACHE_COLD <= wc->clock &&
		    (lru == wc->n || wc->e[i].used < wc->e[lru].used))
			lru = i;
	if (lru == wc->n)
		return false;
	wse_wcache_drop_locked(dev, lru);
	return true;
}

/*
 * Where to put a new window showing [@first, @end) of a row of
 * @row_bytes: from the page of @first on, as long as the cache makes
 * them, moved back if that runs past the row. Returns the length, 0 if
 * no window can show the range.
 */
static uint32_t wse_wcache_place(const struct wse_device *dev,
				 uint64_t row_bytes, uint64_t first,
				 uint64_t end, uint64_t *start)
{
	uint64_t grain = wse_window_grain();
	uint64_t a = first / grain * grain;
	uint64_t b = (end + grain - 1) / grain * grain;
	uint64_t len = WSE_WCACHE_LENGTH;

	if (len > dev->info.window_size)
		len = dev->info.window_size;
	if (len > row_bytes / grain * grain)
		len = row_bytes / grain * grain;
	if (b > row_bytes || b - a > len)
		return 0;
	*start = a + len <= row_bytes ? a : row_bytes / grain * grain - len;
	return len;
}

/*
 * Map [@first, @end) of region row @row through a window of the cache,
 * which the current copy then keeps (entries may move in the array, the
 * mapping stays). *@ptr receives the address of byte @first. Returns 0,
 * -E2BIG if no window can show the range, -ENOSPC if the cache or the
 * device has no slot for it, or the error of creating the window.
 */
int wse_wcache_get_locked(struct wse_device *dev, const struct wse_region *r,
			  uint32_t row, uint64_t first, uint64_t end,
			  uint8_t **ptr)
{
	struct wse_wcache *wc = &dev->wcache;
	struct wse_wcache_entry *e;
	uint64_t start = 0;
	uint32_t len, handle;
	unsigned int i;
	void *map;
	int ret;

	for (i = 0; i < wc->n; i++) {
		e = &wc->e[i];
		if (e->row == row && e->start <= first &&
		    end <= e->start + e->length) {
			e->used = wc->clock;
			*ptr = e->map + (first - e->start);
			return 0;
		}
	}

	len = wse_wcache_place(dev, (uint64_t)r->width * dev->info.sram_bytes,
			       first, end, &start);
	if (!len)
		return -E2BIG;
	if (wc->n == WSE_WCACHE_MAX && !wse_wcache_evict_locked(dev))
		return -ENOSPC;
	for (;;) {
		ret = wse_window_map(dev, row, start, len, false, &handle, &map);
		if (ret != -ENOSPC || !wse_wcache_evict_locked(dev))
			break;
	}
	if (ret)
		return ret;
	e = &wc->e[wc->n++];
	*e = (struct wse_wcache_entry) {
		.handle = handle,
		.map = map,
		.row = row,
		.start = start,
		.length = len,
		.used = wc->clock,
	};
	*ptr = e->map + (first - start);
	return 0;
}
