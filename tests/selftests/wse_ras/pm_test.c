// SPDX-License-Identifier: GPL-2.0
/*
 * Power management and driver unbinding. A suspend/resume cycle (s2idle
 * with /sys/power/pm_test at "devices", the closest the VM has to a
 * sleep) cancels the running job and keeps every context: regions,
 * queues and windows, whose SRAM reads as zeros after resume. Unbinding
 * the driver under a busy file leaves it -ENODEV for everything but
 * close(); binding brings the device back.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_kernels.h"
#include "ras_util.h"

FIXTURE(pm)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	struct drm_wse_window_create win;
	uint32_t *win_map;
	uint64_t spin;
};

FIXTURE_SETUP(pm)
{
	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	if (!(self->info.caps & DRM_WSE_CAP_KERNELS) ||
	    !(self->info.caps & DRM_WSE_CAP_WINDOWS))
		SKIP(return, "the device lacks kernels or windows");
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
	ASSERT_EQ(0, ras_window_map(self->fd, 1, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &self->win,
				    (void **)&self->win_map));
	self->win_map[0] = 0xfeedf00d;
	ASSERT_EQ(0, ras_spin_start(self->fd, &self->spin));
}

FIXTURE_TEARDOWN(pm)
{
	if (self->win_map)
		munmap(self->win_map, RAS_PAGE);
	if (self->fd >= 0)
		ASSERT_EQ(0, close(self->fd));
}

/* Suspend and resume: the job is cancelled, the context kept. */
TEST_F_TIMEOUT(pm, suspend_resume, 120)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	uint64_t resets0, resets1;
	struct drm_wse_region again;
	char reason[32] = "";
	uint32_t word = 1, bo;
	void *map;
	int uevents, ret;

	if (!wst_exists("/sys/power/pm_test"))
		SKIP(return, "no /sys/power/pm_test (CONFIG_PM_DEBUG)");
	ASSERT_EQ(-ETIME, ras_wait(self->fd, self->spin, 0, &res));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets0));
	uevents = ras_uevent_open();
	ASSERT_LE(0, uevents);

	/* s2idle down to the devices' suspend, 5 s there, and back. */
	ASSERT_EQ(0, ras_write_file("/sys/power/pm_test", "devices"));
	ret = ras_write_file("/sys/power/state", "freeze");
	ras_write_file("/sys/power/pm_test", "none");
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, ras_uevent_wait(uevents, "WSE_RESET=1", 10000, reason,
				     sizeof(reason)));
	ASSERT_STREQ("resume", reason);
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets1));
	ASSERT_EQ(resets0 + 1, resets1);
	close(uevents);

	/* The running job was cancelled. */
	ASSERT_EQ(0, ras_wait(self->fd, self->spin, -1, &res));
	ASSERT_EQ(-ECANCELED, res.status);

	/* The context is not stale and keeps its region. */
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(-EBUSY, wst_region_alloc(self->fd, 1, 1, &again));

	/* Its window maps again; the SRAM behind it was lost. */
	ASSERT_EQ(0, ras_touch(self->win_map, false, 0, &word));
	ASSERT_EQ(0, word);
	ASSERT_EQ(0, ras_touch(&self->win_map[1], true, 0xabcdef01, NULL));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ASSERT_EQ(0, wst_bo_new(self->fd, RAS_PAGE, &bo, &map));
	cmd = ras_sram_cmd(DRM_WSE_OP_READ, bo, 1, 0, 0, RAS_PAGE);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0xabcdef01, ((uint32_t *)map)[1]);
	ASSERT_EQ(0, wst_bo_free(self->fd, bo, map, RAS_PAGE));

	/* So was the program; a new LOAD runs. */
	cmd = wst_launch_cmd(RAS_FN_QUICK, 0, 0, 0);
	ASSERT_EQ(-EIO, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(DRM_WSE_STATUS_NO_PROGRAM, res.device_status);
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
}

/* Unbind under a busy file; the file only closes; bind again. */
TEST_F_TIMEOUT(pm, unbind_bind, 120)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_bo_create bo = { .size = RAS_PAGE };
	struct drm_wse_window_create w;
	struct drm_wse_info info;
	struct drm_wse_wait res;
	char addr[64], path[PATH_MAX];
	uint64_t job;
	int fd;

	ASSERT_NE(NULL, ras_pci_addr());
	snprintf(addr, sizeof(addr), "%s", ras_pci_addr());
	ASSERT_EQ(0, ras_write_file("/sys/bus/pci/drivers/wse/unbind", addr));

	ASSERT_EQ(-ENODEV, wst_get_info(self->fd, &info));
	ASSERT_EQ(-ENODEV, wst_submit(self->fd, &cmd, 1, &job));
	ASSERT_EQ(-ENODEV, ras_wait(self->fd, self->spin, 0, &res));
	ASSERT_EQ(-ENODEV, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(-ENODEV, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, &bo));
	ASSERT_EQ(SIGBUS, ras_touch(self->win_map, false, 0, NULL));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED,
				   self->fd, self->win.mmap_offset));
	ASSERT_EQ(ENODEV, errno);
	ASSERT_EQ(0, munmap(self->win_map, RAS_PAGE));
	self->win_map = NULL;
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(0, wst_tainted() & (WST_TAINT_DIE | WST_TAINT_WARN));

	/* With the old device released, the new one is accel0 again. */
	ASSERT_EQ(0, ras_write_file("/sys/bus/pci/drivers/wse/bind", addr));
	ASSERT_EQ(0, ras_wait_path(wst_node(), true, 30000));
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/wse/%s", addr);
	ASSERT_TRUE(wst_exists(path));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, ras_gemv(fd));
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
