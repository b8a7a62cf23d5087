// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pass2.c - replay the statements of pass 1 with every address known:
 * encode instructions, write data, and re-run .equ/.set at the same places
 * so that a symbol set in a .rept loop has the value it had in pass 1.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "asm.h"

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int data_item(struct cur *c, const struct token *d, uint8_t *p)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;
	uint32_t bits;
	double f;
	float g;

	if (tok_is(d, ".float")) {
		if (expr_float(c, &f, "value"))
			return -1;
		g = (float)f;
		if (isfinite(f) && !isfinite(g)) {
			asm_error(c->a, c->loc, col,
				  "value %g out of range for .float", f);
			return -1;
		}
		memcpy(&bits, &g, 4);
		put_le(p, bits, 4);
		return 0;
	}
	if (expr_int(c, &v, 0, "value"))
		return -1;
	if (tok_is(d, ".dword")) {
		put_le(p, (uint64_t)v, 8);
		return 0;
	}
	{
		unsigned n = tok_is(d, ".byte") ? 1 : tok_is(d, ".half") ? 2 : 4;
		int64_t lo = -((int64_t)1 << (8 * n - 1));
		int64_t hi = ((int64_t)1 << (8 * n)) - 1;

		if (v < lo || v > hi) {
			asm_error(c->a, c->loc, col,
				  "value %lld does not fit in %u byte%s",
				  (long long)v, n, n > 1 ? "s" : "");
			return -1;
		}
		put_le(p, (uint64_t)v, n);
	}
	return 0;
}

static int data_stmt(struct asm_ctx *a, struct cur *c, const struct stmt *st,
		     uint8_t *buf)
{
	const struct token *d = &c->t[0];
	unsigned size = tok_is(d, ".byte") ? 1 : tok_is(d, ".half") ? 2 :
			tok_is(d, ".dword") ? 8 : 4;
	uint32_t off = st->off;

	c->i = 1;
	do {
		if (data_item(c, d, buf + off))
			return -1;
		off += size;
	} while (cur_accept(c, TK_COMMA));
	return 0;
}

int pass2_run(struct asm_ctx *a)
{
	a->pass = 2;
	dsd_check_reset(a);
	for (struct sym *s = a->consts.first; s; s = s->order)
		if (!s->fixed)
			s->defined = 0;
	for (unsigned g = 0; g < a->ngroups; g++) {
		for (int k = SEC_TEXT; k <= SEC_DATA; k++) {
			struct section *s = &a->groups[g].sec[k];

			s->data = arena_alloc(&a->ar, s->size ? s->size : 1);
			if (!s->data) {
				asm_nomem(a);
				return -ENOMEM;
			}
		}
	}
	for (const struct stmt *st = a->stmts; st && !asm_stop(a); st = st->next) {
		struct cur c = { .a = a, .loc = &st->loc, .t = st->t, .n = st->n };
		uint8_t *buf = NULL;

		a->cur_group = st->group;
		a->cur_sec = st->sec;
		if (st->group >= 0 && st->sec != SEC_BSS)
			buf = a->groups[st->group].sec[st->sec].data;
		switch (st->kind) {
		case ST_SET:
			if (tok_is(&c.t[0], ".equ") || tok_is(&c.t[0], ".set"))
				c.i = 1;
			set_symbol(a, &c, tok_is(&c.t[0], ".equ"));
			break;
		case ST_INSN: {
			uint64_t ws[2];
			int n = insn_encode(&c, ws);

			for (int k = 0; k < n; k++)
				put_le(buf + st->off + 8 * k, ws[k], 8);
			dsd_check(a, st, ws, n);
			break;
		}
		case ST_DATA:
			data_stmt(a, &c, st, buf);
			break;
		}
	}
	return a->errors ? -EINVAL : 0;
}
