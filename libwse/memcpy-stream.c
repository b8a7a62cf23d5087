// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memcpy-stream.c - SdkRuntime's streaming memcpy (memcpy_h2d(...,
 * streaming=True)): a rectangle's host array, in either order, as one
 * stream through the west edge's I/O channels (Documentation/wse/
 * streaming.rst, "Streaming copies").
 *
 * Row j of the w x h rectangle at (px, py) is one row of the stream: the
 * edge PE (0, py + j) receives (or sent) w * elem_per_pe elements, those
 * of PE (px, py + j) first, then (px + 1, py + j)'s, and so on; the
 * kernel passes them on east. In row-major order that is the host array
 * as it is; a column-major array is reordered on the host.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wse_priv.h"

/* Row-major index of element e of PE (x, y) and its column-major one. */
static inline size_t wse_rm(uint32_t w, uint32_t n, uint32_t x, uint32_t y,
			    uint32_t e)
{
	return ((size_t)y * w + x) * n + e;
}

static inline size_t wse_cm(uint32_t w, uint32_t h, uint32_t x, uint32_t y,
			    uint32_t e)
{
	return ((size_t)e * w + x) * h + y;
}

/* @cm column-major to @rm row-major (@to_rm), or back. */
static void wse_reorder(void *rm, void *cm, uint32_t w, uint32_t h,
			uint32_t n, unsigned int es, bool to_rm)
{
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			for (uint32_t e = 0; e < n; e++) {
				uint8_t *r = (uint8_t *)rm + wse_rm(w, n, x, y, e) * es;
				uint8_t *c = (uint8_t *)cm + wse_cm(w, h, x, y, e) * es;

				if (to_rm)
					memcpy(r, c, es);
				else
					memcpy(c, r, es);
			}
}

void wse_reorder_finish(const struct wse_reorder *ro)
{
	wse_reorder(ro->stage, ro->host, ro->w, ro->h, ro->n, ro->elem_bytes,
		    false);
}

static int wse_memcpy_stream(struct wse_program *prog, bool in,
			     unsigned int color, void *host, uint32_t px,
			     uint32_t py, uint32_t w, uint32_t h,
			     uint32_t elem_per_pe, enum wse_dtype dtype,
			     enum wse_order order, unsigned int flags,
			     struct wse_task **task)
{
	const char *what = in ? "memcpy_h2d_streaming" : "memcpy_d2h_streaming";
	struct wse_backend_cmd cmd;
	struct wse_reorder *ro = NULL;
	const struct wse_region *r;
	void *buf = host;
	uint64_t row;
	int ret = wse_stream_flags(prog, what, flags, task);

	if (ret)
		return ret;
	r = &prog->region;
	if (dtype != WSE_MEMCPY_16BIT && dtype != WSE_MEMCPY_32BIT)
		return wse_fail(prog->dev, -EINVAL, "%s: bad element type %d", what, dtype);
	if (order != WSE_MEMCPY_ROW_MAJOR && order != WSE_MEMCPY_COL_MAJOR)
		return wse_fail(prog->dev, -EINVAL, "%s: bad order %d", what, order);
	if (!w || !h || px >= r->width || py >= r->height ||
	    w > r->width - px || h > r->height - py)
		return wse_fail(prog->dev, -EINVAL, "%s: %ux%u PEs at (%u,%u) leave the %ux%u region",
				what, w, h, px, py, r->width, r->height);
	row = (uint64_t)w * elem_per_pe;
	if (row > UINT32_MAX)
		return wse_fail(prog->dev, -EINVAL, "%s: %llu elements a row", what,
				(unsigned long long)row);
	/* Checks the rest (color, counts, size) before anything is staged. */
	ret = wse_stream_cmd(prog, in, color, WSE_STREAM_EDGE_WEST, py, h,
			     (uint32_t)row, dtype, host, what, &cmd);
	if (ret)
		return ret;
	if (order == WSE_MEMCPY_ROW_MAJOR || (w == 1 && elem_per_pe == 1) ||
	    (h == 1 && w == 1))
		return wse_task_start(prog->dev, &cmd, 1, flags, task);

	buf = malloc(cmd.length);
	if (!buf)
		return wse_fail(prog->dev, -ENOMEM, "%s: out of memory for %llu bytes",
				what, (unsigned long long)cmd.length);
	cmd.host = buf;
	if (in) {
		/* The job has taken the stream when the call returns. */
		wse_reorder(buf, host, w, h, elem_per_pe, dtype, true);
		ret = wse_task_start(prog->dev, &cmd, 1, flags, task);
		free(buf);
		return ret;
	}
	ro = malloc(sizeof(*ro));
	if (!ro) {
		free(buf);
		return wse_fail(prog->dev, -ENOMEM, "%s: out of memory", what);
	}
	*ro = (struct wse_reorder){ .stage = buf, .host = host, .w = w, .h = h,
				    .n = elem_per_pe, .elem_bytes = dtype };
	return wse_task_start_reorder(prog->dev, &cmd, 1, flags, task, ro);
}

int wse_memcpy_h2d_streaming(struct wse_program *prog, unsigned int color,
			     const void *host, uint32_t px, uint32_t py,
			     uint32_t w, uint32_t h, uint32_t elem_per_pe,
			     enum wse_dtype dtype, enum wse_order order,
			     unsigned int flags, struct wse_task **task)
{
	return wse_memcpy_stream(prog, true, color, (void *)host, px, py, w, h,
				 elem_per_pe, dtype, order, flags, task);
}

int wse_memcpy_d2h_streaming(struct wse_program *prog, unsigned int color,
			     void *host, uint32_t px, uint32_t py, uint32_t w,
			     uint32_t h, uint32_t elem_per_pe,
			     enum wse_dtype dtype, enum wse_order order,
			     unsigned int flags, struct wse_task **task)
{
	return wse_memcpy_stream(prog, false, color, host, px, py, w, h,
				 elem_per_pe, dtype, order, flags, task);
}
