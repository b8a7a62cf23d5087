// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diag.c - diagnostics in the form GCC prints them, so that editors and
 * build logs point at the right place:
 *
 *   file:line:col: error: message
 *   file:line:col: note: in expansion of macro 'name'
 *
 * Messages collect in a buffer that wse_asm_*() hands back; after
 * ASM_MAX_ERRORS errors the assembly stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

static void diag_vadd(struct asm_ctx *a, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (a->diag_len + n + 1 > a->diag_cap) {
		size_t cap = (a->diag_len + n + 1) * 2;
		char *d = realloc(a->diag, cap);

		if (!d) {
			a->nomem = 1;
			return;
		}
		a->diag = d;
		a->diag_cap = cap;
	}
	vsnprintf(a->diag + a->diag_len, n + 1, fmt, ap);
	a->diag_len += n;
}

static void diag_add(struct asm_ctx *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag_add(struct asm_ctx *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(a, fmt, ap);
	va_end(ap);
}

static void diag_at(struct asm_ctx *a, const struct loc *loc, unsigned col,
		    const char *kind, const char *fmt, va_list ap)
{
	if (loc && loc->file) {
		if (!loc->line)
			diag_add(a, "%s: %s: ", loc->file, kind);
		else if (col)
			diag_add(a, "%s:%u:%u: %s: ", loc->file, loc->line,
				 col, kind);
		else
			diag_add(a, "%s:%u: %s: ", loc->file, loc->line, kind);
	} else {
		diag_add(a, "wse-as: %s: ", kind);
	}
	diag_vadd(a, fmt, ap);
	diag_add(a, "\n");
	for (const struct expansion *e = loc ? loc->exp : NULL; e; e = e->up)
		diag_add(a, "%s:%u:%u: note: in expansion of macro '%s'\n",
			 e->file, e->line, e->col, e->macro);
}

void asm_error(struct asm_ctx *a, const struct loc *loc, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;

	if (a->errors >= ASM_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	diag_at(a, loc, col, "error", fmt, ap);
	va_end(ap);
	if (++a->errors == ASM_MAX_ERRORS)
		diag_add(a, "wse-as: too many errors, stopping\n");
}

void asm_note(struct asm_ctx *a, const struct loc *loc, unsigned col,
	      const char *fmt, ...)
{
	va_list ap;

	if (a->errors > ASM_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	diag_at(a, loc, col, "note", fmt, ap);
	va_end(ap);
}

void asm_nomem(struct asm_ctx *a)
{
	if (!a->nomem)
		asm_error(a, NULL, 0, "out of memory");
	a->nomem = 1;
}

int asm_stop(struct asm_ctx *a)
{
	return a->nomem || a->errors >= ASM_MAX_ERRORS;
}

int cur_error(struct cur *c, const char *fmt, ...)
{
	struct token *t = cur_tok(c);
	va_list ap;

	if (c->a->errors >= ASM_MAX_ERRORS)
		return -1;
	va_start(ap, fmt);
	diag_at(c->a, c->loc, t->col, "error", fmt, ap);
	va_end(ap);
	if (++c->a->errors == ASM_MAX_ERRORS)
		diag_add(c->a, "wse-as: too many errors, stopping\n");
	return -1;
}
