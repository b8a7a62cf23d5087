// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * source.c - where lines come from: a stack of readers (files, macro
 * expansions, .rept bodies) and the conditional-assembly stack.
 *
 * src_next() hands pass 1 one logical line at a time, already tokenized.
 * It consumes conditionals itself (.if/.ifdef/.ifndef/.elif/.else/.endif),
 * records .macro bodies and expands .rept bodies, so that pass 1 sees
 * straight-line code. Macro parameters are substituted in the text (\name,
 * \@ for a number unique to each expansion, \() as an empty separator)
 * before the line is tokenized. Each line keeps the file and line it was
 * written on plus the chain of macro invocations that produced it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asm.h"

#define MAX_FILE_BYTES		(16u << 20)
#define MAX_EXPANDED_LINE	(64u * 1024)

struct body_line {
	const char *text;
	struct loc loc;
};

struct macro {
	const char *name;
	unsigned nparams;
	const char **params;
	const char **defaults;		/* NULL entry: argument required */
	struct body_line *lines;
	unsigned nlines;
	struct loc loc;
};

struct reader {
	struct reader *up;
	int is_file;
	unsigned cond_depth;		/* conditionals open when pushed */
	/* file */
	const char *path, *dir;
	const char *text;
	size_t pos, len;
	unsigned line;
	/* macro expansion or .rept body */
	const struct body_line *lines;
	unsigned nlines, idx;
	unsigned long reps, rep;
	const struct macro *m;
	const char **args;
	unsigned long serial;
	const struct expansion *exp;
};

struct cond {
	uint8_t active, taken, parent, else_seen;
	struct loc loc;
	unsigned col;
};

struct src {
	struct reader *top;
	unsigned files, macros;		/* nesting depths */
	struct cond *conds;
	unsigned nconds, cap;
	int stopped;			/* line budget exhausted */
};

static struct src *src_get(struct asm_ctx *a)
{
	if (!a->src) {
		a->src = arena_alloc(&a->ar, sizeof(*a->src));
		if (!a->src)
			asm_nomem(a);
	}
	return a->src;
}

static void push_reader(struct src *s, struct reader *r)
{
	r->up = s->top;
	r->cond_depth = s->nconds;
	s->top = r;
}

static char *dir_of(struct asm_ctx *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return NULL;
	return arena_strndup(&a->ar, path, slash == path ? 1 : slash - path);
}

static int read_file(struct asm_ctx *a, const char *path, char **text,
		     size_t *len)
{
	size_t cap = 4096, n = 0;
	struct stat st;
	char *buf;
	FILE *f;
	int fd;

	/* Only regular files: a FIFO or a device could block or never end. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		close(fd);
		return -EFBIG;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	buf = malloc(cap);
	for (;;) {
		size_t got;

		if (!buf) {
			fclose(f);
			return -ENOMEM;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *nb;

			if (cap >= MAX_FILE_BYTES) {
				free(buf);
				fclose(f);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*text = arena_strndup(&a->ar, buf, n);
	*len = n;
	free(buf);
	return *text ? 0 : -ENOMEM;
}

static int push_text(struct asm_ctx *a, const char *path, const char *dir,
		     const char *text, size_t len)
{
	struct src *s = src_get(a);
	struct reader *r = arena_alloc(&a->ar, sizeof(*r));

	if (!s || !r) {
		asm_nomem(a);
		return -ENOMEM;
	}
	r->is_file = 1;
	r->path = path;
	r->dir = dir;
	r->text = text;
	r->len = len;
	push_reader(s, r);
	s->files++;
	return 0;
}

int src_push_buffer(struct asm_ctx *a, const char *name, const char *text,
		    size_t len)
{
	const char *path = arena_strndup(&a->ar, name, strlen(name));
	char *copy = arena_strndup(&a->ar, text, len);

	if (!path || !copy) {
		asm_nomem(a);
		return -ENOMEM;
	}
	return push_text(a, path, NULL, copy, len);
}

static const char *why_not(int err)
{
	if (err == -EFBIG)
		return "file too large";
	if (err == -EISDIR)
		return "not a regular file";
	return strerror(-err);
}

/* Read dir/path (just path when dir is NULL); *path becomes that name. */
static int try_open(struct asm_ctx *a, const char *dir, const char **path,
		    char **text, size_t *len)
{
	char *p;
	int ret;

	if (!dir)
		return read_file(a, *path, text, len);
	p = arena_alloc(&a->ar, strlen(dir) + strlen(*path) + 2);
	if (!p)
		return -ENOMEM;
	sprintf(p, "%s/%s", dir, *path);
	ret = read_file(a, p, text, len);
	if (!ret)
		*path = p;
	return ret == -ENOTDIR ? -ENOENT : ret;
}

/* Open path for .include (from != NULL) or as the main file. */
int src_push_file(struct asm_ctx *a, const char *path, const struct loc *from,
		  unsigned col)
{
	struct src *s = src_get(a);
	const char *const *inc = a->opts ? a->opts->include_dirs : NULL;
	const char *dir = NULL;
	char *text = NULL;
	size_t len = 0;
	int ret = -ENOENT;

	if (!s)
		return -ENOMEM;
	if (from && s->files >= ASM_MAX_INCLUDE_DEPTH) {
		asm_error(a, from, col, "includes nested more than %d deep",
			  ASM_MAX_INCLUDE_DEPTH);
		return -EINVAL;
	}
	if (from && path[0] != '/') {
		/* the including file's directory first, then each -I */
		for (struct reader *r = s->top; r; r = r->up) {
			if (r->is_file) {
				dir = r->dir;
				break;
			}
		}
		ret = try_open(a, dir, &path, &text, &len);
		for (size_t i = 0; inc && inc[i] && ret == -ENOENT; i++)
			ret = try_open(a, inc[i], &path, &text, &len);
	} else {
		ret = read_file(a, path, &text, &len);
	}
	if (ret) {
		if (from)
			asm_error(a, from, col, "cannot open include file '%s': %s",
				  path, why_not(ret));
		else if (ret != -ENOMEM)
			asm_error(a, NULL, 0, "cannot open '%s': %s", path,
				  why_not(ret));
		if (ret == -ENOMEM)
			asm_nomem(a);
		return from ? -EINVAL : ret;
	}
	path = arena_strndup(&a->ar, path, strlen(path));
	if (!path) {
		asm_nomem(a);
		return -ENOMEM;
	}
	return push_text(a, path, dir_of(a, path), text, len);
}

static void pop_reader(struct asm_ctx *a, struct src *s)
{
	struct reader *r = s->top;

	while (s->nconds > r->cond_depth) {
		struct cond *c = &s->conds[--s->nconds];

		asm_error(a, &c->loc, c->col, "unterminated conditional%s",
			  r->is_file ? "" : " in macro or .rept body");
	}
	if (r->is_file)
		s->files--;
	else if (r->m)
		s->macros--;
	s->top = r->up;
}

/* Substitute macro parameters into one body line. */
static char *substitute(struct asm_ctx *a, const struct reader *r,
			const struct body_line *bl)
{
	size_t cap = strlen(bl->text) + 64, n = 0;
	char *out = malloc(cap), *res;
	const char *p = bl->text;

	while (out && *p) {
		char num[24];
		const char *add = p;
		size_t alen = 1, skip = 1;

		if (p[0] == '\\' && p[1] == '@') {
			snprintf(num, sizeof(num), "%lu", r->serial);
			add = num;
			alen = strlen(num);
			skip = 2;
		} else if (p[0] == '\\' && p[1] == '(' && p[2] == ')') {
			alen = 0;
			skip = 3;
		} else if (p[0] == '\\') {
			size_t l = 0;

			while (p[1 + l] == '_' || (p[1 + l] >= 'a' && p[1 + l] <= 'z') ||
			       (p[1 + l] >= 'A' && p[1 + l] <= 'Z') ||
			       (l && p[1 + l] >= '0' && p[1 + l] <= '9'))
				l++;
			for (unsigned i = 0; l && i < r->m->nparams; i++) {
				if (strlen(r->m->params[i]) == l &&
				    !memcmp(r->m->params[i], p + 1, l)) {
					add = r->args[i];
					alen = strlen(add);
					skip = l + 1;
					break;
				}
			}
		}
		if (n + alen + 1 > cap) {
			char *o;

			cap = (n + alen + 1) * 2;
			if (cap > MAX_EXPANDED_LINE) {
				free(out);
				asm_error(a, &bl->loc, 0,
					  "line longer than %u bytes after macro expansion",
					  MAX_EXPANDED_LINE);
				return NULL;
			}
			o = realloc(out, cap);
			if (!o)
				free(out);
			out = o;
			if (!out)
				break;
		}
		memcpy(out + n, add, alen);
		n += alen;
		p += skip;
	}
	if (!out) {
		asm_nomem(a);
		return NULL;
	}
	res = arena_strndup(&a->ar, out, n);
	free(out);
	if (!res)
		asm_nomem(a);
	return res;
}

/* The next raw line of the top reader, or 0 when it is exhausted. */
static int raw_line(struct asm_ctx *a, struct src *s, struct line *ln)
{
	struct reader *r = s->top;

	if (r->is_file) {
		const char *start = r->text + r->pos, *nl;
		size_t n;

		if (r->pos >= r->len)
			return 0;
		nl = memchr(start, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - start) : r->len - r->pos;
		r->pos += n + (nl ? 1 : 0);
		r->line++;
		ln->loc.file = r->path;
		ln->loc.line = r->line;
		ln->loc.exp = NULL;
		if (memchr(start, '\0', n)) {
			asm_error(a, &ln->loc, 0, "NUL byte in source");
			ln->text = "";
			return 1;
		}
		if (n > ASM_MAX_LINE_LEN) {
			asm_error(a, &ln->loc, 0, "line longer than %d bytes",
				  ASM_MAX_LINE_LEN);
			ln->text = "";
			return 1;
		}
		if (n && start[n - 1] == '\r')
			n--;
		ln->text = arena_strndup(&a->ar, start, n);
		if (!ln->text) {
			asm_nomem(a);
			ln->text = "";
		}
		return 1;
	}
	if (r->idx == r->nlines) {
		if (++r->rep >= r->reps)
			return 0;
		r->idx = 0;
		if (!r->nlines)
			return 0;
	}
	{
		const struct body_line *bl = &r->lines[r->idx++];

		ln->loc = bl->loc;
		if (r->m) {
			ln->loc.exp = r->exp;
			ln->text = substitute(a, r, bl);
			if (!ln->text)
				ln->text = "";
		} else {
			ln->text = bl->text;
		}
	}
	return 1;
}

/* The first word of a raw line, for finding .endm/.endr while recording. */
static int first_word_is(const char *text, const char *word)
{
	size_t n = strlen(word);

	while (*text == ' ' || *text == '\t')
		text++;
	return !strncmp(text, word, n) &&
	       (text[n] == '\0' || text[n] == ' ' || text[n] == '\t' ||
		text[n] == ';' || text[n] == '#' || text[n] == '/' ||
		text[n] == '\r');
}

/* Record lines up to the matching end word; nested pairs are kept. */
static int record_body(struct asm_ctx *a, struct src *s, const char *open,
		       const char *close, struct body_line **lines,
		       unsigned *nlines)
{
	unsigned cap = 16, n = 0, depth = 0;
	struct body_line *v = malloc(cap * sizeof(*v));
	struct line ln;
	int found = 0;

	while (v && raw_line(a, s, &ln)) {
		if (first_word_is(ln.text, open))
			depth++;
		if (first_word_is(ln.text, close) && depth-- == 0) {
			found = 1;
			break;
		}
		if (n == cap) {
			struct body_line *nv = realloc(v, 2 * cap * sizeof(*v));

			if (!nv)
				free(v);
			v = nv;
			cap *= 2;
			if (!v)
				break;
		}
		v[n].text = ln.text;
		v[n].loc = ln.loc;
		n++;
	}
	if (!v) {
		asm_nomem(a);
		return -1;
	}
	*lines = arena_alloc(&a->ar, (n ? n : 1) * sizeof(**lines));
	if (!*lines) {
		free(v);
		asm_nomem(a);
		return -1;
	}
	memcpy(*lines, v, n * sizeof(*v));
	*nlines = n;
	free(v);
	return found ? 0 : 1;
}

static int define_macro(struct asm_ctx *a, struct src *s, struct line *ln,
			struct cur *c)
{
	struct token *name = cur_tok(c);
	struct macro *m = arena_alloc(&a->ar, sizeof(*m));
	const char *params[64], *defs[64];
	struct sym *sym;
	unsigned np = 0;
	int ret;

	if (!m) {
		asm_nomem(a);
		return -1;
	}
	if (name->kind != TK_IDENT || name->s[0] == '.') {
		cur_error(c, "expected a macro name");
		goto skip;
	}
	c->i++;
	cur_accept(c, TK_COMMA);
	while (!cur_at_end(c)) {
		struct token *p = cur_tok(c);

		if (p->kind != TK_IDENT || p->s[0] == '.' || np == 64) {
			cur_error(c, np == 64 ? "more than 64 macro parameters" :
				  "expected a parameter name");
			goto skip;
		}
		params[np] = arena_strndup(&a->ar, p->s, p->len);
		defs[np] = NULL;
		c->i++;
		if (cur_accept(c, TK_ASSIGN)) {
			const char *start = cur_tok(c)->s, *end;

			while (!cur_at_end(c) && cur_tok(c)->kind != TK_COMMA)
				c->i++;
			end = cur_tok(c)->s;
			while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			defs[np] = arena_strndup(&a->ar, start, end - start);
		}
		if (!params[np]) {
			asm_nomem(a);
			return -1;
		}
		for (unsigned i = 0; i < np; i++)
			if (!strcmp(params[i], params[np])) {
				asm_error(a, &ln->loc, p->col,
					  "duplicate macro parameter '%s'",
					  params[np]);
				goto skip;
			}
		np++;
		if (!cur_at_end(c) && cur_expect(c, TK_COMMA, "between parameters"))
			goto skip;
	}
	m->name = arena_strndup(&a->ar, name->s, name->len);
	m->nparams = np;
	m->params = arena_alloc(&a->ar, (np + 1) * sizeof(char *));
	m->defaults = arena_alloc(&a->ar, (np + 1) * sizeof(char *));
	m->loc = ln->loc;
	if (!m->name || !m->params || !m->defaults) {
		asm_nomem(a);
		return -1;
	}
	memcpy(m->params, params, np * sizeof(char *));
	memcpy(m->defaults, defs, np * sizeof(char *));
	ret = record_body(a, s, ".macro", ".endm", &m->lines, &m->nlines);
	if (ret < 0)
		return -1;
	if (ret) {
		asm_error(a, &ln->loc, name->col, "missing .endm for macro '%s'",
			  m->name);
		return -1;
	}
	if (insn_is_mnemonic(name->s, name->len)) {
		asm_error(a, &ln->loc, name->col,
			  "macro name '%s' is an instruction", m->name);
		return -1;
	}
	if (is_reserved_name(name->s, name->len)) {
		asm_error(a, &ln->loc, name->col,
			  "macro name '%s' is a register", m->name);
		return -1;
	}
	sym = sym_find(&a->macros, name->s, name->len);
	if (sym) {
		const struct macro *old = sym->data;

		asm_error(a, &ln->loc, name->col, "macro '%s' already defined",
			  m->name);
		asm_note(a, &old->loc, 0, "previous definition of '%s' here",
			 m->name);
		return -1;
	}
	sym = sym_add(a, &a->macros, name->s, name->len);
	if (!sym)
		return -1;
	sym->data = m;
	return 0;
skip:
	/* still consume the body so that it is not assembled */
	{
		struct body_line *lines;
		unsigned n;

		record_body(a, s, ".macro", ".endm", &lines, &n);
	}
	return -1;
}

static int start_rept(struct asm_ctx *a, struct src *s, struct line *ln,
		      struct cur *c)
{
	unsigned col = cur_tok(c)->col;
	struct reader *r;
	int64_t count = 0;
	int bad = 0, ret;

	if (expr_int(c, &count, 1, ".rept count") || cur_end(c))
		bad = 1;
	else if (count < 0 || count > ASM_MAX_REPT) {
		asm_error(a, &ln->loc, col, ".rept count %lld out of range 0..%u",
			  (long long)count, ASM_MAX_REPT);
		bad = 1;
	}
	r = arena_alloc(&a->ar, sizeof(*r));
	if (!r) {
		asm_nomem(a);
		return -1;
	}
	ret = record_body(a, s, ".rept", ".endr", (struct body_line **)&r->lines,
			  &r->nlines);
	if (ret < 0)
		return -1;
	if (ret) {
		asm_error(a, &ln->loc, c->t[0].col, "missing .endr");
		return -1;
	}
	if (bad || count == 0)
		return bad ? -1 : 0;
	r->reps = (unsigned long)count;
	push_reader(s, r);
	return 0;
}

int src_invoke_macro(struct asm_ctx *a, struct sym *msym, const struct line *ln,
		     const struct token *name)
{
	const struct macro *m = msym->data;
	struct src *s = a->src;
	struct expansion *e = arena_alloc(&a->ar, sizeof(*e));
	struct reader *r = arena_alloc(&a->ar, sizeof(*r));
	const char **args = arena_alloc(&a->ar, (m->nparams + 1) * sizeof(char *));
	const char *p = name->s + name->len;
	unsigned n = 0;

	if (!e || !r || !args) {
		asm_nomem(a);
		return -1;
	}
	if (s->macros >= ASM_MAX_MACRO_DEPTH) {
		asm_error(a, &ln->loc, name->col,
			  "macro expansion nested more than %d deep",
			  ASM_MAX_MACRO_DEPTH);
		return -1;
	}
	/* split the rest of the line at commas outside () [] "" */
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ';' && *p != '#' && !(p[0] == '/' && p[1] == '/')) {
		const char *start = p, *end;
		int depth = 0, quote = 0;

		for (; *p; p++) {
			if (quote) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"')
					quote = 0;
				continue;
			}
			if (*p == '"')
				quote = 1;
			else if (*p == '(' || *p == '[')
				depth++;
			else if ((*p == ')' || *p == ']') && depth)
				depth--;
			else if ((*p == ',' && !depth) || *p == ';' || *p == '#' ||
				 (p[0] == '/' && p[1] == '/'))
				break;
		}
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (n == m->nparams) {
			asm_error(a, &ln->loc, (unsigned)(start - ln->text) + 1,
				  "macro '%s' takes %u argument%s", m->name,
				  m->nparams, m->nparams == 1 ? "" : "s");
			return -1;
		}
		args[n] = arena_strndup(&a->ar, start, end - start);
		if (!args[n]) {
			asm_nomem(a);
			return -1;
		}
		if (!*args[n])
			args[n] = m->defaults[n];
		n++;
		if (*p != ',')
			break;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	for (unsigned i = 0; i < m->nparams; i++) {
		if (i >= n)
			args[i] = m->defaults[i];
		if (!args[i]) {
			asm_error(a, &ln->loc, name->col,
				  "macro '%s': missing argument '%s'", m->name,
				  m->params[i]);
			return -1;
		}
	}
	e->macro = m->name;
	e->file = ln->loc.file;
	e->line = ln->loc.line;
	e->col = name->col;
	e->up = ln->loc.exp;
	r->lines = m->lines;
	r->nlines = m->nlines;
	r->reps = 1;
	r->m = m;
	r->args = args;
	r->serial = ++a->expansions;
	r->exp = e;
	push_reader(s, r);
	s->macros++;
	return 0;
}

static int is_cond_line(const char *text)
{
	static const char *const words[] = {
		".if", ".ifdef", ".ifndef", ".elif", ".else", ".endif",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (first_word_is(text, words[i]))
			return 1;
	return 0;
}

static int cond_active(struct src *s)
{
	return !s->nconds || s->conds[s->nconds - 1].active;
}

static int cond_ifdef(struct asm_ctx *a, struct cur *c, int *val)
{
	struct token *t = cur_tok(c);
	struct sym *sym;

	if (t->kind != TK_IDENT)
		return cur_error(c, "expected a symbol name");
	c->i++;
	sym = sym_lookup(a, t->s, t->len);
	*val = sym && (sym->kind == SYM_LABEL || sym->defined);
	return cur_end(c);
}

/* Conditional directives; returns 1 when t[0] was one. */
static int conditional(struct asm_ctx *a, struct src *s, struct line *ln,
		       struct cur *c)
{
	struct token *d = &c->t[0];
	struct cond *top = s->nconds ? &s->conds[s->nconds - 1] : NULL;
	int is_if = tok_is(d, ".if"), is_ifdef = tok_is(d, ".ifdef");
	int is_ifndef = tok_is(d, ".ifndef");
	int64_t v = 0;
	int val = 0;

	c->i = 1;
	if (is_if || is_ifdef || is_ifndef) {
		int parent = cond_active(s);

		if (parent) {
			if (is_if ? expr_int(c, &v, 1, ".if condition") ||
				    cur_end(c) :
				    cond_ifdef(a, c, &val))
				v = val = 0;
			if (is_if)
				val = v != 0;
			else if (is_ifndef)
				val = !val;
		}
		if (s->nconds == s->cap) {
			unsigned cap = s->cap ? s->cap * 2 : 8;
			struct cond *nc = arena_alloc(&a->ar, cap * sizeof(*nc));

			if (!nc) {
				asm_nomem(a);
				return 1;
			}
			if (s->nconds)
				memcpy(nc, s->conds, s->nconds * sizeof(*nc));
			s->conds = nc;
			s->cap = cap;
		}
		s->conds[s->nconds++] = (struct cond){
			.active = parent && val, .taken = parent && val,
			.parent = (uint8_t)parent, .loc = ln->loc, .col = d->col,
		};
		return 1;
	}
	if (tok_is(d, ".elif") || tok_is(d, ".else") || tok_is(d, ".endif")) {
		if (!top || s->nconds <= s->top->cond_depth) {
			asm_error(a, &ln->loc, d->col, "%.*s without .if",
				  (int)d->len, d->s);
			return 1;
		}
		if (tok_is(d, ".endif")) {
			cur_end(c);
			s->nconds--;
			return 1;
		}
		if (top->else_seen) {
			asm_error(a, &ln->loc, d->col, "%.*s after .else",
				  (int)d->len, d->s);
			return 1;
		}
		if (tok_is(d, ".else")) {
			cur_end(c);
			top->active = top->parent && !top->taken;
			top->taken = 1;
			top->else_seen = 1;
			return 1;
		}
		top->active = 0;
		if (top->parent && !top->taken) {
			if (!expr_int(c, &v, 1, ".elif condition") && !cur_end(c))
				top->active = v != 0;
			top->taken = top->active;
		}
		return 1;
	}
	return 0;
}

int src_next(struct asm_ctx *a, struct line *ln, struct token **toks,
	     unsigned *ntoks)
{
	struct src *s = a->src;

	while (s && s->top && !asm_stop(a) && !s->stopped) {
		struct cur c = { .a = a, .loc = &ln->loc };

		if (!raw_line(a, s, ln)) {
			pop_reader(a, s);
			continue;
		}
		if (++a->lines > ASM_MAX_LINES) {
			asm_error(a, &ln->loc, 0,
				  "more than %u lines after expansion",
				  ASM_MAX_LINES);
			s->stopped = 1;
			break;
		}
		/* skipped text may be anything but a conditional */
		if (!cond_active(s) && !is_cond_line(ln->text))
			continue;
		if (lex_line(a, &ln->loc, ln->text, &c.t, &c.n))
			continue;
		if (conditional(a, s, ln, &c))
			continue;
		if (!cond_active(s))
			continue;
		if (tok_is(&c.t[0], ".macro")) {
			c.i = 1;
			define_macro(a, s, ln, &c);
			continue;
		}
		if (tok_is(&c.t[0], ".rept")) {
			c.i = 1;
			start_rept(a, s, ln, &c);
			continue;
		}
		if (tok_is(&c.t[0], ".endm") || tok_is(&c.t[0], ".endr")) {
			asm_error(a, &ln->loc, c.t[0].col, "%.*s without %s",
				  (int)c.t[0].len, c.t[0].s,
				  tok_is(&c.t[0], ".endm") ? ".macro" : ".rept");
			continue;
		}
		*toks = c.t;
		*ntoks = c.n;
		return 1;
	}
	return 0;
}

void src_finish(struct asm_ctx *a)
{
	struct src *s = a->src;

	if (!s)
		return;
	while (s->top)
		pop_reader(a, s);
}
