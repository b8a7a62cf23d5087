// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-bench-smallcopy - where copies through windows stop beating DMA.
 *
 * Times wse_sram_write() and wse_sram_read() of 64 B to 1 MiB with
 * small copies off (every copy a DMA job) and on without a limit (every
 * copy through a cached window), and what creating, mapping and
 * destroying a window costs (a miss of libwse's window cache). The table
 * picks libwse's default limit (WSE_SMALL_COPY_BYTES in libwse/wse_priv.h):
 *
 *   figure: small-copy-4k-write-speedup <DMA time / window time> goal >=2
 *   figure: small-copy-4k-read-speedup  <DMA time / window time> goal >=2
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define MAX_BYTES	(1u << 20)
#define BUDGET_S	0.3	/* per measurement */

/* Mean seconds of one copy of @len bytes, over at least 5 and BUDGET_S. */
static double time_copy(struct wse_device *dev, int write, char *buf,
			size_t len)
{
	double start = bench_now(), t;
	int n = 0, ret;

	do {
		ret = write ? wse_sram_write(dev, 0, 0, 0, buf, len) :
			      wse_sram_read(dev, 0, 0, 0, buf, len);
		if (ret)
			bench_fail(dev, write ? "write" : "read", ret);
		n++;
		t = bench_now() - start;
	} while (n < 5 || t < BUDGET_S);
	return t / n;
}

/*
 * What a miss of the window cache costs: creating and mapping a window
 * (ioctl, mmap), its first touch (the fault maps all of it) and
 * destroying it (munmap, GEM_CLOSE), mean microseconds of 20.
 */
static void time_window(struct wse_device *dev, size_t len)
{
	double t, create = 0, touch = 0, destroy = 0;
	struct wse_window *win;
	int i, ret;

	for (i = 0; i < 20; i++) {
		t = bench_now();
		ret = wse_window_create(dev, 0, 0, 0, len, 0, &win);
		if (ret)
			bench_fail(dev, "window", ret);
		create += bench_now() - t;
		t = bench_now();
		*(volatile char *)wse_window_ptr(win) = 1;
		touch += bench_now() - t;
		t = bench_now();
		wse_window_destroy(win);
		destroy += bench_now() - t;
	}
	printf("# window of %zu KiB: create %.1f us, first touch %.1f us, destroy %.1f us\n",
	       len >> 10, create / 20 * 1e6, touch / 20 * 1e6, destroy / 20 * 1e6);
}

/* Mean seconds of a raw WRITE job of @len bytes from buffer @handle. */
static double time_job(struct wse_device *dev, const struct wse_device_info *info,
		       uint32_t region_w, uint32_t handle, size_t len)
{
	double start = bench_now(), t;
	int n = 0;

	do {
		if (bench_job(wse_device_fd(dev), info, region_w, DRM_WSE_OP_WRITE,
			      handle, len) < 0)
			bench_fail(dev, "raw job", -EIO);
		n++;
		t = bench_now() - start;
	} while (n < 5 || t < BUDGET_S);
	return t / n;
}

int main(void)
{
	static const size_t sizes[] = {
		64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 128 << 10,
		256 << 10, 512 << 10, 1 << 20,
	};
	double dma[2], win[2], job, at4k[2] = { 0, 0 };
	size_t cross[2] = { 0, 0 }, len;
	struct drm_wse_bo_create bo = { .size = MAX_BYTES };
	struct wse_device_info info;
	struct wse_device *dev;
	unsigned int i;
	uint32_t w;
	char *buf;
	int ret, k;

	ret = wse_device_open(0, &dev);
	if (ret)
		bench_fail(NULL, "open", ret);
	wse_device_info(dev, &info);
	/* Rows of at least 1 MiB if the mesh allows, two of them. */
	w = (MAX_BYTES + info.sram_bytes - 1) / info.sram_bytes;
	if (w > info.mesh_width)
		w = info.mesh_width;
	ret = wse_region_alloc(dev, w, 2, NULL);
	if (ret)
		bench_fail(dev, "region", ret);
	buf = calloc(1, MAX_BYTES);
	if (!buf)
		bench_fail(dev, "malloc", -ENOMEM);
	ret = bench_ioctl(wse_device_fd(dev), DRM_IOCTL_WSE_BO_CREATE, &bo);
	if (ret)
		bench_fail(dev, "buffer", ret);

	printf("# bytes     write: DMA us  window us    read: DMA us  window us    WRITE job alone us\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		len = sizes[i];
		for (k = 0; k < 2; k++) {
			wse_device_set_small_copy(dev, 0);
			dma[k] = time_copy(dev, !k, buf, len);
			wse_device_set_small_copy(dev, SIZE_MAX - 1);
			win[k] = time_copy(dev, !k, buf, len);
			if (!cross[k] && win[k] >= dma[k])
				cross[k] = len;
			if (len == 4096)
				at4k[k] = dma[k] / win[k];
		}
		job = time_job(dev, &info, w, bo.handle, len);
		printf("# %8zu  %12.1f %10.1f  %12.1f %10.1f  %20.1f\n", len,
		       dma[0] * 1e6, win[0] * 1e6, dma[1] * 1e6, win[1] * 1e6,
		       job * 1e6);
	}
	for (k = 0; k < 2; k++) {
		if (cross[k])
			printf("# %s: DMA is as fast from %zu bytes on\n",
			       k ? "read" : "write", cross[k]);
		else
			printf("# %s: windows are faster up to %u bytes\n",
			       k ? "read" : "write", MAX_BYTES);
	}
	wse_device_set_small_copy(dev, 0);
	time_window(dev, 4 << 10);
	time_window(dev, 64 << 10);
	time_window(dev, (size_t)w * info.sram_bytes < MAX_BYTES ?
			 (size_t)w * info.sram_bytes / 4096 * 4096 : MAX_BYTES);
	bench_figure("small-copy-4k-write-speedup", at4k[0], ">=", 2);
	bench_figure("small-copy-4k-read-speedup", at4k[1], ">=", 2);
	free(buf);
	wse_device_close(dev);
	return 0;
}
