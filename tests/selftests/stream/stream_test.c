// SPDX-License-Identifier: GPL-2.0
/*
 * Resident kernels and streaming I/O (Documentation/wse/streaming.rst)
 * through libwse, the driver and the device: examples/stream's kernel on
 * the 12 west-edge PEs of a 1 x 12 region sums streamed vectors and
 * streams the sums back, adds one to a stream (SdkRuntime's tutorial),
 * answers RPC calls from a second thread while 100 stream jobs go on,
 * times out a receive nothing is sent for, sends and receives in one job
 * (wse_stream_send_receive()) as in two, refuses bad fields, reports a
 * fault during a stream with its PE and pc, and lets another context's
 * GEMV run meanwhile; SdkRuntime's streaming memcpy in both orders and
 * element sizes. Device 0 is the one opened; check-host runs the
 * suite on the simulator ($WSE_DEVICE, images in $WSE_DATADIR).
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wse/wse.h>

#define DATADIR		"/usr/share/wse"
#define ROWS		12
#define C_IN1		1
#define C_OUT1		2
#define C_SUM		3
#define C_SUMS		4
#define C_BAD		5
#define W		WSE_STREAM_EDGE_WEST

static const char *image_path(const char *name)
{
	static __thread char path[512];
	const char *dir = getenv("WSE_DATADIR");

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : DATADIR, name);
	return path;
}

FIXTURE(st)
{
	struct wse_device *dev;
	struct wse_program *prog;
};

FIXTURE_SETUP(st)
{
	uint32_t n = 8;

	ASSERT_EQ(0, wse_device_open(0, &self->dev));
	ASSERT_EQ(0, wse_program_load_file(self->dev, image_path("stream-12.img"),
					   &self->prog))
		TH_LOG("%s", wse_last_error(self->dev));
	ASSERT_EQ(0, wse_launch_resident(self->prog, "main", 1, &n, 0, NULL))
		TH_LOG("%s", wse_last_error(self->dev));
}

FIXTURE_TEARDOWN(st)
{
	if (self->prog)
		EXPECT_EQ(0, wse_stop(self->prog, 0, NULL));
	wse_program_free(self->prog);
	wse_device_close(self->dev);
}

/* Streamed vectors of 8 summed by data tasks; the sums stream back. */
TEST_F(st, sum_streamed_vectors)
{
	static uint32_t in[ROWS * 8 * 4], out[ROWS * 4];

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < ROWS * 8 * 4; i++)
			in[i] = i * 31 + round;
		ASSERT_EQ(0, wse_stream_send(self->prog, C_SUM, W, 0, ROWS, 32, 4, in,
					     0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
		ASSERT_EQ(0, wse_stream_receive(self->prog, C_SUMS, W, 0, ROWS, 4, 4,
						out, 0, NULL))
			TH_LOG("%s", wse_last_error(self->dev));
		for (int r = 0; r < ROWS; r++)
			for (int v = 0; v < 4; v++) {
				uint32_t s = 0;

				for (int k = 0; k < 8; k++)
					s += in[r * 32 + v * 8 + k];
				ASSERT_EQ(s, out[r * 4 + v]);
			}
	}
}

/* SdkRuntime's streaming tutorial: add one, 16-bit data, non-blocking. */
TEST_F(st, add_one_nonblocking)
{
	uint16_t in[ROWS * 16], out[ROWS * 16];
	struct wse_task *ts, *tr;

	for (int i = 0; i < ROWS * 16; i++)
		in[i] = (uint16_t)(i * 977);
	ASSERT_EQ(0, wse_stream_send(self->prog, C_IN1, W, 0, ROWS, 16, 2, in,
				     WSE_NONBLOCK, &ts));
	ASSERT_EQ(0, wse_stream_receive(self->prog, C_OUT1, W, 0, ROWS, 16, 2, out,
					WSE_NONBLOCK, &tr));
	ASSERT_EQ(0, wse_task_wait(ts, -1));
	ASSERT_EQ(0, wse_task_wait(tr, -1)) TH_LOG("%s", wse_last_error(self->dev));
	wse_task_free(ts);
	wse_task_free(tr);
	for (int i = 0; i < ROWS * 16; i++)
		ASSERT_EQ((uint16_t)(in[i] + 1), out[i]);
}

/* A fresh resident examples/stream kernel of its own on device 0. */
static int open_resident(struct wse_device **dev, struct wse_program **prog)
{
	uint32_t n = 8;
	int ret = wse_device_open(0, dev);

	if (!ret)
		ret = wse_program_load_file(*dev, image_path("stream-12.img"), prog);
	if (!ret)
		ret = wse_launch_resident(*prog, "main", 1, &n, 0, NULL);
	return ret;
}

/*
 * wse_stream_send_receive() is a send then a receive: the same bytes
 * and cycles as the two jobs on a kernel of its own, 32-bit (which the
 * simulator receives in place) and 16-bit, round after round.
 */
TEST_F(st, send_receive_as_two_jobs)
{
	static uint32_t in[ROWS * 64], out1[ROWS * 64], out2[ROWS * 64];
	struct wse_device *d2;
	struct wse_program *p2;

	ASSERT_EQ(0, open_resident(&d2, &p2));
	for (int round = 0; round < 4; round++) {
		const unsigned int es = round & 1 ? 2 : 4, per = 64 * 4 / es / 2;
		struct wse_stream_xfer snd = { C_IN1, W, 0, ROWS, per, es, in };
		struct wse_stream_xfer rcv = { C_OUT1, W, 0, ROWS, per, es, out2 };
		struct wse_task *t1, *t2, *t3;

		for (int i = 0; i < ROWS * 64; i++)
			in[i] = i * 2654435761u + round;
		memset(out1, 0x11, sizeof(out1));
		memset(out2, 0x11, sizeof(out2));
		ASSERT_EQ(0, wse_stream_send(self->prog, C_IN1, W, 0, ROWS, per, es, in,
					     WSE_NONBLOCK, &t1));
		ASSERT_EQ(0, wse_stream_receive(self->prog, C_OUT1, W, 0, ROWS, per, es,
						out1, WSE_NONBLOCK, &t2));
		ASSERT_EQ(0, wse_task_wait(t1, -1));
		ASSERT_EQ(0, wse_task_wait(t2, -1));
		ASSERT_EQ(0, wse_stream_send_receive(p2, &snd, &rcv, WSE_NONBLOCK, &t3));
		ASSERT_EQ(0, wse_task_wait(t3, -1)) TH_LOG("%s", wse_last_error(d2));
		EXPECT_EQ(0, memcmp(out1, out2, sizeof(out1))) TH_LOG("round %d", round);
		EXPECT_EQ(wse_task_cycles(t1) + wse_task_cycles(t2), wse_task_cycles(t3))
			TH_LOG("round %d", round);
		if (es == 4)
			EXPECT_EQ(in[5] + 1, out2[5]);
		wse_task_free(t1);
		wse_task_free(t2);
		wse_task_free(t3);
	}
	EXPECT_EQ(0, wse_stop(p2, 0, NULL));
	wse_program_free(p2);
	wse_device_close(d2);
}

/*
 * A send_receive whose receive wants more than the kernel sends times
 * out; what was sent waits for the next receive, as after a send alone.
 */
TEST_F(st, send_receive_times_out)
{
	uint32_t in[ROWS * 4], out[ROWS * 8], got[ROWS * 4];
	struct wse_stream_xfer snd = { C_IN1, W, 0, ROWS, 4, 4, in };
	struct wse_stream_xfer rcv = { C_OUT1, W, 0, ROWS, 8, 4, out };

	for (int i = 0; i < ROWS * 4; i++)
		in[i] = i * 7 + 3;
	EXPECT_EQ(-ETIMEDOUT, wse_stream_send_receive(self->prog, &snd, &rcv, 0, NULL));
	/* The failed receive's buffer is the caller's again. */
	memset(out, 0xee, sizeof(out));
	memset(got, 0, sizeof(got));
	ASSERT_EQ(0, wse_stream_receive(self->prog, C_OUT1, W, 0, ROWS, 4, 4, got, 0,
					NULL)) TH_LOG("%s", wse_last_error(self->dev));
	for (int i = 0; i < ROWS * 4; i++) {
		ASSERT_EQ(in[i] + 1, got[i]) TH_LOG("element %d", i);
	}
	EXPECT_EQ(-EINVAL, wse_stream_send_receive(self->prog, &snd, NULL, 0, NULL));
}

struct rpc_thread {
	struct wse_program *prog;
	int fails;
	uint32_t last;
};

static void *rpc_main(void *arg)
{
	struct rpc_thread *t = arg;
	uint32_t one = 1, ret;

	for (int i = 1; i <= 100; i++) {
		if (wse_call(t->prog, "add", 1, &one, &ret, 0, NULL) || ret != (uint32_t)i)
			t->fails++;
		t->last = ret;
	}
	return NULL;
}

/* 100 stream jobs in this thread, 100 RPC calls from another. */
TEST_F(st, resident_rpc_two_threads)
{
	struct rpc_thread t = { self->prog, 0, 0 };
	uint32_t in[ROWS * 8], out[ROWS];
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, rpc_main, &t));
	for (int j = 0; j < 100; j++) {
		for (int i = 0; i < ROWS * 8; i++)
			in[i] = i + j;
		ASSERT_EQ(0, wse_stream_send(self->prog, C_SUM, W, 0, ROWS, 8, 4, in,
					     0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
		ASSERT_EQ(0, wse_stream_receive(self->prog, C_SUMS, W, 0, ROWS, 1, 4,
						out, 0, NULL));
		for (int r = 0; r < ROWS; r++)
			ASSERT_EQ(64 * r + 28 + 8 * j, out[r]);
	}
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, t.fails);
	EXPECT_EQ(100, t.last);
}

/* A receive nothing is sent for times out; the queue goes on. */
TEST_F(st, receive_times_out)
{
	uint32_t out[4], one = 1, ret = 0;

	EXPECT_EQ(-ETIMEDOUT, wse_stream_receive(self->prog, C_OUT1, W, 0, 1, 4, 4,
						 out, 0, NULL));
	EXPECT_NE(NULL, strstr(wse_last_error(self->dev), "stream"))
		TH_LOG("%s", wse_last_error(self->dev));
	ASSERT_EQ(0, wse_call(self->prog, "add", 1, &one, &ret, 0, NULL))
		TH_LOG("%s", wse_last_error(self->dev));
	EXPECT_EQ(1, ret);
}

/* Bad fields: -EINVAL, nothing queued, the kernel still answers. */
TEST_F(st, bad_fields)
{
	uint32_t buf[64] = { 0 }, one = 1, ret = 0;

	EXPECT_EQ(-EINVAL, wse_stream_send(self->prog, 24, W, 0, 1, 4, 4, buf, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_stream_send(self->prog, C_SUM, 1, 0, 1, 4, 4, buf, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_stream_send(self->prog, C_SUM, W, 11, 2, 4, 4, buf, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_stream_send(self->prog, C_SUM, W, 0, 1, 4, 3, buf, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_stream_send(self->prog, C_SUM, W, 0, 1, 0, 4, buf, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_stream_receive(self->prog, C_SUMS, W, 0, 0, 4, 4, buf,
					      0, NULL));
	/* A color whose route does not come from the west edge: the device. */
	EXPECT_EQ(-EIO, wse_stream_send(self->prog, C_OUT1, W, 0, 1, 4, 4, buf, 0, NULL));
	EXPECT_EQ(-ENOENT, wse_call(self->prog, "nothing", 0, NULL, NULL, 0, NULL));
	ASSERT_EQ(0, wse_call(self->prog, "add", 1, &one, &ret, 0, NULL))
		TH_LOG("%s", wse_last_error(self->dev));
	EXPECT_EQ(1, ret);
}

/* A fault while streaming ends the job with the PE and pc. */
TEST_F(st, fault_while_streaming)
{
	uint32_t buf[1] = { 7 };
	const char *e;

	EXPECT_EQ(-EFAULT, wse_stream_send(self->prog, C_BAD, W, 5, 1, 1, 4, buf, 0, NULL));
	e = wse_last_error(self->dev);
	EXPECT_NE(NULL, strstr(e, "PE (0,5)")) TH_LOG("%s", e);
	EXPECT_NE(NULL, strstr(e, "pc 0x")) TH_LOG("%s", e);
	/* The kernel is gone; a new resident launch works. */
	EXPECT_EQ(-EIO, wse_stream_send(self->prog, C_SUM, W, 0, 1, 1, 4, buf, 0, NULL));
	ASSERT_EQ(0, wse_launch_resident(self->prog, "main", 1, buf, 0, NULL));
}

/*
 * SdkRuntime's streaming memcpy: a 1 x ROWS rectangle's host array in
 * either order through the edge PEs (add one and back), 32- and 16-bit.
 */
TEST_F(st, memcpy_streaming_orders)
{
	uint32_t in[ROWS * 4], out[ROWS * 4];
	uint16_t in16[ROWS * 3], out16[ROWS * 3];
	struct wse_task *t;

	for (int i = 0; i < ROWS * 4; i++)
		in[i] = 1000 * i + 7;
	/* Row-major: PE (0, y) gets elements [4y, 4y + 4). */
	ASSERT_EQ(0, wse_memcpy_h2d_streaming(self->prog, C_IN1, in, 0, 0, 1, ROWS, 4,
					      WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
					      0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
	ASSERT_EQ(0, wse_stream_receive(self->prog, C_OUT1, W, 0, ROWS, 4, 4, out, 0, NULL))
		TH_LOG("%s", wse_last_error(self->dev));
	for (int i = 0; i < ROWS * 4; i++)
		ASSERT_EQ(in[i] + 1, out[i]);
	/* Column-major host[e][0][y]: PE (0, y) gets in[e * ROWS + y], e = 0..3. */
	ASSERT_EQ(0, wse_memcpy_h2d_streaming(self->prog, C_IN1, in, 0, 0, 1, ROWS, 4,
					      WSE_MEMCPY_32BIT, WSE_MEMCPY_COL_MAJOR,
					      0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
	ASSERT_EQ(0, wse_stream_receive(self->prog, C_OUT1, W, 0, ROWS, 4, 4, out, 0, NULL));
	for (int y = 0; y < ROWS; y++)
		for (int e = 0; e < 4; e++)
			ASSERT_EQ(in[e * ROWS + y] + 1, out[y * 4 + e]);
	/* And back column-major, non-blocking: the array is the input + 1. */
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, wse_memcpy_h2d_streaming(self->prog, C_IN1, in, 0, 0, 1, ROWS, 4,
					      WSE_MEMCPY_32BIT, WSE_MEMCPY_COL_MAJOR,
					      0, NULL));
	ASSERT_EQ(0, wse_memcpy_d2h_streaming(self->prog, C_OUT1, out, 0, 0, 1, ROWS, 4,
					      WSE_MEMCPY_32BIT, WSE_MEMCPY_COL_MAJOR,
					      WSE_NONBLOCK, &t));
	ASSERT_EQ(0, wse_task_wait(t, -1)) TH_LOG("%s", wse_last_error(self->dev));
	wse_task_free(t);
	for (int i = 0; i < ROWS * 4; i++)
		ASSERT_EQ(in[i] + 1, out[i]);
	/* 16-bit, rows 3..8 only, row-major both ways. */
	for (int i = 0; i < 6 * 3; i++)
		in16[i] = (uint16_t)(0xfff0 + i);
	ASSERT_EQ(0, wse_memcpy_h2d_streaming(self->prog, C_IN1, in16, 0, 3, 1, 6, 3,
					      WSE_MEMCPY_16BIT, WSE_MEMCPY_ROW_MAJOR,
					      0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
	ASSERT_EQ(0, wse_memcpy_d2h_streaming(self->prog, C_OUT1, out16, 0, 3, 1, 6, 3,
					      WSE_MEMCPY_16BIT, WSE_MEMCPY_ROW_MAJOR,
					      0, NULL)) TH_LOG("%s", wse_last_error(self->dev));
	for (int i = 0; i < 6 * 3; i++)
		ASSERT_EQ((uint16_t)(in16[i] + 1), out16[i]);
}

/* Streaming copies refuse what does not fit; the kernel still answers. */
TEST_F(st, memcpy_streaming_bad_args)
{
	uint32_t buf[ROWS * 4] = { 0 }, one = 1, ret = 0;

	/* The region is 1 PE wide. */
	EXPECT_EQ(-EINVAL, wse_memcpy_h2d_streaming(self->prog, C_IN1, buf, 1, 0, 1, 1, 4,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_h2d_streaming(self->prog, C_IN1, buf, 0, 0, 2, 1, 4,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_h2d_streaming(self->prog, C_IN1, buf, 0, 10, 1, 3, 4,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_h2d_streaming(self->prog, 24, buf, 0, 0, 1, 1, 4,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_h2d_streaming(self->prog, C_IN1, buf, 0, 0, 1, 1, 4,
						    3, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_d2h_streaming(self->prog, C_OUT1, buf, 0, 0, 1, 1, 4,
						    WSE_MEMCPY_32BIT, 2, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_d2h_streaming(self->prog, C_OUT1, buf, 0, 0, 1, 1, 0,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_d2h_streaming(self->prog, C_OUT1, NULL, 0, 0, 1, 1, 4,
						    WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wse_memcpy_d2h_streaming(self->prog, C_OUT1, buf, 0, 0, 1, 1, 4,
						    WSE_MEMCPY_32BIT, 0, WSE_NONBLOCK, NULL));
	/* Nothing was sent: a column-major receive times out, buf untouched. */
	buf[0] = 0x5a5a;
	EXPECT_EQ(-ETIMEDOUT, wse_memcpy_d2h_streaming(self->prog, C_OUT1, buf, 0, 0, 1, 2, 2,
						       WSE_MEMCPY_32BIT, WSE_MEMCPY_COL_MAJOR,
						       0, NULL));
	EXPECT_EQ(0x5a5a, buf[0]);
	ASSERT_EQ(0, wse_call(self->prog, "add", 1, &one, &ret, 0, NULL))
		TH_LOG("%s", wse_last_error(self->dev));
	EXPECT_EQ(1, ret);
}

/* Another context's GEMV completes while the kernel is resident. */
TEST_F(st, other_context_gemv)
{
	static float A[256 * 256], x[256], y[256];
	struct wse_symbol sa, sx, sy;
	struct wse_program *g;
	struct wse_device *d2;
	uint32_t out[ROWS];

	ASSERT_EQ(0, wse_device_open(0, &d2));
	ASSERT_EQ(0, wse_program_load_file(d2, image_path("gemv-256x256-8x8.img"), &g))
		TH_LOG("%s", wse_last_error(d2));
	for (int i = 0; i < 256 * 256; i++)
		A[i] = (float)(i % 7);
	for (int i = 0; i < 256; i++)
		x[i] = 1.0f;
	ASSERT_EQ(0, wse_program_symbol(g, "A", &sa));
	ASSERT_EQ(0, wse_program_symbol(g, "x", &sx));
	ASSERT_EQ(0, wse_program_symbol(g, "y", &sy));
	ASSERT_EQ(0, wse_memcpy_h2d(g, &sa, A, 0, 0, 8, 8, 1024, WSE_MEMCPY_32BIT, 0, 0, NULL))
		TH_LOG("%s", wse_last_error(d2));
	ASSERT_EQ(0, wse_memcpy_h2d(g, &sx, x, 0, 0, 8, 1, 32, WSE_MEMCPY_32BIT, 0, 0, NULL))
		TH_LOG("%s", wse_last_error(d2));
	ASSERT_EQ(0, wse_launch(g, "compute", 0, NULL, 0, NULL))
		TH_LOG("%s", wse_last_error(d2));
	ASSERT_EQ(0, wse_memcpy_d2h(g, &sy, y, 7, 0, 1, 8, 32, WSE_MEMCPY_32BIT, 0, 0, NULL));
	EXPECT_EQ(3 * 256 / 7 * 7 / 3 > 0, y[0] > 0);
	/* The resident kernel is still there and answers. */
	EXPECT_EQ(-ETIMEDOUT, wse_stream_receive(self->prog, C_SUMS, W, 0, ROWS, 1, 4,
						 out, 0, NULL));
	wse_program_free(g);
	wse_device_close(d2);
}

TEST_HARNESS_MAIN
