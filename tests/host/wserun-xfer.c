// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wserun-xfer.c - wse-run's copies checked against an image and their
 * files, before any device is involved: element types, shapes, the
 * rectangle, raw files, and .npy output read back.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse-asm.h"
#include "run/xfer.h"

/* A 2 x 2 program with one array of each type. */
static const char prog_src[] =
	".rect main, 0, 0, 2, 2\n"
	".code main\n"
	".func compute\n"
	"	halt\n"
	".data\n"
	"	.export a, f32, 4\n"
	"	.export b, i32, 4\n"
	"	.export h, f16, 4\n"
	"	.export s, i16, 2\n";

FIXTURE(xfer)
{
	struct wafer_image *img;
	char dir[64];
	char path[128];
	char err[512];
	struct run_copy c;
};

FIXTURE_SETUP(xfer)
{
	char *diag = malloc(8192);
	void *bytes;
	size_t len;

	ASSERT_NE(NULL, diag);
	ASSERT_EQ(0, wse_asm_buffer("t.s", prog_src, strlen(prog_src), NULL,
				    &bytes, &len, diag, 8192)) TH_LOG("%s", diag);
	ASSERT_EQ(0, wafer_image_parse(bytes, len, &self->img, diag, 8192))
		TH_LOG("%s", diag);
	free(bytes);
	free(diag);
	snprintf(self->dir, sizeof(self->dir), "/tmp/wserun-xfer-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	memset(&self->c, 0, sizeof(self->c));
}

FIXTURE_TEARDOWN(xfer)
{
	char cmd[96];

	run_copy_free(&self->c);
	wafer_image_free(self->img);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	ASSERT_EQ(0, system(cmd));
}

/* Write file @name in the test's directory; returns its path. */
static const char *put(char *path, const char *dir, const char *name,
		       const void *data, size_t len)
{
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return NULL;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return NULL;
	}
	return fclose(f) ? NULL : path;
}

/* A .npy file of @count elements of @t with shape @shape. */
static const char *put_npy(char *path, const char *dir, const char *name,
			   enum npy_dtype t, unsigned int ndim,
			   const uint64_t *shape)
{
	static char buf[4096];
	uint64_t count = 1;
	int h;

	for (unsigned int i = 0; i < ndim; i++)
		count *= shape[i];
	h = npy_header(t, ndim, shape, buf, sizeof(buf));
	if (h < 0 || h + count * npy_dtype_size(t) > sizeof(buf))
		return NULL;
	for (uint64_t i = 0; i < count * npy_dtype_size(t); i++)
		buf[h + i] = (char)i;
	return put(path, dir, name, buf, h + count * npy_dtype_size(t));
}

/* Parse @spec and check it as an H2D; 0 or the error. */
static int h2d(struct __test_metadata *_metadata, FIXTURE_DATA(xfer) *self,
	       const char *spec)
{
	struct run_xfer x;
	char arg[256];

	run_copy_free(&self->c);
	snprintf(arg, sizeof(arg), "%s", spec);
	if (run_parse_xfer(arg, &x, self->err, sizeof(self->err)))
		return -1000;
	return run_copy_h2d(self->img, &x, &self->c, self->err, sizeof(self->err));
}

static int d2h(struct __test_metadata *_metadata, FIXTURE_DATA(xfer) *self,
	       const char *spec)
{
	static char arg[256];
	struct run_xfer x;

	run_copy_free(&self->c);
	snprintf(arg, sizeof(arg), "%s", spec);
	if (run_parse_xfer(arg, &x, self->err, sizeof(self->err)))
		return -1000;
	return run_copy_d2h(self->img, &x, &self->c, self->err, sizeof(self->err));
}

#define ASSERT_ERR(ret, text) do {					\
	ASSERT_GT(0, ret);						\
	ASSERT_NE(NULL, strstr(self->err, text)) TH_LOG("got: %s", self->err); \
} while (0)

/* A (h, w, n) .npy of the array's type fills the whole program. */
TEST_F(xfer, npy_whole_program)
{
	uint64_t shape[3] = { 2, 2, 4 };
	char spec[200];

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "a.npy", NPY_F32, 3, shape));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(0, self->c.x.px);
	ASSERT_EQ(2, self->c.x.w);
	ASSERT_EQ(2, self->c.x.h);
	ASSERT_EQ(4, self->c.x.n);
	ASSERT_EQ(NPY_F32, self->c.type);
	ASSERT_EQ(64, self->c.bytes);
	/* The host array is the file's data. */
	ASSERT_EQ(0, ((unsigned char *)self->c.host)[0]);
	ASSERT_EQ(1, ((unsigned char *)self->c.host)[1]);
}

/* Flat arrays divide over the PEs; fewer elements than the array. */
TEST_F(xfer, npy_flat_and_partial)
{
	uint64_t shape[2] = { 3, 4 };
	char spec[200];

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "b.npy", NPY_I32, 2, shape));
	snprintf(spec, sizeof(spec), "b@0,0,2,2=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(3, self->c.x.n);
	snprintf(spec, sizeof(spec), "b@0,0,2,2,3=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(3, self->c.x.n);
	snprintf(spec, sizeof(spec), "b@0,0,2,2,2=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "gives each PE 3 elements, not the 2 asked for");
	snprintf(spec, sizeof(spec), "b@0,0,2,1=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "gives each PE 6 elements, b holds 4");
	snprintf(spec, sizeof(spec), "b@0,0,1,1,2=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "gives each PE 12 elements, b holds 4");
	shape[0] = 5;
	shape[1] = 1;
	ASSERT_NE(NULL, put_npy(self->path, self->dir, "b5.npy", NPY_I32, 2, shape));
	snprintf(spec, sizeof(spec), "b=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "holds 5 elements, not a multiple of the 4 PEs");
}

/* A 3-D array must have the rectangle's shape. */
TEST_F(xfer, npy_shape_mismatch)
{
	uint64_t shape[3] = { 1, 2, 4 };
	char spec[200];

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "a.npy", NPY_F32, 3, shape));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "has shape (1, 2, 4), the copy to 2 x 2 PEs (w x h) needs (2, 2, n)");
	snprintf(spec, sizeof(spec), "a@0,1,2,1=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
}

/* Types: same kind and size goes, u32 into i32 goes, the rest needs
 * an explicit :TYPE (same size) or a conversion. */
TEST_F(xfer, npy_types)
{
	uint64_t shape[1] = { 8 };
	char spec[200];

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "i.npy", NPY_I32, 1, shape));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "a holds f32 elements, ");
	ASSERT_NE(NULL, strstr(self->err, "a.astype('<f4')"));
	ASSERT_NE(NULL, strstr(self->err, "a:i32=..."));
	snprintf(spec, sizeof(spec), "a:i32=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(NPY_I32, self->c.type);
	snprintf(spec, sizeof(spec), "a:u32=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "holds <i4, not u32");
	snprintf(spec, sizeof(spec), "h=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "h holds f16 elements");
	snprintf(spec, sizeof(spec), "h:i32=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "h holds 2-byte f16 elements, not i32");

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "u.npy", NPY_U32, 1, shape));
	snprintf(spec, sizeof(spec), "b=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(NPY_U32, self->c.type);

	ASSERT_NE(NULL, put_npy(self->path, self->dir, "h.npy", NPY_F16, 1, shape));
	snprintf(spec, sizeof(spec), "h=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(2, self->c.x.n);
	snprintf(spec, sizeof(spec), "s=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "s holds i16 elements");
}

/* Raw files are bytes of the array's elements. */
TEST_F(xfer, raw_files)
{
	char data[30] = { 0 }, spec[200];

	ASSERT_NE(NULL, put(self->path, self->dir, "r.bin", data, 16));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_EQ(0, h2d(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(1, self->c.x.n);
	ASSERT_EQ(NPY_F32, self->c.type);
	snprintf(spec, sizeof(spec), "s@0,0,2,1=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "gives each PE 4 elements, s holds 2");
	ASSERT_NE(NULL, put(self->path, self->dir, "r30.bin", data, 30));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "has 30 bytes, not a whole number of 4-byte elements");
	ASSERT_NE(NULL, put(self->path, self->dir, "empty.bin", data, 0));
	snprintf(spec, sizeof(spec), "a=%s", self->path);
	ASSERT_ERR(h2d(_metadata, self, spec), "holds 0 elements");
}

/* Symbols, rectangles and files that do not exist. */
TEST_F(xfer, targets)
{
	ASSERT_ERR(h2d(_metadata, self, "z=/nonexistent.npy"),
		   "symbol 'z' is not an array of the image (arrays: a b h s)");
	ASSERT_ERR(h2d(_metadata, self, "compute=/nonexistent.npy"),
		   "function 'compute' is not an array");
	ASSERT_ERR(h2d(_metadata, self, "a@1,1,2,1=/nonexistent.npy"),
		   "a@1,1,2,1 leaves the program's 2x2 PEs");
	ASSERT_EQ(-ENOENT, h2d(_metadata, self, "a=/nonexistent.npy"));
	ASSERT_NE(NULL, strstr(self->err, "cannot read '/nonexistent.npy'"));
	ASSERT_ERR(h2d(_metadata, self, "a=/tmp"), "'/tmp' is not a regular file");
	ASSERT_ERR(h2d(_metadata, self, "a=-"), "not standard input");
}

/* D2H: the whole array by default, the type from the array or :TYPE. */
TEST_F(xfer, d2h_defaults)
{
	ASSERT_EQ(0, d2h(_metadata, self, "h=-")) TH_LOG("%s", self->err);
	ASSERT_EQ(4, self->c.x.n);
	ASSERT_EQ(4, self->c.x.w * self->c.x.h);
	ASSERT_EQ(NPY_F16, self->c.type);
	ASSERT_EQ(32, self->c.bytes);
	ASSERT_EQ(0, d2h(_metadata, self, "b:u32@1,1,1,1,2=-")) TH_LOG("%s", self->err);
	ASSERT_EQ(NPY_U32, self->c.type);
	ASSERT_EQ(8, self->c.bytes);
	ASSERT_ERR(d2h(_metadata, self, "s@0,0,1,1,3=-"), "s holds 2 elements per PE, not 3");
	ASSERT_ERR(d2h(_metadata, self, "s:f32=-"), "s holds 2-byte i16 elements, not f32");
}

/* What a D2H writes: .npy with shape (h, w, n), or raw bytes. */
TEST_F(xfer, d2h_files)
{
	char spec[200], err[256], path[128];
	struct npy_array a;
	size_t len;
	void *buf;

	snprintf(path, sizeof(path), "%s/out.npy", self->dir);
	snprintf(spec, sizeof(spec), "b@0,1,2,1,3=%s", path);
	ASSERT_EQ(0, d2h(_metadata, self, spec)) TH_LOG("%s", self->err);
	for (int i = 0; i < 6; i++)
		((int32_t *)self->c.host)[i] = -i;
	ASSERT_EQ(0, run_copy_write(&self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	ASSERT_EQ(0, run_read_file(path, &buf, &len, err, sizeof(err)));
	ASSERT_EQ(0, npy_parse(buf, len, &a, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(NPY_I32, a.dtype);
	ASSERT_EQ(3, a.ndim);
	ASSERT_EQ(1, a.shape[0]);
	ASSERT_EQ(2, a.shape[1]);
	ASSERT_EQ(3, a.shape[2]);
	ASSERT_EQ(-5, ((int32_t *)((char *)buf + a.data_off))[5]);
	free(buf);

	snprintf(path, sizeof(path), "%s/out.raw", self->dir);
	snprintf(spec, sizeof(spec), "s=%s", path);
	ASSERT_EQ(0, d2h(_metadata, self, spec)) TH_LOG("%s", self->err);
	ASSERT_EQ(0, run_copy_write(&self->c, self->err, sizeof(self->err)));
	ASSERT_EQ(0, run_read_file(path, &buf, &len, err, sizeof(err)));
	ASSERT_EQ(16, len);
	free(buf);

	snprintf(spec, sizeof(spec), "s=%s/no/such/dir.npy", self->dir);
	ASSERT_EQ(0, d2h(_metadata, self, spec));
	ASSERT_EQ(-ENOENT, run_copy_write(&self->c, self->err, sizeof(self->err)));
	ASSERT_NE(NULL, strstr(self->err, "cannot write"));
}

TEST_HARNESS_MAIN
