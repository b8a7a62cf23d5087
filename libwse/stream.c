// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c - resident kernels and streaming I/O: wse_launch_resident(),
 * wse_stream_send(), wse_stream_receive(), wse_stream_send_receive(),
 * wse_call(), wse_stop()
 * (Documentation/wse/streaming.rst). Each is one job of the device's
 * queue, with the tasks and error conventions of the other operations.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "wse_priv.h"

_Static_assert(WSE_STREAM_EDGE_WEST == 0, "edges");

/* Routable colors of the wafer (abi/wafer-abi.h). */
#define WSE_STREAM_COLORS	24

int wse_stream_flags(struct wse_program *prog, const char *what,
			    unsigned int flags, struct wse_task **task)
{
	if (!prog)
		return wse_fail(NULL, -EINVAL, "%s: NULL program", what);
	if (flags & ~WSE_NONBLOCK)
		return wse_fail(prog->dev, -EINVAL, "%s: unknown flags 0x%x", what,
				flags & ~WSE_NONBLOCK);
	if ((flags & WSE_NONBLOCK) && !task)
		return wse_fail(prog->dev, -EINVAL, "%s: WSE_NONBLOCK needs a task", what);
	return 0;
}

static int wse_fn_cmd(struct wse_program *prog, const char *what,
		      const char *function, unsigned int nargs,
		      const uint32_t *args, struct wse_backend_cmd *cmd)
{
	struct wse_symbol sym;
	int ret;

	if (nargs > WSE_MAX_ARGS || (nargs && !args))
		return wse_fail(prog->dev, -EINVAL, "%s: %u arguments (at most %d)",
				what, nargs, WSE_MAX_ARGS);
	ret = wse_program_lookup(prog, function, WSE_SYMBOL_FUNCTION, &sym);
	if (ret)
		return ret;
	cmd->launch.function = sym.index;
	cmd->launch.nargs = nargs;
	for (unsigned int i = 0; i < nargs; i++)
		cmd->launch.args[i] = args[i];
	return 0;
}

int wse_launch_resident(struct wse_program *prog, const char *function,
			unsigned int nargs, const uint32_t *args,
			unsigned int flags, struct wse_task **task)
{
	struct wse_backend_cmd cmd = { .op = WSE_BACKEND_OP_RESIDENT };
	int ret = wse_stream_flags(prog, "launch_resident", flags, task);

	if (!ret)
		ret = wse_fn_cmd(prog, "launch_resident", function, nargs, args, &cmd);
	if (ret)
		return ret;
	return wse_task_start(prog->dev, &cmd, 1, flags, task);
}

int wse_call(struct wse_program *prog, const char *function,
	     unsigned int nargs, const uint32_t *args, uint32_t *ret_val,
	     unsigned int flags, struct wse_task **task)
{
	struct wse_backend_cmd cmd = { .op = WSE_BACKEND_OP_CALL };
	int ret = wse_stream_flags(prog, "call", flags, task);

	if (!ret)
		ret = wse_fn_cmd(prog, "call", function, nargs, args, &cmd);
	if (ret)
		return ret;
	if (ret_val) {
		cmd.host = ret_val;
		cmd.length = sizeof(*ret_val);
	}
	return wse_task_start(prog->dev, &cmd, 1, flags, task);
}

int wse_stop(struct wse_program *prog, unsigned int flags, struct wse_task **task)
{
	struct wse_backend_cmd cmd = { .op = WSE_BACKEND_OP_STOP };
	int ret = wse_stream_flags(prog, "stop", flags, task);

	if (ret)
		return ret;
	return wse_task_start(prog->dev, &cmd, 1, flags, task);
}

int wse_stream_cmd(struct wse_program *prog, bool in, unsigned int color,
		   unsigned int edge, uint32_t y, uint32_t h,
		   uint32_t elem_per_pe, unsigned int elem_bytes, void *buf,
		   const char *what, struct wse_backend_cmd *cmd)
{
	struct wse_region rg;
	uint64_t bytes;
	int ret;

	if (color >= WSE_STREAM_COLORS)
		return wse_fail(prog->dev, -EINVAL, "%s: color %u (colors are 0..%d)",
				what, color, WSE_STREAM_COLORS - 1);
	if (edge != WSE_STREAM_EDGE_WEST)
		return wse_fail(prog->dev, -EINVAL,
				"%s: edge %u (only the west edge, %d, has I/O channels)",
				what, edge, WSE_STREAM_EDGE_WEST);
	if (elem_bytes != 2 && elem_bytes != 4)
		return wse_fail(prog->dev, -EINVAL, "%s: %u-byte elements (2 or 4)",
				what, elem_bytes);
	if (!buf)
		return wse_fail(prog->dev, -EINVAL, "%s: NULL buffer", what);
	ret = wse_region_get(prog->dev, &rg);
	if (ret)
		return wse_fail(prog->dev, ret, "%s: the device has no region", what);
	if (!h || !elem_per_pe || y >= rg.height || h > rg.height - y)
		return wse_fail(prog->dev, -EINVAL,
				"%s: rows %u..+%u with %u elements each do not fit the %u-row region",
				what, y, h, elem_per_pe, rg.height);
	bytes = (uint64_t)h * elem_per_pe * elem_bytes;
	if (bytes > prog->dev->info.max_xfer)
		return wse_fail(prog->dev, -EINVAL, "%s: %llu bytes (at most %u)", what,
				(unsigned long long)bytes, prog->dev->info.max_xfer);
	*cmd = (struct wse_backend_cmd){
		.op = in ? WSE_BACKEND_OP_STREAM_IN : WSE_BACKEND_OP_STREAM_OUT,
	};
	cmd->host = buf;
	cmd->length = bytes;
	cmd->stream.color = color;
	cmd->stream.edge = edge;
	cmd->stream.y = y;
	cmd->stream.h = h;
	cmd->stream.elem_per_pe = elem_per_pe;
	cmd->stream.elem_bytes = elem_bytes;
	return 0;
}

static int wse_stream(struct wse_program *prog, bool in, unsigned int color,
		      unsigned int edge, uint32_t y, uint32_t h,
		      uint32_t elem_per_pe, unsigned int elem_bytes, void *buf,
		      unsigned int flags, struct wse_task **task)
{
	const char *what = in ? "stream_send" : "stream_receive";
	struct wse_backend_cmd cmd;
	int ret = wse_stream_flags(prog, what, flags, task);

	if (!ret)
		ret = wse_stream_cmd(prog, in, color, edge, y, h, elem_per_pe,
				     elem_bytes, buf, what, &cmd);
	if (ret)
		return ret;
	return wse_task_start(prog->dev, &cmd, 1, flags, task);
}

int wse_stream_send(struct wse_program *prog, unsigned int color,
		    unsigned int edge, uint32_t y, uint32_t h,
		    uint32_t elem_per_pe, unsigned int elem_bytes,
		    const void *buf, unsigned int flags, struct wse_task **task)
{
	return wse_stream(prog, true, color, edge, y, h, elem_per_pe, elem_bytes,
			  (void *)buf, flags, task);
}

int wse_stream_receive(struct wse_program *prog, unsigned int color,
		       unsigned int edge, uint32_t y, uint32_t h,
		       uint32_t elem_per_pe, unsigned int elem_bytes, void *buf,
		       unsigned int flags, struct wse_task **task)
{
	return wse_stream(prog, false, color, edge, y, h, elem_per_pe, elem_bytes,
			  buf, flags, task);
}

int wse_stream_send_receive(struct wse_program *prog,
			    const struct wse_stream_xfer *send,
			    const struct wse_stream_xfer *recv,
			    unsigned int flags, struct wse_task **task)
{
	const char *what = "stream_send_receive";
	struct wse_backend_cmd cmds[2];
	int ret = wse_stream_flags(prog, what, flags, task);

	if (!ret && (!send || !recv))
		ret = wse_fail(prog->dev, -EINVAL, "%s: NULL transfer", what);
	if (!ret)
		ret = wse_stream_cmd(prog, true, send->color, send->edge, send->y,
				     send->h, send->elem_per_pe, send->elem_bytes,
				     send->buf, what, &cmds[0]);
	if (!ret)
		ret = wse_stream_cmd(prog, false, recv->color, recv->edge, recv->y,
				     recv->h, recv->elem_per_pe, recv->elem_bytes,
				     recv->buf, what, &cmds[1]);
	if (ret)
		return ret;
	/* One job: the backend sees the receive before the send runs. */
	return wse_task_start(prog->dev, cmds, 2, flags, task);
}
