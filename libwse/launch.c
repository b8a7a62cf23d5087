// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch.c - running exported functions of a program.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

_Static_assert(WSE_MAX_ARGS == DRM_WSE_MAX_ARGS, "launch arguments");

int wse_launch(struct wse_program *prog, const char *function,
	       unsigned int nargs, const uint32_t *args, unsigned int flags,
	       struct wse_task **task)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_LAUNCH };
	struct wse_symbol sym;
	unsigned int i;
	int ret;

	if (!prog)
		return wse_fail(NULL, -EINVAL, "launch: NULL program");
	if (nargs > WSE_MAX_ARGS || (nargs && !args))
		return wse_fail(prog->dev, -EINVAL, "launch: %u arguments (at most %d)",
				nargs, WSE_MAX_ARGS);
	if (flags & ~WSE_NONBLOCK)
		return wse_fail(prog->dev, -EINVAL, "launch: unknown flags 0x%x",
				flags & ~WSE_NONBLOCK);
	if ((flags & WSE_NONBLOCK) && !task)
		return wse_fail(prog->dev, -EINVAL, "launch: WSE_NONBLOCK needs a task");
	ret = wse_program_function(prog, function, &sym);
	if (ret)
		return ret;

	cmd.launch.function = sym.index;
	cmd.launch.nargs = nargs;
	for (i = 0; i < nargs; i++)
		cmd.launch.args[i] = args[i];
	return wse_task_start(prog->dev, &cmd, 1, NULL, NULL, 0, flags, task);
}
