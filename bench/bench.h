/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h - what every benchmark needs, on the host and in the VM: the
 * clock, the figure lines bench/run.sh collects, and the best time of a
 * memcpy, the baseline of several figures.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_BENCH_COMMON_H
#define WSE_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "figure: <name> <value> goal <op><goal> met|missed", @op "<=" or ">=" */
static inline void bench_figure(const char *name, double value,
				const char *op, double goal)
{
	bool met = !strcmp(op, "<=") ? value <= goal : value >= goal;

	printf("figure: %s %.4g goal %s%g %s\n", name, value, op, goal,
	       met ? "met" : "missed");
	fflush(stdout);
}

/* Best seconds of @reps memcpy()s of @len bytes. */
static inline double bench_best_memcpy(void *dst, const void *src, size_t len,
				       int reps)
{
	double best = 1e9, t;
	int i;

	for (i = 0; i < reps; i++) {
		t = bench_now();
		memcpy(dst, src, len);
		/* Keep the copy from being optimised away. */
		__asm__ volatile("" : : "r"(dst) : "memory");
		t = bench_now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

#endif /* WSE_BENCH_COMMON_H */
