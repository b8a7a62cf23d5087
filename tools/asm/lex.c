// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lex.c - split one logical line into tokens.
 *
 * Identifiers may contain '.' and '$' so that directives (.word), local
 * labels (.Lloop) and typed mnemonics (vadd.f32) are single tokens.
 * Comments start with ';', '#' or '//' and run to the end of the line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

static const char *const kind_names[] = {
	[TK_EOL] = "end of line", [TK_IDENT] = "identifier",
	[TK_INT] = "number", [TK_FLOAT] = "number", [TK_STRING] = "string",
	[TK_COMMA] = "','", [TK_COLON] = "':'", [TK_LPAREN] = "'('",
	[TK_RPAREN] = "')'", [TK_LBRACK] = "'['", [TK_RBRACK] = "']'",
	[TK_PLUS] = "'+'", [TK_MINUS] = "'-'", [TK_STAR] = "'*'",
	[TK_SLASH] = "'/'", [TK_PERCENT] = "'%'", [TK_SHL] = "'<<'",
	[TK_SHR] = "'>>'", [TK_AMP] = "'&'", [TK_PIPE] = "'|'",
	[TK_CARET] = "'^'", [TK_TILDE] = "'~'", [TK_BANG] = "'!'",
	[TK_ASSIGN] = "'='", [TK_EQ] = "'=='", [TK_NE] = "'!='",
	[TK_LT] = "'<'", [TK_LE] = "'<='", [TK_GT] = "'>'", [TK_GE] = "'>='",
	[TK_LAND] = "'&&'", [TK_LOR] = "'||'",
};

const char *tok_kind_name(unsigned kind)
{
	return kind < sizeof(kind_names) / sizeof(kind_names[0]) ?
	       kind_names[kind] : "token";
}

int tok_is(const struct token *t, const char *ident)
{
	return t->kind == TK_IDENT && strlen(ident) == t->len &&
	       !memcmp(t->s, ident, t->len);
}

static int ident_start(int c)
{
	return isalpha(c) || c == '_' || c == '.' || c == '$';
}

static int ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$';
}

static const struct {
	const char *s;
	uint8_t kind;
} puncts[] = {
	{ "<<", TK_SHL }, { ">>", TK_SHR }, { "==", TK_EQ }, { "!=", TK_NE },
	{ "<=", TK_LE }, { ">=", TK_GE }, { "&&", TK_LAND }, { "||", TK_LOR },
	{ ",", TK_COMMA }, { ":", TK_COLON }, { "(", TK_LPAREN },
	{ ")", TK_RPAREN }, { "[", TK_LBRACK }, { "]", TK_RBRACK },
	{ "+", TK_PLUS }, { "-", TK_MINUS }, { "*", TK_STAR },
	{ "/", TK_SLASH }, { "%", TK_PERCENT }, { "&", TK_AMP },
	{ "|", TK_PIPE }, { "^", TK_CARET }, { "~", TK_TILDE },
	{ "!", TK_BANG }, { "=", TK_ASSIGN }, { "<", TK_LT }, { ">", TK_GT },
};

static int lex_escape(const char **pp, int *out)
{
	const char *p = *pp;

	switch (*p) {
	case 'n':
		*out = '\n';
		break;
	case 't':
		*out = '\t';
		break;
	case 'r':
		*out = '\r';
		break;
	case '0':
		*out = '\0';
		break;
	case '\\':
		*out = '\\';
		break;
	case '\'':
		*out = '\'';
		break;
	case '"':
		*out = '"';
		break;
	default:
		return -1;
	}
	*pp = p + 1;
	return 0;
}

static int lex_number(struct asm_ctx *a, const struct loc *loc,
		      const char *p, struct token *t)
{
	const char *q = p;
	int base = 10;
	uint64_t v = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		q += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		q += 2;
	} else {
		/* a decimal with '.' or an exponent is a float literal */
		const char *e = p;

		while (isdigit((unsigned char)*e))
			e++;
		if (*e == '.' || *e == 'e' || *e == 'E') {
			char *end;

			errno = 0;
			t->fval = strtod(p, &end);
			if (end > e && !ident_char((unsigned char)*end) &&
			    errno != ERANGE) {
				t->kind = TK_FLOAT;
				t->len = (unsigned)(end - p);
				return 0;
			}
		}
	}
	t->kind = TK_INT;
	if (!isxdigit((unsigned char)*q) && base != 10)
		goto bad;
	for (;; q++) {
		int c = (unsigned char)*q, d;

		if (isdigit(c))
			d = c - '0';
		else if (isxdigit(c) && base == 16)
			d = tolower(c) - 'a' + 10;
		else
			break;
		if (d >= base)
			goto bad;
		if (v > (UINT64_MAX - d) / base) {
			asm_error(a, loc, t->col, "number too large");
			return -1;
		}
		v = v * base + d;
	}
	if (ident_char((unsigned char)*q))
		goto bad;
	/* up to 2^64 - 1: values are 64-bit two's complement */
	t->ival = (int64_t)v;
	t->len = (unsigned)(q - p);
	return 0;
bad:
	while (ident_char((unsigned char)*q))
		q++;
	asm_error(a, loc, t->col, "invalid number '%.*s'", (int)(q - p), p);
	return -1;
}

static int lex_string(struct asm_ctx *a, const struct loc *loc,
		      const char *p, struct token *t)
{
	const char *q = p + 1;
	char *buf = arena_alloc(&a->ar, strlen(p) + 1);
	size_t n = 0;

	if (!buf) {
		asm_nomem(a);
		return -1;
	}
	while (*q != '"') {
		int c = (unsigned char)*q;

		if (!c) {
			asm_error(a, loc, t->col, "missing terminating '\"'");
			return -1;
		}
		q++;
		if (c == '\\' && lex_escape(&q, &c)) {
			asm_error(a, loc, (unsigned)(q - p) + t->col,
				  "unknown escape sequence");
			return -1;
		}
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	t->kind = TK_STRING;
	t->str = buf;
	t->len = (unsigned)(q + 1 - p);
	return 0;
}

static int lex_char(struct asm_ctx *a, const struct loc *loc, const char *p,
		    struct token *t)
{
	const char *q = p + 1;
	int c = (unsigned char)*q++;

	if (c == '\\' && lex_escape(&q, &c))
		c = -1;
	else if (c == '\'' || !c)
		c = -1;
	if (c < 0 || *q != '\'') {
		asm_error(a, loc, t->col, "invalid character constant");
		return -1;
	}
	t->kind = TK_INT;
	t->ival = c;
	t->len = (unsigned)(q + 1 - p);
	return 0;
}

int lex_line(struct asm_ctx *a, const struct loc *loc, const char *text,
	     struct token **toks, unsigned *ntoks)
{
	size_t cap = 8, n = 0;
	struct token *v = arena_alloc(&a->ar, cap * sizeof(*v));
	const char *p = text;

	if (!v)
		goto nomem;
	for (;;) {
		struct token t = { 0 };

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' ||
		       *p == '\v')
			p++;
		t.col = (unsigned)(p - text) + 1;
		t.s = p;
		if (!*p || *p == ';' || *p == '#' || (p[0] == '/' && p[1] == '/')) {
			t.kind = TK_EOL;
		} else if (ident_start((unsigned char)*p)) {
			const char *q = p;

			while (ident_char((unsigned char)*q))
				q++;
			t.kind = TK_IDENT;
			t.len = (unsigned)(q - p);
		} else if (isdigit((unsigned char)*p)) {
			if (lex_number(a, loc, p, &t))
				return -1;
		} else if (*p == '"') {
			if (lex_string(a, loc, p, &t))
				return -1;
		} else if (*p == '\'') {
			if (lex_char(a, loc, p, &t))
				return -1;
		} else {
			size_t i;

			for (i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++)
				if (!strncmp(p, puncts[i].s, strlen(puncts[i].s)))
					break;
			if (i == sizeof(puncts) / sizeof(puncts[0])) {
				if (isprint((unsigned char)*p))
					asm_error(a, loc, t.col,
						  "unexpected character '%c'", *p);
				else
					asm_error(a, loc, t.col,
						  "unexpected byte 0x%02x",
						  (unsigned char)*p);
				return -1;
			}
			t.kind = puncts[i].kind;
			t.len = (unsigned)strlen(puncts[i].s);
		}
		if (n == cap) {
			struct token *nv = arena_alloc(&a->ar,
						       2 * cap * sizeof(*nv));

			if (!nv)
				goto nomem;
			memcpy(nv, v, cap * sizeof(*nv));
			v = nv;
			cap *= 2;
		}
		v[n++] = t;
		if (t.kind == TK_EOL)
			break;
		p += t.len;
	}
	*toks = v;
	*ntoks = (unsigned)n;
	return 0;
nomem:
	asm_nomem(a);
	return -1;
}
