// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime power management. An idle device autosuspends to D3hot after
 * power/autosuspend_delay_ms (200 ms here); the ioctls that program it,
 * a job in flight and a mapped window keep it awake or wake it. It keeps
 * its state in D3hot: open files, regions, loaded programs and SRAM
 * contents survive a runtime suspend, so every check of data here is
 * against what was written before the device slept.
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

#define RPM_DELAY_MS	200
#define RPM_WAIT_MS	20000

FIXTURE(rpm)
{
	int fd;
	char power[PATH_MAX - 32];
	char delay0[32];
	struct drm_wse_region region;
};

static int rpm_read(const char *power, const char *name, char *buf,
		    size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", power, name);
	return wst_read_line(path, buf, len);
}

static int rpm_write(const char *power, const char *name, const char *s)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", power, name);
	return ras_write_file(path, s);
}

/* power/runtime_status is @want right now. */
static bool rpm_is(const char *power, const char *want)
{
	char status[32];

	return !rpm_read(power, "runtime_status", status, sizeof(status)) &&
	       !strcmp(status, want);
}

static uint64_t rpm_ms(const char *power, const char *name)
{
	char line[32];

	if (rpm_read(power, name, line, sizeof(line)))
		return UINT64_MAX;
	return strtoull(line, NULL, 10);
}

/* Wait until the device runtime-suspended; 0 or -ETIMEDOUT. */
static int rpm_wait_suspended(const char *power)
{
	uint64_t end = ras_now_ms() + RPM_WAIT_MS;

	while (ras_now_ms() < end) {
		if (rpm_is(power, "suspended"))
			return 0;
		usleep(20 * 1000);
	}
	return -ETIMEDOUT;
}

/* WRITE @len bytes of @pattern to region PE (x, 0) + 0 through a BO. */
static int rpm_sram_write(int fd, uint32_t x, const void *data, size_t len)
{
	struct drm_wse_wait res;
	struct drm_wse_cmd cmd;
	uint32_t bo;
	void *map;
	int ret;

	ret = wst_bo_new(fd, len, &bo, &map);
	if (ret)
		return ret;
	memcpy(map, data, len);
	cmd = ras_sram_cmd(DRM_WSE_OP_WRITE, bo, x, 0, 0, len);
	ret = wst_run(fd, &cmd, 1, &res);
	wst_bo_free(fd, bo, map, len);
	return ret;
}

/* READ region PE (x, 0) + 0 and compare with @data: 0, 1 if different. */
static int rpm_sram_check(int fd, uint32_t x, const void *data, size_t len)
{
	struct drm_wse_wait res;
	struct drm_wse_cmd cmd;
	uint32_t bo;
	void *map;
	int ret;

	ret = wst_bo_new(fd, len, &bo, &map);
	if (ret)
		return ret;
	cmd = ras_sram_cmd(DRM_WSE_OP_READ, bo, x, 0, 0, len);
	ret = wst_run(fd, &cmd, 1, &res);
	if (!ret && memcmp(map, data, len))
		ret = 1;
	wst_bo_free(fd, bo, map, len);
	return ret;
}

FIXTURE_SETUP(rpm)
{
	char control[16];

	self->fd = -1;
	self->delay0[0] = '\0';
	if (geteuid())
		SKIP(return, "needs root");
	snprintf(self->power, sizeof(self->power), "%s/power",
		 wst_sysfs_device());
	if (rpm_read(self->power, "autosuspend_delay_ms", self->delay0,
		     sizeof(self->delay0)))
		SKIP(return, "no runtime PM attributes (CONFIG_PM)");
	/* The driver allows runtime PM; nothing in the VM forbids it. */
	ASSERT_EQ(0, rpm_read(self->power, "control", control,
			      sizeof(control)));
	ASSERT_STREQ("auto", control);
	ASSERT_EQ(0, rpm_write(self->power, "autosuspend_delay_ms", "200"));

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, ras_load_image(self->fd, ras_image, sizeof(ras_image)));
}

FIXTURE_TEARDOWN(rpm)
{
	if (self->delay0[0])
		rpm_write(self->power, "autosuspend_delay_ms", self->delay0);
	if (self->fd >= 0)
		ASSERT_EQ(0, close(self->fd));
}

/* Idle, even with a file open and a region: suspended, and the clocks. */
TEST_F_TIMEOUT(rpm, idle_suspends, 120)
{
	uint64_t susp0, susp1, act0, act1, done0, done1;
	char path[PATH_MAX], state[16];

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	/* The PCI core's view, which reading it does not change. */
	snprintf(path, sizeof(path), "%s/power_state", wst_sysfs_device());
	ASSERT_EQ(0, wst_read_line(path, state, sizeof(state)));
	ASSERT_STREQ("D3hot", state);
	act0 = rpm_ms(self->power, "runtime_active_time");
	susp0 = rpm_ms(self->power, "runtime_suspended_time");
	ASSERT_NE(UINT64_MAX, act0);
	ASSERT_NE(UINT64_MAX, susp0);
	/* Telemetry reads do not wake it, and count what it did. */
	ASSERT_EQ(0, wst_sysfs_u64("commands_completed", &done0));
	ASSERT_LT(0, done0);
	usleep(3 * RPM_DELAY_MS * 1000);
	ASSERT_EQ(0, wst_sysfs_u64("commands_completed", &done1));
	ASSERT_EQ(done0, done1);
	ASSERT_TRUE(rpm_is(self->power, "suspended"));
	act1 = rpm_ms(self->power, "runtime_active_time");
	susp1 = rpm_ms(self->power, "runtime_suspended_time");
	ASSERT_EQ(act0, act1);
	ASSERT_LT(susp0, susp1);
}

/* SUBMIT wakes it; SRAM and the loaded program survived; GEMV is right. */
TEST_F_TIMEOUT(rpm, ioctl_wakes, 300)
{
	struct drm_wse_cmd cmd = wst_launch_cmd(RAS_FN_QUICK, 0, 0, 0);
	struct drm_wse_wait res;
	uint32_t data[RAS_PAGE / 4], i;
	uint64_t act0, act1, done0, done1;
	int fd;

	for (i = 0; i < RAS_PAGE / 4; i++)
		data[i] = 0x5eed0000 + i * 2654435761u;
	ASSERT_EQ(0, rpm_sram_write(self->fd, 1, data, sizeof(data)));

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	act0 = rpm_ms(self->power, "runtime_active_time");
	ASSERT_EQ(0, wst_sysfs_u64("commands_completed", &done0));
	ASSERT_EQ(0, rpm_sram_check(self->fd, 1, data, sizeof(data)));
	act1 = rpm_ms(self->power, "runtime_active_time");
	ASSERT_LT(act0, act1);
	/* The counters go on from where they were. */
	ASSERT_EQ(0, wst_sysfs_u64("commands_completed", &done1));
	ASSERT_EQ(done0 + 1, done1);

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, res.status);

	/* A real kernel on another file, from a sleeping device. */
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ras_gemv(fd));
	ASSERT_EQ(0, close(fd));
}

/* A job in flight keeps it awake; it sleeps once the job is gone. */
TEST_F_TIMEOUT(rpm, job_keeps_awake, 300)
{
	struct drm_wse_wait res;
	uint64_t spin;

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, ras_spin_start(self->fd, &spin));
	usleep(5 * RPM_DELAY_MS * 1000);
	ASSERT_TRUE(rpm_is(self->power, "active"));
	ASSERT_EQ(-ETIME, ras_wait(self->fd, spin, 0, &res));
	/* Closing the file cancels it. */
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
}

/* mmap() of a window wakes it, the mapping keeps it awake, data stays. */
TEST_F_TIMEOUT(rpm, mmap_wakes, 300)
{
	struct drm_wse_window_create win;
	uint32_t word, i;
	uint32_t *map;

	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &win));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	map = mmap(NULL, RAS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, win.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_TRUE(rpm_is(self->power, "active"));
	for (i = 0; i < RAS_PAGE / 4; i++) {
		ASSERT_EQ(0, ras_touch(&map[i], true, 0xc0de0000 | i, NULL));
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < RAS_PAGE / 4; i++) {
		ASSERT_EQ(0, ras_touch(&map[i], false, 0, &word));
		ASSERT_EQ(0xc0de0000 | i, word);
	}
	/* Loads and stores never reach the driver: the mapping holds it. */
	usleep(5 * RPM_DELAY_MS * 1000);
	ASSERT_TRUE(rpm_is(self->power, "active"));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));

	/* Asleep without the mapping; the stores are in SRAM. */
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd,
		   win.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_TRUE(rpm_is(self->power, "active"));
	for (i = 0; i < RAS_PAGE / 4; i++) {
		ASSERT_EQ(0, ras_touch(&map[i], false, 0, &word));
		ASSERT_EQ(0xc0de0000 | i, word);
	}
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, ras_gem_close(self->fd, win.handle));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
}

/* RESET (ioctl and sysfs) of a sleeping device works as ever. */
TEST_F_TIMEOUT(rpm, reset_while_suspended, 300)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	uint64_t count, resets0, resets1;
	char path[PATH_MAX];

	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets0));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, ras_reset(self->fd, &count));
	ASSERT_EQ(resets0 + 1, count);
	/* The reset dropped the context: a new region, and jobs run. */
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	snprintf(path, sizeof(path), "%s/device_reset", wst_sysfs_device());
	ASSERT_EQ(0, ras_write_file(path, "1"));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets1));
	ASSERT_EQ(resets0 + 2, resets1);
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
}

/* Bad input to a sleeping device fails as it does awake. */
TEST_F_TIMEOUT(rpm, bad_input, 300)
{
	struct drm_wse_cmd cmd = { .op = 0xff };
	struct drm_wse_reset reset = { .mode = 0x7f };
	struct drm_wse_window_create win;
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint64_t job;
	void *map;

	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, &cmd, 1, &job));
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_RESET, &reset));
	ASSERT_EQ(-EBUSY, wst_region_alloc(self->fd, 1, 1, &r));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 1, RAS_PAGE, 0,
					     &win));
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd,
		   1ull << 40);
	ASSERT_EQ(MAP_FAILED, map);
	ASSERT_EQ(-EINVAL, rpm_write(self->power, "autosuspend_delay_ms",
				     "soon"));
	/* None of it broke anything. */
	cmd.op = DRM_WSE_OP_NOP;
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, wst_tainted() & (WST_TAINT_DIE | WST_TAINT_WARN));
}

/*
 * System sleep of a runtime-suspended device: it sleeps through it
 * (direct-complete), no reset, SRAM and context kept.
 */
TEST_F_TIMEOUT(rpm, system_sleep_while_suspended, 300)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	uint32_t data[RAS_PAGE / 4];
	struct drm_wse_region again;
	struct drm_wse_wait res;
	uint64_t resets0, resets1;
	char reason[32] = "";
	int uevents, ret;

	if (!wst_exists("/sys/power/pm_test"))
		SKIP(return, "no /sys/power/pm_test (CONFIG_PM_DEBUG)");
	memset(data, 0xa5, sizeof(data));
	ASSERT_EQ(0, rpm_sram_write(self->fd, 0, data, sizeof(data)));
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets0));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	uevents = ras_uevent_open();
	ASSERT_LE(0, uevents);

	ASSERT_EQ(0, ras_write_file("/sys/power/pm_test", "devices"));
	ret = ras_write_file("/sys/power/state", "freeze");
	ras_write_file("/sys/power/pm_test", "none");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(-ETIMEDOUT, ras_uevent_wait(uevents, "WSE_RESET=1", 2000,
					      reason, sizeof(reason)));
	close(uevents);
	ASSERT_EQ(0, wst_sysfs_u64("resets", &resets1));
	ASSERT_EQ(resets0, resets1);

	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(-EBUSY, wst_region_alloc(self->fd, 1, 1, &again));
	ASSERT_EQ(0, rpm_sram_check(self->fd, 0, data, sizeof(data)));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
}

/* Unbinding a runtime-suspended device, and binding it again. */
TEST_F_TIMEOUT(rpm, unbind_while_suspended, 300)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	char addr[64], delay[32];
	int fd;

	ASSERT_NE(NULL, ras_pci_addr());
	snprintf(addr, sizeof(addr), "%s", ras_pci_addr());
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, ras_write_file("/sys/bus/pci/drivers/wse/unbind", addr));
	ASSERT_EQ(0, ras_write_file("/sys/bus/pci/drivers/wse/bind", addr));
	ASSERT_EQ(0, ras_wait_path(wst_node(), true, 30000));
	ASSERT_EQ(0, wst_tainted() & (WST_TAINT_DIE | WST_TAINT_WARN));

	/* The new binding starts from the default delay, and works. */
	ASSERT_EQ(0, rpm_read(self->power, "autosuspend_delay_ms", delay,
			      sizeof(delay)));
	ASSERT_STREQ("1000", delay);
	ASSERT_EQ(0, rpm_write(self->power, "autosuspend_delay_ms", "200"));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &self->region));
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, rpm_wait_suspended(self->power));
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
