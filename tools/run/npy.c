// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * npy.c - parse and write .npy headers (see npy.h for the format).
 *
 * The header is a Python literal, but NumPy only ever writes three keys
 * with simple values, so a small recursive-descent reader does: quoted
 * strings, True/False and a tuple of non-negative integers. Anything else
 * is rejected with the offset where it went wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "npy.h"

static const char npy_magic[6] = { '\x93', 'N', 'U', 'M', 'P', 'Y' };

static const struct {
	const char *descr;
	const char *name;
	unsigned int size;
} npy_types[NPY_NTYPES] = {
	[NPY_F32] = { "<f4", "f32", 4 },
	[NPY_I32] = { "<i4", "i32", 4 },
	[NPY_U32] = { "<u4", "u32", 4 },
	[NPY_F16] = { "<f2", "f16", 2 },
	[NPY_I16] = { "<i2", "i16", 2 },
};

unsigned int npy_dtype_size(enum npy_dtype t)
{
	return t < NPY_NTYPES ? npy_types[t].size : 0;
}

const char *npy_dtype_descr(enum npy_dtype t)
{
	return t < NPY_NTYPES ? npy_types[t].descr : "?";
}

const char *npy_dtype_name(enum npy_dtype t)
{
	return t < NPY_NTYPES ? npy_types[t].name : "?";
}

int npy_dtype_by_name(const char *name, size_t len, enum npy_dtype *t)
{
	for (unsigned int i = 0; i < NPY_NTYPES; i++) {
		if (strlen(npy_types[i].name) == len &&
		    !memcmp(npy_types[i].name, name, len)) {
			*t = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The header being read: text, its end, where we are, the message. */
struct npy_cur {
	const char *s, *start, *end;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int npy_fail(struct npy_cur *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void npy_skip_ws(struct npy_cur *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' ||
				 *c->s == '\n' || *c->s == '\r'))
		c->s++;
}

/* Skip blanks, then take @ch if it is next. */
static bool npy_accept(struct npy_cur *c, char ch)
{
	npy_skip_ws(c);
	if (c->s < c->end && *c->s == ch) {
		c->s++;
		return true;
	}
	return false;
}

static int npy_expect(struct npy_cur *c, char ch, const char *what)
{
	if (npy_accept(c, ch))
		return 0;
	return npy_fail(c, "header offset %td: expected %s",
			c->s - c->start, what);
}

/* A '...' or "..." string without escapes; *@s and *@len point into it. */
static int npy_string(struct npy_cur *c, const char **s, size_t *len)
{
	const char *q;
	char quote;

	npy_skip_ws(c);
	if (c->s >= c->end || (*c->s != '\'' && *c->s != '"'))
		return npy_fail(c, "header offset %td: expected a quoted string",
				c->s - c->start);
	quote = *c->s++;
	for (q = c->s; q < c->end && *q != quote; q++)
		if (*q == '\\')
			return npy_fail(c, "header offset %td: escapes in strings are not supported",
					q - c->start);
	if (q == c->end)
		return npy_fail(c, "header: unterminated string");
	*s = c->s;
	*len = q - c->s;
	c->s = q + 1;
	return 0;
}

static bool npy_word(struct npy_cur *c, const char *w)
{
	size_t n = strlen(w);

	npy_skip_ws(c);
	if ((size_t)(c->end - c->s) >= n && !memcmp(c->s, w, n)) {
		c->s += n;
		return true;
	}
	return false;
}

static int npy_descr(struct npy_cur *c, struct npy_array *a)
{
	const char *s;
	size_t len;
	int ret;

	ret = npy_string(c, &s, &len);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < NPY_NTYPES; i++) {
		if (len == 3 && !memcmp(s, npy_types[i].descr, 3)) {
			a->dtype = i;
			return 0;
		}
	}
	if (len == 3 && (s[0] == '>' || s[0] == '='))
		return npy_fail(c, "dtype '%.3s' is not little-endian: save it as '<%.2s' (a.astype('<%.2s'))",
				s, s + 1, s + 1);
	return npy_fail(c, "dtype '%.*s' is not supported: use float32 '<f4', int32 '<i4', uint32 '<u4', float16 '<f2' or int16 '<i2'",
			(int)(len > 16 ? 16 : len), s);
}

static int npy_fortran(struct npy_cur *c)
{
	if (npy_word(c, "False"))
		return 0;
	if (npy_word(c, "True"))
		return npy_fail(c, "fortran_order is True: the array is in column-major order; save it in C order (numpy.ascontiguousarray(a))");
	return npy_fail(c, "header offset %td: fortran_order must be True or False",
			c->s - c->start);
}

static int npy_uint(struct npy_cur *c, uint64_t *v)
{
	npy_skip_ws(c);
	if (c->s >= c->end || *c->s < '0' || *c->s > '9')
		return npy_fail(c, "header offset %td: expected a dimension",
				c->s - c->start);
	*v = 0;
	while (c->s < c->end && *c->s >= '0' && *c->s <= '9') {
		if (*v > (UINT64_MAX >> 2) / 10)
			return npy_fail(c, "header: dimension too large");
		*v = *v * 10 + (*c->s++ - '0');
	}
	return 0;
}

/* (), (n,), (n, m), ... with an optional trailing comma. */
static int npy_shape(struct npy_cur *c, struct npy_array *a)
{
	int ret;

	ret = npy_expect(c, '(', "'(' starting the shape");
	if (ret)
		return ret;
	a->ndim = 0;
	while (!npy_accept(c, ')')) {
		if (a->ndim == NPY_MAX_DIMS)
			return npy_fail(c, "shape has more than %d dimensions",
					NPY_MAX_DIMS);
		ret = npy_uint(c, &a->shape[a->ndim++]);
		if (ret)
			return ret;
		if (npy_accept(c, ')'))
			break;
		ret = npy_expect(c, ',', "',' or ')' in the shape");
		if (ret)
			return ret;
	}
	return 0;
}

/* The dict: each of the three keys exactly once, in any order. */
static int npy_dict(struct npy_cur *c, struct npy_array *a)
{
	bool seen[3] = { false, false, false };
	static const char *const keys[3] = { "descr", "fortran_order", "shape" };
	const char *k;
	size_t len;
	int ret, i;

	ret = npy_expect(c, '{', "'{' starting the header dict");
	if (ret)
		return ret;
	while (!npy_accept(c, '}')) {
		ret = npy_string(c, &k, &len);
		if (ret)
			return ret;
		for (i = 0; i < 3; i++)
			if (strlen(keys[i]) == len && !memcmp(keys[i], k, len))
				break;
		if (i == 3)
			return npy_fail(c, "header: unknown key '%.*s'",
					(int)(len > 32 ? 32 : len), k);
		if (seen[i])
			return npy_fail(c, "header: key '%s' given twice", keys[i]);
		seen[i] = true;
		ret = npy_expect(c, ':', "':' after a key");
		if (ret)
			return ret;
		ret = i == 0 ? npy_descr(c, a) : i == 1 ? npy_fortran(c) :
		      npy_shape(c, a);
		if (ret)
			return ret;
		if (npy_accept(c, '}'))
			break;
		ret = npy_expect(c, ',', "',' or '}' after a value");
		if (ret)
			return ret;
	}
	for (i = 0; i < 3; i++)
		if (!seen[i])
			return npy_fail(c, "header: no '%s' key", keys[i]);
	npy_skip_ws(c);
	if (c->s != c->end)
		return npy_fail(c, "header offset %td: text after the dict",
				c->s - c->start);
	return 0;
}

static uint32_t npy_le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int npy_parse(const void *buf, size_t len, struct npy_array *a, char *err,
	      size_t errlen)
{
	const uint8_t *b = buf;
	struct npy_cur c = { .err = err, .errlen = errlen };
	uint64_t count = 1, bytes, hlen;
	unsigned int lenbytes;
	int ret;

	memset(a, 0, sizeof(*a));
	if (len < 10 || memcmp(b, npy_magic, sizeof(npy_magic)))
		return npy_fail(&c, "not a .npy file (no \\x93NUMPY magic)");
	if (b[6] < 1 || b[6] > 3)
		return npy_fail(&c, ".npy version %u.%u is not supported (1.0 to 3.0 are)",
				b[6], b[7]);
	lenbytes = b[6] == 1 ? 2 : 4;
	if (len < 8 + lenbytes)
		return npy_fail(&c, "truncated .npy file: %zu bytes", len);
	hlen = npy_le(b + 8, lenbytes);
	if (hlen > len - 8 - lenbytes)
		return npy_fail(&c, "truncated .npy file: the header says %llu bytes, %zu are left",
				(unsigned long long)hlen, len - 8 - lenbytes);
	c.start = (const char *)b + 8 + lenbytes;
	c.s = c.start;
	c.end = c.start + hlen;
	for (const char *p = c.start; p < c.end; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' &&
		    *p != '\r')
			return npy_fail(&c, "header offset %td: control character 0x%02x",
					p - c.start, (unsigned char)*p);
	ret = npy_dict(&c, a);
	if (ret)
		return ret;

	for (unsigned int i = 0; i < a->ndim; i++) {
		if (a->shape[i] && count > UINT64_MAX / 4 / a->shape[i])
			return npy_fail(&c, "shape too large");
		count *= a->shape[i];
	}
	a->count = count;
	a->data_off = 8 + lenbytes + hlen;
	bytes = count * npy_dtype_size(a->dtype);
	if (len - a->data_off != bytes)
		return npy_fail(&c, "the header describes %llu bytes of %s data, the file holds %zu",
				(unsigned long long)bytes, npy_dtype_descr(a->dtype),
				len - a->data_off);
	return 0;
}

int npy_header(enum npy_dtype t, unsigned int ndim, const uint64_t *shape,
	       char *buf, size_t len)
{
	char dict[64 + NPY_MAX_DIMS * 22];
	size_t n, total;

	if (t >= NPY_NTYPES || ndim > NPY_MAX_DIMS)
		return -EINVAL;
	n = snprintf(dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (",
		     npy_types[t].descr);
	for (unsigned int i = 0; i < ndim; i++)
		n += snprintf(dict + n, sizeof(dict) - n, "%s%llu",
			      i ? ", " : "", (unsigned long long)shape[i]);
	n += snprintf(dict + n, sizeof(dict) - n, "%s), }",
		      ndim == 1 ? "," : "");
	/* magic, version, 16-bit length, dict, spaces, newline */
	total = (10 + n + 1 + 63) / 64 * 64;
	if (total > len || total - 10 > UINT16_MAX)
		return -ENOSPC;
	memcpy(buf, npy_magic, sizeof(npy_magic));
	buf[6] = 1;
	buf[7] = 0;
	buf[8] = (char)((total - 10) & 0xff);
	buf[9] = (char)((total - 10) >> 8);
	memcpy(buf + 10, dict, n);
	memset(buf + 10 + n, ' ', total - 10 - n - 1);
	buf[total - 1] = '\n';
	return (int)total;
}
