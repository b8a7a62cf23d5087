// SPDX-License-Identifier: GPL-2.0
/*
 * The examples end to end on the device: the gemv and stencil programs
 * must match their double-precision host references (normwise relative
 * error at most 1e-5, which they check and print) with their blocking and
 * their dataflow kernels, the dataflow ones in fewer cycles; life must
 * match the host's game cell for cell and its blocking variant must
 * deadlock; gemv must refuse a kernel image built for other sizes, and
 * wse-run must run the GEMV kernel from .npy files to the same result.
 * The programs are run as a user would, from PATH, and their output is
 * read; they open device 0, which $WSE_DEVICE may make a simulator
 * (check-host runs the suite so, with the images from $WSE_DATADIR).
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wse/wse.h>

#include "gemv_ref.h"

#define TOLERANCE	1e-5
#define OUT_BYTES	16384
#define DATADIR		"/usr/share/wse"

/* Kernel image NAME where the examples look: $WSE_DATADIR, or DATADIR. */
static char *data_image(const char *name)
{
	static char path[4][512];
	static unsigned int next;
	const char *dir = getenv("WSE_DATADIR");
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir && *dir ? dir : DATADIR, name);
	return p;
}

static const char *gemv_image(void)
{
	return data_image("gemv-256x256-8x8.img");
}

/* A program's exit status and what it printed (stdout and stderr). */
struct run_out {
	int status;
	char text[OUT_BYTES];
};

/* Run argv[0] from PATH, collect its output; 0 if it could be run. */
static int run(char *const argv[], struct run_out *o)
{
	size_t n = 0;
	int fd[2], st;
	ssize_t got;
	pid_t pid;

	if (pipe(fd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	while ((got = read(fd[0], o->text + n, sizeof(o->text) - 1 - n)) > 0)
		n += got;
	/* Drain what does not fit, so that the child cannot block. */
	while (got > 0 || (got < 0 && errno == EINTR)) {
		char sink[512];

		got = read(fd[0], sink, sizeof(sink));
	}
	o->text[n] = '\0';
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

/* The value after @key in the output, or -1. */
static double out_value(const struct run_out *o, const char *key)
{
	const char *p = strstr(o->text, key);
	double v;

	if (!p || sscanf(p + strlen(key), "%lf", &v) != 1)
		return -1;
	return v;
}

/* Whether device 0's mesh holds @w x @h PEs. */
static int mesh_holds(uint32_t w, uint32_t h)
{
	struct wse_device_info info;
	struct wse_device *dev;
	int ok;

	if (wse_device_open(0, &dev))
		return 0;
	ok = !wse_device_info(dev, &info) && info.mesh_width >= w &&
	     info.mesh_height >= h;
	wse_device_close(dev);
	return ok;
}

/*
 * Run an example with these arguments and assert that it passed: exit
 * status 0, a printed error within the tolerance, wafer cycles reported.
 */
#define ASSERT_EXAMPLE_PASSES(...) do {					\
	char *const argv_[] = { __VA_ARGS__, NULL };			\
	struct run_out *o_ = malloc(sizeof(*o_));			\
	double err_;							\
									\
	ASSERT_NE(NULL, o_);						\
	ASSERT_EQ(0, run(argv_, o_));					\
	TH_LOG("%s", o_->text);						\
	ASSERT_EQ(0, o_->status);					\
	err_ = out_value(o_, "max relative error: ");			\
	ASSERT_LE(0, err_);						\
	ASSERT_GE(TOLERANCE, err_);					\
	ASSERT_LT(0, out_value(o_, "wafer: "));				\
	free(o_);							\
} while (0)

/* The default demo size: 256 x 256 on 8 x 8 PEs. */
TEST(gemv_256_on_8x8)
{
	ASSERT_EXAMPLE_PASSES("gemv", "-m", "256", "-n", "256", "-p", "8", "-q", "8");
}

/* Another seed: different numbers, the same kernel. */
TEST(gemv_other_seed)
{
	ASSERT_EXAMPLE_PASSES("gemv", "-s", "4242");
}

/* For the tests that need more than the harness's default 30 s. */
FIXTURE(slow)
{
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

/*
 * The bench's size: it runs where the mesh has room for 32x32 PEs; on a
 * smaller mesh the load must be refused (a region larger than the wafer
 * is -EINVAL), not crash or run on a part of the program.
 */
TEST_F_TIMEOUT(slow, gemv_1024_on_32x32, 120)
{
	char *const argv[] = { "gemv", "-m", "1024", "-n", "1024", "-p", "32",
			       "-q", "32", NULL };
	struct run_out *o;

	if (mesh_holds(32, 32)) {
		ASSERT_EXAMPLE_PASSES("gemv", "-m", "1024", "-n", "1024", "-p", "32",
				      "-q", "32");
		return;
	}
	o = malloc(sizeof(*o));
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, run(argv, o));
	TH_LOG("%s", o->text);
	ASSERT_NE(0, o->status);
	ASSERT_NE(NULL, strstr(o->text, "cannot load"));
	ASSERT_NE(NULL, strstr(o->text, "reserving 32x32 PEs on the"));
	free(o);
}

/* An image assembled for other sizes is refused, not run. */
TEST(gemv_refuses_other_image)
{
	char *const argv[] = { "gemv", "-m", "128", "-n", "128", "-p", "4", "-q", "4",
			       "-i", (char *)gemv_image(), NULL };
	struct run_out *o = malloc(sizeof(*o));

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, run(argv, o));
	TH_LOG("%s", o->text);
	ASSERT_EQ(1, o->status);
	ASSERT_NE(NULL, strstr(o->text, "is a 256x256 GEMV on 8x8 PEs, not 128x128 on 4x4"));
	free(o);
}

/* 100 sweeps, the demo; an odd count ends in the second buffer. */
TEST(stencil_128_on_8x8)
{
	ASSERT_EXAMPLE_PASSES("stencil", "-r", "128", "-c", "128", "-p", "8", "-q", "8",
			      "-t", "100");
	ASSERT_EXAMPLE_PASSES("stencil", "-t", "7", "-s", "99");
}

/* No sweep: the grid comes back as it went in. */
TEST(stencil_no_sweep)
{
	ASSERT_EXAMPLE_PASSES("stencil", "-t", "0");
}

/* The cycles of a passing example run with these arguments, or -1. */
static double example_cycles(struct __test_metadata *_metadata, char *const *argv)
{
	struct run_out *o = malloc(sizeof(*o));
	double err, cycles = -1;

	if (!o || run(argv, o))
		goto out;
	TH_LOG("%s", o->text);
	err = out_value(o, "max relative error: ");
	if (o->status == 0 && err >= 0 && err <= TOLERANCE)
		cycles = out_value(o, "wafer: ");
out:
	free(o);
	return cycles;
}

/*
 * The dataflow kernel (examples/stencil/stencil-df.wsinc) gives the same
 * grid from the same host program, in fewer cycles: the inner points are
 * computed while the halos travel.
 */
TEST(stencil_dataflow_fewer_cycles)
{
	char *const sync[] = { "stencil", "-t", "20", NULL };
	char *const df[] = { "stencil", "-t", "20", "-i",
			     data_image("stencil-df-128x128-8x8.img"), NULL };
	double cs = example_cycles(_metadata, sync);
	double cd = example_cycles(_metadata, df);

	ASSERT_LT(0, cs);
	ASSERT_LT(0, cd);
	EXPECT_LT(cd, cs);
}

/*
 * The dataflow GEMV (examples/gemv/gemv-df.wsinc): the same y from the
 * same host program in fewer cycles, the partial sums of each block of
 * rows travelling while the next block is multiplied.
 */
TEST(gemv_dataflow_fewer_cycles)
{
	char *const sync[] = { "gemv", NULL };
	char *const df[] = { "gemv", "-i", data_image("gemv-df-256x256-8x8.img"), NULL };
	double cs = example_cycles(_metadata, sync);
	double cd = example_cycles(_metadata, df);

	ASSERT_LT(0, cs);
	ASSERT_LT(0, cd);
	EXPECT_LT(cd, cs);
}

/* The game of life in the dataflow style matches the host cell for cell. */
TEST(life_160_on_4x4)
{
	char *const argv[] = { "life", "-g", "12", "-s", "3", NULL };
	struct run_out *o = malloc(sizeof(*o));

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, run(argv, o));
	TH_LOG("%s", o->text);
	ASSERT_EQ(0, o->status);
	ASSERT_NE(NULL, strstr(o->text, "cells differing from the host reference: 0 of 25600"));
	ASSERT_NE(NULL, strstr(o->text, "life: PASS"));
	free(o);
}

/* Its blocking variant deadlocks, and the program says so. */
TEST(life_blocking_deadlocks)
{
	char *const argv[] = { "life", "-g", "1", "-i", data_image("life-sync-160x160-4x4.img"),
			       NULL };
	struct run_out *o = malloc(sizeof(*o));

	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, run(argv, o));
	TH_LOG("%s", o->text);
	ASSERT_EQ(1, o->status);
	ASSERT_NE(NULL, strstr(o->text, "deadlock"));
	free(o);
}

/* Write a (d0, d1, d2) float32 .npy file as numpy.save would. */
static int put_npy(const char *path, const uint64_t shape[3], const float *data)
{
	char head[128];
	size_t count = shape[0] * shape[1] * shape[2];
	int n, total;
	FILE *f;

	n = snprintf(head + 10, sizeof(head) - 10,
		     "{'descr': '<f4', 'fortran_order': False, 'shape': (%llu, %llu, %llu), }",
		     (unsigned long long)shape[0], (unsigned long long)shape[1],
		     (unsigned long long)shape[2]);
	total = (10 + n + 1 + 63) / 64 * 64;
	memcpy(head, "\x93NUMPY\x01\x00", 8);
	head[8] = (char)(total - 10);
	head[9] = (char)((total - 10) >> 8);
	memset(head + 10 + n, ' ', total - 10 - n - 1);
	head[total - 1] = '\n';
	f = fopen(path, "wb");
	if (!f)
		return -1;
	n = fwrite(head, 1, total, f) != (size_t)total ||
	    fwrite(data, sizeof(*data), count, f) != count;
	return fclose(f) || n ? -1 : 0;
}

/* Read a float32 .npy file of @count elements whose header has @shape. */
static int get_npy(const char *path, const char *shape, float *data,
		   size_t count)
{
	FILE *f = fopen(path, "rb");
	char head[256];
	size_t hlen;
	int bad;

	if (!f)
		return -1;
	bad = fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY\x01", 7);
	hlen = (unsigned char)head[8] | (unsigned char)head[9] << 8;
	bad = bad || hlen >= sizeof(head) || fread(head, 1, hlen, f) != hlen;
	head[bad ? 0 : hlen] = '\0';
	bad = bad || !strstr(head, "'<f4'") || !strstr(head, shape) ||
	      fread(data, sizeof(*data), count, f) != count || fgetc(f) != EOF;
	fclose(f);
	return bad ? -1 : 0;
}

/* Turn the fortran_order of a .npy file written by put_npy() True. */
static int npy_make_fortran(const char *path)
{
	FILE *f = fopen(path, "r+b");
	char head[65], *p;
	int bad;

	if (!f)
		return -1;
	bad = fread(head, 1, 64, f) != 64;
	head[64] = '\0';
	p = bad ? NULL : strstr(head + 10, "False");
	if (p) {
		memcpy(p, "True ", 5);
		bad = fseek(f, 0, SEEK_SET) || fwrite(head, 1, 64, f) != 64;
	}
	return fclose(f) || bad || !p ? -1 : 0;
}

static double rel_error(const float *got, const double *ref, size_t n)
{
	double diff = 0, norm = 0;

	for (size_t i = 0; i < n; i++) {
		double d = got[i] > ref[i] ? got[i] - ref[i] : ref[i] - got[i];
		double r = ref[i] > 0 ? ref[i] : -ref[i];

		if (!(d <= diff))
			diff = d;	/* NaN included */
		if (r > norm)
			norm = r;
	}
	return norm ? diff / norm : diff;
}

enum { GM = 256, GN = 256, GP = 8, GQ = 8, GMT = GM / GP, GNT = GN / GQ };

/* Random A and x, and A's host array: P x Q tiles, column by column. */
static void gemv_data(float *a, float *tiles, float *x)
{
	uint32_t seed = 7;

	for (int i = 0; i < GM * GN; i++) {
		seed = seed * 1664525u + 1013904223u;
		a[i] = (float)(seed >> 8) / (1 << 23) - 1.0f;
	}
	for (int j = 0; j < GN; j++)
		x[j] = (float)(j % 17) / 8 - 1.0f;
	for (int py = 0; py < GP; py++)
		for (int px = 0; px < GQ; px++)
			for (int j = 0; j < GNT; j++)
				for (int i = 0; i < GMT; i++)
					tiles[((py * GQ + px) * GNT + j) * GMT + i] =
						a[(py * GMT + i) * GN + px * GNT + j];
}

/*
 * wse-run with the GEMV kernel, 256 x 256 on 8 x 8: A's tiles and x from
 * .npy files, y back into one, compared with the reference. Then a
 * Fortran-order file, which wse-run must refuse.
 */
TEST(wse_run_gemv)
{
	const uint64_t a_shape[3] = { GP, GQ, GMT * GNT }, x_shape[3] = { 1, GQ, GNT };
	char dir[] = "/tmp/wse-run-XXXXXX", a_arg[64], x_arg[64], y_arg[64];
	char *const argv[] = { "wse-run", (char *)gemv_image(),
			       "--h2d", a_arg, "--h2d", x_arg, "--launch", "compute",
			       "--d2h", y_arg, "--d2h", "y@7,1,1,1,2=-", NULL };
	char *const argv_bad[] = { "wse-run", (char *)gemv_image(),
				   "--h2d", a_arg, NULL };
	float *a = malloc(sizeof(*a) * GM * GN), *tiles = malloc(sizeof(*a) * GM * GN);
	struct run_out *o = malloc(sizeof(*o));
	float x[GN], y[GM];
	double ref[GM], err;

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, tiles);
	ASSERT_NE(NULL, o);
	ASSERT_NE(NULL, mkdtemp(dir));
	gemv_data(a, tiles, x);
	snprintf(a_arg, sizeof(a_arg), "A=%s/a.npy", dir);
	snprintf(x_arg, sizeof(x_arg), "x@0,0,8,1=%s/x.npy", dir);
	snprintf(y_arg, sizeof(y_arg), "y@7,0,1,8=%s/y.npy", dir);
	ASSERT_EQ(0, put_npy(a_arg + 2, a_shape, tiles));
	ASSERT_EQ(0, put_npy(x_arg + 10, x_shape, x));

	ASSERT_EQ(0, run(argv, o));
	TH_LOG("%s", o->text);
	ASSERT_EQ(0, o->status);
	ASSERT_NE(NULL, strstr(o->text, "launch compute(): "));
	ASSERT_LT(0, out_value(o, "ms, "));	/* cycles */
	ASSERT_EQ(0, get_npy(y_arg + 10, "'shape': (8, 1, 32)", y, GM));
	/* The "-" dump: y[32] and y[33], on PE (7,1). */
	ASSERT_TRUE(y[GMT] == (float)out_value(o, "y PE (7,1): "));
	gemv_ref(a, x, ref, GM, GN);
	err = rel_error(y, ref, GM);
	TH_LOG("wse-run GEMV: max relative error %.3g", err);
	ASSERT_GE(TOLERANCE, err);

	ASSERT_EQ(0, npy_make_fortran(a_arg + 2));
	ASSERT_EQ(0, run(argv_bad, o));
	TH_LOG("%s", o->text);
	ASSERT_EQ(1, o->status);
	ASSERT_NE(NULL, strstr(o->text, "fortran_order is True"));

	snprintf(o->text, sizeof(o->text), "rm -rf %s", dir);
	ASSERT_EQ(0, system(o->text));
	free(a);
	free(tiles);
	free(o);
}

TEST_HARNESS_MAIN
