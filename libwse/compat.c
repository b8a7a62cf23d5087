// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compat.c - the functions of earlier ABI versions whose structures have
 * grown since.
 *
 * struct wse_symbol gained elem_type in WSE_1.2. Programs linked against
 * WSE_1.0 call wse_program_symbol@WSE_1.0 and wse_program_function@WSE_1.0
 * with room for the old structure only; these fill exactly that. Programs
 * built now bind to the @@WSE_1.2 versions (program.c).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include "wse_priv.h"

/* struct wse_symbol as WSE_1.0 declared it. */
struct wse_symbol_1_0 {
	const char *name;
	uint32_t kind;
	uint32_t index;
	uint32_t addr;
	uint32_t size;
	uint32_t elem_bytes;
};

int wse_program_symbol_1_0(const struct wse_program *prog, const char *name,
			   struct wse_symbol_1_0 *sym);
int wse_program_function_1_0(const struct wse_program *prog, const char *name,
			     struct wse_symbol_1_0 *sym);

static int wse_symbol_to_1_0(int ret, const struct wse_symbol *s,
			     struct wse_symbol_1_0 *old)
{
	if (ret)
		return ret;
	*old = (struct wse_symbol_1_0) {
		.name = s->name,
		.kind = s->kind,
		.index = s->index,
		.addr = s->addr,
		.size = s->size,
		.elem_bytes = s->elem_bytes,
	};
	return 0;
}

__asm__(".symver wse_program_symbol_1_0, wse_program_symbol@WSE_1.0");
int wse_program_symbol_1_0(const struct wse_program *prog, const char *name,
			   struct wse_symbol_1_0 *sym)
{
	struct wse_symbol s;

	return wse_symbol_to_1_0(wse_program_lookup(prog, name, WSE_SYMBOL_OBJECT,
						    sym ? &s : NULL),
				 &s, sym);
}

__asm__(".symver wse_program_function_1_0, wse_program_function@WSE_1.0");
int wse_program_function_1_0(const struct wse_program *prog, const char *name,
			     struct wse_symbol_1_0 *sym)
{
	struct wse_symbol s;

	return wse_symbol_to_1_0(wse_program_lookup(prog, name, WSE_SYMBOL_FUNCTION,
						    sym ? &s : NULL),
				 &s, sym);
}
