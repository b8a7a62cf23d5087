// SPDX-License-Identifier: GPL-2.0
/*
 * Hangs: a kernel that never ends is stopped at its job's time limit and
 * the job completes with -ETIMEDOUT and the details of where it hung;
 * meanwhile another process's GEMV on its own queue completes correctly,
 * and the hung file's later jobs run.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_kernels.h"
#include "ras_util.h"

/* Long enough for the GEMV beside it under TCG, short enough to wait for. */
#define HANG_MS		3000

FIXTURE(hang)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
};

FIXTURE_SETUP(hang)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	if (!(self->info.caps & DRM_WSE_CAP_KERNELS))
		SKIP(return, "the device runs no kernels");
	ASSERT_EQ(0, wst_region_alloc(self->fd, RAS_W, RAS_H, &self->region));
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
}

FIXTURE_TEARDOWN(hang)
{
	ASSERT_EQ(0, close(self->fd));
}

/* The default limit leaves real kernels a minute. */
TEST(default_timeout)
{
	char line[32];

	ASSERT_EQ(0, wst_read_line("/sys/module/wse/parameters/timeout_ms",
				   line, sizeof(line)));
	ASSERT_LE(10000, strtoul(line, NULL, 10));
}

/* The hung job ends with -ETIMEDOUT; everyone else's work goes on. */
TEST_F(hang, hung_kernel_times_out)
{
	struct drm_wse_cmd cmds[3] = {
		{ .op = DRM_WSE_OP_NOP },
		wst_launch_cmd(RAS_FN_SPIN, 0, 0, 0),
		{ .op = DRM_WSE_OP_NOP },
	};
	uint64_t spin, later, t0, elapsed, timed_out0, timed_out1;
	struct drm_wse_cmd copy[2];
	struct drm_wse_wait res;
	uint32_t bo;
	void *map;
	int status;
	pid_t pid;

	ASSERT_EQ(0, wst_sysfs_u64("jobs_timed_out", &timed_out0));
	ASSERT_EQ(0, wst_bo_new(self->fd, 2 * RAS_PAGE, &bo, &map));
	wst_fill_random(map, RAS_PAGE, 51);

	/* 1. The hung kernel, then a copy queued behind it. */
	t0 = ras_now_ms();
	ASSERT_EQ(0, ras_submit(self->fd, cmds, 3, HANG_MS, &spin));
	copy[0] = ras_sram_cmd(DRM_WSE_OP_WRITE, bo, 0, 0, 4 * RAS_PAGE, RAS_PAGE);
	copy[1] = ras_sram_cmd(DRM_WSE_OP_READ, bo, 0, 0, 4 * RAS_PAGE, RAS_PAGE);
	copy[1].offset = RAS_PAGE;
	ASSERT_EQ(0, ras_submit(self->fd, copy, 2, 0, &later));

	/* 2. Another process computes a GEMV meanwhile, on its own queue. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = wst_open();

		_exit(fd < 0 ? 100 : ras_gemv(fd) ? 101 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("the GEMV took %llu ms beside the hung kernel",
	       (unsigned long long)(ras_now_ms() - t0));
	/* It finished while the kernel still hung. */
	ASSERT_EQ(-ETIME, ras_wait(self->fd, spin, 0, &res));

	/* 3. The limit ends the hung job, and says where it was. */
	ASSERT_EQ(0, ras_wait(self->fd, spin, -1, &res));
	elapsed = ras_now_ms() - t0;
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(1, res.failed_cmd);
	ASSERT_EQ(DRM_WSE_STATUS_ABORTED, res.device_status);
	ASSERT_LE(HANG_MS - 100, elapsed);
	ASSERT_GE(HANG_MS + 30000, elapsed);

	/* 4. The job behind it runs normally. */
	ASSERT_EQ(0, ras_wait(self->fd, later, -1, &res));
	ASSERT_EQ(0, res.status);
	ASSERT_EQ(0, memcmp(map, (char *)map + RAS_PAGE, RAS_PAGE));

	/* 5. The abort dropped the program: LAUNCH needs a new LOAD. */
	cmds[0] = wst_launch_cmd(RAS_FN_QUICK, 0, 0, 0);
	ASSERT_EQ(-EIO, wst_run(self->fd, cmds, 1, &res));
	ASSERT_EQ(DRM_WSE_STATUS_NO_PROGRAM, res.device_status);
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
	ASSERT_EQ(0, wst_run(self->fd, cmds, 1, &res));

	ASSERT_EQ(0, wst_sysfs_u64("jobs_timed_out", &timed_out1));
	ASSERT_EQ(timed_out0 + 1, timed_out1);
	ASSERT_EQ(0, wst_bo_free(self->fd, bo, map, 2 * RAS_PAGE));
}

/* A short limit of one submit applies to that job only. */
TEST_F(hang, per_submit_limit)
{
	struct drm_wse_cmd spin = wst_launch_cmd(RAS_FN_SPIN, 0, 0, 0);
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	uint64_t job, next, t0;

	t0 = ras_now_ms();
	ASSERT_EQ(0, ras_submit(self->fd, &spin, 1, 300, &job));
	ASSERT_EQ(0, ras_submit(self->fd, &nop, 1, 0, &next));
	ASSERT_EQ(0, ras_wait(self->fd, job, -1, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(0, res.failed_cmd);
	ASSERT_LE(250, ras_now_ms() - t0);
	ASSERT_EQ(0, ras_wait(self->fd, next, -1, &res));
	ASSERT_EQ(0, res.status);
}

/* Closing a file with a hung job ends it at once. */
TEST_F(hang, close_ends_hang)
{
	struct drm_wse_cmd spin = wst_launch_cmd(RAS_FN_SPIN, 0, 0, 0);
	struct drm_wse_wait res;
	uint64_t job, t0;

	ASSERT_EQ(0, ras_submit(self->fd, &spin, 1, 120000, &job));
	usleep(200 * 1000);
	ASSERT_EQ(-ETIME, ras_wait(self->fd, job, 0, &res));
	t0 = ras_now_ms();
	ASSERT_EQ(0, close(self->fd));
	ASSERT_GE(20000, ras_now_ms() - t0);
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
}

TEST_HARNESS_MAIN
