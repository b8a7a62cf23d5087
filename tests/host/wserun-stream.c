// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wserun-stream.c - wse-run's streams: --stream-in
 * COLOR[:TYPE]@EDGE[,Y,H]=FILE and --stream-out ...=FILE[:N], parsed and
 * checked against an image's rows and the file, with the defaults a
 * stream-out takes from the last stream-in and the mistakes refused.
 * tests/selftests/stream/stream_run_test runs them on a device.
 */
#include "kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/npy.h"
#include "run/stream.h"

/* Everything given, then the least. */
TEST(parse_full_and_minimal)
{
	struct run_stream_spec s;
	char err[256];

	ASSERT_EQ(0, run_parse_stream("23:i16@west,2,5=dir/a:b.bin:7", false, &s, err,
				      sizeof(err))) TH_LOG("%s", err);
	EXPECT_FALSE(s.in);
	EXPECT_EQ(23, s.color);
	EXPECT_EQ(RUN_STREAM_EDGE_WEST, s.edge);
	EXPECT_EQ(NPY_I16, s.type);
	EXPECT_TRUE(s.has_rows);
	EXPECT_EQ(2, s.y);
	EXPECT_EQ(5, s.h);
	EXPECT_EQ(7, s.n);
	EXPECT_STREQ("dir/a:b.bin", s.file);

	ASSERT_EQ(0, run_parse_stream("0@w=x:y", true, &s, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_TRUE(s.in);
	EXPECT_EQ(0, s.color);
	EXPECT_EQ(-1, s.type);
	EXPECT_FALSE(s.has_rows);
	EXPECT_EQ(0, s.n);
	/* A stream-in's file keeps its ':'. */
	EXPECT_STREQ("x:y", s.file);
	/* A stream-out's ':' followed by a non-number is part of the name. */
	ASSERT_EQ(0, run_parse_stream("4@0=out:x", false, &s, err, sizeof(err)));
	EXPECT_STREQ("out:x", s.file);
	EXPECT_EQ(0, s.n);
}

/* Each mistake, with the sentence that names it. */
TEST(parse_refused)
{
	static const struct {
		const char *arg, *says;
		bool in;
	} bad[] = {
		{ "24@west=f", "colors are 0..23", true },
		{ "x@west=f", "expected COLOR", true },
		{ "1west=f", "'@'", true },
		{ "1@east=f", "edge 'east'", true },
		{ "1@west,3=f", "west,Y,H", true },
		{ "1@west,3,0=f", "west,Y,H", true },
		{ "1:f64@west=f", "type 'f64'", true },
		{ "1@west", "expected COLOR", true },
		{ "1@west=", "no file", true },
		{ "1@west=f:0", "above 0", false },
		{ "1@west=:3", "no file", false },
	};
	struct run_stream_spec s;
	char err[256];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, run_parse_stream(bad[i].arg, bad[i].in, &s, err,
						    sizeof(err))) TH_LOG("%s", bad[i].arg);
		EXPECT_NE(NULL, strstr(err, bad[i].says))
			TH_LOG("%s: '%s' not in '%s'", bad[i].arg, bad[i].says, err);
	}
}

/* A raw file's rows and elements; a stream-out taking them over. */
TEST(prepare_against_rows)
{
	struct wafer_image img = { .extent_w = 1, .extent_h = 12 };
	char path[] = "/tmp/wserun-stream-XXXXXX", arg[128], err[512];
	struct run_stream_spec in, out;
	struct run_copy ci, co;
	uint16_t data[24];
	int fd;

	for (int i = 0; i < 24; i++)
		data[i] = (uint16_t)i;
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)sizeof(data), write(fd, data, sizeof(data)));
	close(fd);

	snprintf(arg, sizeof(arg), "1:i16@west,4,6=%s", path);
	ASSERT_EQ(0, run_parse_stream(arg, true, &in, err, sizeof(err)));
	ASSERT_EQ(0, run_stream_prepare(&img, &in, NULL, &ci, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(4, ci.x.py);
	EXPECT_EQ(6, ci.x.h);
	EXPECT_EQ(4, ci.x.n);
	EXPECT_EQ(NPY_I16, ci.type);
	EXPECT_EQ(sizeof(data), ci.bytes);

	ASSERT_EQ(0, run_parse_stream("2@west=o.npy", false, &out, err, sizeof(err)));
	ASSERT_EQ(0, run_stream_prepare(&img, &out, &ci, &co, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(0, co.x.py);
	EXPECT_EQ(12, co.x.h);
	EXPECT_EQ(4, co.x.n);
	EXPECT_EQ(NPY_I16, co.type);
	EXPECT_EQ(12 * 4 * 2, co.bytes);
	run_copy_free(&co);
	/* Without a stream-in before it, N must be given. */
	EXPECT_EQ(-EINVAL, run_stream_prepare(&img, &out, NULL, &co, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "FILE:N")) TH_LOG("%s", err);
	run_copy_free(&co);

	/* 24 elements over the 12 rows as u32: 12 of them, 1 a row. */
	snprintf(arg, sizeof(arg), "1@west=%s", path);
	ASSERT_EQ(0, run_parse_stream(arg, true, &in, err, sizeof(err)));
	run_copy_free(&ci);
	ASSERT_EQ(0, run_stream_prepare(&img, &in, NULL, &ci, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(NPY_U32, ci.type);
	EXPECT_EQ(1, ci.x.n);
	run_copy_free(&ci);
	/* Rows past the image, and elements that do not split over them. */
	snprintf(arg, sizeof(arg), "1@west,10,3=%s", path);
	ASSERT_EQ(0, run_parse_stream(arg, true, &in, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, run_stream_prepare(&img, &in, NULL, &ci, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "image's 12 rows")) TH_LOG("%s", err);
	run_copy_free(&ci);
	snprintf(arg, sizeof(arg), "1@west,0,5=%s", path);
	ASSERT_EQ(0, run_parse_stream(arg, true, &in, err, sizeof(err)));
	EXPECT_EQ(-EINVAL, run_stream_prepare(&img, &in, NULL, &ci, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "multiple of the 5 rows")) TH_LOG("%s", err);
	run_copy_free(&ci);
	unlink(path);
}

TEST_HARNESS_MAIN
