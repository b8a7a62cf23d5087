// SPDX-License-Identifier: GPL-2.0
/*
 * libwse end to end: the library against the real driver and device.
 * Device discovery and info, regions, raw SRAM round trips through the
 * reused staging buffer, error details, and several threads on one device.
 * Windows and small copies: libwse_window_test.c; wse-smi: wse_smi_test.c.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wse/wse.h>

#include "../wse/wse_util.h"

#define MIB		(1024 * 1024)
#define REGION_W	8
#define REGION_H	8
#define NR_THREADS	4

FIXTURE(lib)
{
	struct wse_device *dev;
	struct wse_device_info info;
};

FIXTURE_SETUP(lib)
{
	ASSERT_EQ(0, wse_device_open(0, &self->dev)) {
		TH_LOG("%s", wse_last_error(NULL));
	}
	ASSERT_EQ(0, wse_device_info(self->dev, &self->info));
}

FIXTURE_TEARDOWN(lib)
{
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

/* An empty job round trip. */
TEST_F(lib, nop)
{
	ASSERT_EQ(0, wse_nop(self->dev));
	ASSERT_EQ(0, wse_nop(self->dev));
}

/* 1 MiB of random data at an odd place comes back byte-identical. */
TEST_F_TIMEOUT(lib, sram_round_trip_1mib, 120)
{
	struct wse_region r;
	char *in, *out;

	in = malloc(MIB);
	out = malloc(MIB);
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	wst_fill_random(in, MIB, 7);
	memset(out, 0, MIB);

	ASSERT_EQ(0, wse_region_alloc(self->dev, REGION_W, REGION_H, &r));
	ASSERT_EQ(REGION_W, r.width);
	ASSERT_EQ(REGION_H, r.height);
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 2, 100, in, MIB)) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 2, 100, out, MIB));
	ASSERT_EQ(0, memcmp(in, out, MIB));
	free(in);
	free(out);
}

/* Region rules: none, twice, off the mesh, free twice; zero lengths. */
TEST_F(lib, region_rules)
{
	char buf[16] = { 0 };

	/* Step 1: no region yet. */
	ASSERT_EQ(-EINVAL, wse_sram_write(self->dev, 0, 0, 0, buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "region"));
	ASSERT_EQ(-ENOENT, wse_region_free(self->dev));

	/* Step 2: sizes off the mesh. */
	ASSERT_EQ(-EINVAL, wse_region_alloc(self->dev, 0, 1, NULL));
	ASSERT_EQ(-EINVAL, wse_region_alloc(self->dev,
					    self->info.mesh_width + 1, 1, NULL));

	/* Step 3: one region, not two. */
	ASSERT_EQ(0, wse_region_alloc(self->dev, 2, 2, NULL));
	ASSERT_EQ(-EBUSY, wse_region_alloc(self->dev, 1, 1, NULL));
	ASSERT_EQ(0, wse_sram_write(self->dev, 0, 0, 0, buf, 0));

	/* Step 4: free once. */
	ASSERT_EQ(0, wse_region_free(self->dev));
	ASSERT_EQ(-ENOENT, wse_region_free(self->dev));
}

/* Ranges that leave the region are refused before reaching the driver. */
TEST_F(lib, sram_bounds)
{
	const uint32_t sram = self->info.sram_bytes;
	char buf[64] = { 0 };

	ASSERT_EQ(0, wse_region_alloc(self->dev, 2, 2, NULL));
	ASSERT_EQ(-EINVAL, wse_sram_write(self->dev, 2, 0, 0, buf, 1));
	ASSERT_EQ(-EINVAL, wse_sram_write(self->dev, 0, 2, 0, buf, 1));
	ASSERT_EQ(-EINVAL, wse_sram_write(self->dev, 0, 0, sram, buf, 1));
	ASSERT_EQ(-EINVAL, wse_sram_read(self->dev, 1, 1, sram - 32, buf, 33));
	ASSERT_NE(0, strlen(wse_last_error(self->dev)));
	ASSERT_EQ(-EINVAL, wse_sram_read(self->dev, 0, 0, 0, NULL, 1));
	/* The last 32 bytes of the region are fine. */
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 1, sram - 32, buf, 32));
	ASSERT_TRUE(wst_all_zero(buf, 32));
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

struct worker {
	struct wse_device *dev;
	uint32_t x;		/* the PE column this thread owns */
	uint32_t sram;
	int ret;		/* first failure, or 0 */
	bool same;		/* every read matched its write */
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	char *in = malloc(w->sram), *out = malloc(w->sram);
	int i;

	w->same = in && out;
	for (i = 0; i < 8 && w->same && !w->ret; i++) {
		wst_fill_random(in, w->sram, w->x * 100 + i + 1);
		w->ret = wse_sram_write(w->dev, w->x, 0, 0, in, w->sram);
		if (!w->ret)
			w->ret = wse_sram_read(w->dev, w->x, 0, 0, out, w->sram);
		if (!w->ret && memcmp(in, out, w->sram))
			w->same = false;
	}
	free(in);
	free(out);
	return NULL;
}

/* Threads share one device; each gets its own data back. */
TEST_F_TIMEOUT(lib, threads_share_device, 120)
{
	struct worker w[NR_THREADS];
	pthread_t t[NR_THREADS];
	int i;

	ASSERT_EQ(0, wse_region_alloc(self->dev, NR_THREADS, 1, NULL));
	for (i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .dev = self->dev, .x = i,
					.sram = self->info.sram_bytes };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_run, &w[i]));
	}
	for (i = 0; i < NR_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(0, w[i].ret);
		EXPECT_TRUE(w[i].same);
	}
	/* The pool keeps at most a few buffers. */
	ASSERT_GE(NR_THREADS, live_buffers(self->dev));
}

static void *fail_once(void *arg)
{
	struct wse_device *dev = arg;

	/* The fixture's region exists: a second one is -EBUSY. */
	if (wse_region_alloc(dev, 1, 1, NULL) != -EBUSY)
		return (void *)1;
	return strstr(wse_last_error(dev), "already") ? NULL : (void *)2;
}

/* Each thread has its own last error. */
TEST_F(lib, last_error_per_thread)
{
	char mine[256];
	pthread_t t;
	void *res;

	ASSERT_EQ(0, wse_region_alloc(self->dev, 1, 1, NULL));
	ASSERT_EQ(-EINVAL, wse_sram_write(self->dev, 5, 5, 0, "x", 1));
	snprintf(mine, sizeof(mine), "%s", wse_last_error(self->dev));
	ASSERT_NE(0, strlen(mine));
	ASSERT_EQ(0, pthread_create(&t, NULL, fail_once, self->dev));
	ASSERT_EQ(0, pthread_join(t, &res));
	ASSERT_EQ(NULL, res);
	ASSERT_STREQ(mine, wse_last_error(self->dev));
}

/* A malformed image is refused on the host and reserves nothing. */
TEST_F(lib, program_bad_image)
{
	static const char junk[] = "this is not an ELF image";
	struct wse_program *prog = NULL;

	ASSERT_EQ(-EINVAL, wse_program_load_mem(self->dev, junk, sizeof(junk),
						&prog));
	ASSERT_EQ(NULL, prog);
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "bad image"));
	ASSERT_EQ(-ENOENT, wse_program_load_file(self->dev, "/nonexistent.wse",
						 &prog));
	/* Nothing was reserved: a region can still be had. */
	ASSERT_EQ(0, wse_region_alloc(self->dev, 1, 1, NULL));
}

TEST_HARNESS_MAIN
