// SPDX-License-Identifier: GPL-2.0
/*
 * wse-run's resident kernel actions (Documentation/wse/wse-run.rst):
 * --resident, --stream-in, --stream-out, --call and --stop on
 * examples/stream's kernel, from files to files through the device (or
 * the simulator: check-host runs the suite with $WSE_DEVICE), and the
 * clear errors for bad specs, refused before the device is opened, and
 * for a stream the kernel never answers or a fault. wse-run from PATH.
 */
#include "../kselftest_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DATADIR		"/usr/share/wse"
#define ROWS		12

static const char *image_path(void)
{
	static char path[512];
	const char *dir = getenv("WSE_DATADIR");

	snprintf(path, sizeof(path), "%s/stream-12.img", dir && *dir ? dir : DATADIR);
	return path;
}

/* Run wse-run with @args in @dir; its output in @out, its exit status back. */
static int run(const char *dir, const char *args, char *out, size_t len)
{
	char cmd[4096];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s && wse-run %s %s 2>&1", dir, image_path(), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < len && fgets(out + n, len - n, p))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) || !ok ? -1 : 0;
}

/* The file's bytes after @skip, into @buf; its length, or -1. */
static long read_file(const char *dir, const char *name, size_t skip, void *buf,
		      size_t len)
{
	char path[512];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, (long)skip, SEEK_SET);
	n = (long)fread(buf, 1, len, f);
	fclose(f);
	return n;
}

FIXTURE(wr)
{
	char dir[64];
	char out[16384];
};

FIXTURE_SETUP(wr)
{
	strcpy(self->dir, "/tmp/wse-run-stream-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(wr)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

/*
 * The tutorial and the sums from files: add one to 8 elements a row and
 * write them to a .npy; sum vectors of 8 and print the sums (N given);
 * two RPC calls; the kernel stopped by --stop.
 */
TEST_F(wr, streams_and_calls)
{
	uint32_t in[ROWS * 8], out[ROWS * 8];
	char line[64];

	for (int i = 0; i < ROWS * 8; i++)
		in[i] = 3 * i + 1;
	ASSERT_EQ(0, write_file(self->dir, "in.bin", in, sizeof(in)));
	ASSERT_EQ(0, run(self->dir, "--resident main:8 --stream-in 1@west=in.bin "
			 "--stream-out 2@west=out.npy --stream-in 3:i32@west=in.bin "
			 "--stream-out 4@west=-:1 --call add:5 --call add:7 --stop",
			 self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	/* A (12, 1, 8) .npy of u32: the header is 128 bytes. */
	ASSERT_EQ((long)sizeof(out), read_file(self->dir, "out.npy", 128, out, sizeof(out)));
	for (int i = 0; i < ROWS * 8; i++)
		ASSERT_EQ(in[i] + 1, out[i]);
	for (int r = 0; r < ROWS; r++) {
		int32_t s = 0;

		for (int k = 0; k < 8; k++)
			s += in[r * 8 + k];
		snprintf(line, sizeof(line), "stream 4 PE (0,%d): %d\n", r, s);
		EXPECT_NE(NULL, strstr(self->out, line)) TH_LOG("no '%s' in %s", line, self->out);
	}
	EXPECT_NE(NULL, strstr(self->out, "call add(0x5) = 5 (0x5)")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "call add(0x7) = 12 (0xc)")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "stop:")) TH_LOG("%s", self->out);
}

/* 16-bit elements into rows 2..5, out with N from the stream-in; no --stop. */
TEST_F(wr, sixteen_bit_rows)
{
	uint16_t in[4 * 3], out[4 * 3];

	for (int i = 0; i < 4 * 3; i++)
		in[i] = (uint16_t)(0xfffa + i);
	ASSERT_EQ(0, write_file(self->dir, "in16.bin", in, sizeof(in)));
	ASSERT_EQ(0, run(self->dir, "-q --resident main:8 --stream-in 1:i16@west,2,4=in16.bin "
			 "--stream-out 2@west,2,4=out16.bin", self->out, sizeof(self->out)))
		TH_LOG("%s", self->out);
	ASSERT_EQ((long)sizeof(out), read_file(self->dir, "out16.bin", 0, out, sizeof(out)));
	for (int i = 0; i < 4 * 3; i++)
		ASSERT_EQ((uint16_t)(in[i] + 1), out[i]);
}

/* Bad specs: exit status 1 and a sentence that says what is wrong. */
TEST_F(wr, bad_specs)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "--stream-in 1@west=in.bin", "no resident kernel" },
		{ "--resident main:8 --stop --call add:1", "no resident kernel to call" },
		{ "--resident main:8 --launch main:1 --stream-out 2@west=o.bin:1",
		  "no resident kernel" },
		{ "--resident main:8 --stream-in 24@west=in.bin", "colors are 0..23" },
		{ "--resident main:8 --stream-in 1@north=in.bin", "only the west edge" },
		{ "--resident main:8 --stream-in 1west=in.bin", "expected COLOR" },
		{ "--resident main:8 --stream-in 1@west,10,4=in.bin", "not all in the image's 12 rows" },
		{ "--resident main:8 --stream-in 1@west,0,5=in.bin", "not a multiple of the 5 rows" },
		{ "--resident main:8 --stream-in 1:f64@west=in.bin", "type 'f64'" },
		{ "--resident main:8 --stream-in 1@west=nothing.bin", "cannot read 'nothing.bin'" },
		{ "--resident main:8 --stream-out 2@west=o.bin", "Write FILE:N" },
		{ "--resident main:8 --stream-out 2@west=o.bin:0", "must be above 0" },
		{ "--resident nope", "exports no function 'nope'" },
		{ "--resident main:8 --call add:x", "neither a 32-bit integer nor a float" },
	};
	uint32_t in[ROWS * 2] = { 0 };

	ASSERT_EQ(0, write_file(self->dir, "in.bin", in, sizeof(in)));
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(1, run(self->dir, cases[i].args, self->out, sizeof(self->out)))
			TH_LOG("%s: %s", cases[i].args, self->out);
		EXPECT_NE(NULL, strstr(self->out, cases[i].says))
			TH_LOG("%s: '%s' not in: %s", cases[i].args, cases[i].says, self->out);
		/* Refused before the device: nothing was loaded. */
		EXPECT_EQ(NULL, strstr(self->out, "load ")) TH_LOG("%s", self->out);
	}
}

/* A receive the kernel never sends for times out; a fault names PE and pc. */
TEST_F(wr, timeout_and_fault)
{
	uint32_t in[ROWS] = { 0 };

	ASSERT_EQ(0, write_file(self->dir, "in.bin", in, sizeof(in)));
	EXPECT_EQ(1, run(self->dir, "-q --resident main:8 --stream-out 2@west=o.bin:4",
			 self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "--stream-out 2@west=o.bin:4")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "stream timed out")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, run(self->dir, "-q --resident main:8 --stream-in 5@west=in.bin --dump-on-fault",
			 self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "PE (0,0) pc 0x")) TH_LOG("%s", self->out);
	/* --dump-on-fault printed the PE's state. */
	EXPECT_NE(NULL, strstr(self->out, "PE (0,0)")) TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
