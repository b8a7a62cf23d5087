/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spec.h - the arguments of wse-run's actions:
 *
 *   --h2d SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
 *   --d2h SYM[:TYPE][@PX,PY,W,H[,N]]=FILE
 *   --launch NAME[:ARG[,ARG]...]
 *
 * TYPE is f32, i32, u32, f16 or i16; PX, PY, W, H a rectangle of PEs of
 * the program; N elements per PE. ARG is an integer (decimal, 0x hex,
 * negative) or a float (with a point or an exponent), passed as its
 * 32 bits.
 */
#ifndef WSE_RUN_SPEC_H
#define WSE_RUN_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RUN_NAME_MAX	64
#define RUN_MAX_ARGS	8	/* WSE_MAX_ARGS */

/**
 * struct run_xfer - one copy between a symbol and a file
 * @sym: the symbol's name
 * @type: enum npy_dtype, or -1 if not given
 * @has_rect: @px..@h were given
 * @px: first PE column
 * @py: first PE row
 * @w: PE columns
 * @h: PE rows
 * @n: elements per PE, 0 if not given
 * @file: the file, pointing into the parsed argument
 */
struct run_xfer {
	char sym[RUN_NAME_MAX];
	int type;
	bool has_rect;
	uint32_t px, py, w, h;
	uint32_t n;
	const char *file;
};

/**
 * struct run_launch - one launch
 * @name: the function's name
 * @nargs: arguments given
 * @args: their 32-bit values
 */
struct run_launch {
	char name[RUN_NAME_MAX];
	unsigned int nargs;
	uint32_t args[RUN_MAX_ARGS];
};

/* Return: 0, or -EINVAL with a sentence in @err. */
int run_parse_xfer(const char *arg, struct run_xfer *x, char *err,
		   size_t errlen);
int run_parse_launch(const char *arg, struct run_launch *l, char *err,
		     size_t errlen);

/*
 * One launch argument: its 32 bits; -EINVAL if it is neither an int32,
 * a uint32 nor a float.
 */
int run_parse_arg(const char *s, size_t len, uint32_t *bits);

/* A decimal number of 32 bits at *@s (no sign, no 0x); moves *@s past it. */
int run_parse_u32(const char **s, uint32_t *v);

#endif /* WSE_RUN_SPEC_H */
