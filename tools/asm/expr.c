// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * expr.c - expressions with C operators and precedence.
 *
 * Values are 64-bit signed integers or doubles (a literal with '.' or an
 * exponent); integer arithmetic wraps instead of invoking undefined
 * behaviour, and division by zero or shifts outside 0..63 are errors.
 * In pass 1 a label has no address yet: the value is "unknown" and only
 * operands that size or place something must be known then.
 */
#include <math.h>
#include <string.h>

#include "asm.h"
#include "isa.h"
#include "isa-names.h"
#include "wafer-abi.h"

struct token *cur_tok(struct cur *c)
{
	return &c->t[c->i < c->n ? c->i : c->n - 1];
}

int cur_accept(struct cur *c, unsigned kind)
{
	if (cur_tok(c)->kind != kind)
		return 0;
	c->i++;
	return 1;
}

int cur_expect(struct cur *c, unsigned kind, const char *what)
{
	if (cur_accept(c, kind))
		return 0;
	return cur_error(c, "expected %s%s%s, got %s", tok_kind_name(kind),
			 what ? " " : "", what ? what : "",
			 tok_kind_name(cur_tok(c)->kind));
}

int cur_at_end(struct cur *c)
{
	return cur_tok(c)->kind == TK_EOL;
}

int cur_end(struct cur *c)
{
	if (cur_at_end(c))
		return 0;
	return cur_error(c, "unexpected %s after the operands",
			 tok_kind_name(cur_tok(c)->kind));
}

/* Register names: r0..r15, lr, d0..d7 can never be symbols. */
int is_reserved_name(const char *s, size_t len)
{
	if (len == 2 && !memcmp(s, "lr", 2))
		return 1;
	if ((s[0] == 'r' || s[0] == 'd') && len >= 2 && len <= 3) {
		unsigned v = 0;

		for (size_t i = 1; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			v = v * 10 + (s[i] - '0');
		}
		if (len == 3 && s[1] == '0')
			return 0;
		return s[0] == 'r' ? v < ISA_NUM_REGS : v < ISA_NUM_DSDS;
	}
	return 0;
}

static int parse_binary(struct cur *c, struct val *v, unsigned flags,
			int level);
static int parse_unary(struct cur *c, struct val *v, unsigned flags);
static int parse_primary(struct cur *c, struct val *v, unsigned flags,
			 struct token *t);

static void set_int(struct val *v, int64_t i)
{
	v->is_float = 0;
	v->i = i;
}

static int need_int(struct cur *c, const struct token *op, struct val *v)
{
	if (!v->is_float)
		return 0;
	asm_error(c->a, c->loc, op->col,
		  "operator %s needs integer operands",
		  tok_kind_name(op->kind));
	return -1;
}

static int parse_symbol(struct cur *c, struct val *v, unsigned flags)
{
	struct asm_ctx *a = c->a;
	struct token *t = cur_tok(c);
	struct sym *s;
	int port;

	c->i++;
	if (is_reserved_name(t->s, t->len)) {
		asm_error(a, c->loc, t->col,
			  "register '%.*s' cannot be used in an expression",
			  (int)t->len, t->s);
		return -1;
	}
	if (flags & EXPR_PORTS) {
		port = isa_port_by_name(t->s, t->len);
		if (port >= 0 || tok_is(t, "NONE")) {
			set_int(v, port > 0 ? port : 0);
			return 0;
		}
	}
	if (tok_is(t, "fbits") && cur_tok(c)->kind == TK_LPAREN) {
		struct val in = { 0 };
		float f;
		uint32_t bits;

		c->i++;
		if (parse_binary(c, &in, flags, 0) ||
		    cur_expect(c, TK_RPAREN, NULL))
			return -1;
		*v = in;
		f = in.is_float ? (float)in.f : (float)in.i;
		memcpy(&bits, &f, 4);
		set_int(v, bits);
		return 0;
	}
	s = sym_lookup(a, t->s, t->len);
	if (s && s->kind == SYM_LABEL) {
		if (a->pass == 1) {
			v->unknown = 1;
			v->why = s->name;
			set_int(v, 0);
		} else {
			set_int(v, (int64_t)a->groups[s->group].sec[s->sec].addr +
				   s->off);
		}
		return 0;
	}
	if (s && s->defined) {
		*v = s->v;
		return 0;
	}
	if (a->pass == 1) {
		/* maybe a label defined further down */
		v->unknown = 1;
		v->why = s ? s->name : arena_strndup(&a->ar, t->s, t->len);
		set_int(v, 0);
		if (!v->why) {
			asm_nomem(a);
			return -1;
		}
		return 0;
	}
	if (s)
		asm_error(a, c->loc, t->col,
			  "symbol '%.*s' used before its definition",
			  (int)t->len, t->s);
	else
		asm_error(a, c->loc, t->col, "undefined symbol '%.*s'",
			  (int)t->len, t->s);
	return -1;
}

static int parse_unary(struct cur *c, struct val *v, unsigned flags)
{
	struct token *t = cur_tok(c);
	int ret;

	/* bounded recursion: parentheses and unary operators nest */
	if (c->depth >= ASM_MAX_EXPR_DEPTH)
		return cur_error(c, "expression nested more than %d deep",
				 ASM_MAX_EXPR_DEPTH);
	c->depth++;
	ret = parse_primary(c, v, flags, t);
	c->depth--;
	return ret;
}

static int parse_primary(struct cur *c, struct val *v, unsigned flags,
			 struct token *t)
{
	switch (t->kind) {
	case TK_INT:
		c->i++;
		set_int(v, t->ival);
		return 0;
	case TK_FLOAT:
		c->i++;
		v->is_float = 1;
		v->f = t->fval;
		return 0;
	case TK_IDENT:
		return parse_symbol(c, v, flags);
	case TK_LPAREN:
		c->i++;
		if (parse_binary(c, v, flags, 0))
			return -1;
		return cur_expect(c, TK_RPAREN, NULL);
	case TK_MINUS:
	case TK_PLUS:
	case TK_TILDE:
	case TK_BANG:
		c->i++;
		if (parse_unary(c, v, flags))
			return -1;
		if (t->kind == TK_MINUS) {
			if (v->is_float)
				v->f = -v->f;
			else
				v->i = (int64_t)(0 - (uint64_t)v->i);
		} else if (t->kind == TK_TILDE) {
			if (need_int(c, t, v))
				return -1;
			v->i = ~v->i;
		} else if (t->kind == TK_BANG) {
			set_int(v, v->is_float ? v->f == 0 : v->i == 0);
		}
		return 0;
	case TK_EOL:
		return cur_error(c, "expected an expression");
	default:
		return cur_error(c, "expected an expression, got %s",
				 tok_kind_name(t->kind));
	}
}

/* Binary operator levels, loosest first. */
static const uint8_t levels[][5] = {
	{ TK_LOR }, { TK_LAND }, { TK_PIPE }, { TK_CARET }, { TK_AMP },
	{ TK_EQ, TK_NE }, { TK_LT, TK_LE, TK_GT, TK_GE }, { TK_SHL, TK_SHR },
	{ TK_PLUS, TK_MINUS }, { TK_STAR, TK_SLASH, TK_PERCENT },
};

#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static int level_has(int level, unsigned kind)
{
	for (int i = 0; i < 5 && levels[level][i]; i++)
		if (levels[level][i] == kind)
			return 1;
	return 0;
}

static int apply_float(struct cur *c, const struct token *op, struct val *l,
		       double x, double y)
{
	int64_t r;

	switch (op->kind) {
	case TK_PLUS:
		l->f = x + y;
		break;
	case TK_MINUS:
		l->f = x - y;
		break;
	case TK_STAR:
		l->f = x * y;
		break;
	case TK_SLASH:
		l->f = x / y;
		break;
	case TK_EQ:
		r = x == y;
		goto cmp;
	case TK_NE:
		r = x != y;
		goto cmp;
	case TK_LT:
		r = x < y;
		goto cmp;
	case TK_LE:
		r = x <= y;
		goto cmp;
	case TK_GT:
		r = x > y;
		goto cmp;
	case TK_GE:
		r = x >= y;
		goto cmp;
	default:
		asm_error(c->a, c->loc, op->col,
			  "operator %s needs integer operands",
			  tok_kind_name(op->kind));
		return -1;
	}
	l->is_float = 1;
	return 0;
cmp:
	set_int(l, r);
	return 0;
}

static int apply(struct cur *c, const struct token *op, struct val *l,
		 const struct val *r)
{
	uint64_t x = (uint64_t)l->i, y = (uint64_t)r->i;

	l->unknown |= r->unknown;
	if (!l->why)
		l->why = r->why;
	if (op->kind == TK_LAND || op->kind == TK_LOR) {
		int lt = l->is_float ? l->f != 0 : l->i != 0;
		int rt = r->is_float ? r->f != 0 : r->i != 0;

		set_int(l, op->kind == TK_LAND ? lt && rt : lt || rt);
		return 0;
	}
	if (l->is_float || r->is_float)
		return apply_float(c, op, l, l->is_float ? l->f : (double)l->i,
				   r->is_float ? r->f : (double)r->i);
	if (l->unknown) {
		set_int(l, 0);
		return 0;
	}
	switch (op->kind) {
	case TK_PLUS:
		x += y;
		break;
	case TK_MINUS:
		x -= y;
		break;
	case TK_STAR:
		x *= y;
		break;
	case TK_SLASH:
	case TK_PERCENT:
		if (!r->i) {
			asm_error(c->a, c->loc, op->col, "division by zero");
			return -1;
		}
		if (l->i == INT64_MIN && r->i == -1)
			x = op->kind == TK_SLASH ? (uint64_t)INT64_MIN : 0;
		else
			x = (uint64_t)(op->kind == TK_SLASH ? l->i / r->i :
							      l->i % r->i);
		break;
	case TK_SHL:
	case TK_SHR:
		if (r->i < 0 || r->i > 63) {
			asm_error(c->a, c->loc, op->col,
				  "shift count %lld out of range 0..63",
				  (long long)r->i);
			return -1;
		}
		x = op->kind == TK_SHL ? x << r->i :
			(uint64_t)(l->i >> r->i);
		break;
	case TK_AMP:
		x &= y;
		break;
	case TK_PIPE:
		x |= y;
		break;
	case TK_CARET:
		x ^= y;
		break;
	case TK_EQ:
		x = l->i == r->i;
		break;
	case TK_NE:
		x = l->i != r->i;
		break;
	case TK_LT:
		x = l->i < r->i;
		break;
	case TK_LE:
		x = l->i <= r->i;
		break;
	case TK_GT:
		x = l->i > r->i;
		break;
	case TK_GE:
		x = l->i >= r->i;
		break;
	}
	l->i = (int64_t)x;
	return 0;
}

static int parse_binary(struct cur *c, struct val *v, unsigned flags,
			int level)
{
	if (level == NLEVELS)
		return parse_unary(c, v, flags);
	if (parse_binary(c, v, flags, level + 1))
		return -1;
	while (level_has(level, cur_tok(c)->kind)) {
		struct token *op = cur_tok(c);
		struct val r = { 0 };

		c->i++;
		if (parse_binary(c, &r, flags, level + 1) ||
		    apply(c, op, v, &r))
			return -1;
	}
	return 0;
}

int expr_parse(struct cur *c, struct val *v, unsigned flags)
{
	memset(v, 0, sizeof(*v));
	return parse_binary(c, v, flags, 0);
}

/* In pass 1, an operand that sizes or places something must be known. */
static int check_known(struct cur *c, const struct val *v, unsigned col,
		       const char *what)
{
	struct sym *s;

	if (!v->unknown)
		return 0;
	s = sym_lookup(c->a, v->why, strlen(v->why));
	if (s && s->kind == SYM_LABEL)
		asm_error(c->a, c->loc, col,
			  "%s must be known before layout, but uses label '%s'",
			  what, v->why);
	else
		asm_error(c->a, c->loc, col, "undefined symbol '%s' in %s",
			  v->why, what);
	return -1;
}

int expr_int(struct cur *c, int64_t *out, int need_known, const char *what)
{
	unsigned col = cur_tok(c)->col;
	struct val v;

	if (expr_parse(c, &v, 0))
		return -1;
	if (v.is_float) {
		asm_error(c->a, c->loc, col,
			  "%s must be an integer, not a floating-point value",
			  what);
		return -1;
	}
	if (need_known && check_known(c, &v, col, what))
		return -1;
	*out = v.i;
	return 0;
}

int expr_imm32(struct cur *c, uint32_t *out, const char *what)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, 0, what))
		return -1;
	if (v < INT32_MIN || v > (int64_t)UINT32_MAX) {
		asm_error(c->a, c->loc, col,
			  "%s %lld does not fit in 32 bits", what, (long long)v);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int expr_color(struct cur *c, uint32_t *out, int need_known)
{
	unsigned col = cur_tok(c)->col;
	int64_t v;

	if (expr_int(c, &v, need_known, "color"))
		return -1;
	if (v < 0 || v >= WAFER_COLORS) {
		asm_error(c->a, c->loc, col, "color %lld out of range 0..%d",
			  (long long)v, WAFER_COLORS - 1);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int expr_float(struct cur *c, double *out, const char *what)
{
	struct val v;

	if (expr_parse(c, &v, 0))
		return -1;
	*out = v.is_float ? v.f : (double)v.i;
	return 0;
}
