// SPDX-License-Identifier: GPL-2.0
/*
 * libwse end to end against the real driver and device: what only the
 * drm backend has. Device discovery and info from the driver, the reused
 * staging buffer, host memory as GEM buffers. What every backend does the
 * same (raw SRAM, regions, errors, threads) is libwse_api_test.c, which
 * also runs on the simulator; windows and small copies:
 * libwse_window_test.c; wse-smi: wse_smi_test.c.
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

#define MIB		(1024 * 1024)
#define REGION_W	8
#define REGION_H	8

FIXTURE(lib)
{
	struct wse_device *dev;
	struct wse_device_info info;
	bool direct_off;	/* the test turned direct_submit off */
};

static int direct_submit(int on);

FIXTURE_SETUP(lib)
{
	ASSERT_EQ(0, wse_device_open(0, &self->dev)) {
		TH_LOG("%s", wse_last_error(NULL));
	}
	ASSERT_EQ(0, wse_device_info(self->dev, &self->info));
}

FIXTURE_TEARDOWN(lib)
{
	if (self->direct_off)
		direct_submit(1);
	wse_device_close(self->dev);
}

/* Live GEM handles of the device's file, found by asking BO_INFO. */
static int live_buffers(const struct wse_device *dev)
{
	struct drm_wse_bo_info args;
	uint32_t handle;
	int n = 0;

	for (handle = 1; handle < 256; handle++) {
		memset(&args, 0, sizeof(args));
		args.handle = handle;
		if (!wst_ioctl(wse_device_fd(dev), DRM_IOCTL_WSE_BO_INFO, &args))
			n++;
	}
	return n;
}

/* Count, open and close: nothing else. */
TEST(open_close)
{
	struct wse_device *dev = NULL;

	ASSERT_LE(1, wse_device_count());
	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_NE(NULL, dev);
	ASSERT_LE(0, wse_device_fd(dev));
	wse_device_close(dev);
}

/* Indexes past the last device and non-wse nodes are -ENODEV. */
TEST(open_refusals)
{
	struct wse_device *dev = NULL;
	int n = wse_device_count();

	ASSERT_LE(1, n);
	ASSERT_EQ(-ENODEV, wse_device_open(n, &dev));
	ASSERT_NE(0, strlen(wse_last_error(NULL)));
	ASSERT_EQ(-ENODEV, wse_device_open_path("/dev/null", &dev));
	ASSERT_EQ(-ENOENT, wse_device_open_path("/dev/accel/accel999", &dev));
	ASSERT_EQ(NULL, dev);
	ASSERT_EQ(0, wse_device_open_path(wst_node(), &dev));
	wse_device_close(dev);
}

/* wse_device_info() reports what GET_INFO and sysfs say. */
TEST_F(lib, info_matches_device)
{
	struct drm_wse_info raw;
	char path[160], link[64];
	uint32_t w, h;

	ASSERT_EQ(0, wst_expect_mesh(&w, &h));
	ASSERT_EQ(w, self->info.mesh_width);
	ASSERT_EQ(h, self->info.mesh_height);
	ASSERT_EQ(0, wst_get_info(wse_device_fd(self->dev), &raw));
	ASSERT_EQ(raw.sram_bytes, self->info.sram_bytes);
	ASSERT_EQ(raw.num_queues, self->info.num_queues);
	ASSERT_EQ(raw.num_windows, self->info.num_windows);
	ASSERT_EQ(raw.max_xfer, self->info.max_xfer);
	ASSERT_EQ(raw.hw_version, self->info.hw_version);
	ASSERT_EQ(raw.caps, self->info.caps);
	ASSERT_STREQ(wst_node(), self->info.node);
	ASSERT_NE(0, strlen(self->info.driver_version));
	/* The PCI slot is the sysfs device's name. */
	snprintf(path, sizeof(path), "%s", wst_sysfs_device());
	ASSERT_LT(0, readlink(path, link, sizeof(link) - 1));
	ASSERT_NE(NULL, strstr(link, self->info.pci_slot));
	ASSERT_NE(0, strlen(self->info.pci_slot));
}

/*
 * Copies by DMA reuse one staging buffer, grown when a copy needs more;
 * small copies through windows need none.
 */
TEST_F_TIMEOUT(lib, staging_buffer_reused, 120)
{
	char *buf = calloc(1, MIB);
	int i;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, wse_region_alloc(self->dev, REGION_W, REGION_H, NULL));
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, 4096));
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 0, 0, buf, 4096));
	if (self->info.caps & WSE_DEVICE_CAP_WINDOWS)
		ASSERT_EQ(0, live_buffers(self->dev));
	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, 0));
	ASSERT_EQ(0, live_buffers(self->dev));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, 4096));
		ASSERT_EQ(0, wse_sram_read(self->dev, 0, 0, 0, buf, 4096));
	}
	ASSERT_EQ(1, live_buffers(self->dev));
	/* A bigger copy replaces the buffer instead of adding one. */
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, MIB));
	ASSERT_EQ(1, live_buffers(self->dev));
	ASSERT_EQ(0, wse_sram_read(self->dev, 0, 0, 0, buf, 4096));
	ASSERT_EQ(1, live_buffers(self->dev));
	free(buf);
}

/*
 * Copies from and to memory of wse_host_alloc() need no staging buffer:
 * only the memory's own buffer exists, also for a range in its middle;
 * the data comes back the same.
 */
TEST_F_TIMEOUT(lib, host_memory_zero_copy, 120)
{
	char *ref = malloc(MIB), *a = NULL;
	void *p = NULL;

	ASSERT_NE(NULL, ref);
	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, 0));
	ASSERT_EQ(0, wse_region_alloc(self->dev, REGION_W, REGION_H, NULL));
	ASSERT_EQ(-EINVAL, wse_host_alloc(self->dev, 0, &p));
	ASSERT_EQ(-EINVAL, wse_host_alloc(self->dev, (2ull << 30), &p));
	ASSERT_EQ(-EINVAL, wse_host_alloc(self->dev, 1, NULL));
	ASSERT_EQ(NULL, p);
	ASSERT_EQ(0, wse_host_alloc(self->dev, MIB, (void **)&a));
	ASSERT_TRUE(wst_all_zero(a, MIB));
	ASSERT_EQ(1, live_buffers(self->dev));

	/* Step 1: all of it there and back. */
	wst_fill_random(a, MIB, 8);
	memcpy(ref, a, MIB);
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 0, 3, a, MIB));
	memset(a, 0, MIB);
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 0, 3, a, MIB));
	ASSERT_EQ(0, memcmp(ref, a, MIB));
	ASSERT_EQ(1, live_buffers(self->dev));

	/* Step 2: from its middle; the same bytes read into malloc() memory. */
	ASSERT_EQ(0, wse_sram_write(self->dev, 2, 1, 7, a + 1000, 5000));
	memset(ref, 0, 5000);
	ASSERT_EQ(0, wse_sram_read(self->dev, 2, 1, 7, ref, 5000));
	ASSERT_EQ(0, memcmp(ref, a + 1000, 5000));
	ASSERT_EQ(2, live_buffers(self->dev));

	/* Step 3: only what wse_host_alloc() returned is freed. */
	wse_host_free(self->dev, a + 1);
	wse_host_free(self->dev, NULL);
	ASSERT_EQ(2, live_buffers(self->dev));
	wse_host_free(self->dev, a);
	ASSERT_EQ(1, live_buffers(self->dev));
	free(ref);
}

static int direct_submit(int on)
{
	FILE *f = fopen("/sys/module/wse/parameters/direct_submit", "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%d\n", on) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/*
 * One round of jobs: NOPs, 4 KiB copies through the queue (small copies
 * off) that read back what was written, and a kernel fault, with its
 * error as libwse tells it in @fault_error.
 */
static void ended_round(struct __test_metadata *_metadata,
			struct wse_device *dev, struct wse_program *prog,
			uint32_t seed, char *fault_error, size_t len)
{
	uint8_t in[4096], out[4096];
	struct wse_task *task = NULL;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, wse_nop(dev));
	for (i = 0; i < 4; i++) {
		wst_fill_random(in, sizeof(in), seed + i);
		memset(out, 0, sizeof(out));
		ASSERT_EQ(0, wse_sram_write(dev, 1, 1, 64, in, sizeof(in)));
		ASSERT_EQ(0, wse_sram_read(dev, 1, 1, 64, out, sizeof(out)));
		ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	}
	ASSERT_EQ(-EFAULT, wse_launch(prog, "fault", 2, (uint32_t[]){ 2, 1 },
				      0, NULL));
	snprintf(fault_error, len, "%s", wse_last_error(dev));
	/* The same through a task that is polled, then waited for. */
	ASSERT_EQ(0, wse_launch(prog, "fault", 2, (uint32_t[]){ 2, 1 },
				WSE_NONBLOCK, &task));
	ASSERT_EQ(-EFAULT, wse_task_wait(task, -1));
	ASSERT_STREQ(fault_error, wse_task_error(task));
	wse_task_free(task);
	ASSERT_EQ(0, wse_nop(dev));
}

/*
 * Jobs SUBMIT reports ended (DRM_WSE_SUBMIT_ENDED) take their outcome
 * and copy out without WAIT: the same jobs through the scheduler, where
 * libwse always calls WAIT (direct_submit off), give the same data,
 * statuses and errors.
 */
TEST_F_TIMEOUT(lib, ended_jobs_as_waited, 120)
{
	char direct_error[256], sched_error[256];
	struct wse_program *prog;

	ASSERT_EQ(0, wse_program_load_mem(self->dev, wse_test_image,
					  sizeof(wse_test_image), &prog)) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
	ASSERT_EQ(0, wse_device_set_small_copy(self->dev, 0));
	ended_round(_metadata, self->dev, prog, 1, direct_error,
		    sizeof(direct_error));
	if (direct_submit(0)) {
		wse_program_free(prog);
		SKIP(return, "cannot turn direct_submit off (not root?)");
	}
	self->direct_off = true;
	ended_round(_metadata, self->dev, prog, 1, sched_error,
		    sizeof(sched_error));
	ASSERT_EQ(0, direct_submit(1));
	self->direct_off = false;
	ASSERT_STREQ(direct_error, sched_error);
	wse_program_free(prog);
}

TEST_HARNESS_MAIN
