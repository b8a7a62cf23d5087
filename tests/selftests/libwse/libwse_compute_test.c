// SPDX-License-Identifier: GPL-2.0
/*
 * libwse compute path end to end: program load and symbols, copies in
 * both orders and element sizes, broadcasts, launches, tasks that poll,
 * wait, time out and fail with a sentence naming the faulting PE, and
 * copies on one device overlapping a kernel on another.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wse/wse.h>

#include "../wse/wse_kernels.h"
#include "../wse/wse_util.h"

#define W		WSE_TEST_W
#define H		WSE_TEST_H
#define N32		(WSE_TEST_A32_BYTES / 4)
#define N16		(WSE_TEST_A16_BYTES / 2)
#define ELEMS		(W * H * N32)

FIXTURE(prog)
{
	struct wse_device *dev;
	struct wse_program *prog;
	struct wse_symbol a32, b32, a16, id;
	uint32_t in[ELEMS], out[ELEMS];
};

/* Open device 0 and load the test program on it. */
static void prog_open(struct __test_metadata *_metadata, struct wse_device **dev,
		      struct wse_program **prog)
{
	ASSERT_EQ(0, wse_device_open(0, dev));
	ASSERT_EQ(0, wse_program_load_mem(*dev, wse_test_image,
					  sizeof(wse_test_image), prog)) {
		TH_LOG("%s", wse_last_error(*dev));
	}
}

FIXTURE_SETUP(prog)
{
	prog_open(_metadata, &self->dev, &self->prog);
	ASSERT_EQ(0, wse_program_symbol(self->prog, "a32", &self->a32));
	ASSERT_EQ(0, wse_program_symbol(self->prog, "b32", &self->b32));
	ASSERT_EQ(0, wse_program_symbol(self->prog, "a16", &self->a16));
	ASSERT_EQ(0, wse_program_symbol(self->prog, "id", &self->id));
}

FIXTURE_TEARDOWN(prog)
{
	wse_program_free(self->prog);
	wse_device_close(self->dev);
}

/* The program took a region of its extent; symbols are where wse-as put them. */
TEST_F(prog, region_and_symbols)
{
	struct wse_region r;
	struct wse_symbol s;

	ASSERT_EQ(0, wse_program_region(self->prog, &r));
	ASSERT_EQ(W, r.width);
	ASSERT_EQ(H, r.height);
	ASSERT_EQ(WSE_TEST_A32, self->a32.addr);
	ASSERT_EQ(WSE_TEST_A32_BYTES, self->a32.size);
	ASSERT_EQ(4, self->a32.elem_bytes);
	ASSERT_EQ(WSE_SYMBOL_OBJECT, self->a32.kind);
	ASSERT_STREQ("a32", self->a32.name);
	ASSERT_EQ(2, self->a16.elem_bytes);
	ASSERT_EQ(0, wse_program_function(self->prog, "scale", &s));
	ASSERT_EQ(WSE_SYMBOL_FUNCTION, s.kind);
	ASSERT_EQ(WSE_TEST_FN_SCALE, s.index);
	/* Arrays are not functions and the other way round. */
	ASSERT_EQ(-ENOENT, wse_program_symbol(self->prog, "scale", &s));
	ASSERT_EQ(-ENOENT, wse_program_function(self->prog, "a32", &s));
	ASSERT_EQ(-ENOENT, wse_program_symbol(self->prog, "nope", &s));
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "nope"));
}

/* One device, one region: a second program or a raw region is -EBUSY. */
TEST_F(prog, one_region_per_device)
{
	struct wse_program *other = NULL;

	ASSERT_EQ(-EBUSY, wse_program_load_mem(self->dev, wse_test_image,
					       sizeof(wse_test_image), &other));
	ASSERT_EQ(NULL, other);
	ASSERT_EQ(-EBUSY, wse_region_alloc(self->dev, 1, 1, NULL));
	ASSERT_EQ(-EBUSY, wse_region_free(self->dev));
}

/* 32-bit copies in both orders, through a launch with an argument. */
TEST_F(prog, copy_and_scale_32bit)
{
	struct wse_task *task = NULL;
	enum wse_order order;
	unsigned int i;

	for (order = WSE_MEMCPY_ROW_MAJOR; order <= WSE_MEMCPY_COL_MAJOR; order++) {
		wst_fill_random(self->in, sizeof(self->in), 40 + order);
		ASSERT_EQ(0, wse_memcpy_h2d(self->prog, &self->a32, self->in, 0, 0,
					    W, H, N32, WSE_MEMCPY_32BIT, order,
					    0, NULL));
		ASSERT_EQ(0, wse_launch(self->prog, "scale", 1,
					(uint32_t[]){ 9 }, 0, &task));
		ASSERT_LT(0, wse_task_cycles(task));
		wse_task_free(task);
		ASSERT_EQ(0, wse_memcpy_d2h(self->prog, &self->b32, self->out, 0,
					    0, W, H, N32, WSE_MEMCPY_32BIT, order,
					    0, NULL));
		/* Same order in and out: elementwise. */
		for (i = 0; i < ELEMS; i++)
			ASSERT_EQ(self->in[i] * 9, self->out[i]);
	}
}

/* 16-bit copies: column-major in, row-major out, and the PE sees them. */
TEST_F(prog, copy_16bit)
{
	uint16_t *in = (uint16_t *)self->in, *out = (uint16_t *)self->out;
	uint32_t c, r, e;

	wst_fill_random(in, W * H * N16 * 2, 50);
	ASSERT_EQ(0, wse_memcpy_h2d(self->prog, &self->a16, in, 0, 0, W, H, N16,
				    WSE_MEMCPY_16BIT, WSE_MEMCPY_COL_MAJOR, 0,
				    NULL));
	ASSERT_EQ(0, wse_memcpy_d2h(self->prog, &self->a16, out, 0, 0, W, H, N16,
				    WSE_MEMCPY_16BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				    NULL));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N16; e++)
				ASSERT_EQ(in[wst_host_index(1, W, H, N16, c, r, e)],
					  out[wst_host_index(0, W, H, N16, c, r, e)]);
}

/*
 * Host arrays in memory of wse_host_alloc(), by DMA: copies in, a launch,
 * a non-blocking copy out that lands when its task ends.
 */
TEST_F(prog, host_memory_copies)
{
	uint32_t *in = NULL, *out = NULL;
	struct wse_task *task = NULL;
	unsigned int i;

	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, 0));
	ASSERT_EQ(0, wse_host_alloc(self->dev, sizeof(self->in), (void **)&in));
	ASSERT_EQ(0, wse_host_alloc(self->dev, sizeof(self->out), (void **)&out));
	wst_fill_random(in, sizeof(self->in), 45);
	ASSERT_EQ(0, wse_memcpy_h2d(self->prog, &self->a32, in, 0, 0, W, H, N32,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR, 0,
				    NULL));
	ASSERT_EQ(0, wse_launch(self->prog, "scale", 1, (uint32_t[]){ 5 }, 0,
				NULL));
	ASSERT_EQ(0, wse_memcpy_d2h(self->prog, &self->b32, out, 0, 0, W, H, N32,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &task));
	ASSERT_EQ(0, wse_task_wait(task, -1));
	wse_task_free(task);
	for (i = 0; i < ELEMS; i++)
		ASSERT_EQ(in[i] * 5, out[i]);
	wse_host_free(self->dev, in);
	wse_host_free(self->dev, out);
}

/* Row and column broadcasts, read back per PE. */
TEST_F(prog, broadcasts)
{
	uint32_t c, r, e;

	for (e = 0; e < H * N32; e++)
		self->in[e] = 0xa0000 + e;
	ASSERT_EQ(0, wse_memcpy_h2d_rowbcast(self->prog, &self->a32, self->in, 0,
					     0, W, H, N32, WSE_MEMCPY_32BIT,
					     WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(0, wse_memcpy_d2h(self->prog, &self->a32, self->out, 0, 0, W,
				    H, N32, WSE_MEMCPY_32BIT,
				    WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N32; e++)
				ASSERT_EQ(self->in[r * N32 + e],
					  self->out[wst_host_index(0, W, H, N32, c, r, e)]);

	for (e = 0; e < W * N32; e++)
		self->in[e] = 0xb0000 + e;
	ASSERT_EQ(0, wse_memcpy_h2d_colbcast(self->prog, &self->a32, self->in, 0,
					     0, W, H, N32, WSE_MEMCPY_32BIT,
					     WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(0, wse_memcpy_d2h(self->prog, &self->a32, self->out, 0, 0, W,
				    H, N32, WSE_MEMCPY_32BIT,
				    WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N32; e++)
				ASSERT_EQ(self->in[c * N32 + e],
					  self->out[wst_host_index(0, W, H, N32, c, r, e)]);
}

/* Copies libwse refuses before the driver sees them. */
TEST_F(prog, copy_arguments_checked)
{
	struct wse_symbol fn;
	struct wse_task *task = NULL;

	/* Off the region, empty, too many elements, wrong type, bad flags. */
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(self->prog, &self->a32, self->in, 1, 0,
					  W, 1, 1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "region"));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(self->prog, &self->a32, self->in, 0, 0,
					  0, 1, 1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(self->prog, &self->a32, self->in, 0, 0,
					  1, 1, N32 + 1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(self->prog, &self->a32, self->in, 0, 0,
					  1, 1, 1, WSE_MEMCPY_16BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_d2h(self->prog, &self->a32, self->out, 0, 0,
					  1, 1, 1, WSE_MEMCPY_32BIT, 2, 0, NULL));
	ASSERT_EQ(-EINVAL, wse_memcpy_d2h(self->prog, &self->a32, self->out, 0, 0,
					  1, 1, 1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0x10, NULL));
	/* Non-blocking needs a task to hand back. */
	ASSERT_EQ(-EINVAL, wse_memcpy_d2h(self->prog, &self->a32, self->out, 0, 0,
					  1, 1, 1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, WSE_NONBLOCK, NULL));
	/* A function is not an array. */
	ASSERT_EQ(0, wse_program_function(self->prog, "scale", &fn));
	ASSERT_EQ(-EINVAL, wse_memcpy_h2d(self->prog, &fn, self->in, 0, 0, 1, 1,
					  1, WSE_MEMCPY_32BIT,
					  WSE_MEMCPY_ROW_MAJOR, 0, NULL));
	/* Launches: unknown function, too many arguments. */
	ASSERT_EQ(-ENOENT, wse_launch(self->prog, "nope", 0, NULL, 0, &task));
	ASSERT_EQ(-EINVAL, wse_launch(self->prog, "scale", WSE_MAX_ARGS + 1,
				      self->in, 0, &task));
	ASSERT_EQ(NULL, task);
}

/* A kernel fault is -EFAULT and a sentence naming the PE and pc. */
TEST_F(prog, kernel_fault_detail)
{
	char want[128];
	struct wse_task *task = NULL;

	snprintf(want, sizeof(want), "PE (2,1) pc 0x%x: SRAM access out of range",
		 WSE_TEST_FAULT_PC);
	ASSERT_EQ(-EFAULT, wse_launch(self->prog, "fault", 2,
				      (uint32_t[]){ 2, 1 }, 0, NULL));
	ASSERT_STREQ(want, wse_last_error(self->dev));

	/* The same through a task, and the program keeps working. */
	ASSERT_EQ(0, wse_launch(self->prog, "fault", 2, (uint32_t[]){ 2, 1 },
				WSE_NONBLOCK, &task));
	ASSERT_EQ(-EFAULT, wse_task_wait(task, -1));
	ASSERT_STREQ(want, wse_task_error(task));
	ASSERT_EQ(-EFAULT, wse_task_wait(task, 0));
	wse_task_free(task);
	ASSERT_EQ(0, wse_launch(self->prog, "whoami", 0, NULL, 0, NULL));
}

/*
 * Non-blocking tasks: a kernel that runs until its time limit polls as
 * running and a short wait times out with -ETIME, while copies and a
 * launch on a second device complete meanwhile; then the limit ends the
 * task with -ETIMEDOUT.
 */
TEST_F_TIMEOUT(prog, nonblocking_overlap_and_timeout, 120)
{
	struct wse_task *spin = NULL, *h2d = NULL, *run = NULL, *d2h = NULL;
	struct wse_program *prog2;
	struct wse_device *dev2;
	struct wse_symbol a, b;
	unsigned int i;

	/* Step 1: a kernel that never halts, stopped after 3 s. */
	ASSERT_EQ(0, wse_device_set_timeout(self->dev, 3000));
	ASSERT_EQ(0, wse_launch(self->prog, "spin", 0, NULL, WSE_NONBLOCK, &spin));
	ASSERT_EQ(0, wse_task_done(spin));
	ASSERT_EQ(-ETIME, wse_task_wait(spin, 50 * 1000 * 1000));
	ASSERT_STREQ("", wse_task_error(spin));

	/* Step 2: a second device handle computes meanwhile, non-blocking. */
	prog_open(_metadata, &dev2, &prog2);
	ASSERT_EQ(0, wse_program_symbol(prog2, "a32", &a));
	ASSERT_EQ(0, wse_program_symbol(prog2, "b32", &b));
	wst_fill_random(self->in, sizeof(self->in), 60);
	memset(self->out, 0, sizeof(self->out));
	ASSERT_EQ(0, wse_memcpy_h2d(prog2, &a, self->in, 0, 0, W, H, N32,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &h2d));
	/* The host array may be reused at once: H2D took its copy. */
	memset(self->in, 0, sizeof(self->in));
	wst_fill_random(self->in, sizeof(self->in), 60);
	ASSERT_EQ(0, wse_launch(prog2, "scale", 1, (uint32_t[]){ 3 },
				WSE_NONBLOCK, &run));
	ASSERT_EQ(0, wse_memcpy_d2h(prog2, &b, self->out, 0, 0, W, H, N32,
				    WSE_MEMCPY_32BIT, WSE_MEMCPY_ROW_MAJOR,
				    WSE_NONBLOCK, &d2h));
	/* Jobs of one device run in order: the last done means all done. */
	ASSERT_EQ(0, wse_task_wait(d2h, -1));
	ASSERT_EQ(1, wse_task_done(h2d));
	ASSERT_EQ(1, wse_task_done(run));
	ASSERT_EQ(0, wse_task_wait(run, 0));
	for (i = 0; i < ELEMS; i++)
		ASSERT_EQ(self->in[i] * 3, self->out[i]);

	/* Step 3: the first kernel was still running all along. */
	ASSERT_EQ(0, wse_task_done(spin));
	ASSERT_EQ(-ETIMEDOUT, wse_task_wait(spin, -1));
	ASSERT_NE(NULL, strstr(wse_task_error(spin), "time limit"));
	ASSERT_EQ(1, wse_task_done(spin));

	wse_task_free(h2d);
	wse_task_free(run);
	wse_task_free(d2h);
	wse_task_free(spin);
	wse_program_free(prog2);
	wse_device_close(dev2);
}

/* A program from a file, as wse-as writes it. */
TEST(program_load_file)
{
	char path[] = "/tmp/libwse-image-XXXXXX";
	struct wse_program *prog = NULL;
	struct wse_device *dev;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(wse_test_image),
		  write(fd, wse_test_image, sizeof(wse_test_image)));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_program_load_file(dev, path, &prog));
	ASSERT_EQ(0, wse_launch(prog, "whoami", 0, NULL, 0, NULL));
	wse_program_free(prog);
	/* Freed with its region: a raw region is possible again. */
	ASSERT_EQ(0, wse_region_alloc(dev, 1, 1, NULL));
	wse_device_close(dev);
	ASSERT_EQ(0, unlink(path));
}

TEST_HARNESS_MAIN
