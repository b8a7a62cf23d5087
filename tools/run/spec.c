// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spec.c - parse wse-run's action arguments (see spec.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npy.h"
#include "spec.h"

__attribute__((format(printf, 3, 4)))
static int spec_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Symbol and function names are assembler identifiers. */
static size_t spec_name_len(const char *s)
{
	size_t n = 0;

	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
	      s[0] == '_' || s[0] == '.' || s[0] == '$'))
		return 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '.' ||
	       s[n] == '$')
		n++;
	return n;
}

/* A decimal number of 32 bits at *@s; moves *@s past it. */
int run_parse_u32(const char **s, uint32_t *v)
{
	unsigned long long x = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		x = x * 10 + (*p++ - '0');
		if (x > UINT32_MAX)
			return -EINVAL;
	}
	*s = p;
	*v = (uint32_t)x;
	return 0;
}

/* PX,PY,W,H[,N] up to @end. */
static int spec_rect(const char *s, const char *end, struct run_xfer *x)
{
	uint32_t *v[5] = { &x->px, &x->py, &x->w, &x->h, &x->n };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (run_parse_u32(&s, v[i]))
			return -EINVAL;
		if (s == end)
			break;
		if (*s++ != ',')
			return -EINVAL;
	}
	if (i < 3 || s != end || !x->w || !x->h || (i == 4 && !x->n))
		return -EINVAL;
	x->has_rect = true;
	return 0;
}

int run_parse_xfer(const char *arg, struct run_xfer *x, char *err,
		   size_t errlen)
{
	const char *eq = strchr(arg, '='), *s = arg, *at;
	size_t n = spec_name_len(arg);
	enum npy_dtype t;

	memset(x, 0, sizeof(*x));
	x->type = -1;
	if (!eq || !eq[1])
		return spec_fail(err, errlen, "expected SYM[:TYPE][@PX,PY,W,H[,N]]=FILE");
	if (!n || n >= RUN_NAME_MAX)
		return spec_fail(err, errlen, "expected a symbol name first");
	memcpy(x->sym, arg, n);
	s += n;
	if (*s == ':') {
		const char *te = ++s;

		while (te < eq && *te != '@')
			te++;
		if (npy_dtype_by_name(s, te - s, &t))
			return spec_fail(err, errlen, "type '%.*s' is not f32, i32, u32, f16 or i16",
					 (int)(te - s), s);
		x->type = t;
		s = te;
	}
	if (*s == '@') {
		at = s + 1;
		if (spec_rect(at, eq, x))
			return spec_fail(err, errlen, "expected @PX,PY,W,H[,N] with W, H and N above 0");
		s = eq;
	}
	if (s != eq)
		return spec_fail(err, errlen, "unexpected '%.*s' after the symbol",
				 (int)(eq - s), s);
	x->file = eq + 1;
	return 0;
}

int run_parse_arg(const char *s, size_t len, uint32_t *bits)
{
	char buf[64], *end;
	const char *digits;
	long long v;
	bool hex;
	float f;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* Decimal or 0x hexadecimal; a leading zero does not mean octal. */
	digits = buf + (buf[0] == '-' || buf[0] == '+');
	errno = 0;
	hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
	v = strtoll(buf, &end, hex ? 16 : 10);
	if (!*end && !errno) {
		if (v < INT32_MIN || v > UINT32_MAX)
			return -EINVAL;
		*bits = (uint32_t)v;
		return 0;
	}
	/* Not an integer: a float with a point, an exponent, inf or nan. */
	errno = 0;
	f = strtof(buf, &end);
	if (*end || errno || end == buf || !strpbrk(buf, ".eEnN"))
		return -EINVAL;
	memcpy(bits, &f, sizeof(*bits));
	return 0;
}

int run_parse_launch(const char *arg, struct run_launch *l, char *err,
		     size_t errlen)
{
	size_t n = spec_name_len(arg);
	const char *s = arg + n;

	memset(l, 0, sizeof(*l));
	if (!n || n >= RUN_NAME_MAX || (*s && *s != ':'))
		return spec_fail(err, errlen, "expected NAME[:ARG[,ARG]...]");
	memcpy(l->name, arg, n);
	if (!*s)
		return 0;
	do {
		const char *e = strchr(++s, ',');

		if (!e)
			e = s + strlen(s);
		if (l->nargs == RUN_MAX_ARGS)
			return spec_fail(err, errlen, "more than %d arguments",
					 RUN_MAX_ARGS);
		if (run_parse_arg(s, e - s, &l->args[l->nargs++]))
			return spec_fail(err, errlen, "argument '%.*s' is neither a 32-bit integer nor a float",
					 (int)(e - s), s);
		s = e;
	} while (*s);
	return 0;
}
