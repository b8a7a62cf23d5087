// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON checker, see json_check.h. Recursive descent over the
 * grammar of RFC 8259, nesting limited to JSON_MAX_DEPTH.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

#define JSON_MAX_DEPTH	64

struct json_parser {
	const char *s;		/* the whole text */
	size_t at;		/* next byte */
	int depth;
	struct json_doc *doc;
};

static int json_fail(struct json_parser *p, const char *fmt, ...)
{
	char msg[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->doc->error, sizeof(p->doc->error), "byte %zu: %s", p->at,
		 msg);
	return -EINVAL;
}

static void json_ws(struct json_parser *p)
{
	while (strchr(" \t\n\r", p->s[p->at]) && p->s[p->at])
		p->at++;
}

static int json_leaf_add(struct json_parser *p, const char *path,
			 enum json_type type, size_t from, size_t to)
{
	struct json_doc *d = p->doc;
	struct json_leaf *l;
	int i;

	for (i = 0; i < d->nleaves; i++)
		if (!strcmp(d->leaf[i].path, path))
			return json_fail(p, "duplicate member %s", path);
	if (d->nleaves == JSON_MAX_LEAVES)
		return 0;
	l = &d->leaf[d->nleaves++];
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->type = type;
	snprintf(l->text, sizeof(l->text), "%.*s", (int)(to - from), p->s + from);
	return 0;
}

/* Length of the well-formed UTF-8 sequence at @s (RFC 3629), 0 if none. */
static int json_utf8(const unsigned char *s)
{
	int n, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

/* A string; [*from, *to) receives its raw text between the quotes. */
static int json_string(struct json_parser *p, size_t *from, size_t *to)
{
	const unsigned char *s = (const unsigned char *)p->s;
	int i, n;

	if (s[p->at] != '"')
		return json_fail(p, "expected a string");
	*from = ++p->at;
	for (;;) {
		if (!s[p->at])
			return json_fail(p, "unterminated string");
		if (s[p->at] == '"')
			break;
		if (s[p->at] < 0x20)
			return json_fail(p, "control character 0x%02x in a string",
					 s[p->at]);
		if (s[p->at] == '\\') {
			p->at++;
			if (s[p->at] == 'u') {
				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[p->at + i]) ||
					    !s[p->at + i])
						return json_fail(p, "bad \\u escape");
				p->at += 5;
				continue;
			}
			if (!s[p->at] || !strchr("\"\\/bfnrt", s[p->at]))
				return json_fail(p, "bad escape");
			p->at++;
			continue;
		}
		n = json_utf8(s + p->at);
		if (!n)
			return json_fail(p, "invalid UTF-8");
		p->at += n;
	}
	*to = p->at++;
	return 0;
}

static bool json_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int json_number(struct json_parser *p)
{
	const char *s = p->s;

	if (s[p->at] == '-')
		p->at++;
	if (s[p->at] == '0') {
		p->at++;
		if (json_digit(s[p->at]))
			return json_fail(p, "leading zero");
	} else if (json_digit(s[p->at])) {
		while (json_digit(s[p->at]))
			p->at++;
	} else {
		return json_fail(p, "expected a value");
	}
	if (s[p->at] == '.') {
		p->at++;
		if (!json_digit(s[p->at]))
			return json_fail(p, "no digits after the point");
		while (json_digit(s[p->at]))
			p->at++;
	}
	if (s[p->at] == 'e' || s[p->at] == 'E') {
		p->at++;
		if (s[p->at] == '+' || s[p->at] == '-')
			p->at++;
		if (!json_digit(s[p->at]))
			return json_fail(p, "no digits in the exponent");
		while (json_digit(s[p->at]))
			p->at++;
	}
	return 0;
}

static int json_value(struct json_parser *p, const char *path);

static int json_object(struct json_parser *p, const char *path)
{
	char sub[JSON_MAX_PATH];
	size_t from, to;
	int ret;

	p->at++;
	json_ws(p);
	if (p->s[p->at] == '}') {
		p->at++;
		return 0;
	}
	for (;;) {
		json_ws(p);
		ret = json_string(p, &from, &to);
		if (ret)
			return ret;
		snprintf(sub, sizeof(sub), "%s%s%.*s", path, *path ? "." : "",
			 (int)(to - from), p->s + from);
		json_ws(p);
		if (p->s[p->at] != ':')
			return json_fail(p, "expected ':'");
		p->at++;
		ret = json_value(p, sub);
		if (ret)
			return ret;
		json_ws(p);
		if (p->s[p->at] == '}') {
			p->at++;
			return 0;
		}
		if (p->s[p->at] != ',')
			return json_fail(p, "expected ',' or '}'");
		p->at++;
	}
}

static int json_array(struct json_parser *p, const char *path)
{
	char sub[JSON_MAX_PATH];
	int ret, i;

	p->at++;
	json_ws(p);
	if (p->s[p->at] == ']') {
		p->at++;
		return 0;
	}
	for (i = 0;; i++) {
		snprintf(sub, sizeof(sub), "%s[%d]", path, i);
		ret = json_value(p, sub);
		if (ret)
			return ret;
		json_ws(p);
		if (p->s[p->at] == ']') {
			p->at++;
			return 0;
		}
		if (p->s[p->at] != ',')
			return json_fail(p, "expected ',' or ']'");
		p->at++;
	}
}

static int json_value(struct json_parser *p, const char *path)
{
	static const struct { const char *word; enum json_type type; } lits[] = {
		{ "null", JSON_NULL }, { "false", JSON_FALSE }, { "true", JSON_TRUE },
	};
	size_t from, to;
	unsigned int i;
	int ret;

	json_ws(p);
	if (p->depth >= JSON_MAX_DEPTH)
		return json_fail(p, "nested too deep");
	switch (p->s[p->at]) {
	case '{':
	case '[':
		p->depth++;
		ret = p->s[p->at] == '{' ? json_object(p, path) :
					  json_array(p, path);
		p->depth--;
		return ret;
	case '"':
		ret = json_string(p, &from, &to);
		return ret ?: json_leaf_add(p, path, JSON_STRING, from, to);
	}
	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++)
		if (!strncmp(p->s + p->at, lits[i].word, strlen(lits[i].word))) {
			from = p->at;
			p->at += strlen(lits[i].word);
			return json_leaf_add(p, path, lits[i].type, from, p->at);
		}
	from = p->at;
	ret = json_number(p);
	return ret ?: json_leaf_add(p, path, JSON_NUMBER, from, p->at);
}

int json_check(const char *text, struct json_doc *doc)
{
	struct json_parser p = { .s = text, .doc = doc };
	int ret;

	memset(doc, 0, sizeof(*doc));
	ret = json_value(&p, "");
	if (ret)
		return ret;
	json_ws(&p);
	if (text[p.at])
		return json_fail(&p, "text after the value");
	return 0;
}

const struct json_leaf *json_get(const struct json_doc *doc, const char *path)
{
	int i;

	for (i = 0; i < doc->nleaves; i++)
		if (!strcmp(doc->leaf[i].path, path))
			return &doc->leaf[i];
	return NULL;
}

int json_get_u64(const struct json_doc *doc, const char *path, uint64_t *v)
{
	const struct json_leaf *l = json_get(doc, path);
	char *end;

	if (!l)
		return -ENOENT;
	if (l->type != JSON_NUMBER || !json_digit(l->text[0]))
		return -EINVAL;
	errno = 0;
	*v = strtoull(l->text, &end, 10);
	return errno || *end ? -EINVAL : 0;
}
