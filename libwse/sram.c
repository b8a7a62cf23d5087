// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sram.c - raw SRAM access and the empty job.
 *
 * The SRAM of a region is one linear space: PE (x, y) holds bytes
 * [(y * width + x) * sram_bytes, + sram_bytes). A copy is split into
 * commands of at most max_xfer bytes, each starting at the PE and offset
 * its first byte falls on, and into jobs of at most WSE_BACKEND_MAX_CMDS
 * commands and WSE_STAGE_MAX bytes.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

#define MIN(a, b)	((a) < (b) ? (a) : (b))

/* The commands of one job moving @len bytes from linear @start on. */
static unsigned int wse_sram_cmds(const struct wse_device *dev,
				  const struct wse_region *r, uint32_t op,
				  uint8_t *buf, uint64_t start, size_t len,
				  struct wse_backend_cmd *cmds)
{
	uint64_t sram = dev->info.sram_bytes, pos;
	unsigned int n = 0;
	size_t done, chunk;

	for (done = 0; done < len; done += chunk, n++) {
		chunk = MIN(len - done, dev->info.max_xfer);
		pos = start + done;
		cmds[n] = (struct wse_backend_cmd) {
			.op = op,
			.host = buf + done,
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

static int wse_sram_xfer(struct wse_device *dev, uint32_t op, uint32_t x,
			 uint32_t y, uint32_t offset, void *buf, size_t len)
{
	struct wse_backend_cmd cmds[WSE_BACKEND_MAX_CMDS];
	uint64_t sram, start, total;
	size_t pass_max, done, pass;
	struct wse_region r;
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

	pass_max = MIN((uint64_t)dev->info.max_xfer * WSE_BACKEND_MAX_CMDS,
		       WSE_STAGE_MAX);
	for (done = 0; done < len; done += pass) {
		pass = MIN(len - done, pass_max);
		n = wse_sram_cmds(dev, &r, op, (uint8_t *)buf + done,
				  start + done, pass, cmds);
		ret = wse_task_start(dev, cmds, n, 0, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

int wse_sram_write(struct wse_device *dev, uint32_t x, uint32_t y,
		   uint32_t offset, const void *buf, size_t len)
{
	/* The buffer is only read for WSE_BACKEND_OP_WRITE. */
	return wse_sram_xfer(dev, WSE_BACKEND_OP_WRITE, x, y, offset, (void *)buf,
			     len);
}

int wse_sram_read(struct wse_device *dev, uint32_t x, uint32_t y,
		  uint32_t offset, void *buf, size_t len)
{
	return wse_sram_xfer(dev, WSE_BACKEND_OP_READ, x, y, offset, buf, len);
}

int wse_nop(struct wse_device *dev)
{
	struct wse_backend_cmd cmd = { .op = WSE_BACKEND_OP_NOP };

	if (!dev)
		return wse_fail(NULL, -EINVAL, "NULL device");
	return wse_task_start(dev, &cmd, 1, 0, NULL);
}
