// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pass1.c - read the whole source once: define labels, handle the
 * directives that place things (sections, alignment, reservations,
 * exports, per-PE constants, layout and routes), and record every
 * statement that produces bytes or sets a symbol, with its group, section
 * and offset, for pass 2.
 */
#include <errno.h>
#include <string.h>

#include "asm.h"
#include "isa.h"
#include "isa-names.h"
#include "image-elf.h"

static const char *const sec_names[] = { ".text", ".data", ".bss" };

static int want_group(struct cur *c, const struct token *d)
{
	if (c->a->cur_group >= 0)
		return 0;
	asm_error(c->a, c->loc, d->col, "%.*s outside a .code block",
		  (int)d->len, d->s);
	return -1;
}

static struct section *cur_section(struct asm_ctx *a)
{
	return &a->groups[a->cur_group].sec[a->cur_sec];
}

/* Grow the current section by n bytes. */
static int advance(struct cur *c, unsigned col, uint64_t n)
{
	struct section *s = cur_section(c->a);

	if (s->size + n > WSE_IMAGE_MAX_SRAM) {
		asm_error(c->a, c->loc, col,
			  "section %s of group '%s' grows past %u bytes",
			  sec_names[c->a->cur_sec],
			  c->a->groups[c->a->cur_group].name,
			  WSE_IMAGE_MAX_SRAM);
		return -1;
	}
	s->size += (uint32_t)n;
	return 0;
}

static int add_stmt(struct cur *c, unsigned kind, unsigned first,
		    uint32_t size)
{
	struct asm_ctx *a = c->a;
	struct stmt *st = arena_alloc(&a->ar, sizeof(*st));

	if (!st) {
		asm_nomem(a);
		return -1;
	}
	st->kind = (uint8_t)kind;
	st->group = a->cur_group;
	if (a->cur_group >= 0 && kind != ST_SET) {
		st->labelled = a->label_pending[a->cur_group];
		a->label_pending[a->cur_group] = 0;
	}
	st->nocheck = (uint8_t)a->dsd_check_off;
	st->sec = a->cur_sec;
	st->off = a->cur_group >= 0 ? cur_section(a)->size : 0;
	st->size = size;
	st->loc = *c->loc;
	st->t = c->t + first;
	st->n = c->n - first;
	if (a->stmts_last)
		a->stmts_last->next = st;
	else
		a->stmts = st;
	a->stmts_last = st;
	return 0;
}

static int check_new_name(struct cur *c, const struct token *t,
			  const char *what)
{
	if (t->kind != TK_IDENT)
		return cur_error(c, "expected %s", what);
	if (is_reserved_name(t->s, t->len)) {
		asm_error(c->a, c->loc, t->col, "%s '%.*s' is a register name",
			  what, (int)t->len, t->s);
		return -1;
	}
	return 0;
}

static struct sym *define_label(struct cur *c, const struct token *t)
{
	struct asm_ctx *a = c->a;
	struct group *g;
	struct sym *s;

	if (check_new_name(c, t, "label name"))
		return NULL;
	if (a->cur_group < 0) {
		asm_error(a, c->loc, t->col, "label '%.*s' outside a .code block",
			  (int)t->len, t->s);
		return NULL;
	}
	g = &a->groups[a->cur_group];
	s = sym_find(&a->consts, t->s, t->len);
	if (s) {
		asm_error(a, c->loc, t->col,
			  "label '%.*s' has the name of a constant",
			  (int)t->len, t->s);
		asm_note(a, &s->loc, s->col, "'%s' defined here", s->name);
		return NULL;
	}
	s = sym_find(&g->labels, t->s, t->len);
	if (s) {
		asm_error(a, c->loc, t->col, "label '%.*s' already defined",
			  (int)t->len, t->s);
		asm_note(a, &s->loc, s->col, "previous definition of '%s' here",
			 s->name);
		return NULL;
	}
	s = sym_add(a, &g->labels, t->s, t->len);
	if (!s)
		return NULL;
	s->kind = SYM_LABEL;
	s->group = a->cur_group;
	s->sec = a->cur_sec;
	s->off = g->sec[a->cur_sec].size;
	s->loc = *c->loc;
	s->col = t->col;
	s->hidden = t->len >= 2 && !memcmp(t->s, ".L", 2);
	a->label_pending[a->cur_group] = 1;
	return s;
}

/* .equ NAME, EXPR / .set NAME, EXPR / NAME = EXPR, in both passes. */
int set_symbol(struct asm_ctx *a, struct cur *c, int is_equ)
{
	struct token *t = cur_tok(c);
	struct val v;
	struct sym *s;

	if (check_new_name(c, t, "symbol name"))
		return -1;
	c->i++;
	if (!cur_accept(c, TK_ASSIGN) && cur_expect(c, TK_COMMA, NULL))
		return -1;
	if (expr_parse(c, &v, 0) || cur_end(c))
		return -1;
	s = sym_find(&a->consts, t->s, t->len);
	if (a->pass == 1) {
		struct sym *l = a->cur_group >= 0 ?
			sym_find(&a->groups[a->cur_group].labels, t->s, t->len) :
			NULL;

		if (l) {
			asm_error(a, c->loc, t->col,
				  "'%.*s' is already a label", (int)t->len, t->s);
			asm_note(a, &l->loc, l->col, "'%s' defined here", l->name);
			return -1;
		}
		if (s && (is_equ || s->is_equ)) {
			asm_error(a, c->loc, t->col,
				  "symbol '%.*s' already defined", (int)t->len,
				  t->s);
			if (s->loc.file)
				asm_note(a, &s->loc, s->col,
					 "previous definition of '%s' here",
					 s->name);
			return -1;
		}
		if (!s) {
			s = sym_add(a, &a->consts, t->s, t->len);
			if (!s)
				return -1;
			s->kind = SYM_CONST;
			s->is_equ = (uint8_t)is_equ;
			s->loc = *c->loc;
			s->col = t->col;
		}
	}
	if (!s)
		return -1;	/* cannot happen: pass 1 defined it */
	s->v = v;
	s->defined = 1;
	return 0;
}

int define_constant(struct asm_ctx *a, const char *def)
{
	static const struct loc cmdline = { .file = "<command line>" };
	const char *eq = strchr(def, '=');
	size_t nlen = eq ? (size_t)(eq - def) : strlen(def);
	char *text = arena_alloc(&a->ar, strlen(def) + 8);
	struct cur c = { .a = a, .loc = &cmdline };
	struct sym *s;

	if (!text) {
		asm_nomem(a);
		return -1;
	}
	/* "NAME=VALUE" reads as ".equ NAME, VALUE" */
	memcpy(text, def, nlen);
	strcpy(text + nlen, eq ? " = " : " = 1");
	if (eq)
		strcat(text, eq + 1);
	if (lex_line(a, &cmdline, text, &c.t, &c.n))
		return -1;
	if (c.t[0].kind != TK_IDENT || c.t[0].len != nlen) {
		asm_error(a, &cmdline, 0, "bad definition '%s'", def);
		return -1;
	}
	if (set_symbol(a, &c, 1))
		return -1;
	s = sym_find(&a->consts, def, nlen);
	if (s)
		s->fixed = 1;
	return 0;
}

static int dir_code(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	struct token *t = cur_tok(c);
	unsigned i;

	if (check_new_name(c, t, "group name"))
		return -1;
	c->i++;
	if (cur_end(c))
		return -1;
	for (i = 0; i < a->ngroups; i++)
		if (strlen(a->groups[i].name) == t->len &&
		    !memcmp(a->groups[i].name, t->s, t->len))
			break;
	if (i == a->ngroups) {
		struct group *g = &a->groups[i];

		if (i == ASM_MAX_GROUPS) {
			asm_error(a, c->loc, t->col, "more than %d code groups",
				  ASM_MAX_GROUPS);
			return -1;
		}
		g->name = arena_strndup(&a->ar, t->s, t->len);
		if (!g->name) {
			asm_nomem(a);
			return -1;
		}
		g->loc = *c->loc;
		g->col = t->col;
		for (int k = 0; k < 3; k++)
			g->sec[k].base = -1;
		a->ngroups++;
	}
	a->cur_group = (int)i;
	a->cur_sec = SEC_TEXT;
	return 0;
}

static int dir_section(struct cur *c, const struct token *d)
{
	if (want_group(c, d) || cur_end(c))
		return -1;
	c->a->cur_sec = tok_is(d, ".text") ? SEC_TEXT :
			tok_is(d, ".data") ? SEC_DATA : SEC_BSS;
	return 0;
}

static int dir_base(struct cur *c, const struct token *d)
{
	unsigned k = d->s[1] == 't' ? SEC_TEXT : d->s[1] == 'd' ? SEC_DATA :
		     SEC_BSS;
	unsigned col = cur_tok(c)->col;
	struct section *s;
	int64_t v;

	if (want_group(c, d) || expr_int(c, &v, 1, "section base") ||
	    cur_end(c))
		return -1;
	s = &c->a->groups[c->a->cur_group].sec[k];
	if (s->base >= 0) {
		asm_error(c->a, c->loc, d->col, "%.*s already given",
			  (int)d->len, d->s);
		asm_note(c->a, &s->base_loc, 0, "first given here");
		return -1;
	}
	if (v < 0 || v > WSE_IMAGE_MAX_SRAM ||
	    v % (k == SEC_TEXT ? WSE_CODE_ALIGN : WSE_DATA_ALIGN)) {
		asm_error(c->a, c->loc, col,
			  "section base %lld is not a %u-aligned SRAM address",
			  (long long)v,
			  k == SEC_TEXT ? WSE_CODE_ALIGN : WSE_DATA_ALIGN);
		return -1;
	}
	s->base = v;
	s->base_loc = *c->loc;
	return 0;
}

static int dir_align(struct cur *c, const struct token *d)
{
	unsigned col = cur_tok(c)->col;
	struct section *s;
	int64_t v;

	if (want_group(c, d) || expr_int(c, &v, 1, ".align") || cur_end(c))
		return -1;
	if (v < 1 || v > 4096 || (v & (v - 1))) {
		asm_error(c->a, c->loc, col,
			  ".align %lld is not a power of two in 1..4096",
			  (long long)v);
		return -1;
	}
	s = cur_section(c->a);
	if (v > s->max_align)
		s->max_align = (uint32_t)v;
	return advance(c, col, align_up(s->size, (uint32_t)v) - s->size);
}

static int dir_org(struct cur *c, const struct token *d)
{
	unsigned col = cur_tok(c)->col;
	struct section *s;
	int64_t v;

	if (want_group(c, d) || expr_int(c, &v, 1, ".org offset") ||
	    cur_end(c))
		return -1;
	s = cur_section(c->a);
	if (v < s->size || v > WSE_IMAGE_MAX_SRAM) {
		asm_error(c->a, c->loc, col,
			  ".org %lld moves backwards (section offset is %u)",
			  (long long)v, s->size);
		return -1;
	}
	return advance(c, col, (uint64_t)v - s->size);
}

static int dir_zero(struct cur *c, const struct token *d)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (want_group(c, d) || expr_int(c, &v, 1, "size") || cur_end(c))
		return -1;
	if (v < 0 || v > WSE_IMAGE_MAX_SRAM) {
		asm_error(c->a, c->loc, col, "size %lld out of range 0..%u",
			  (long long)v, WSE_IMAGE_MAX_SRAM);
		return -1;
	}
	return advance(c, col, (uint64_t)v);
}

/* .word .half .byte .dword .float: check syntax now, values in pass 2. */
static int dir_data(struct cur *c, const struct token *d, unsigned first)
{
	struct asm_ctx *a = c->a;
	unsigned size = tok_is(d, ".byte") ? 1 : tok_is(d, ".half") ? 2 :
			tok_is(d, ".dword") ? 8 : 4;
	uint32_t count = 0;

	if (want_group(c, d))
		return -1;
	if (a->cur_sec == SEC_BSS) {
		asm_error(a, c->loc, d->col,
			  "%.*s in .bss: it holds no contents (use .data)",
			  (int)d->len, d->s);
		return -1;
	}
	if (cur_section(a)->size % size) {
		asm_error(a, c->loc, d->col,
			  "%.*s at offset 0x%x is not %u-byte aligned (use .align %u)",
			  (int)d->len, d->s, cur_section(a)->size, size, size);
		return -1;
	}
	do {
		struct val v;

		if (expr_parse(c, &v, 0))
			return -1;
		count++;
	} while (cur_accept(c, TK_COMMA));
	if (cur_end(c))
		return -1;
	if (add_stmt(c, ST_DATA, first, count * size))
		return -1;
	return advance(c, d->col, (uint64_t)count * size);
}

static int parse_type(struct cur *c, unsigned *elem)
{
	struct token *t = cur_tok(c);
	int type = t->kind == TK_IDENT ? isa_type_by_name(t->s, t->len) : -1;

	if (type < 0)
		return cur_error(c, "expected an element type (f32, i32, f16 or i16)");
	c->i++;
	*elem = type == ISA_T_I32 || type == ISA_T_F32 ? 4 : 2;
	return type;
}

static int add_export(struct cur *c, const struct token *name, unsigned kind,
		      int type, unsigned elem, uint32_t size,
		      const struct token *d)
{
	struct asm_ctx *a = c->a;
	struct export_rec *e;

	if (a->nexports == a->exports_cap) {
		unsigned cap = a->exports_cap ? a->exports_cap * 2 : 16;
		struct export_rec *n = arena_alloc(&a->ar, cap * sizeof(*n));

		if (!n) {
			asm_nomem(a);
			return -1;
		}
		if (a->nexports)
			memcpy(n, a->exports, a->nexports * sizeof(*n));
		a->exports = n;
		a->exports_cap = cap;
	}
	e = &a->exports[a->nexports++];
	e->name = arena_strndup(&a->ar, name->s, name->len);
	if (!e->name) {
		asm_nomem(a);
		return -1;
	}
	e->group = a->cur_group;
	e->kind = (uint8_t)kind;
	e->elem = (uint8_t)elem;
	e->etype = (uint8_t)(type < 0 ? 0 : type);
	e->size = size;
	e->loc = *c->loc;
	e->col = name->col;
	e->dcol = d->col;
	return 0;
}

/* .global NAME[, TYPE, COUNT] / .export NAME, TYPE, COUNT / .func NAME */
static int dir_export(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	int is_export = tok_is(d, ".export"), is_func = tok_is(d, ".func");
	struct token *name = cur_tok(c);
	unsigned elem = 0, col;
	int64_t count = 0;
	int type = -1;

	if (want_group(c, d) || check_new_name(c, name, "symbol name"))
		return -1;
	c->i++;
	if (!is_func && (is_export || cur_accept(c, TK_COMMA))) {
		if (is_export && cur_expect(c, TK_COMMA, NULL))
			return -1;
		type = parse_type(c, &elem);
		if (type < 0 || cur_expect(c, TK_COMMA, NULL))
			return -1;
		col = cur_tok(c)->col;
		if (expr_int(c, &count, 1, "element count"))
			return -1;
		if (count < 1 || count * elem > WSE_IMAGE_MAX_SRAM) {
			asm_error(a, c->loc, col,
				  "element count %lld out of range 1..%u",
				  (long long)count, WSE_IMAGE_MAX_SRAM / elem);
			return -1;
		}
	}
	if (cur_end(c))
		return -1;
	if (is_func || is_export) {
		if ((a->cur_sec == SEC_TEXT) != is_func) {
			asm_error(a, c->loc, d->col, "%.*s in section %s",
				  (int)d->len, d->s, sec_names[a->cur_sec]);
			return -1;
		}
		if (is_export && advance(c, d->col, align_up(cur_section(a)->size, 4) -
					 cur_section(a)->size))
			return -1;
		if (!define_label(c, name))
			return -1;
		if (is_export && advance(c, d->col, (uint64_t)count * elem))
			return -1;
	}
	return add_export(c, name, elem ? WSE_STT_OBJECT : WSE_STT_FUNC, type,
			  elem, (uint32_t)(count * elem), d);
}

static int dir_pe_word(struct cur *c, const struct token *d)
{
	struct asm_ctx *a = c->a;
	struct token *t = cur_tok(c);
	struct const_rec *r;
	int csr;

	if (want_group(c, d))
		return -1;
	csr = t->kind == TK_IDENT ? isa_csr_by_name(t->s, t->len) : -1;
	if (csr < 0 || csr == ISA_CSR_CYCLES)
		return cur_error(c, "expected a per-PE value: x, y, prog_w, prog_h, rect_x, rect_y, rect_w, rect_h or sram");
	c->i++;
	if (cur_end(c))
		return -1;
	if (a->cur_sec == SEC_TEXT) {
		asm_error(a, c->loc, d->col, ".pe_word in .text (use .data or .bss)");
		return -1;
	}
	if (cur_section(a)->size % 4) {
		asm_error(a, c->loc, d->col,
			  ".pe_word at offset 0x%x is not 4-byte aligned (use .align 4)",
			  cur_section(a)->size);
		return -1;
	}
	if (a->nconsts == a->consts_cap) {
		unsigned cap = a->consts_cap ? a->consts_cap * 2 : 16;
		struct const_rec *n = arena_alloc(&a->ar, cap * sizeof(*n));

		if (!n) {
			asm_nomem(a);
			return -1;
		}
		if (a->nconsts)
			memcpy(n, a->pconsts, a->nconsts * sizeof(*n));
		a->pconsts = n;
		a->consts_cap = cap;
	}
	r = &a->pconsts[a->nconsts++];
	r->group = a->cur_group;
	r->sec = a->cur_sec;
	r->off = cur_section(a)->size;
	r->csr = (uint32_t)csr;
	return advance(c, d->col, 4);
}

static int dir_sram(struct cur *c, const struct token *d)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, 1, "SRAM size") || cur_end(c))
		return -1;
	if (c->a->sram_set) {
		asm_error(c->a, c->loc, d->col, ".sram given twice");
		return -1;
	}
	if (v < 4096 || v > WSE_IMAGE_MAX_SRAM || v % 4096) {
		asm_error(c->a, c->loc, col,
			  "SRAM size %lld is not a multiple of 4096 in 4096..%u",
			  (long long)v, WSE_IMAGE_MAX_SRAM);
		return -1;
	}
	c->a->sram = (uint32_t)v;
	c->a->sram_set = 1;
	return 0;
}

static int dir_include(struct cur *c, const struct token *d)
{
	struct token *t = cur_tok(c);

	if (t->kind != TK_STRING)
		return cur_error(c, "expected a file name in quotes");
	c->i++;
	if (cur_end(c))
		return -1;
	return src_push_file(c->a, t->str, c->loc, t->col) ? -1 : 0;
}

static int dir_error(struct cur *c, const struct token *d)
{
	struct token *t = cur_tok(c);

	if (t->kind != TK_STRING)
		return cur_error(c, "expected a message in quotes");
	asm_error(c->a, c->loc, d->col, "%s", t->str);
	return -1;
}

/* .dsd_check on|off: the assembly-time DSD type check (dsdcheck.c). */
static int dir_dsd_check(struct cur *c, const struct token *d)
{
	struct token *t = cur_tok(c);

	if (!tok_is(t, "on") && !tok_is(t, "off"))
		return cur_error(c, "expected on or off");
	c->i++;
	if (cur_end(c))
		return -1;
	c->a->dsd_check_off = tok_is(t, "off");
	return 0;
}

static int dir_set(struct cur *c, const struct token *d, unsigned first)
{
	unsigned start = c->i;

	if (set_symbol(c->a, c, tok_is(d, ".equ")))
		return -1;
	c->i = start;
	return add_stmt(c, ST_SET, first, 0);
}

static int directive(struct cur *c, unsigned first)
{
	struct token *d = cur_tok(c);

	c->i++;
	if (tok_is(d, ".equ") || tok_is(d, ".set"))
		return dir_set(c, d, first);
	if (tok_is(d, ".word") || tok_is(d, ".half") || tok_is(d, ".byte") ||
	    tok_is(d, ".dword") || tok_is(d, ".float"))
		return dir_data(c, d, first);
	if (tok_is(d, ".code"))
		return dir_code(c, d);
	if (tok_is(d, ".text") || tok_is(d, ".data") || tok_is(d, ".bss"))
		return dir_section(c, d);
	if (tok_is(d, ".text_base") || tok_is(d, ".data_base") ||
	    tok_is(d, ".bss_base"))
		return dir_base(c, d);
	if (tok_is(d, ".align"))
		return dir_align(c, d);
	if (tok_is(d, ".org"))
		return dir_org(c, d);
	if (tok_is(d, ".zero") || tok_is(d, ".space"))
		return dir_zero(c, d);
	if (tok_is(d, ".global") || tok_is(d, ".export") || tok_is(d, ".func"))
		return dir_export(c, d);
	if (tok_is(d, ".pe_word"))
		return dir_pe_word(c, d);
	if (tok_is(d, ".sram"))
		return dir_sram(c, d);
	if (tok_is(d, ".include"))
		return dir_include(c, d);
	if (tok_is(d, ".error"))
		return dir_error(c, d);
	if (tok_is(d, ".rect"))
		return dir_rect(c, d);
	if (tok_is(d, ".route") || tok_is(d, ".route_bcast") ||
	    tok_is(d, ".route_row_bcast") || tok_is(d, ".route_col_bcast") ||
	    tok_is(d, ".route_chain"))
		return dir_route(c, d);
	if (tok_is(d, ".switch"))
		return dir_switch(c, d);
	if (tok_is(d, ".dsd_check"))
		return dir_dsd_check(c, d);
	if (tok_is(d, ".task"))
		return dir_task(c, d);
	asm_error(c->a, c->loc, d->col, "unknown directive '%.*s'",
		  (int)d->len, d->s);
	return -1;
}

static int instruction(struct cur *c, unsigned first)
{
	struct asm_ctx *a = c->a;
	struct token *t = cur_tok(c);

	if (insn_check(c))
		return -1;
	if (a->cur_group < 0 || a->cur_sec != SEC_TEXT) {
		asm_error(a, c->loc, t->col, "instruction %s",
			  a->cur_group < 0 ? "outside a .code block" :
			  a->cur_sec == SEC_DATA ? "in .data" : "in .bss");
		return -1;
	}
	if (cur_section(a)->size % ISA_INSN_BYTES) {
		asm_error(a, c->loc, t->col,
			  "instruction at offset 0x%x is not 8-byte aligned (use .align 8)",
			  cur_section(a)->size);
		return -1;
	}
	if (add_stmt(c, ST_INSN, first, (uint32_t)insn_size(c)))
		return -1;
	return advance(c, t->col, (uint64_t)insn_size(c));
}

static void statement(struct asm_ctx *a, struct line *ln, struct token *t,
		      unsigned n)
{
	struct cur c = { .a = a, .loc = &ln->loc, .t = t, .n = n };
	struct token *first;
	struct sym *m;

	/* labels: NAME ':' ... */
	while (cur_tok(&c)->kind == TK_IDENT && c.i + 1 < c.n &&
	       c.t[c.i + 1].kind == TK_COLON) {
		if (!define_label(&c, cur_tok(&c)))
			return;
		c.i += 2;
	}
	if (cur_at_end(&c))
		return;
	first = cur_tok(&c);
	if (first->kind != TK_IDENT) {
		cur_error(&c, "expected a label, directive or instruction, got %s",
			  tok_kind_name(first->kind));
		return;
	}
	if (c.i + 1 < c.n && c.t[c.i + 1].kind == TK_ASSIGN) {
		dir_set(&c, &(struct token){ .kind = TK_IDENT, .s = ".set",
					     .len = 4 }, c.i);
		return;
	}
	if (first->s[0] == '.') {
		directive(&c, c.i);
		return;
	}
	m = sym_find(&a->macros, first->s, first->len);
	if (m) {
		src_invoke_macro(a, m, ln, first);
		return;
	}
	instruction(&c, c.i);
}

int pass1_run(struct asm_ctx *a)
{
	struct line ln;
	struct token *t;
	unsigned n;

	a->pass = 1;
	a->cur_group = -1;
	while (src_next(a, &ln, &t, &n)) {
		/* the line must outlive the reader for pass 2 */
		struct line *keep = arena_alloc(&a->ar, sizeof(*keep));

		if (!keep) {
			asm_nomem(a);
			break;
		}
		*keep = ln;
		statement(a, keep, t, n);
	}
	src_finish(a);
	return a->errors ? -EINVAL : 0;
}
