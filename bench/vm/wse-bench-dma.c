// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-bench-dma - DMA bandwidth through libwse, in the VM, against the
 * host's memcpy bandwidth measured by bench/host-memcpy in the same
 * `make bench` run. The device model copies between guest RAM and SRAM
 * with the host's memcpy, so that is the limit.
 *
 * 64 MiB go to the SRAM (wse_sram_write(), WRITE commands) and come back
 * (wse_sram_read(), READ), best of REPS each, timed around the libwse
 * call, from and to host memory of wse_host_alloc(), which the device
 * reaches directly:
 *
 *   figure: dma-write-vs-host-memcpy <write bandwidth / host memcpy> goal >=0.5
 *   figure: dma-read-vs-host-memcpy  <read bandwidth / host memcpy> goal >=0.5
 *
 * and from and to malloc() memory, whose pages libwse pins where they are
 * for the copy (DRM_IOCTL_WSE_BO_USERPTR) instead of staging them through
 * a buffer of its own with a memcpy in the guest, at the speed of TCG:
 *
 *   figure: dma-userptr-write-vs-host-memcpy <bandwidth / host memcpy> goal >=0.5
 *   figure: dma-userptr-read-vs-host-memcpy  <bandwidth / host memcpy> goal >=0.5
 *
 * To show where the time goes it also prints the guest's own memcpy of
 * 64 MiB.
 *
 * Usage: wse-bench-dma HOST_MEMCPY_FILE (one number: bytes per second)
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define BYTES		(64u << 20)
#define REPS		3

struct result {
	double write;		/* best seconds */
	double read;
};

static double read_host_figure(const char *path)
{
	double v = 0;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%lf", &v) != 1)
		v = 0;
	if (f)
		fclose(f);
	return v;
}

/* 64 MiB from @a to the SRAM and back into @b, best of REPS each way. */
static void time_copies(struct wse_device *dev, char *a, char *b,
			struct result *r)
{
	double t;
	int i, ret;

	memset(a, 0x3c, BYTES);
	memset(b, 0, BYTES);
	r->write = r->read = 1e9;
	for (i = 0; i < REPS; i++) {
		t = bench_now();
		ret = wse_sram_write(dev, 0, 0, 0, a, BYTES);
		t = bench_now() - t;
		if (ret)
			bench_fail(dev, "write", ret);
		if (t < r->write)
			r->write = t;
		t = bench_now();
		ret = wse_sram_read(dev, 0, 0, 0, b, BYTES);
		t = bench_now() - t;
		if (ret)
			bench_fail(dev, "read", ret);
		if (t < r->read)
			r->read = t;
	}
	if (memcmp(a, b, BYTES))
		bench_fail(dev, "data", -EIO);
}

static void report(const char *what, const char *name, const struct result *r,
		   double host)
{
	char fig[64];

	printf("# %s: write %.1f ms (%.2f GB/s), read %.1f ms (%.2f GB/s)\n",
	       what, r->write * 1e3, BYTES / r->write / 1e9, r->read * 1e3,
	       BYTES / r->read / 1e9);
	if (!name)
		return;
	snprintf(fig, sizeof(fig), "%s-write-vs-host-memcpy", name);
	bench_figure(fig, BYTES / r->write / host, ">=", 0.5);
	snprintf(fig, sizeof(fig), "%s-read-vs-host-memcpy", name);
	bench_figure(fig, BYTES / r->read / host, ">=", 0.5);
}

int main(int argc, char **argv)
{
	struct wse_device_info info;
	struct result pinned, staged;
	struct wse_device *dev;
	double host, t_memcpy;
	char *a, *b;
	uint64_t row;
	uint32_t h;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: wse-bench-dma HOST_MEMCPY_FILE\n");
		return 2;
	}
	host = read_host_figure(argv[1]);
	if (host <= 0) {
		fprintf(stderr, "wse-bench-dma: no host memcpy figure in %s\n",
			argv[1]);
		return 1;
	}
	ret = wse_device_open(0, &dev);
	if (ret)
		bench_fail(NULL, "open", ret);
	wse_device_info(dev, &info);
	row = (uint64_t)info.mesh_width * info.sram_bytes;
	h = (BYTES + row - 1) / row;
	if (h > info.mesh_height) {
		fprintf(stderr, "wse-bench-dma: a %ux%u mesh holds less than %u MiB\n",
			info.mesh_width, info.mesh_height, BYTES >> 20);
		return 1;
	}
	ret = wse_region_alloc(dev, info.mesh_width, h, NULL);
	if (ret)
		bench_fail(dev, "region", ret);

	/* Host memory the device reaches directly. */
	ret = wse_host_alloc(dev, BYTES, (void **)&a);
	if (!ret)
		ret = wse_host_alloc(dev, BYTES, (void **)&b);
	if (ret)
		bench_fail(dev, "host memory", ret);
	time_copies(dev, a, b, &pinned);
	wse_host_free(dev, a);
	wse_host_free(dev, b);

	/* Ordinary memory, pinned for each copy. */
	a = malloc(BYTES);
	b = malloc(BYTES);
	if (!a || !b)
		bench_fail(dev, "malloc", -ENOMEM);
	time_copies(dev, a, b, &staged);
	t_memcpy = bench_best_memcpy(b, a, BYTES, REPS);

	printf("# host memcpy: %.2f GB/s; guest memcpy of 64 MiB: %.1f ms (%.2f GB/s)\n",
	       host / 1e9, t_memcpy * 1e3, BYTES / t_memcpy / 1e9);
	report("wse_host_alloc() memory", "dma", &pinned, host);
	report("malloc() memory, pinned per copy", "dma-userptr", &staged, host);
	free(a);
	free(b);
	wse_device_close(dev);
	return 0;
}
