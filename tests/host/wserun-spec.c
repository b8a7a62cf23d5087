// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wserun-spec.c - wse-run's action arguments: --h2d/--d2h copies
 * (SYM[:TYPE][@PX,PY,W,H[,N]]=FILE) and --launch NAME[:ARG,...], with
 * the values they stand for and the mistakes they refuse.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <string.h>

#include "run/npy.h"
#include "run/spec.h"

/* Everything given. */
TEST(xfer_full)
{
	struct run_xfer x;
	char err[256];

	ASSERT_EQ(0, run_parse_xfer("A:u32@1,2,3,4,5=dir/a.npy", &x, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_STREQ("A", x.sym);
	ASSERT_EQ(NPY_U32, x.type);
	ASSERT_TRUE(x.has_rect);
	ASSERT_EQ(1, x.px);
	ASSERT_EQ(2, x.py);
	ASSERT_EQ(3, x.w);
	ASSERT_EQ(4, x.h);
	ASSERT_EQ(5, x.n);
	ASSERT_STREQ("dir/a.npy", x.file);
}

/* Only the name and the file; the file may hold '=', '@' and ':'. */
TEST(xfer_minimal)
{
	struct run_xfer x;
	char err[256];

	ASSERT_EQ(0, run_parse_xfer("y.out_$1=a=b@c:d", &x, err, sizeof(err)))
		TH_LOG("%s", err);
	ASSERT_STREQ("y.out_$1", x.sym);
	ASSERT_EQ(-1, x.type);
	ASSERT_FALSE(x.has_rect);
	ASSERT_EQ(0, x.n);
	ASSERT_STREQ("a=b@c:d", x.file);
	ASSERT_EQ(0, run_parse_xfer("y@0,7,1,1=-", &x, err, sizeof(err)));
	ASSERT_EQ(7, x.py);
	ASSERT_EQ(0, x.n);
	ASSERT_STREQ("-", x.file);
	ASSERT_EQ(0, run_parse_xfer("h:f16=raw.bin", &x, err, sizeof(err)));
	ASSERT_EQ(NPY_F16, x.type);
	ASSERT_FALSE(x.has_rect);
}

/* Each malformed copy and the start of its message. */
TEST(xfer_refused)
{
	static const struct {
		const char *arg, *msg;
	} bad[] = {
		{ "", "expected SYM" },
		{ "y", "expected SYM" },
		{ "y=", "expected SYM" },
		{ "=file", "expected a symbol name" },
		{ "1y=file", "expected a symbol name" },
		{ "y:f64=file", "type 'f64' is not" },
		{ "y:=file", "type '' is not" },
		{ "y@1,2=file", "expected @PX,PY,W,H" },
		{ "y@0,0,0,1=file", "expected @PX,PY,W,H" },
		{ "y@0,0,1,0=file", "expected @PX,PY,W,H" },
		{ "y@0,0,1,1,0=file", "expected @PX,PY,W,H" },
		{ "y@0,0,1,1,2,3=file", "expected @PX,PY,W,H" },
		{ "y@0,0,1,1,=file", "expected @PX,PY,W,H" },
		{ "y@a,0,1,1=file", "expected @PX,PY,W,H" },
		{ "y@4294967296,0,1,1=file", "expected @PX,PY,W,H" },
		{ "y@-1,0,1,1=file", "expected @PX,PY,W,H" },
		{ "y#2=file", "unexpected '#2'" },
		{ "y@0,0,1,1:f32=file", "expected @PX,PY,W,H" },
	};
	struct run_xfer x;
	char err[256];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, run_parse_xfer(bad[i].arg, &x, err, sizeof(err)))
			TH_LOG("'%s' accepted", bad[i].arg);
		EXPECT_EQ(0, strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			TH_LOG("'%s': got '%s'", bad[i].arg, err);
	}
}

/* A launch without arguments and one with every kind. */
TEST(launch_args)
{
	struct run_launch l;
	char err[256];
	float f;

	ASSERT_EQ(0, run_parse_launch("compute", &l, err, sizeof(err)));
	ASSERT_STREQ("compute", l.name);
	ASSERT_EQ(0, l.nargs);
	ASSERT_EQ(0, run_parse_launch("f:1,-1,0x10,010,2.5,1e3,4294967295,-2147483648",
				      &l, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_STREQ("f", l.name);
	ASSERT_EQ(8, l.nargs);
	ASSERT_EQ(1, l.args[0]);
	ASSERT_EQ(0xffffffffu, l.args[1]);
	ASSERT_EQ(16, l.args[2]);
	ASSERT_EQ(10, l.args[3]);		/* not octal */
	ASSERT_EQ(0x40200000u, l.args[4]);	/* 2.5f */
	memcpy(&f, &l.args[5], sizeof(f));
	ASSERT_EQ(1000.0f, f);
	ASSERT_EQ(0xffffffffu, l.args[6]);
	ASSERT_EQ(0x80000000u, l.args[7]);
}

/* Launches the tool must refuse. */
TEST(launch_refused)
{
	static const struct {
		const char *arg, *msg;
	} bad[] = {
		{ "", "expected NAME" },
		{ "9f", "expected NAME" },
		{ "f(1)", "expected NAME" },
		{ "f:", "argument '' is neither" },
		{ "f:1,,2", "argument '' is neither" },
		{ "f:1,", "argument '' is neither" },
		{ "f:x", "argument 'x' is neither" },
		{ "f:4294967296", "argument '4294967296' is neither" },
		{ "f:-2147483649", "argument '-2147483649' is neither" },
		{ "f:1.5x", "argument '1.5x' is neither" },
		{ "f:08x", "argument '08x' is neither" },
		{ "f:1,2,3,4,5,6,7,8,9", "more than 8 arguments" },
	};
	struct run_launch l;
	char err[256];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, run_parse_launch(bad[i].arg, &l, err, sizeof(err)))
			TH_LOG("'%s' accepted", bad[i].arg);
		EXPECT_EQ(0, strncmp(err, bad[i].msg, strlen(bad[i].msg)))
			TH_LOG("'%s': got '%s'", bad[i].arg, err);
	}
}

/* Single arguments: floats need a point, an exponent, inf or nan. */
TEST(one_arg)
{
	uint32_t v;

	ASSERT_EQ(0, run_parse_arg("-0.0", 4, &v));
	ASSERT_EQ(0x80000000u, v);
	ASSERT_EQ(0, run_parse_arg("inf", 3, &v));
	ASSERT_EQ(0x7f800000u, v);
	ASSERT_EQ(0, run_parse_arg("nan", 3, &v));
	ASSERT_EQ(0x7f800000u, v & 0x7f800000u);
	ASSERT_EQ(0, run_parse_arg("0X7fffFFFF", 10, &v));
	ASSERT_EQ(0x7fffffffu, v);
	ASSERT_EQ(0, run_parse_arg("12345", 3, &v));	/* only "123" */
	ASSERT_EQ(123, v);
	ASSERT_EQ(-EINVAL, run_parse_arg("0x", 2, &v));
	ASSERT_EQ(-EINVAL, run_parse_arg("-", 1, &v));
	ASSERT_EQ(-EINVAL, run_parse_arg("", 0, &v));
}

TEST_HARNESS_MAIN
