// SPDX-License-Identifier: GPL-2.0
/*
 * wse unload (issue 13, item 2): a file closed with ~1000 jobs queued
 * behind a running kernel drops them from work items the scheduler does
 * not flush. rmmod or unbind right after the close must wait for them,
 * not free the device (or the module) under them; the device comes back
 * working. Changes the device under every other test: runs last.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define QUEUED		1000
#define DRIVER_DIR	"/sys/bus/pci/drivers/" WST_MODULE "/"

static void sleep_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&t, NULL);
}

static int modprobe(const char *name)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execlp("modprobe", "modprobe", name, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static bool wait_node(bool present)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (wst_exists(wst_node()) == present)
			return true;
		sleep_ms(50);
	}
	return false;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* A file with a kernel running and QUEUED jobs of one READ behind it. */
static int busy_file(void)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&spin, .cmd_count = 1, .timeout_ms = 60000,
	};
	struct drm_wse_cmd rd = { .op = DRM_WSE_OP_READ, .length = 64 };
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint32_t img, bo;
	void *map;
	int fd, i, ret;

	fd = wst_open();
	if (fd < 0)
		return fd;
	ret = wst_region_alloc(fd, WSE_TEST_W, WSE_TEST_H, &r);
	if (!ret)
		ret = wst_bo_new(fd, sizeof(wse_test_image), &img, &map);
	if (ret)
		return ret;
	memcpy(map, wse_test_image, sizeof(wse_test_image));
	/* A mapping holds the file: none may outlive close(). */
	munmap(map, sizeof(wse_test_image));
	ret = wst_load(fd, img, sizeof(wse_test_image), &res);
	if (!ret)
		ret = wst_bo_new(fd, 65536, &bo, &map);
	if (!ret)
		munmap(map, 65536);
	if (!ret)
		ret = wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &args);
	rd.handle = bo;
	for (i = 0; i < QUEUED && !ret; i++) {
		struct drm_wse_submit a = {
			.cmds_ptr = (uintptr_t)&rd, .cmd_count = 1,
		};

		ret = wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &a);
	}
	return ret ? ret : fd;
}

static void assert_device_back(struct __test_metadata *_metadata)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	int fd;

	ASSERT_TRUE(wait_node(true));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, close(fd));
}

FIXTURE(unload)
{
};

FIXTURE_SETUP(unload)
{
}

FIXTURE_TEARDOWN(unload)
{
	if (!wst_exists("/sys/module/" WST_MODULE))
		modprobe(WST_MODULE);
}

/* Close with 1000 queued jobs, rmmod at once; modprobe; it works. */
TEST_F_TIMEOUT(unload, rmmod_after_close_with_queued_jobs, 300)
{
	unsigned long taint = wst_tainted();
	int fd, ret, i;

	fd = busy_file();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	/* The file's module reference is gone once close() returned. */
	for (i = 0; i < 100; i++) {
		ret = syscall(SYS_delete_module, WST_MODULE, O_NONBLOCK) ? -errno : 0;
		if (ret != -EWOULDBLOCK && ret != -EBUSY)
			break;
		sleep_ms(50);
	}
	ASSERT_EQ(0, ret);
	ASSERT_TRUE(wait_node(false));
	ASSERT_EQ(0, modprobe(WST_MODULE));
	assert_device_back(_metadata);
	/* No new taint flag beyond the unsigned module's. */
	ASSERT_EQ(0, (wst_tainted() & ~taint) & ~(1ul << 12 | 1ul << 13));
}

/* The same with unbind and bind through sysfs. */
TEST_F_TIMEOUT(unload, unbind_after_close_with_queued_jobs, 300)
{
	unsigned long taint = wst_tainted();
	char link[PATH_MAX], *bdf;
	ssize_t n;
	int fd;

	n = readlink(wst_sysfs_device(), link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = 0;
	bdf = strrchr(link, '/');
	ASSERT_NE(NULL, bdf);
	bdf++;

	fd = busy_file();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, write_str(DRIVER_DIR "unbind", bdf));
	ASSERT_TRUE(wait_node(false));
	ASSERT_EQ(0, write_str(DRIVER_DIR "bind", bdf));
	assert_device_back(_metadata);
	ASSERT_EQ(0, (wst_tainted() & ~taint) & ~(1ul << 12 | 1ul << 13));
}

TEST_HARNESS_MAIN
