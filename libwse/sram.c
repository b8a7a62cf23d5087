// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sram.c - raw SRAM access and the empty job.
 *
 * The SRAM of a region is one linear space: PE (x, y) holds bytes
 * [(y * width + x) * sram_bytes, + sram_bytes). A copy is split into
 * commands of at most max_xfer bytes, each starting at the PE and offset
 * its first byte falls on, and into jobs of at most DRM_WSE_MAX_CMDS
 * commands and WSE_STAGE_MAX bytes. Small copies go through windows
 * instead (wcopy.c) when they can.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "wse_priv.h"

#define MIN(a, b)	((a) < (b) ? (a) : (b))

/*
 * Fill the commands of one job moving @len bytes between linear @start and
 * buffer @handle from byte @at on.
 */
static unsigned int wse_sram_cmds(const struct wse_device *dev,
				  const struct wse_region *r, uint32_t op,
				  uint32_t handle, uint64_t at, uint64_t start,
				  size_t len, struct drm_wse_cmd *cmds)
{
	uint64_t sram = dev->info.sram_bytes, pos;
	unsigned int n = 0;
	size_t done, chunk;

	for (done = 0; done < len; done += chunk, n++) {
		chunk = MIN(len - done, dev->info.max_xfer);
		pos = start + done;
		cmds[n] = (struct drm_wse_cmd) {
			.op = op,
			.handle = handle,
			.offset = at + done,
			.length = chunk,
			.sram = {
				.x = (pos / sram) % r->width,
				.y = (pos / sram) / r->width,
				.offset = pos % sram,
			},
		};
	}
	return n;
}

/*
 * Copy through windows if the copy is small: one piece per region row it
 * touches. Returns 0 when done, 1 when the copy has to go by DMA.
 */
static int wse_sram_small(struct wse_device *dev, uint32_t op,
			  const struct wse_region *r, uint64_t start, void *buf,
			  size_t len)
{
	uint64_t row_bytes = (uint64_t)r->width * dev->info.sram_bytes, pos;
	struct wse_piece p[WSE_WCACHE_MAX];
	unsigned int n = 0;
	size_t done, chunk;

	if (len > __atomic_load_n(&dev->small_copy_max, __ATOMIC_RELAXED))
		return 1;
	for (done = 0; done < len; done += chunk) {
		if (n == WSE_WCACHE_MAX)
			return 1;
		pos = start + done;
		chunk = MIN(len - done, row_bytes - pos % row_bytes);
		p[n++] = (struct wse_piece) {
			.row = pos / row_bytes,
			.len = chunk,
			.lin = pos % row_bytes,
			.host = (char *)buf + done,
		};
	}
	return wse_wcopy(dev, op == DRM_WSE_OP_WRITE, p, n, false);
}

static int wse_sram_xfer(struct wse_device *dev, uint32_t op, uint32_t x,
			 uint32_t y, uint32_t offset, void *buf, size_t len)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS];
	uint64_t sram, start, total, at;
	size_t pass_max, done, pass;
	struct wse_region r;
	struct wse_bo *bo;
	uint32_t handle;
	unsigned int n;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "NULL device");
	if (!len)
		return 0;
	if (!buf)
		return wse_fail(dev, -EINVAL, "NULL buffer");
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	sram = dev->info.sram_bytes;
	total = (uint64_t)r.width * r.height * sram;
	if (x >= r.width || y >= r.height || offset >= sram)
		return wse_fail(dev, -EINVAL, "PE (%u,%u) offset %u is outside the %ux%u region",
				x, y, offset, r.width, r.height);
	start = ((uint64_t)y * r.width + x) * sram + offset;
	if (len > total - start)
		return wse_fail(dev, -EINVAL, "%zu bytes from PE (%u,%u) offset %u run past the %ux%u region",
				len, x, y, offset, r.width, r.height);

	if (!wse_sram_small(dev, op, &r, start, buf, len))
		return 0;

	pass_max = MIN((uint64_t)dev->info.max_xfer * DRM_WSE_MAX_CMDS,
		       WSE_STAGE_MAX);
	if (wse_host_find(dev, buf, len, &handle, &at)) {
		/* Memory of wse_host_alloc(): no staging. */
		for (done = 0; done < len; done += pass) {
			pass = MIN(len - done, pass_max);
			n = wse_sram_cmds(dev, &r, op, handle, at + done,
					  start + done, pass, cmds);
			ret = wse_task_start(dev, cmds, n, NULL, NULL, 0, 0, NULL);
			if (ret)
				return ret;
		}
		return 0;
	}
	for (done = 0; done < len; done += pass) {
		pass = MIN(len - done, pass_max);
		ret = wse_bo_get(dev, pass, &bo);
		if (ret)
			return ret;
		if (op == DRM_WSE_OP_WRITE)
			memcpy(bo->map, (char *)buf + done, pass);
		n = wse_sram_cmds(dev, &r, op, bo->handle, 0, start + done, pass,
				  cmds);
		ret = wse_task_start(dev, cmds, n, bo,
				     op == DRM_WSE_OP_READ ? (char *)buf + done : NULL,
				     pass, 0, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

int wse_sram_write(struct wse_device *dev, uint32_t x, uint32_t y,
		   uint32_t offset, const void *buf, size_t len)
{
	/* The buffer is only read for DRM_WSE_OP_WRITE. */
	return wse_sram_xfer(dev, DRM_WSE_OP_WRITE, x, y, offset, (void *)buf, len);
}

int wse_sram_read(struct wse_device *dev, uint32_t x, uint32_t y,
		  uint32_t offset, void *buf, size_t len)
{
	return wse_sram_xfer(dev, DRM_WSE_OP_READ, x, y, offset, buf, len);
}

int wse_nop(struct wse_device *dev)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };

	if (!dev)
		return wse_fail(NULL, -EINVAL, "NULL device");
	return wse_task_start(dev, &cmd, 1, NULL, NULL, 0, 0, NULL);
}
