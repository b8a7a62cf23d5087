// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memcpy.c - rectangle copies between host arrays and program symbols:
 * every argument checked here, then one command to the backend, which
 * moves the bytes (the drm backend through a window when the copy is
 * small, the simulator at once when its queue is idle).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

/* One copy as the caller described it. */
struct wse_copy {
	uint32_t op;		/* WSE_BACKEND_OP_H2D or _D2H */
	uint32_t bcast;		/* WSE_BACKEND_BCAST_* */
	const struct wse_symbol *sym;
	void *host;
	uint32_t px, py, w, h;
	uint32_t elem_per_pe;
	enum wse_dtype dtype;
	enum wse_order order;
	unsigned int flags;
};

/* Check every argument; *@bytes receives the size of the host array. */
static int wse_copy_check(const struct wse_program *prog,
			  const struct wse_copy *c, struct wse_task **task,
			  uint64_t *bytes)
{
	const struct wse_device *dev = prog->dev;
	const struct wse_region *r = &prog->region;
	uint64_t sets;

	if (!c->sym || !c->host)
		return wse_fail(dev, -EINVAL, "copy: NULL symbol or host array");
	if (c->flags & ~WSE_NONBLOCK)
		return wse_fail(dev, -EINVAL, "copy: unknown flags 0x%x",
				c->flags & ~WSE_NONBLOCK);
	if ((c->flags & WSE_NONBLOCK) && !task)
		return wse_fail(dev, -EINVAL, "copy: WSE_NONBLOCK needs a task");
	if (c->sym->kind != WSE_SYMBOL_OBJECT)
		return wse_fail(dev, -EINVAL, "copy: '%s' is not an array",
				c->sym->name);
	if (c->dtype != WSE_MEMCPY_16BIT && c->dtype != WSE_MEMCPY_32BIT)
		return wse_fail(dev, -EINVAL, "copy: bad element type %d",
				c->dtype);
	if ((uint32_t)c->dtype != c->sym->elem_bytes)
		return wse_fail(dev, -EINVAL, "copy: '%s' holds %u-bit elements, not %d-bit",
				c->sym->name, c->sym->elem_bytes * 8,
				c->dtype * 8);
	if (c->order != WSE_MEMCPY_ROW_MAJOR && c->order != WSE_MEMCPY_COL_MAJOR)
		return wse_fail(dev, -EINVAL, "copy: bad order %d", c->order);
	if (!c->w || !c->h || c->px >= r->width || c->py >= r->height ||
	    c->w > r->width - c->px || c->h > r->height - c->py)
		return wse_fail(dev, -EINVAL, "copy: %ux%u PEs at (%u,%u) leave the %ux%u region",
				c->w, c->h, c->px, c->py, r->width, r->height);
	if (!c->elem_per_pe ||
	    (uint64_t)c->elem_per_pe * c->dtype > c->sym->size)
		return wse_fail(dev, -EINVAL, "copy: %u elements do not fit '%s' (%u bytes)",
				c->elem_per_pe, c->sym->name, c->sym->size);

	switch (c->bcast) {
	case WSE_BACKEND_BCAST_ROW:
		sets = c->h;
		break;
	case WSE_BACKEND_BCAST_COL:
		sets = c->w;
		break;
	default:
		sets = (uint64_t)c->w * c->h;
		break;
	}
	*bytes = sets * c->elem_per_pe * c->dtype;
	if (*bytes > dev->info.max_xfer)
		return wse_fail(dev, -EINVAL, "copy: %llu bytes exceed the device's limit of %u per copy",
				(unsigned long long)*bytes, dev->info.max_xfer);
	return 0;
}

static int wse_copy(struct wse_program *prog, const struct wse_copy *c,
		    struct wse_task **task)
{
	struct wse_backend_cmd cmd;
	uint64_t bytes = 0;
	int ret;

	if (!prog)
		return wse_fail(NULL, -EINVAL, "copy: NULL program");
	ret = wse_copy_check(prog, c, task, &bytes);
	if (ret)
		return ret;
	cmd = (struct wse_backend_cmd) {
		.op = c->op,
		.host = c->host,
		.length = bytes,
		.rect = {
			.x = c->px,
			.y = c->py,
			.w = c->w,
			.h = c->h,
			.addr = c->sym->addr,
			.elem_per_pe = c->elem_per_pe,
			.elem_bytes = c->dtype,
			.order = c->order == WSE_MEMCPY_COL_MAJOR ?
				 WSE_BACKEND_ORDER_COL_MAJOR :
				 WSE_BACKEND_ORDER_ROW_MAJOR,
			.bcast = c->bcast,
		},
	};
	return wse_task_start(prog->dev, &cmd, 1, c->flags, task);
}

static int wse_rect_copy(struct wse_program *prog, uint32_t op, uint32_t bcast,
			 const struct wse_symbol *sym, const void *host,
			 uint32_t px, uint32_t py, uint32_t w, uint32_t h,
			 uint32_t elem_per_pe, enum wse_dtype dtype,
			 enum wse_order order, unsigned int flags,
			 struct wse_task **task)
{
	struct wse_copy c = {
		.op = op, .bcast = bcast, .sym = sym, .host = (void *)host,
		.px = px, .py = py, .w = w, .h = h, .elem_per_pe = elem_per_pe,
		.dtype = dtype, .order = order, .flags = flags,
	};

	return wse_copy(prog, &c, task);
}

int wse_memcpy_h2d(struct wse_program *prog, const struct wse_symbol *sym,
		   const void *host, uint32_t px, uint32_t py, uint32_t w,
		   uint32_t h, uint32_t elem_per_pe, enum wse_dtype dtype,
		   enum wse_order order, unsigned int flags,
		   struct wse_task **task)
{
	return wse_rect_copy(prog, WSE_BACKEND_OP_H2D, WSE_BACKEND_BCAST_NONE, sym,
			     host, px, py, w, h, elem_per_pe, dtype, order, flags,
			     task);
}

int wse_memcpy_d2h(struct wse_program *prog, const struct wse_symbol *sym,
		   void *host, uint32_t px, uint32_t py, uint32_t w,
		   uint32_t h, uint32_t elem_per_pe, enum wse_dtype dtype,
		   enum wse_order order, unsigned int flags,
		   struct wse_task **task)
{
	return wse_rect_copy(prog, WSE_BACKEND_OP_D2H, WSE_BACKEND_BCAST_NONE, sym,
			     host, px, py, w, h, elem_per_pe, dtype, order, flags,
			     task);
}

int wse_memcpy_h2d_rowbcast(struct wse_program *prog,
			    const struct wse_symbol *sym, const void *host,
			    uint32_t px, uint32_t py, uint32_t w, uint32_t h,
			    uint32_t elem_per_pe, enum wse_dtype dtype,
			    enum wse_order order, unsigned int flags,
			    struct wse_task **task)
{
	return wse_rect_copy(prog, WSE_BACKEND_OP_H2D, WSE_BACKEND_BCAST_ROW, sym,
			     host, px, py, w, h, elem_per_pe, dtype, order, flags,
			     task);
}

int wse_memcpy_h2d_colbcast(struct wse_program *prog,
			    const struct wse_symbol *sym, const void *host,
			    uint32_t px, uint32_t py, uint32_t w, uint32_t h,
			    uint32_t elem_per_pe, enum wse_dtype dtype,
			    enum wse_order order, unsigned int flags,
			    struct wse_task **task)
{
	return wse_rect_copy(prog, WSE_BACKEND_OP_H2D, WSE_BACKEND_BCAST_COL, sym,
			     host, px, py, w, h, elem_per_pe, dtype, order, flags,
			     task);
}
