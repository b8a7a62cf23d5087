// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wcopy.c - small copies through SRAM windows instead of DMA jobs.
 *
 * A DMA job has a fixed cost, a submission and a completion interrupt,
 * that dwarfs moving a few KiB. A window shows SRAM in the process, so a
 * small copy is a memcpy, once the jobs submitted before it have ended:
 * window accesses are not ordered with jobs. xfer_lock keeps new jobs
 * out from that wait until the copy is done, so that copies and jobs
 * still happen in the order the device was given them.
 *
 * The bytes move through process_vm_readv()/process_vm_writev() on the
 * process itself rather than a plain memcpy: the kernel copies between
 * the caller's memory and the window mapping, and a window revoked under
 * the copy (a device reset, the device unplugged) makes the call fail
 * with EFAULT instead of raising SIGBUS in a program that never asked
 * for windows. The copy is then made again by DMA, which reports what
 * happened to the device. Anything else that stops a window copy (no
 * free slot, a range no window can show, a host buffer the kernel cannot
 * pin) also falls back to DMA.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wse_priv.h"

struct wse_iovs {
	struct iovec local[WSE_WCOPY_MAX_PIECES];	/* the windows */
	struct iovec remote[WSE_WCOPY_MAX_PIECES];	/* the host memory */
	unsigned int nlocal;
	unsigned int nremote;
	size_t total;
};

/* Append a piece to an iovec list, merged with the last one if they touch. */
static void wse_iov_add(struct iovec *iov, unsigned int *n, void *base,
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
static int wse_wcopy_map_locked(struct wse_device *dev,
				const struct wse_region *r,
				const struct wse_piece *p, unsigned int n,
				struct wse_iovs *v)
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
		ret = wse_wcache_get_locked(dev, r, p[i].row, first, end, &win);
		if (ret)
			return ret;
		for (k = i; k < j; k++) {
			wse_iov_add(v->local, &v->nlocal, win + (p[k].lin - first),
				    p[k].len);
			wse_iov_add(v->remote, &v->nremote, p[k].host, p[k].len);
			v->total += p[k].len;
		}
	}
	return 0;
}

/* Whether the cached windows still answer, read through the kernel. */
static bool wse_wcache_alive_locked(struct wse_device *dev)
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
 * Copy @n pieces between host memory and the region's SRAM through
 * windows. Waits for the jobs submitted before; with @nonblock only
 * copies if they have all ended. Returns 0 once the bytes have moved, or
 * 1 if the caller has to make the copy by DMA.
 */
int wse_wcopy(struct wse_device *dev, bool to_device,
	      const struct wse_piece *pieces, unsigned int n, bool nonblock)
{
	struct wse_iovs v;
	struct wse_region r;
	ssize_t done;
	int ret = 1;

	if (!n || n > WSE_WCOPY_MAX_PIECES)
		return 1;
	v.nlocal = 0;
	v.nremote = 0;
	v.total = 0;

	pthread_mutex_lock(&dev->xfer_lock);
	if (dev->wcache.off || wse_region_get(dev, &r))
		goto out_unlock;
	dev->wcache.clock++;
	if (wse_wcopy_map_locked(dev, &r, pieces, n, &v))
		goto out_unlock;
	if (wse_jobs_wait_locked(dev, nonblock ? 0 : -1))
		goto out_unlock;

	if (to_device)
		done = process_vm_readv(getpid(), v.local, v.nlocal, v.remote,
					v.nremote, 0);
	else
		done = process_vm_writev(getpid(), v.local, v.nlocal, v.remote,
					 v.nremote, 0);
	wse_wc_flush();
	if (done == (ssize_t)v.total) {
		ret = 0;
	} else if (done < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* A seccomp filter, say: DMA for good. */
		dev->wcache.off = true;
		wse_wcache_flush_locked(dev);
	} else if (!wse_wcache_alive_locked(dev)) {
		/* Revoked: the DMA job says why (-EIO after a reset). */
		wse_wcache_flush_locked(dev);
	}
out_unlock:
	pthread_mutex_unlock(&dev->xfer_lock);
	return ret;
}
