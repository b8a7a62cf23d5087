/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wafer-test.h - small helpers shared by the wafer host tests.
 */
#ifndef WAFER_TEST_H
#define WAFER_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wafer-builder.h"

static inline struct wafer *wt_wafer(uint32_t width, uint32_t height,
				     uint32_t threads, uint32_t depth)
{
	struct wafer_config c = {
		.width = width, .height = height, .threads = threads,
		.queue_depth = depth,
	};
	struct wafer *w = NULL;
	char err[128];

	if (wafer_create(&c, &w, err, sizeof(err))) {
		fprintf(stderr, "wafer_create: %s\n", err);
		return NULL;
	}
	return w;
}

static inline uint32_t wt_word(struct wafer *w, const struct wafer_rect *rg,
			       uint32_t x, uint32_t y, uint32_t addr)
{
	uint32_t v;

	memcpy(&v, wb_pe_sram(w, rg, x, y) + addr, 4);
	return v;
}

static inline float wt_float(struct wafer *w, const struct wafer_rect *rg,
			     uint32_t x, uint32_t y, uint32_t addr)
{
	float v;

	memcpy(&v, wb_pe_sram(w, rg, x, y) + addr, 4);
	return v;
}

static inline void wt_put(struct wafer *w, const struct wafer_rect *rg,
			  uint32_t x, uint32_t y, uint32_t addr,
			  const void *data, size_t len)
{
	memcpy(wb_pe_sram(w, rg, x, y) + addr, data, len);
}

static inline uint32_t wt_fbits(float f)
{
	uint32_t v;

	memcpy(&v, &f, 4);
	return v;
}

static inline double wt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Load b's image on rg and launch function 0; returns wafer_launch()'s. */
static inline int wt_run(struct wafer *w, struct wb *b,
			 const struct wafer_rect *rg, const uint32_t *args,
			 unsigned int nargs, struct wafer_run_stats *st,
			 struct wafer_fault *f)
{
	struct wafer_program *p;
	int ret;

	ret = wafer_load(w, rg, wb_image(b), &p, f);
	if (ret)
		return ret;
	ret = wafer_launch(p, 0, args, nargs, st, f);
	wafer_program_free(p);
	return ret;
}

#endif /* WAFER_TEST_H */
