// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pe-dump.c - the state record of one PE of the region, and where a
 * launch faulted.
 *
 * The record is the device's (abi/pe-dump.h), moved by a PE_DUMP command
 * like any copy out; its text form is abi/'s, which disassembles with
 * the ISA tables wse-objdump prints with.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "pe-dump.h"
#include "wse_priv.h"

_Static_assert(WSE_PE_DUMP_SIZE == WAFER_PE_DUMP_V1_SIZE, "PE dump size");

int wse_pe_dump(struct wse_device *dev, uint32_t x, uint32_t y, void *buf,
		size_t len)
{
	struct wse_backend_cmd cmd = {
		.op = WSE_BACKEND_OP_PE_DUMP,
		.host = buf,
		.length = WSE_PE_DUMP_SIZE,
		.sram = { .x = x, .y = y },
	};
	struct wse_region r;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "pe dump: NULL device");
	if (!buf || len < WSE_PE_DUMP_SIZE)
		return wse_fail(dev, -EINVAL, "pe dump: a %zu-byte buffer (needs %d)",
				buf ? len : 0, WSE_PE_DUMP_SIZE);
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	if (x >= r.width || y >= r.height)
		return wse_fail(dev, -EINVAL, "pe dump: PE (%u,%u) is outside the %ux%u region",
				x, y, r.width, r.height);
	ret = wse_task_start(dev, &cmd, 1, 0, NULL);
	if (ret == -EINVAL)
		/* libwse checked every field: a driver without the command. */
		return wse_fail(dev, -EOPNOTSUPP, "pe dump: the device does not support PE state dumps (%s)",
				wse_last_error(dev));
	if (ret)
		return ret;
	if (wafer_pe_dump_check(buf, WSE_PE_DUMP_SIZE))
		return wse_fail(dev, -EIO, "pe dump: the device returned no valid record");
	return WSE_PE_DUMP_SIZE;
}

int wse_pe_dump_text(const void *rec, size_t len, char *buf, size_t buflen)
{
	return wafer_pe_dump_text(rec, len, buf, buflen);
}

int wse_task_fault(const struct wse_task *task, uint32_t *x, uint32_t *y,
		   uint32_t *pc)
{
	if (!task || !x || !y)
		return -EINVAL;
	if (!task->done)
		return -EBUSY;
	if (task->status != -EFAULT)
		return -ENOENT;
	*x = task->fault_x;
	*y = task->fault_y;
	if (pc)
		*pc = task->fault_pc;
	return 0;
}
