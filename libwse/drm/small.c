// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * small.c - small copies of the drm backend through SRAM windows instead
 * of jobs.
 *
 * A job has a fixed cost, a submission and a completion interrupt, that
 * dwarfs moving a few KiB. A window shows SRAM in the process, so a small
 * copy is a memcpy, once the jobs submitted before it have ended: window
 * accesses are not ordered with jobs. xfer_lock keeps new jobs out from
 * that wait until the copy is done, so that copies and jobs still happen
 * in the order the device was given them.
 *
 * The windows: creating one costs an ioctl, an mmap and the page fault
 * that maps it, destroying it a munmap and another ioctl, a good part of
 * what a small copy saves. So the backend keeps its last few windows,
 * each WSE_DRM_WCACHE_LENGTH bytes of one region row (less if the row or
 * the device's window size is shorter), and the next copy into the same
 * part of the region finds its window mapped. A miss costs more than the
 * job it would save (about three times as much under TCG, see
 * bench/vm/wse-bench-smallcopy.c), so the cache must not thrash: it holds
 * at most WSE_DRM_WCACHE_MAX windows and gives back the least recently
 * used one for a new window only if no copy used it in the last
 * WSE_DRM_WCACHE_COLD copies. A copy that finds no window and no room
 * goes as a job. Window slots are shared by every context of the device:
 * when the driver has none free, the cache gives back a cold window of
 * its own and tries again.
 *
 * The bytes move through process_vm_readv()/process_vm_writev() on the
 * process itself rather than a plain memcpy: the kernel copies between
 * the caller's memory and the window mapping, and a window revoked under
 * the copy (a device reset, the device unplugged) makes the call fail
 * with EFAULT instead of raising SIGBUS in a program that never asked
 * for windows. The copy is then made again as a job, which reports what
 * happened to the device. Anything else that stops a window copy (no
 * free slot, a range no window can show, a host buffer the kernel cannot
 * pin) also falls back to a job.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "drm.h"

/* Bytes of a cached window: 256 pages are mapped in one fault. */
#define WSE_DRM_WCACHE_LENGTH	(1u << 20)
/* Copies after its last use that a window may be given back. */
#define WSE_DRM_WCACHE_COLD	16

/*
 * One contiguous piece of a small copy: @len bytes at byte @lin of region
 * row @row's linear SRAM (x * sram_bytes + offset), and their host side.
 */
struct wse_drm_piece {
	uint32_t row;
	uint32_t len;
	uint64_t lin;
	void *host;
};

struct wse_drm_iovs {
	struct iovec local[WSE_DRM_SMALL_MAX_PIECES];	/* the windows */
	struct iovec remote[WSE_DRM_SMALL_MAX_PIECES];	/* the host memory */
	unsigned int nlocal;
	unsigned int nremote;
	size_t total;
};

/* ---- The window cache, under xfer_lock ---- */

static void wse_drm_wcache_drop_locked(struct wse_backend_dev *dev,
				       unsigned int i)
{
	struct wse_drm_wcache *wc = &dev->wcache;
	struct wse_drm_wcache_entry *e = &wc->e[i];

	wse_drm_window_destroy(dev, e->handle, e->map, e->length);
	*e = wc->e[--wc->n];
}

void wse_drm_wcache_flush_locked(struct wse_backend_dev *dev)
{
	while (dev->wcache.n)
		wse_drm_wcache_drop_locked(dev, dev->wcache.n - 1);
}

void wse_drm_wcache_flush(struct wse_backend_dev *dev)
{
	pthread_mutex_lock(&dev->xfer_lock);
	wse_drm_wcache_flush_locked(dev);
	pthread_mutex_unlock(&dev->xfer_lock);
}

/* Give back the least recently used window, if it is cold. */
static bool wse_drm_wcache_evict_locked(struct wse_backend_dev *dev)
{
	struct wse_drm_wcache *wc = &dev->wcache;
	unsigned int i, lru = wc->n;

	for (i = 0; i < wc->n; i++)
		if (wc->e[i].used + WSE_DRM_WCACHE_COLD <= wc->clock &&
		    (lru == wc->n || wc->e[i].used < wc->e[lru].used))
			lru = i;
	if (lru == wc->n)
		return false;
	wse_drm_wcache_drop_locked(dev, lru);
	return true;
}

/*
 * Where to put a new window showing [@first, @end) of a row of
 * @row_bytes: from the page of @first on, as long as the cache makes
 * them, moved back if that runs past the row. Returns the length, 0 if
 * no window can show the range.
 */
static uint32_t wse_drm_wcache_place(const struct wse_backend_dev *dev,
				     uint64_t row_bytes, uint64_t first,
				     uint64_t end, uint64_t *start)
{
	uint64_t grain = wse_drm_window_grain();
	uint64_t a = first / grain * grain;
	uint64_t b = (end + grain - 1) / grain * grain;
	uint64_t len = WSE_DRM_WCACHE_LENGTH;

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
static int wse_drm_wcache_get_locked(struct wse_backend_dev *dev,
				     uint64_t row_bytes, uint32_t row,
				     uint64_t first, uint64_t end, uint8_t **ptr)
{
	struct wse_drm_wcache *wc = &dev->wcache;
	struct wse_drm_wcache_entry *e;
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

	len = wse_drm_wcache_place(dev, row_bytes, first, end, &start);
	if (!len)
		return -E2BIG;
	if (wc->n == WSE_DRM_WCACHE_MAX && !wse_drm_wcache_evict_locked(dev))
		return -ENOSPC;
	for (;;) {
		ret = wse_drm_window_create(dev, row, start, len, false, &handle,
					    &map);
		if (ret != -ENOSPC || !wse_drm_wcache_evict_locked(dev))
			break;
	}
	if (ret)
		return ret;
	e = &wc->e[wc->n++];
	*e = (struct wse_drm_wcache_entry) {
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

void wse_drm_set_small_copy(struct wse_backend_dev *dev, uint64_t max_bytes)
{
	__atomic_store_n(&dev->small_copy_max, max_bytes, __ATOMIC_RELAXED);
	if (!max_bytes)
		wse_drm_wcache_flush(dev);
}

/* ---- The pieces of a copy ---- */

/*
 * A linear copy: one piece per region row it touches, at most as many as
 * the cache has windows. Returns the number of pieces, 0 if too many.
 */
static unsigned int wse_drm_linear_pieces(const struct wse_backend_dev *dev,
					  const struct wse_backend_cmd *c,
					  uint64_t row_bytes,
					  struct wse_drm_piece *p)
{
	uint64_t start = ((uint64_t)c->sram.y * dev->region_w + c->sram.x) *
			 dev->info.sram_bytes + c->sram.offset;
	uint64_t done, chunk, pos;
	unsigned int n = 0;

	for (done = 0; done < c->length; done += chunk) {
		if (n == WSE_DRM_WCACHE_MAX)
			return 0;
		pos = start + done;
		chunk = c->length - done;
		if (chunk > row_bytes - pos % row_bytes)
			chunk = row_bytes - pos % row_bytes;
		p[n++] = (struct wse_drm_piece) {
			.row = pos / row_bytes,
			.len = chunk,
			.lin = pos % row_bytes,
			.host = (uint8_t *)c->host + done,
		};
	}
	return n;
}

/*
 * A row-major rectangle copy: one piece per PE, each PE's elements being
 * contiguous in the host array and in its SRAM. Returns the number of
 * pieces, 0 if the copy cannot be cut that way.
 */
static unsigned int wse_drm_rect_pieces(const struct wse_backend_dev *dev,
					const struct wse_backend_cmd *c,
					struct wse_drm_piece *p)
{
	uint64_t set = (uint64_t)c->rect.elem_per_pe * c->rect.elem_bytes;
	uint64_t sram = dev->info.sram_bytes, at;
	uint32_t row, col;
	unsigned int n = 0;

	if (c->rect.order != WSE_BACKEND_ORDER_ROW_MAJOR ||
	    (uint64_t)c->rect.w * c->rect.h > WSE_DRM_SMALL_MAX_PIECES)
		return 0;
	for (row = 0; row < c->rect.h; row++)
		for (col = 0; col < c->rect.w; col++) {
			switch (c->rect.bcast) {
			case WSE_BACKEND_BCAST_ROW:
				at = row * set;
				break;
			case WSE_BACKEND_BCAST_COL:
				at = col * set;
				break;
			default:
				at = ((uint64_t)row * c->rect.w + col) * set;
				break;
			}
			p[n++] = (struct wse_drm_piece) {
				.row = c->rect.y + row,
				.len = set,
				.lin = (c->rect.x + col) * sram + c->rect.addr,
				.host = (uint8_t *)c->host + at,
			};
		}
	return n;
}

/* ---- The copy ---- */

/* Append a piece to an iovec list, merged with the last one if they touch. */
static void wse_drm_iov_add(struct iovec *iov, unsigned int *n, void *base,
			    size_t len)
{
	struct iovec *last = *n ? &iov[*n - 1] : NULL;

	if (last && (uint8_t *)last->iov_base + last->iov_len == base) {
		last->iov_len += len;
		return;
	}
	iov[(*n)++] = (struct iovec){ .iov_base = base, .iov_len = len };
}

/*
 * Map the window of every row the pieces touch and list both sides.
 * Pieces of one row are consecutive and share a window.
 */
static int wse_drm_small_map_locked(struct wse_backend_dev *dev,
				    uint64_t row_bytes,
				    const struct wse_drm_piece *p,
				    unsigned int n, struct wse_drm_iovs *v)
{
	unsigned int i, j, k;
	uint64_t first, end;
	uint8_t *win;
	int ret;

	for (i = 0; i < n; i = j) {
		first = p[i].lin;
		end = p[i].lin + p[i].len;
		for (j = i + 1; j < n && p[j].row == p[i].row; j++) {
			if (p[j].lin < first)
				first = p[j].lin;
			if (p[j].lin + p[j].len > end)
				end = p[j].lin + p[j].len;
		}
		ret = wse_drm_wcache_get_locked(dev, row_bytes, p[i].row, first,
						end, &win);
		if (ret)
			return ret;
		for (k = i; k < j; k++) {
			wse_drm_iov_add(v->local, &v->nlocal,
					win + (p[k].lin - first), p[k].len);
			wse_drm_iov_add(v->remote, &v->nremote, p[k].host,
					p[k].len);
			v->total += p[k].len;
		}
	}
	return 0;
}

/* Whether the cached windows still answer, read through the kernel. */
static bool wse_drm_wcache_alive_locked(struct wse_backend_dev *dev)
{
	struct iovec local, remote;
	unsigned int i;
	uint8_t byte;

	for (i = 0; i < dev->wcache.n; i++) {
		local = (struct iovec){ dev->wcache.e[i].map, 1 };
		remote = (struct iovec){ &byte, 1 };
		if (process_vm_writev(getpid(), &local, 1, &remote, 1, 0) != 1)
			return false;
	}
	return true;
}

/*
 * Make the copy @c through windows. Waits for the jobs submitted before;
 * with @nonblock only copies if they have all ended. Returns 0 once the
 * bytes have moved, or 1 if the copy has to go as a job.
 */
int wse_drm_small_copy(struct wse_backend_dev *dev,
		       const struct wse_backend_cmd *c, bool nonblock)
{
	struct wse_drm_piece p[WSE_DRM_SMALL_MAX_PIECES];
	bool to_device = c->op == WSE_BACKEND_OP_WRITE ||
			 c->op == WSE_BACKEND_OP_H2D;
	uint64_t row_bytes;
	struct wse_drm_iovs v;
	unsigned int n;
	ssize_t done;
	int ret = 1;

	v.nlocal = 0;
	v.nremote = 0;
	v.total = 0;

	pthread_mutex_lock(&dev->xfer_lock);
	pthread_mutex_lock(&dev->lock);
	row_bytes = (uint64_t)dev->region_w * dev->info.sram_bytes;
	if (!dev->has_region)
		row_bytes = 0;
	pthread_mutex_unlock(&dev->lock);
	if (dev->wcache.off || !row_bytes)
		goto out_unlock;
	if (c->op == WSE_BACKEND_OP_WRITE || c->op == WSE_BACKEND_OP_READ)
		n = wse_drm_linear_pieces(dev, c, row_bytes, p);
	else
		n = wse_drm_rect_pieces(dev, c, p);
	if (!n)
		goto out_unlock;
	dev->wcache.clock++;
	if (wse_drm_small_map_locked(dev, row_bytes, p, n, &v))
		goto out_unlock;
	if (wse_drm_jobs_wait_locked(dev, nonblock ? 0 : -1))
		goto out_unlock;

	if (to_device)
		done = process_vm_readv(getpid(), v.local, v.nlocal, v.remote,
					v.nremote, 0);
	else
		done = process_vm_writev(getpid(), v.local, v.nlocal, v.remote,
					 v.nremote, 0);
	wse_drm_wc_flush();
	if (done == (ssize_t)v.total) {
		ret = 0;
	} else if (done < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* A seccomp filter, say: jobs for good. */
		dev->wcache.off = true;
		wse_drm_wcache_flush_locked(dev);
	} else if (!wse_drm_wcache_alive_locked(dev)) {
		/* Revoked: the job says why (-EIO after a reset). */
		wse_drm_wcache_flush_locked(dev);
	}
out_unlock:
	pthread_mutex_unlock(&dev->xfer_lock);
	return ret;
}
