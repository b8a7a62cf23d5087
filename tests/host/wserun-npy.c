// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wserun-npy.c - wse-run's .npy parser and header writer: the headers
 * NumPy writes parse, every header we write parses back, and each kind
 * of file wse-run cannot use is refused with a message that says why.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <string.h>

#include "run/npy.h"

#define FILE_MAX	4096

/*
 * A .npy file of version @major with header text @dict (padded like
 * NumPy pads it) followed by @data_bytes bytes of 0x5a; returns its size.
 */
static size_t mk_npy(char *buf, int major, const char *dict, size_t data_bytes)
{
	size_t lenb = major == 1 ? 2 : 4, pre = 8 + lenb;
	size_t n = strlen(dict);
	size_t total = (pre + n + 1 + 63) / 64 * 64;
	size_t hlen = total - pre;

	memcpy(buf, "\x93NUMPY", 6);
	buf[6] = (char)major;
	buf[7] = 0;
	for (size_t i = 0; i < lenb; i++)
		buf[8 + i] = (char)(hlen >> (8 * i));
	memcpy(buf + pre, dict, n);
	memset(buf + pre + n, ' ', hlen - n - 1);
	buf[total - 1] = '\n';
	memset(buf + total, 0x5a, data_bytes);
	return total + data_bytes;
}

FIXTURE(npy)
{
	char buf[FILE_MAX];
	char err[256];
	struct npy_array a;
};

FIXTURE_SETUP(npy)
{
	memset(self->err, 0, sizeof(self->err));
}

FIXTURE_TEARDOWN(npy)
{
}

/* What numpy.save writes for np.zeros((2, 3), np.float32). */
TEST_F(npy, numpy_v1_header)
{
	size_t len = mk_npy(self->buf, 1,
			    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
			    24);

	ASSERT_EQ(0, npy_parse(self->buf, len, &self->a, self->err,
			       sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(NPY_F32, self->a.dtype);
	ASSERT_EQ(2, self->a.ndim);
	ASSERT_EQ(2, self->a.shape[0]);
	ASSERT_EQ(3, self->a.shape[1]);
	ASSERT_EQ(6, self->a.count);
	ASSERT_EQ(128, self->a.data_off);
	ASSERT_EQ(0x5a, (unsigned char)self->buf[self->a.data_off]);
}

/* Versions 2.0 and 3.0 have a 32-bit header length. */
TEST_F(npy, version_2_and_3)
{
	for (int v = 2; v <= 3; v++) {
		size_t len = mk_npy(self->buf, v,
				    "{'descr': '<i2', 'fortran_order': False, 'shape': (5,), }",
				    10);

		ASSERT_EQ(0, npy_parse(self->buf, len, &self->a, self->err,
				       sizeof(self->err))) TH_LOG("%s", self->err);
		ASSERT_EQ(NPY_I16, self->a.dtype);
		ASSERT_EQ(1, self->a.ndim);
		ASSERT_EQ(5, self->a.count);
	}
}

/* Any key order, double quotes, no trailing comma, odd blanks, (n). */
TEST_F(npy, header_variants)
{
	size_t len = mk_npy(self->buf, 1,
			    "{ \"shape\":(4)  ,\"descr\" : \"<u4\",\t'fortran_order':False}",
			    16);

	ASSERT_EQ(0, npy_parse(self->buf, len, &self->a, self->err,
			       sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(NPY_U32, self->a.dtype);
	ASSERT_EQ(4, self->a.count);
}

/* A scalar has shape () and one element; an empty array none. */
TEST_F(npy, scalar_and_empty)
{
	size_t len = mk_npy(self->buf, 1,
			    "{'descr': '<f2', 'fortran_order': False, 'shape': (), }", 2);

	ASSERT_EQ(0, npy_parse(self->buf, len, &self->a, self->err,
			       sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(0, self->a.ndim);
	ASSERT_EQ(1, self->a.count);
	len = mk_npy(self->buf, 1,
		     "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 0), }", 0);
	ASSERT_EQ(0, npy_parse(self->buf, len, &self->a, self->err,
			       sizeof(self->err))) TH_LOG("%s", self->err);
	ASSERT_EQ(0, self->a.count);
}

/* Every type and a few shapes through npy_header() and back. */
TEST_F(npy, header_round_trip)
{
	static const uint64_t shapes[][3] = { { 8, 8, 1024 }, { 1, 1, 1 }, { 7, 3, 5 } };
	static const unsigned int ndims[] = { 0, 1, 2, 3 };

	for (int t = 0; t < NPY_NTYPES; t++) {
		for (size_t s = 0; s < ARRAY_SIZE(shapes); s++) {
			for (size_t d = 0; d < ARRAY_SIZE(ndims); d++) {
				unsigned int nd = ndims[d];
				uint64_t count = 1;
				int hlen;

				for (unsigned int i = 0; i < nd; i++)
					count *= shapes[s][i];
				if (count * 4 > FILE_MAX - 128)
					continue;
				hlen = npy_header(t, nd, shapes[s], self->buf, FILE_MAX);
				ASSERT_LT(0, hlen);
				ASSERT_EQ(0, hlen % 64);
				ASSERT_EQ('\n', self->buf[hlen - 1]);
				memset(self->buf + hlen, 0, count * npy_dtype_size(t));
				ASSERT_EQ(0, npy_parse(self->buf, hlen + count * npy_dtype_size(t),
						       &self->a, self->err, sizeof(self->err)))
					TH_LOG("%s", self->err);
				ASSERT_EQ(t, self->a.dtype);
				ASSERT_EQ(nd, self->a.ndim);
				ASSERT_EQ(count, self->a.count);
				ASSERT_EQ((size_t)hlen, self->a.data_off);
				for (unsigned int i = 0; i < nd; i++)
					ASSERT_EQ(shapes[s][i], self->a.shape[i]);
			}
		}
	}
}

/* The header writer refuses a buffer it cannot fill. */
TEST_F(npy, header_no_room)
{
	uint64_t shape[1] = { 3 };

	ASSERT_EQ(-ENOSPC, npy_header(NPY_F32, 1, shape, self->buf, 32));
	ASSERT_EQ(-EINVAL, npy_header(NPY_NTYPES, 1, shape, self->buf, FILE_MAX));
}

/* Type names both ways. */
TEST(dtype_names)
{
	enum npy_dtype t;

	ASSERT_EQ(0, npy_dtype_by_name("i16", 3, &t));
	ASSERT_EQ(NPY_I16, t);
	ASSERT_EQ(0, npy_dtype_by_name("u32,", 3, &t));
	ASSERT_EQ(NPY_U32, t);
	ASSERT_EQ(-EINVAL, npy_dtype_by_name("f64", 3, &t));
	ASSERT_EQ(-EINVAL, npy_dtype_by_name("f3", 2, &t));
	ASSERT_STREQ("<f2", npy_dtype_descr(NPY_F16));
	ASSERT_STREQ("i32", npy_dtype_name(NPY_I32));
	ASSERT_EQ(2, npy_dtype_size(NPY_I16));
	ASSERT_EQ(4, npy_dtype_size(NPY_U32));
}

/* One refused file per variant: its header, data bytes and message. */
FIXTURE(bad)
{
	char buf[FILE_MAX];
	char err[256];
	struct npy_array a;
};

FIXTURE_SETUP(bad)
{
}

FIXTURE_TEARDOWN(bad)
{
}

FIXTURE_VARIANT(bad)
{
	const char *dict;
	int major;
	size_t data;
	const char *msg;
};

#define BAD(name, d, n, m)						\
	FIXTURE_VARIANT_ADD(bad, name) {				\
		.dict = d, .major = 1, .data = n, .msg = m,		\
	}

BAD(fortran_order, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
	24, "fortran_order is True");
BAD(big_endian, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
	8, "not little-endian: save it as '<f4'");
BAD(float64, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
	16, "dtype '<f8' is not supported");
BAD(uint8, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }",
	2, "dtype '|u1' is not supported");
BAD(structured, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
	8, "expected a quoted string");
BAD(too_little_data, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
	20, "describes 24 bytes of <f4 data, the file holds 20");
BAD(too_much_data, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
	12, "describes 8 bytes of <i4 data, the file holds 12");
BAD(unknown_key, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
	8, "unknown key 'x'");
BAD(missing_shape, "{'descr': '<f4', 'fortran_order': False}", 4, "no 'shape' key");
BAD(twice, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
	4, "key 'descr' given twice");
BAD(negative_dim, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
	0, "expected a dimension");
BAD(huge_shape, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
	0, "shape too large");
BAD(not_a_bool, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }",
	4, "fortran_order must be True or False");
BAD(after_dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x",
	4, "text after the dict");
BAD(unterminated, "{'descr': '<f4", 0, "unterminated string");

FIXTURE_VARIANT_ADD(bad, default_ok) {
	.dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
	.major = 1, .data = 4, .msg = NULL,
};

/* Each variant's file is refused with its message; default_ok passes. */
TEST_F(bad, refused)
{
	size_t len = mk_npy(self->buf, variant->major, variant->dict, variant->data);
	int ret = npy_parse(self->buf, len, &self->a, self->err, sizeof(self->err));

	if (!variant->msg) {
		ASSERT_EQ(0, ret) TH_LOG("%s", self->err);
		return;
	}
	ASSERT_EQ(-EINVAL, ret);
	ASSERT_NE(NULL, strstr(self->err, variant->msg)) TH_LOG("got: %s", self->err);
}

/* Files that are not .npy at all, or cut short. */
TEST_F(npy, not_npy)
{
	size_t len = mk_npy(self->buf, 1,
			    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);

	ASSERT_EQ(-EINVAL, npy_parse("hello", 5, &self->a, self->err, sizeof(self->err)));
	ASSERT_NE(NULL, strstr(self->err, "not a .npy file"));
	ASSERT_EQ(-EINVAL, npy_parse(self->buf, 9, &self->a, self->err, sizeof(self->err)));
	ASSERT_EQ(-EINVAL, npy_parse(self->buf, 40, &self->a, self->err, sizeof(self->err)));
	ASSERT_NE(NULL, strstr(self->err, "truncated")) TH_LOG("%s", self->err);
	self->buf[6] = 4;
	ASSERT_EQ(-EINVAL, npy_parse(self->buf, len, &self->a, self->err, sizeof(self->err)));
	ASSERT_NE(NULL, strstr(self->err, "version 4.0"));
	self->buf[6] = 1;
	self->buf[20] = '\x01';
	ASSERT_EQ(-EINVAL, npy_parse(self->buf, len, &self->a, self->err, sizeof(self->err)));
	ASSERT_NE(NULL, strstr(self->err, "control character"));
}

TEST_HARNESS_MAIN
