// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream.c - parse and check wse-run's --stream-in and --stream-out
 * (see stream.h). Nothing here touches the device: a bad spec is refused
 * before anything is loaded.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "stream.h"

__attribute__((format(printf, 3, 4)))
static int stream_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "west", "w" or "0", up to ',' or '='. */
static const char *stream_edge(const char *s, unsigned int *edge)
{
	static const char *const names[] = { "west", "w", "0" };

	for (unsigned int i = 0; i < 3; i++) {
		size_t n = strlen(names[i]);

		if (!strncmp(s, names[i], n) && (s[n] == ',' || s[n] == '=')) {
			*edge = RUN_STREAM_EDGE_WEST;
			return s + n;
		}
	}
	return NULL;
}

/* FILE[:N] of a stream-out: N is the digits after the last ':'. */
static int stream_file(const char *f, struct run_stream_spec *s, char *err,
		       size_t errlen)
{
	const char *colon = s->in ? NULL : strrchr(f, ':'), *p;
	size_t len = strlen(f);

	if (colon && colon[1]) {
		p = colon + 1;
		if (!run_parse_u32(&p, &s->n) && !*p) {
			if (!s->n)
				return stream_fail(err, errlen, "N (elements per row, after ':') must be above 0");
			len = colon - f;
		} else {
			s->n = 0;
		}
	}
	if (!len)
		return stream_fail(err, errlen, "no file after '='");
	if (len >= sizeof(s->file))
		return stream_fail(err, errlen, "file name too long");
	memcpy(s->file, f, len);
	s->file[len] = '\0';
	return 0;
}

int run_parse_stream(const char *arg, bool in, struct run_stream_spec *s,
		     char *err, size_t errlen)
{
	const char *p = arg, *eq = strchr(arg, '='), *te;
	const char *form = in ? "COLOR[:TYPE]@west[,Y,H]=FILE" :
				"COLOR[:TYPE]@west[,Y,H]=FILE[:N]";
	enum npy_dtype t;

	memset(s, 0, sizeof(*s));
	s->in = in;
	s->type = -1;
	if (!eq || run_parse_u32(&p, &s->color) || p > eq)
		return stream_fail(err, errlen, "expected %s", form);
	if (s->color >= RUN_STREAM_COLORS)
		return stream_fail(err, errlen, "color %u: colors are 0..%d",
				   s->color, RUN_STREAM_COLORS - 1);
	if (*p == ':') {
		te = ++p;
		while (te < eq && *te != '@')
			te++;
		if (npy_dtype_by_name(p, te - p, &t))
			return stream_fail(err, errlen, "type '%.*s' is not f32, i32, u32, f16 or i16",
					   (int)(te - p), p);
		s->type = t;
		p = te;
	}
	if (*p != '@')
		return stream_fail(err, errlen, "expected %s ('@' and the edge after the color)",
				   form);
	p = stream_edge(p + 1, &s->edge);
	if (!p) {
		const char *e = strchr(arg, '@') + 1;
		size_t n = strcspn(e, ",=");

		return stream_fail(err, errlen, "edge '%.*s': only the west edge ('west') has I/O channels",
				   (int)n, e);
	}
	if (*p == ',') {
		p++;
		if (run_parse_u32(&p, &s->y) || *p++ != ',' || run_parse_u32(&p, &s->h) ||
		    p != eq || !s->h)
			return stream_fail(err, errlen, "expected west,Y,H (first row, rows above 0) before '='");
		s->has_rows = true;
	}
	return stream_file(eq + 1, s, err, errlen);
}

static bool stream_is_npy(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcmp(path + n - 4, ".npy");
}

/* A stream-in's file: its elements and their type. */
static int stream_read_in(const struct run_stream_spec *s, struct run_copy *c,
			  uint64_t *count, char *err, size_t errlen)
{
	struct npy_array a;
	size_t len = 0;
	int ret;

	if (!strcmp(s->file, "-"))
		return stream_fail(err, errlen, "--stream-in reads files, not standard input");
	ret = run_read_file(s->file, &c->file, &len, err, errlen);
	if (ret)
		return ret;
	if (stream_is_npy(s->file)) {
		char why[256];

		if (npy_parse(c->file, len, &a, why, sizeof(why)))
			return stream_fail(err, errlen, "%s: %s", s->file, why);
		if (s->type >= 0 && (enum npy_dtype)s->type != a.dtype)
			return stream_fail(err, errlen, "%s holds %s, not %s", s->file,
					   npy_dtype_descr(a.dtype), npy_dtype_name(s->type));
		c->type = a.dtype;
		c->host = (char *)c->file + a.data_off;
		c->bytes = len - a.data_off;
		*count = a.count;
		return 0;
	}
	/* Raw bytes: elements of TYPE, u32 if none was given. */
	c->type = s->type >= 0 ? (enum npy_dtype)s->type : NPY_U32;
	c->host = c->file;
	c->bytes = len;
	if (len % npy_dtype_size(c->type))
		return stream_fail(err, errlen, "%s has %zu bytes, not a whole number of %u-byte elements",
				   s->file, len, npy_dtype_size(c->type));
	*count = len / npy_dtype_size(c->type);
	return 0;
}

int run_stream_prepare(const struct wafer_image *img,
		       const struct run_stream_spec *s,
		       const struct run_copy *prev, struct run_copy *c,
		       char *err, size_t errlen)
{
	struct run_xfer *x = &c->x;
	uint64_t count;
	int ret;

	memset(c, 0, sizeof(*c));
	snprintf(x->sym, sizeof(x->sym), "stream %u", s->color);
	x->type = s->type;
	x->has_rect = true;
	x->w = 1;
	x->py = s->has_rows ? s->y : 0;
	x->h = s->has_rows ? s->h : img->extent_h;
	x->file = s->file;
	if ((uint64_t)x->py + x->h > img->extent_h)
		return stream_fail(err, errlen, "rows %u..%u are not all in the image's %u rows",
				   x->py, x->py + x->h - 1, img->extent_h);
	if (s->in) {
		ret = stream_read_in(s, c, &count, err, errlen);
		if (ret)
			return ret;
		if (!count || count % x->h)
			return stream_fail(err, errlen, "%s holds %" PRIu64 " elements, not a multiple of the %u rows",
					   s->file, count, x->h);
		if (count / x->h > UINT32_MAX)
			return stream_fail(err, errlen, "%s: too many elements per row", s->file);
		x->n = (uint32_t)(count / x->h);
		return 0;
	}
	c->type = s->type >= 0 ? (enum npy_dtype)s->type :
		  prev ? prev->type : NPY_U32;
	x->n = s->n ? s->n : prev ? prev->x.n : 0;
	if (!x->n)
		return stream_fail(err, errlen, "how many elements per row? Write FILE:N (no --stream-in before it to take N from)");
	c->bytes = (size_t)x->h * x->n * npy_dtype_size(c->type);
	c->host = calloc(1, c->bytes);
	if (!c->host) {
		snprintf(err, errlen, "out of memory for %zu bytes", c->bytes);
		return -ENOMEM;
	}
	return 0;
}
