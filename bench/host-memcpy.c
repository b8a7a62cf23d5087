// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host-memcpy - the host's memcpy bandwidth, baseline of the VM's DMA
 * figures (bench/vm/wse-bench-dma.c): the device model copies between
 * guest RAM and SRAM with the host's memcpy, so that is the most DMA can
 * reach. Best of REPS copies of 64 MiB, written as bytes per second to
 * $B/results/host-memcpy.txt (B defaults to the build directory), which
 * bench/run.sh hands to the VM.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define BYTES		(64u << 20)
#define REPS		10

#ifndef WSE_BUILD
#define WSE_BUILD "build"
#endif

int main(void)
{
	const char *b = getenv("B");
	char path[4096];
	char *src, *dst;
	double best;
	FILE *f;

	src = malloc(BYTES);
	dst = malloc(BYTES);
	if (!src || !dst) {
		fprintf(stderr, "host-memcpy: out of memory\n");
		return 1;
	}
	memset(src, 0x3c, BYTES);
	memset(dst, 0, BYTES);
	best = bench_best_memcpy(dst, src, BYTES, REPS);
	printf("# host memcpy of 64 MiB: %.2f ms, %.2f GB/s (baseline of the VM's DMA figures)\n",
	       best * 1e3, BYTES / best / 1e9);

	snprintf(path, sizeof(path), "%s/results/host-memcpy.txt",
		 b && *b ? b : WSE_BUILD);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%.0f\n", BYTES / best) < 0 || fclose(f)) {
		perror(path);
		return 1;
	}
	free(src);
	free(dst);
	return 0;
}
