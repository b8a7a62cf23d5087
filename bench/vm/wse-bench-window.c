// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-bench-window - memcpy bandwidth through an SRAM window, in the VM.
 *
 * The same memcpy of WINDOW_BYTES into a window and into ordinary guest
 * RAM, best of REPS each; then the same out of both. A window whose
 * accesses trapped into the device model would come out about a
 * thousand times slower than RAM; one backed by the SRAM directly (RAM
 * aliases in QEMU) at the speed of RAM.
 *
 *   figure: window-write-vs-ram <window / RAM bandwidth> goal >=0.5
 *   figure: window-read-vs-ram  <window / RAM bandwidth> goal >=0.5
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define WINDOW_BYTES	(1u << 20)
#define REPS		15

int main(void)
{
	struct wse_device_info info;
	struct wse_device *dev;
	struct wse_window *win;
	double t_ram, t_win;
	uint32_t w, h;
	char *src, *ram, *p;
	size_t len;
	int ret;

	ret = wse_device_open(0, &dev);
	if (ret)
		bench_fail(NULL, "open", ret);
	wse_device_info(dev, &info);
	/* One region row long enough for the window. */
	len = WINDOW_BYTES;
	if (len > info.window_size)
		len = info.window_size;
	w = (len + info.sram_bytes - 1) / info.sram_bytes;
	if (w > info.mesh_width) {
		w = info.mesh_width;
		len = (size_t)w * info.sram_bytes / 4096 * 4096;
	}
	h = 1;
	ret = wse_region_alloc(dev, w, h, NULL);
	if (ret)
		bench_fail(dev, "region", ret);
	ret = wse_window_create(dev, 0, 0, 0, len, 0, &win);
	if (ret)
		bench_fail(dev, "window", ret);
	p = wse_window_ptr(win);
	src = malloc(len);
	ram = malloc(len);
	if (!src || !ram)
		bench_fail(dev, "malloc", -ENOMEM);
	memset(src, 0x5a, len);
	memset(ram, 0, len);
	memset(p, 0, len);	/* maps the window */

	t_ram = bench_best_memcpy(ram, src, len, REPS);
	t_win = bench_best_memcpy(p, src, len, REPS);
	printf("# memcpy of %zu KiB into guest RAM: %.3f ms (%.2f GB/s), into a window: %.3f ms (%.2f GB/s)\n",
	       len >> 10, t_ram * 1e3, len / t_ram / 1e9, t_win * 1e3,
	       len / t_win / 1e9);
	bench_figure("window-write-vs-ram", t_ram / t_win, ">=", 0.5);

	t_ram = bench_best_memcpy(src, ram, len, REPS);
	t_win = bench_best_memcpy(src, p, len, REPS);
	printf("# memcpy of %zu KiB out of guest RAM: %.3f ms (%.2f GB/s), out of a window: %.3f ms (%.2f GB/s)\n",
	       len >> 10, t_ram * 1e3, len / t_ram / 1e9, t_win * 1e3,
	       len / t_win / 1e9);
	bench_figure("window-read-vs-ram", t_ram / t_win, ">=", 0.5);

	free(src);
	free(ram);
	wse_window_destroy(win);
	wse_device_close(dev);
	return 0;
}
