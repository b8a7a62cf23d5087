// SPDX-License-Identifier: GPL-2.0
/*
 * Device reset, by ioctl, by the driver's device_reset attribute and by a
 * PCI function-level reset: jobs end with -ECANCELED, every context open
 * at the time is stale (SUBMIT and WINDOW_CREATE -EIO) until it allocates
 * or frees a region, window mappings raise SIGBUS, a uevent announces it,
 * the reset counter moves by one, and the device works afterwards.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_kernels.h"
#include "ras_util.h"

enum reset_kind { RESET_IOCTL, RESET_SYSFS, RESET_FLR };

FIXTURE(rst)
{
	int fd;		/* busy: region, program, window, jobs */
	int idle;	/* opened, never used */
	int uevents;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t *win_map;
	struct drm_wse_window_create win;
};

FIXTURE_VARIANT(rst)
{
	enum reset_kind kind;
	const char *reason;
};

FIXTURE_VARIANT_ADD(rst, ioctl)
{
	.kind = RESET_IOCTL,
	.reason = "ioctl",
};

FIXTURE_VARIANT_ADD(rst, sysfs)
{
	.kind = RESET_SYSFS,
	.reason = "sysfs",
};

FIXTURE_VARIANT_ADD(rst, flr)
{
	.kind = RESET_FLR,
	.reason = "flr",
};

FIXTURE_SETUP(rst)
{
	if (geteuid())
		SKIP(return, "resets need root");
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	self->idle = wst_open();
	ASSERT_LE(0, self->idle);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	if (!(self->info.caps & DRM_WSE_CAP_KERNELS) ||
	    !(self->info.caps & DRM_WSE_CAP_WINDOWS))
		SKIP(return, "the device lacks kernels or windows");
	self->uevents = ras_uevent_open();
	ASSERT_LE(0, self->uevents);
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
	ASSERT_EQ(0, ras_window_map(self->fd, 1, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &self->win,
				    (void **)&self->win_map));
	self->win_map[0] = 0x12345678;
}

FIXTURE_TEARDOWN(rst)
{
	if (self->win_map)
		munmap(self->win_map, RAS_PAGE);
	if (self->uevents > 0)
		close(self->uevents);
	if (self->idle > 0)
		ASSERT_EQ(0, close(self->idle));
	ASSERT_EQ(0, close(self->fd));
}

static int do_reset(enum reset_kind kind, uint64_t *count)
{
	char path[PATH_MAX];
	int fd, ret;

	switch (kind) {
	case RESET_IOCTL:
		fd = wst_open();
		if (fd < 0)
			return fd;
		ret = ras_reset(fd, count);
		close(fd);
		return ret;
	case RESET_SYSFS:
		snprintf(path, sizeof(path), "%s/device_reset", wst_sysfs_device());
		return ras_write_file(path, "1");
	case RESET_FLR:
		snprintf(path, sizeof(path), "%s/reset", wst_sysfs_device());
		return ras_write_file(path, "1");
	}
	return -EINVAL;
}

/* Everything a reset promises, for each way of asking for one. */
TEST_F(rst, contexts_go_stale)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_region none = { 0 }, r;
	struct drm_wse_window_create w;
	uint64_t running, queued, resets0, resets1, count = 0, job;
	struct drm_wse_wait res;
	char reason[32] = "";
	uint32_t word = 0;
	int fresh;

	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets0));
	/* 1. A kernel on the hardware, and a job queued behind it. */
	ASSERT_EQ(0, ras_spin_start(self->fd, &running));
	ASSERT_EQ(0, ras_submit(self->fd, &nop, 1, 0, &queued));
	ASSERT_EQ(-ETIME, ras_wait(self->fd, running, 0, &res));

	/* 2. Reset. */
	ASSERT_EQ(0, do_reset(variant->kind, &count));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets1));
	ASSERT_EQ(resets0 + 1, resets1);
	if (variant->kind == RESET_IOCTL)
		ASSERT_EQ(resets1, count);
	ASSERT_EQ(0, ras_uevent_wait(self->uevents, "WSE_RESET=1", 10000,
				     reason, sizeof(reason)));
	ASSERT_STREQ(variant->reason, reason);

	/* 3. Both jobs were cancelled, and say so. */
	ASSERT_EQ(0, ras_wait(self->fd, running, -1, &res));
	ASSERT_EQ(-ECANCELED, res.status);
	ASSERT_EQ(DRM_WSE_STATUS_ABORTED, res.device_status);
	ASSERT_EQ(0, ras_wait(self->fd, queued, -1, &res));
	ASSERT_EQ(-ECANCELED, res.status);

	/* 4. Both files are stale; the window is gone. */
	ASSERT_EQ(-EIO, wst_submit(self->fd, &nop, 1, &job));
	ASSERT_EQ(-EIO, wst_submit(self->idle, &nop, 1, &job));
	ASSERT_EQ(-EIO, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(SIGBUS, ras_touch(self->win_map, false, 0, &word));
	ASSERT_EQ(SIGBUS, ras_touch(self->win_map, true, 1, NULL));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED,
				   self->fd, self->win.mmap_offset));
	ASSERT_EQ(EIO, errno);
	/* Results of earlier jobs stay; GEM handles too. */
	ASSERT_EQ(0, ras_wait(self->fd, running, 0, &res));
	ASSERT_EQ(0, ras_gem_close(self->fd, self->win.handle));

	/* 5. A new file is not stale. */
	fresh = wst_open();
	ASSERT_LE(0, fresh);
	ASSERT_EQ(0, wst_run(fresh, &nop, 1, &res));
	ASSERT_EQ(0, close(fresh));

	/* 6. REGION_ALLOC recovers: a new region, zeroed, without a program. */
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &r));
	ASSERT_EQ(0, wst_run(self->fd, &nop, 1, &res));
	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, 2 * self->info.sram_bytes,
				       DRM_WSE_WINDOW_READONLY, &w));
	{
		void *map = mmap(NULL, 2 * self->info.sram_bytes, PROT_READ,
				 MAP_SHARED, self->fd, w.mmap_offset);

		ASSERT_NE(MAP_FAILED, map);
		ASSERT_TRUE(wst_all_zero(map, 2 * self->info.sram_bytes));
		munmap(map, 2 * self->info.sram_bytes);
	}
	nop = wst_launch_cmd(RAS_FN_QUICK, 0, 0, 0);
	ASSERT_EQ(-EIO, wst_run(self->fd, &nop, 1, &res));
	ASSERT_EQ(DRM_WSE_STATUS_NO_PROGRAM, res.device_status);

	/* 7. REGION_FREE recovers a context that had no region. */
	nop = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP };
	ASSERT_EQ(0, wst_ioctl(self->idle, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(-ENOENT, wst_ioctl(self->idle, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(0, wst_run(self->idle, &nop, 1, &res));
}

/* The device computes correctly after a reset. */
TEST_F(rst, gemv_after_reset)
{
	uint64_t count;
	int fd;

	ASSERT_EQ(0, do_reset(variant->kind, &count));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ras_gemv(fd));
	ASSERT_EQ(0, close(fd));
}

/* Only root resets, and only with the one mode the uAPI defines. */
TEST(reset_args)
{
	struct drm_wse_reset args = { 0 };
	char path[PATH_MAX];
	int fd, status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "resets need root");
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EINVAL, wst_ioctl(fd, DRM_IOCTL_WSE_RESET, &args));
	args.mode = 2;
	ASSERT_EQ(-EINVAL, wst_ioctl(fd, DRM_IOCTL_WSE_RESET, &args));
	args.mode = DRM_WSE_RESET_DEVICE;
	args.flags = 1;
	ASSERT_EQ(-EINVAL, wst_ioctl(fd, DRM_IOCTL_WSE_RESET, &args));
	ASSERT_EQ(-EFAULT, wst_ioctl(fd, DRM_IOCTL_WSE_RESET, NULL));
	snprintf(path, sizeof(path), "%s/device_reset", wst_sysfs_device());
	ASSERT_EQ(-EINVAL, ras_write_file(path, "2"));
	ASSERT_EQ(-EINVAL, ras_write_file(path, "yes"));

	/* A process without CAP_SYS_ADMIN, with the file open. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		args.flags = 0;
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(wst_ioctl(fd, DRM_IOCTL_WSE_RESET, &args) == -EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
