// SPDX-License-Identifier: GPL-2.0
/*
 * wse reload: the module refuses to unload while a file is open, unloads
 * cleanly when none is, and comes back working after modprobe. It changes
 * the device under every other test, so it runs last.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wse_util.h"

#define WST_NODE_WAIT_MS	10000

static int delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

/* Run modprobe; returns its exit status, or -1 if it did not exit. */
static int modprobe(const char *name)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execlp("modprobe", "modprobe", name, (char *)NULL);
		execl("/sbin/modprobe", "modprobe", name, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Wait until the node exists (or not); returns whether it got there. */
static bool wait_node(bool present)
{
	struct timespec step = { .tv_nsec = 50 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited <= WST_NODE_WAIT_MS; waited += 50) {
		if (wst_exists(wst_node()) == present)
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

FIXTURE(reload)
{
	struct drm_wse_info before;	/* the device before any unload */
};

FIXTURE_SETUP(reload)
{
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &self->before));
	ASSERT_EQ(0, close(fd));
}

FIXTURE_TEARDOWN(reload)
{
	/* Leave the module loaded for whatever runs next. */
	if (!wst_exists("/sys/module/" WST_MODULE))
		modprobe(WST_MODULE);
}

/* The reloaded device reports the same wafer and runs a NOP. */
static void assert_device_back(struct __test_metadata *_metadata,
			       const struct drm_wse_info *before)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_info info;
	struct drm_wse_wait res;
	int fd;

	ASSERT_TRUE(wait_node(true));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_get_info(fd, &info));
	ASSERT_EQ(0, memcmp(before, &info, sizeof(info)));
	ASSERT_EQ(0, wst_run(fd, &cmd, 1, &res));
	ASSERT_EQ(0, close(fd));
}

/* An open file pins the module: the non-blocking unload is -EWOULDBLOCK. */
TEST_F(reload, unload_refused_while_open)
{
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(-EWOULDBLOCK, delete_module(WST_MODULE));
	ASSERT_TRUE(wst_exists(wst_node()));
	ASSERT_EQ(0, close(fd));
}

/* Unload, see everything go, modprobe, see the same device come back. */
TEST_F_TIMEOUT(reload, unload_and_reload, 120)
{
	/* Step 1: unload; the node and the module's sysfs entry go away. */
	ASSERT_EQ(0, delete_module(WST_MODULE));
	ASSERT_TRUE(wait_node(false));
	ASSERT_FALSE(wst_exists("/sys/module/" WST_MODULE));
	ASSERT_EQ(-ENOENT, wst_open());

	/* Step 2: load it again; the same device answers. */
	ASSERT_EQ(0, modprobe(WST_MODULE));
	assert_device_back(_metadata, &self->before);
}

/* A few cycles, each after a file used a region and a buffer. */
TEST_F_TIMEOUT(reload, reload_cycles, 240)
{
	struct drm_wse_region r;
	uint32_t handle;
	void *map;
	int fd, i;

	for (i = 0; i < 3; i++) {
		/* A file with state, closed before the unload. */
		fd = wst_open();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, wst_region_alloc(fd, 2, 2, &r));
		ASSERT_EQ(0, wst_bo_new(fd, 65536, &handle, &map));
		ASSERT_EQ(0, wst_bo_free(fd, handle, map, 65536));
		ASSERT_EQ(0, close(fd));

		ASSERT_EQ(0, delete_module(WST_MODULE));
		ASSERT_TRUE(wait_node(false));
		ASSERT_EQ(0, modprobe(WST_MODULE));
		assert_device_back(_metadata, &self->before);
	}
}

TEST_HARNESS_MAIN
