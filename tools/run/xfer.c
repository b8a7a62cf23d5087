// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xfer.c - check wse-run's copies and move their files.
 *
 * The host array of a copy is what SdkRuntime's memcpy takes: h x w x n
 * elements in row-major order, PE (px + i, py + j) holding elements
 * [(j * w + i) * n, (j * w + i + 1) * n). A .npy file may give it that
 * shape, or any shape with that many elements.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "half.h"
#include "isa.h"
#include "xfer.h"

__attribute__((format(printf, 3, 4)))
static int xfer_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const struct wafer_image_symbol *run_image_symbol(const struct wafer_image *img,
						  const char *name)
{
	for (uint32_t i = 0; i < img->nsymbols; i++)
		if (!strcmp(img->symbols[i].name, name))
			return &img->symbols[i];
	return NULL;
}

/* The type an array holds, as a host array type. */
static enum npy_dtype xfer_sym_type(const struct wafer_image_symbol *sym)
{
	switch (sym->elem_type) {
	case ISA_T_I32:
		return NPY_I32;
	case ISA_T_I16:
		return NPY_I16;
	case ISA_T_F16:
		return NPY_F16;
	default:
		return NPY_F32;
	}
}

const char *run_elem_type_name(const struct wafer_image_symbol *sym)
{
	return npy_dtype_name(xfer_sym_type(sym));
}

/* "cannot read 'x': <errno>", returning -errno (-EIO if errno is 0). */
static int xfer_read_fail(const char *path, int e, char *err, size_t errlen)
{
	if (!e)
		e = EIO;
	snprintf(err, errlen, "cannot read '%s': %s", path, strerror(e));
	return -e;
}

int run_read_file(const char *path, void **buf, size_t *len, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int e;

	if (!f)
		return xfer_read_fail(path, errno, err, errlen);
	if (fstat(fileno(f), &st)) {
		e = errno;
		fclose(f);
		return xfer_read_fail(path, e, err, errlen);
	}
	if (!S_ISREG(st.st_mode)) {
		fclose(f);
		return xfer_fail(err, errlen, "'%s' is not a regular file", path);
	}
	*len = st.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf) {
		fclose(f);
		snprintf(err, errlen, "'%s': out of memory for %zu bytes", path, *len);
		return -ENOMEM;
	}
	errno = 0;
	if (fread(*buf, 1, *len, f) != *len) {
		e = errno;
		free(*buf);
		*buf = NULL;
		fclose(f);
		return xfer_read_fail(path, e, err, errlen);
	}
	fclose(f);
	return 0;
}

/* The array, which must exist, and the rectangle, default the extent. */
static int xfer_target(const struct wafer_image *img, const struct run_xfer *x,
		       struct run_copy *c, char *err, size_t errlen)
{
	c->x = *x;
	c->sym = run_image_symbol(img, x->sym);
	if (!c->sym || c->sym->kind != WAFER_SYM_OBJECT) {
		size_t n = 0;

		n += snprintf(err + n, errlen - n, "%s '%s' is not an array of the image (arrays:",
			      c->sym ? "function" : "symbol", x->sym);
		for (uint32_t i = 0; i < img->nsymbols && n < errlen; i++)
			if (img->symbols[i].kind == WAFER_SYM_OBJECT)
				n += snprintf(err + n, errlen - n, " %s",
					      img->symbols[i].name);
		if (n < errlen)
			snprintf(err + n, errlen - n, ")");
		return -ENOENT;
	}
	if (!x->has_rect) {
		c->x.px = 0;
		c->x.py = 0;
		c->x.w = img->extent_w;
		c->x.h = img->extent_h;
	} else if ((uint64_t)x->px + x->w > img->extent_w ||
		   (uint64_t)x->py + x->h > img->extent_h) {
		return xfer_fail(err, errlen, "%s@%u,%u,%u,%u leaves the program's %ux%u PEs",
				 x->sym, x->px, x->py, x->w, x->h,
				 img->extent_w, img->extent_h);
	}
	if (x->type >= 0 && npy_dtype_size(x->type) != c->sym->elem_bytes)
		return xfer_fail(err, errlen, "%s holds %u-byte %s elements, not %s",
				 x->sym, c->sym->elem_bytes,
				 run_elem_type_name(c->sym),
				 npy_dtype_name(x->type));
	return 0;
}

/* Whether a file of type @t may go into the array without a :TYPE. */
static int xfer_type_fits(const struct wafer_image_symbol *sym, enum npy_dtype t)
{
	enum npy_dtype s = xfer_sym_type(sym);

	return t == s || (s == NPY_I32 && t == NPY_U32);
}

/* The .npy file's type and shape against the array and rectangle. */
static int xfer_check_npy(struct run_copy *c, const struct npy_array *a,
			  char *err, size_t errlen)
{
	const struct run_xfer *x = &c->x;
	const char *f = x->file;

	if (x->type >= 0 && (enum npy_dtype)x->type != a->dtype)
		return xfer_fail(err, errlen, "%s: %s holds %s, not %s",
				 x->sym, f, npy_dtype_descr(a->dtype),
				 npy_dtype_name(x->type));
	if (npy_dtype_size(a->dtype) != c->sym->elem_bytes)
		return xfer_fail(err, errlen, "%s holds %s elements, %s holds %s: convert it (a.astype('%s'))",
				 x->sym, run_elem_type_name(c->sym), f,
				 npy_dtype_descr(a->dtype),
				 npy_dtype_descr(xfer_sym_type(c->sym)));
	if (x->type < 0 && !xfer_type_fits(c->sym, a->dtype))
		return xfer_fail(err, errlen, "%s holds %s elements, %s holds %s: convert it (a.astype('%s')) or write %s:%s=... to copy the bits as they are",
				 x->sym, run_elem_type_name(c->sym), f,
				 npy_dtype_descr(a->dtype),
				 npy_dtype_descr(xfer_sym_type(c->sym)), x->sym,
				 npy_dtype_name(a->dtype));
	c->type = a->dtype;
	if (a->ndim == 3 && (a->shape[0] != x->h || a->shape[1] != x->w))
		return xfer_fail(err, errlen, "%s has shape (%" PRIu64 ", %" PRIu64 ", %" PRIu64 "), the copy to %u x %u PEs (w x h) needs (%u, %u, n)",
				 f, a->shape[0], a->shape[1], a->shape[2],
				 x->w, x->h, x->h, x->w);
	return 0;
}

/* Elements per PE from the host array's element count. */
static int xfer_per_pe(struct run_copy *c, uint64_t count, char *err,
		       size_t errlen)
{
	const uint64_t pes = (uint64_t)c->x.w * c->x.h;
	const uint32_t room = c->sym->size / c->sym->elem_bytes;
	const char *f = c->x.file;

	if (!count || count % pes)
		return xfer_fail(err, errlen, "%s holds %" PRIu64 " elements, not a multiple of the %" PRIu64 " PEs of %s@%u,%u,%u,%u",
				 f, count, pes, c->x.sym, c->x.px, c->x.py,
				 c->x.w, c->x.h);
	if (count / pes > room)
		return xfer_fail(err, errlen, "%s gives each PE %" PRIu64 " elements, %s holds %u",
				 f, count / pes, c->x.sym, room);
	if (c->x.n && c->x.n != count / pes)
		return xfer_fail(err, errlen, "%s gives each PE %" PRIu64 " elements, not the %u asked for",
				 f, count / pes, c->x.n);
	c->x.n = (uint32_t)(count / pes);
	return 0;
}

static bool xfer_is_npy(const char *path)
{
	size_t n = strlen(path);

	return n >= 4 && !strcmp(path + n - 4, ".npy");
}

int run_copy_h2d(const struct wafer_image *img, const struct run_xfer *x,
		 struct run_copy *c, char *err, size_t errlen)
{
	struct npy_array a;
	size_t len = 0;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = xfer_target(img, x, c, err, errlen);
	if (ret)
		return ret;
	if (!strcmp(x->file, "-"))
		return xfer_fail(err, errlen, "--h2d reads files, not standard input");
	ret = run_read_file(x->file, &c->file, &len, err, errlen);
	if (ret)
		return ret;
	if (xfer_is_npy(x->file)) {
		char why[256];

		if (npy_parse(c->file, len, &a, why, sizeof(why)))
			return xfer_fail(err, errlen, "%s: %s", x->file, why);
		ret = xfer_check_npy(c, &a, err, errlen);
		if (ret)
			return ret;
		c->host = (char *)c->file + a.data_off;
		c->bytes = len - a.data_off;
		return xfer_per_pe(c, a.count, err, errlen);
	}
	/* Raw bytes: elements of the array's type. */
	c->type = x->type >= 0 ? (enum npy_dtype)x->type : xfer_sym_type(c->sym);
	c->host = c->file;
	c->bytes = len;
	if (len % c->sym->elem_bytes)
		return xfer_fail(err, errlen, "%s has %zu bytes, not a whole number of %u-byte elements",
				 x->file, len, c->sym->elem_bytes);
	return xfer_per_pe(c, len / c->sym->elem_bytes, err, errlen);
}

int run_copy_d2h(const struct wafer_image *img, const struct run_xfer *x,
		 struct run_copy *c, char *err, size_t errlen)
{
	uint32_t room;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = xfer_target(img, x, c, err, errlen);
	if (ret)
		return ret;
	room = c->sym->size / c->sym->elem_bytes;
	if (!c->x.n)
		c->x.n = room;
	if (c->x.n > room)
		return xfer_fail(err, errlen, "%s holds %u elements per PE, not %u",
				 x->sym, room, c->x.n);
	c->type = x->type >= 0 ? (enum npy_dtype)x->type : xfer_sym_type(c->sym);
	c->bytes = (size_t)c->x.w * c->x.h * c->x.n * c->sym->elem_bytes;
	c->host = calloc(1, c->bytes);
	if (!c->host) {
		snprintf(err, errlen, "out of memory for %zu bytes", c->bytes);
		return -ENOMEM;
	}
	return 0;
}

/* One element as text. */
static void xfer_print_elem(FILE *f, enum npy_dtype t, const void *p)
{
	uint32_t u32;
	uint16_t u16;
	float v;

	switch (t) {
	case NPY_F32:
		memcpy(&v, p, 4);
		fprintf(f, " %.9g", v);
		break;
	case NPY_I32:
		memcpy(&u32, p, 4);
		fprintf(f, " %" PRId32, (int32_t)u32);
		break;
	case NPY_U32:
		memcpy(&u32, p, 4);
		fprintf(f, " %" PRIu32, u32);
		break;
	case NPY_F16:
		memcpy(&u16, p, 2);
		fprintf(f, " %.5g", wafer_h2f(u16));
		break;
	default:
		memcpy(&u16, p, 2);
		fprintf(f, " %d", (int16_t)u16);
		break;
	}
}

/* "-": one line per PE. */
static void xfer_print(const struct run_copy *c)
{
	const unsigned int es = npy_dtype_size(c->type);
	const uint8_t *p = c->host;

	for (uint32_t j = 0; j < c->x.h; j++) {
		for (uint32_t i = 0; i < c->x.w; i++) {
			printf("%s PE (%u,%u):", c->x.sym, c->x.px + i, c->x.py + j);
			for (uint32_t k = 0; k < c->x.n; k++, p += es)
				xfer_print_elem(stdout, c->type, p);
			printf("\n");
		}
	}
}

static int xfer_write_fail(const char *path, int e, char *err, size_t errlen)
{
	if (!e)
		e = EIO;
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
	return -e;
}

int run_copy_write(const struct run_copy *c, char *err, size_t errlen)
{
	const char *path = c->x.file;
	char head[256];
	int hlen = 0, e;
	FILE *f;

	if (!strcmp(path, "-")) {
		xfer_print(c);
		return 0;
	}
	if (xfer_is_npy(path)) {
		uint64_t shape[3] = { c->x.h, c->x.w, c->x.n };

		hlen = npy_header(c->type, 3, shape, head, sizeof(head));
		if (hlen < 0)
			return xfer_fail(err, errlen, "%s: cannot format the .npy header", path);
	}
	f = fopen(path, "wb");
	if (!f)
		return xfer_write_fail(path, errno, err, errlen);
	errno = 0;
	if (fwrite(head, 1, hlen, f) != (size_t)hlen ||
	    fwrite(c->host, 1, c->bytes, f) != c->bytes) {
		e = errno;
		fclose(f);
		return xfer_write_fail(path, e, err, errlen);
	}
	if (fclose(f))
		return xfer_write_fail(path, errno, err, errlen);
	return 0;
}

void run_copy_free(struct run_copy *c)
{
	if (c->file)
		free(c->file);
	else
		free(c->host);
	c->file = NULL;
	c->host = NULL;
}
