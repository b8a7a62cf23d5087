// SPDX-License-Identifier: GPL-2.0
/*
 * wse faults: what goes wrong on the wafer comes back through WAIT with
 * the right errno, command, PE and pc, the rest of the job does not run,
 * and the device keeps working. Kernel faults, bad images, launches
 * without a program or of a non-function, jobs stopped by their time
 * limit, and waits that time out.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define W		WSE_TEST_W
#define H		WSE_TEST_H
#define N32		(WSE_TEST_A32_BYTES / 4)
#define IO_BYTES	(64 * 1024)
/* enum wafer_status, the reason of a fault */
#define WAFER_ERR_SRAM_RANGE	1
#define WAFER_ERR_BAD_IMAGE	8
#define WAFER_ERR_NO_FUNCTION	9
#define WAFER_ERR_BAD_REGION	10

FIXTURE(fault)
{
	int fd;
	struct drm_wse_region region;
	uint32_t img, io;
	void *img_map, *io_map;
};

FIXTURE_SETUP(fault)
{
	struct drm_wse_wait res;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, W, H, &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, sizeof(wse_test_image), &self->img,
				&self->img_map));
	memcpy(self->img_map, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_bo_new(self->fd, IO_BYTES, &self->io, &self->io_map));
	ASSERT_EQ(0, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
}

FIXTURE_TEARDOWN(fault)
{
	ASSERT_EQ(0, close(self->fd));
}

static int run1(int fd, struct drm_wse_cmd cmd, struct drm_wse_wait *res)
{
	return wst_run(fd, &cmd, 1, res);
}

/* The program answers: whoami, then PE (W-1, H-1) reports itself. */
static void assert_program_runs(struct __test_metadata *_metadata,
				FIXTURE_DATA(fault) *self)
{
	uint32_t *id = self->io_map;
	struct drm_wse_wait res;

	memset(id, 0, W * H * 16);
	ASSERT_EQ(0, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0), &res));
	ASSERT_EQ(0, run1(self->fd, wst_rect_cmd(DRM_WSE_OP_D2H, self->io, 0,
			  0, 0, W, H, WSE_TEST_ID, 4, 4, 0, 0), &res));
	ASSERT_EQ(W - 1, id[(W * H - 1) * 4]);
	ASSERT_EQ(H - 1, id[(W * H - 1) * 4 + 1]);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * A kernel fault names the PE (relative to the region), the pc and the
 * reason; the commands after it do not run; the program stays loaded.
 */
TEST_F(fault, kernel_fault_reported)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_wait res;
	uint32_t *a32 = self->io_map;

	/* Step 1: [NOP, fault on PE (2,1), H2D of ones] */
	memset(a32, 0xff, W * H * N32 * 4);
	cmds[0] = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP };
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_FAULT, 2, 2, 1);
	cmds[2] = wst_rect_cmd(DRM_WSE_OP_H2D, self->io, 0, 0, 0, W, H,
			       WSE_TEST_A32, N32, 4, 0, 0);
	ASSERT_EQ(-EFAULT, wst_run(self->fd, cmds, 3, &res));
	ASSERT_EQ(1, res.failed_cmd);
	ASSERT_EQ(DRM_WSE_STATUS_KERNEL_FAULT, res.device_status);
	ASSERT_EQ(WAFER_ERR_SRAM_RANGE, res.reason);
	ASSERT_EQ(2, res.pe_x);
	ASSERT_EQ(1, res.pe_y);
	ASSERT_EQ(WSE_TEST_FAULT_PC, res.pc);

	/* Step 2: the H2D after the fault did not run: a32 is still zero. */
	ASSERT_EQ(0, run1(self->fd, wst_rect_cmd(DRM_WSE_OP_D2H, self->io, 0,
			  0, 0, W, H, WSE_TEST_A32, N32, 4, 0, 0), &res));
	ASSERT_TRUE(wst_all_zero(a32, W * H * N32 * 4));

	/* Step 3: the device and the program keep working. */
	assert_program_runs(_metadata, self);
	/* A fault on the far corner names that corner. */
	ASSERT_EQ(-EFAULT, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_FAULT, 2,
				W - 1, H - 1), &res));
	ASSERT_EQ(W - 1, res.pe_x);
	ASSERT_EQ(H - 1, res.pe_y);
	assert_program_runs(_metadata, self);
}

/* Words of the PE state record (abi/pe-dump.h, version 1). */
#define DUMP_MAGIC	0x44455057	/* "WPED" */
#define DUMP_W_X	4
#define DUMP_W_Y	5
#define DUMP_W_STATE	6
#define DUMP_W_PC	8
#define DUMP_W_R0	20
#define DUMP_HALTED	3

static struct drm_wse_cmd dump_cmd(uint32_t handle, uint32_t x, uint32_t y,
				   uint64_t len)
{
	return (struct drm_wse_cmd){
		.op = DRM_WSE_OP_PE_DUMP, .handle = handle, .length = len,
		.sram = { .x = x, .y = y },
	};
}

/*
 * PE_DUMP after a fault: the faulting PE's record names it, its pc and
 * its registers; a PE off the region, a short buffer or an offset are
 * refused at SUBMIT with nothing queued.
 */
TEST_F(fault, pe_dump_of_faulting_pe)
{
	struct drm_wse_cmd cmds[2];
	struct drm_wse_wait res;
	uint32_t *d = self->io_map;
	uint64_t job = 0;

	ASSERT_EQ(-EFAULT, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_FAULT, 2,
				2, 1), &res));
	memset(d, 0xee, DRM_WSE_PE_DUMP_MIN);
	ASSERT_EQ(0, run1(self->fd, dump_cmd(self->io, 2, 1, DRM_WSE_PE_DUMP_MIN),
			  &res));
	ASSERT_EQ(DUMP_MAGIC, d[0]);
	ASSERT_EQ(1, d[1]);
	ASSERT_EQ(DRM_WSE_PE_DUMP_MIN, d[2]);
	EXPECT_EQ(2, d[DUMP_W_X]);
	EXPECT_EQ(1, d[DUMP_W_Y]);
	EXPECT_EQ(DUMP_HALTED, d[DUMP_W_STATE]);
	EXPECT_EQ(WSE_TEST_FAULT_PC, d[DUMP_W_PC]);
	EXPECT_EQ(2, d[DUMP_W_R0 + 1]);
	EXPECT_EQ(1, d[DUMP_W_R0 + 2]);
	EXPECT_EQ(2, d[DUMP_W_R0 + 3]);
	EXPECT_EQ(1, d[DUMP_W_R0 + 4]);
	EXPECT_EQ(WSE_TEST_SRAM, d[DUMP_W_R0 + 5]);

	/* Another PE: it halted without faulting, elsewhere. */
	ASSERT_EQ(0, run1(self->fd, dump_cmd(self->io, 0, 0, DRM_WSE_PE_DUMP_MIN),
			  &res));
	EXPECT_EQ(0, d[DUMP_W_X]);
	EXPECT_NE(WSE_TEST_FAULT_PC, d[DUMP_W_PC]);

	/* Bad commands: -EINVAL at SUBMIT, no job. */
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, (struct drm_wse_cmd[]){
		dump_cmd(self->io, W, 0, DRM_WSE_PE_DUMP_MIN) }, 1, &job));
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, (struct drm_wse_cmd[]){
		dump_cmd(self->io, 0, H, DRM_WSE_PE_DUMP_MIN) }, 1, &job));
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, (struct drm_wse_cmd[]){
		dump_cmd(self->io, 0, 0, DRM_WSE_PE_DUMP_MIN - 1) }, 1, &job));
	cmds[0] = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP };
	cmds[1] = dump_cmd(self->io, 0, 0, DRM_WSE_PE_DUMP_MIN);
	cmds[1].sram.offset = 4;
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, cmds, 2, &job));
	ASSERT_EQ(0, job);
	assert_program_runs(_metadata, self);
}

/* An index that is not a function is a device error with its reason. */
TEST_F(fault, launch_not_a_function)
{
	struct drm_wse_wait res;

	ASSERT_EQ(-EIO, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_SPIN + 1, 0,
				0, 0), &res));
	ASSERT_EQ(DRM_WSE_STATUS_BAD_FIELD, res.device_status);
	ASSERT_EQ(WAFER_ERR_NO_FUNCTION, res.reason);
	ASSERT_EQ(-EIO, run1(self->fd, wst_launch_cmd(0xffff, 0, 0, 0), &res));
	assert_program_runs(_metadata, self);
}

/* A launch before any LOAD: NO_PROGRAM. */
TEST_F(fault, launch_without_program)
{
	struct drm_wse_region r;
	struct drm_wse_wait res;
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(-EIO, run1(fd, wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0), &res));
	ASSERT_EQ(0, res.failed_cmd);
	ASSERT_EQ(DRM_WSE_STATUS_NO_PROGRAM, res.device_status);
	ASSERT_EQ(0, close(fd));
}

/* A malformed image is rejected with the wafer's reason; a good one loads. */
TEST_F(fault, bad_image_rejected)
{
	struct drm_wse_wait res;
	unsigned char *img = self->img_map;

	/* Step 1: not an ELF file at all. */
	memset(img, 0x5a, sizeof(wse_test_image));
	ASSERT_EQ(-EIO, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
	ASSERT_EQ(DRM_WSE_STATUS_BAD_IMAGE, res.device_status);
	ASSERT_EQ(WAFER_ERR_BAD_IMAGE, res.reason);

	/* Step 2: the real image cut short. */
	memcpy(img, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(-EIO, wst_load(self->fd, self->img, sizeof(wse_test_image) / 2,
				 &res));
	ASSERT_EQ(DRM_WSE_STATUS_BAD_IMAGE, res.device_status);

	/* Step 3: whole again, it loads and runs. */
	ASSERT_EQ(0, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
	assert_program_runs(_metadata, self);
}

/* An image wider than the file's region: OUT_OF_REGION. */
TEST_F(fault, image_larger_than_region)
{
	struct drm_wse_region none = { 0 }, r;
	struct drm_wse_wait res;

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(0, wst_region_alloc(self->fd, W - 1, H, &r));
	ASSERT_EQ(-EIO, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
	ASSERT_EQ(DRM_WSE_STATUS_OUT_OF_REGION, res.device_status);
	ASSERT_EQ(WAFER_ERR_BAD_REGION, res.reason);
}

/*
 * A kernel that never ends is stopped at the job's time limit with
 * -ETIMEDOUT; a WAIT shorter than that times out with -ETIME and leaves
 * the job alone; the file works afterwards (the abort dropped the
 * program, so it is loaded again).
 */
TEST_F_TIMEOUT(fault, job_time_limit, 120)
{
	struct drm_wse_cmd cmd = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&cmd,
		.cmd_count = 1,
		.timeout_ms = 2000,
	};
	struct drm_wse_wait res = { 0 };
	int64_t t0;

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, &args));

	/* Step 1: polls and short waits say "still running". */
	res.job_id = args.job_id;
	ASSERT_EQ(-ETIME, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &res));
	res.timeout_ns = 100 * 1000 * 1000;
	t0 = now_ms();
	ASSERT_EQ(-ETIME, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &res));
	ASSERT_LE(90, now_ms() - t0);
	ASSERT_GT(1500, now_ms() - t0);

	/* Step 2: the limit stops it. */
	ASSERT_EQ(0, wst_wait(self->fd, args.job_id, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(0, res.failed_cmd);

	/* Step 3: the file keeps working. */
	ASSERT_EQ(0, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
	assert_program_runs(_metadata, self);
}

/* Closing a file with a kernel running stops it; others are unaffected. */
TEST_F_TIMEOUT(fault, close_while_running, 120)
{
	struct drm_wse_cmd cmd = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint32_t img;
	void *map;
	int fd;

	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, W, H, &r));
	ASSERT_EQ(0, wst_bo_new(fd, sizeof(wse_test_image), &img, &map));
	memcpy(map, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_load(fd, img, sizeof(wse_test_image), &res));
	ASSERT_EQ(0, wst_bo_free(fd, img, map, sizeof(wse_test_image)));
	ASSERT_EQ(0, wst_submit(fd, &cmd, 1, NULL));
	ASSERT_EQ(0, close(fd));

	/* The fixture's file and its program are fine. */
	assert_program_runs(_metadata, self);
}

TEST_HARNESS_MAIN
