// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch.c - running exported functions of a program, with raw 32-bit
 * arguments or typed ones.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "half.h"
#include "wse_priv.h"

_Static_assert(WSE_MAX_ARGS == WSE_BACKEND_MAX_ARGS, "launch arguments");

int wse_launch(struct wse_program *prog, const char *function,
	       unsigned int nargs, const uint32_t *args, unsigned int flags,
	       struct wse_task **task)
{
	struct wse_backend_cmd cmd = { .op = WSE_BACKEND_OP_LAUNCH };
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
	ret = wse_program_lookup(prog, function, WSE_SYMBOL_FUNCTION, &sym);
	if (ret)
		return ret;

	cmd.launch.function = sym.index;
	cmd.launch.nargs = nargs;
	for (i = 0; i < nargs; i++)
		cmd.launch.args[i] = args[i];
	return wse_task_start(prog->dev, &cmd, 1, flags, task);
}

/* The register bits of typed argument @i, or -EINVAL with a sentence. */
static int wse_arg_bits(const struct wse_device *dev, unsigned int i,
			const struct wse_arg *a, uint32_t *bits)
{
	switch (a->type) {
	case WSE_TYPE_I32:
	case WSE_TYPE_U32:
		*bits = a->v.u32;
		return 0;
	case WSE_TYPE_F32:
		memcpy(bits, &a->v.f32, sizeof(*bits));
		return 0;
	case WSE_TYPE_I16:
		if (a->v.i32 < INT16_MIN || a->v.i32 > INT16_MAX)
			return wse_fail(dev, -EINVAL, "launch: argument %u (i16) %d is out of range",
					i + 1, a->v.i32);
		*bits = (uint32_t)a->v.i32;
		return 0;
	case WSE_TYPE_F16:
		*bits = wafer_f2h(a->v.f32);
		return 0;
	}
	return wse_fail(dev, -EINVAL, "launch: argument %u has the unknown type %u",
			i + 1, a->type);
}

int wse_launch_args(struct wse_program *prog, const char *function,
		    unsigned int nargs, const struct wse_arg *args,
		    unsigned int flags, struct wse_task **task)
{
	uint32_t bits[WSE_MAX_ARGS];
	unsigned int i;
	int ret;

	if (!prog)
		return wse_fail(NULL, -EINVAL, "launch: NULL program");
	if (nargs > WSE_MAX_ARGS || (nargs && !args))
		return wse_fail(prog->dev, -EINVAL, "launch: %u arguments (at most %d)",
				nargs, WSE_MAX_ARGS);
	for (i = 0; i < nargs; i++) {
		ret = wse_arg_bits(prog->dev, i, &args[i], &bits[i]);
		if (ret)
			return ret;
	}
	return wse_launch(prog, function, nargs, bits, flags, task);
}
