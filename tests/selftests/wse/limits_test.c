// SPDX-License-Identifier: GPL-2.0
/*
 * wse limits (issue 13): what one unprivileged file can make the kernel
 * hold is bounded. SUBMIT refuses a timeout_ms above the max_timeout_ms
 * parameter (-EINVAL), and the device lists of a file's unfinished jobs
 * fit in file_list_bytes (-E2BIG for a job that never fits, -ENOSPC while
 * earlier jobs hold the rest). WAIT keeps its deadline across signals,
 * and BO_INFO on a window is -ENOENT.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define PARAM_DIR	"/sys/module/" WST_MODULE "/parameters/"

static int param_read(const char *name, unsigned long *v)
{
	char path[128], line[64];
	int ret;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	ret = wst_read_line(path, line, sizeof(line));
	if (!ret)
		*v = strtoul(line, NULL, 10);
	return ret;
}

static int param_write(const char *name, unsigned long v)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%lu\n", v) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

FIXTURE(limits)
{
	int fd;
	uint32_t bo;		/* 64 KiB */
	void *map;
	unsigned long list_bytes;	/* the parameter before the test */
};

FIXTURE_SETUP(limits)
{
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint32_t img;
	void *map;

	ASSERT_EQ(0, param_read("file_list_bytes", &self->list_bytes));
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, WSE_TEST_W, WSE_TEST_H, &r));
	ASSERT_EQ(0, wst_bo_new(self->fd, sizeof(wse_test_image), &img, &map));
	memcpy(map, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_load(self->fd, img, sizeof(wse_test_image), &res));
	ASSERT_EQ(0, wst_bo_new(self->fd, 65536, &self->bo, &self->map));
}

FIXTURE_TEARDOWN(limits)
{
	param_write("file_list_bytes", self->list_bytes);
	close(self->fd);
}

static int submit_spin(int fd, uint32_t ms, uint64_t *job)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&spin,
		.cmd_count = 1,
		.timeout_ms = ms,
	};
	int ret = wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &args);

	if (!ret && job)
		*job = args.job_id;
	return ret;
}

/* @n one-page READs of the buffer: @n pages of device lists. */
static int submit_reads(int fd, uint32_t bo, uint32_t n)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = n,
	};
	uint32_t i;

	memset(cmds, 0, sizeof(cmds));
	for (i = 0; i < n; i++) {
		cmds[i].op = DRM_WSE_OP_READ;
		cmds[i].handle = bo;
		cmds[i].offset = i * 16;
		cmds[i].length = 16;
	}
	return wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &args);
}

/* The limits are visible, and a timeout above the cap is -EINVAL. */
TEST_F(limits, timeout_cap)
{
	unsigned long max;

	ASSERT_EQ(0, param_read("max_timeout_ms", &max));
	ASSERT_LT(0, max);
	ASSERT_LT(0, self->list_bytes);
	ASSERT_EQ(-EINVAL, submit_spin(self->fd, 0xffffffffu, NULL));
	ASSERT_EQ(-EINVAL, submit_spin(self->fd, max + 1, NULL));
}

/*
 * With a budget of 4 list pages: behind a running kernel, four one-READ
 * jobs fit, the fifth is -ENOSPC, a job of five READs is -E2BIG; once the
 * jobs ended the budget is back.
 */
TEST_F_TIMEOUT(limits, list_budget, 120)
{
	struct drm_wse_wait res;
	uint64_t spin;
	int i;

	ASSERT_EQ(0, param_write("file_list_bytes", 4 * 4096));
	/* Step 1: the queue is busy with a kernel until its 10 s limit. */
	ASSERT_EQ(0, submit_spin(self->fd, 10000, &spin));
	/* Step 2: four jobs of one list page each wait behind it. */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, submit_reads(self->fd, self->bo, 1));
	ASSERT_EQ(-ENOSPC, submit_reads(self->fd, self->bo, 1));
	ASSERT_EQ(-E2BIG, submit_reads(self->fd, self->bo, 5));
	/* Step 3: the kernel ends, the jobs run; the budget is free again. */
	ASSERT_EQ(0, wst_wait(self->fd, spin, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(0, wst_wait(self->fd, spin + 4, &res));
	ASSERT_EQ(0, res.status);
	ASSERT_EQ(0, submit_reads(self->fd, self->bo, 4));
}

static volatile sig_atomic_t sigs;
static volatile int wait_done;

static void on_sig(int sig)
{
	sigs++;
}

struct pest {
	pthread_t target;
};

/* Signal the waiting thread every 20 ms until its WAIT returned. */
static void *pester(void *arg)
{
	struct pest *p = arg;
	struct timespec step = { .tv_nsec = 20 * 1000 * 1000 };

	while (!wait_done) {
		pthread_kill(p->target, SIGUSR1);
		nanosleep(&step, NULL);
	}
	return NULL;
}

/*
 * A WAIT of 300 ms on a kernel that runs 30 s, signalled every 20 ms and
 * restarted each time: it ends with -ETIME (the deadline held across the
 * restarts), not with the kernel's end 30 s later.
 */
TEST_F_TIMEOUT(limits, wait_deadline_across_signals, 120)
{
	struct sigaction sa = { .sa_handler = on_sig, .sa_flags = SA_RESTART };
	struct drm_wse_wait res = { .timeout_ns = 300 * 1000 * 1000 };
	struct pest p = { .target = pthread_self() };
	pthread_t t;
	uint64_t spin;
	int ret;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, submit_spin(self->fd, 30000, &spin));
	res.job_id = spin;
	wait_done = 0;
	ASSERT_EQ(0, pthread_create(&t, NULL, pester, &p));
	ret = wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &res);
	wait_done = 1;
	pthread_join(t, NULL);
	signal(SIGUSR1, SIG_DFL);
	ASSERT_LT(0, sigs);
	ASSERT_EQ(-ETIME, ret);
}

/* BO_INFO on a window's handle: -ENOENT, as for any non-buffer handle. */
TEST_F(limits, bo_info_on_window)
{
	struct drm_wse_window_create w = { .length = 4096 };
	struct drm_wse_bo_info info = { 0 };

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_WINDOW_CREATE, &w));
	info.handle = w.handle;
	ASSERT_EQ(-ENOENT, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info));
}

/*
 * Syncobj arrays of 2^28 handles: -EINVAL at once. Linux 6.12's DRM core
 * would kmalloc 1 GiB for them and WARN (the page allocator's order
 * check), which panic_on_warn turns into a crash.
 */
TEST_F(limits, syncobj_huge_arrays)
{
	uint32_t h = 0;
	struct drm_syncobj_array arr = {
		.handles = (uintptr_t)&h, .count_handles = 1u << 28,
	};
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&h, .count_handles = 1u << 28,
	};

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &arr));
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_RESET, &arr));
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w));
}

TEST_HARNESS_MAIN
