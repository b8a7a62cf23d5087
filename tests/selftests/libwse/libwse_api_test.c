// SPDX-License-Identifier: GPL-2.0
/*
 * libwse's API on whatever device index 0 is: the driver's in the VM, a
 * simulator when $WSE_DEVICE names one (check-host runs it with
 * WSE_DEVICE=sim:16x12, tests/selftests/backends compares the two).
 * Regions, raw SRAM round trips, errors and their details, several
 * threads and several contexts on one device, reset.
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

/* Count, open past the end, open and describe. */
TEST(open_count_describe)
{
	struct wse_device_info info;
	struct wse_device *dev = NULL;
	int n = wse_device_count();

	ASSERT_LE(1, n);
	ASSERT_EQ(-ENODEV, wse_device_open(n, &dev));
	ASSERT_NE(0, strlen(wse_last_error(NULL)));
	ASSERT_EQ(NULL, dev);
	ASSERT_EQ(0, wse_device_open(0, &dev));
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_LE(REGION_W, info.mesh_width);
	ASSERT_LE(REGION_H, info.mesh_height);
	ASSERT_LE(4096, info.sram_bytes);
	ASSERT_NE(0, strlen(info.node));
	ASSERT_NE(0, strlen(info.driver_version));
	ASSERT_EQ(WSE_DEVICE_CAP_KERNELS, info.caps & WSE_DEVICE_CAP_KERNELS);
	wse_device_close(dev);
}

/* The node a device reports opens the same device again. */
TEST_F(lib, node_reopens)
{
	struct wse_device_info info;
	struct wse_device *dev;

	ASSERT_EQ(0, wse_device_open_path(self->info.node, &dev)) {
		TH_LOG("%s: %s", self->info.node, wse_last_error(NULL));
	}
	ASSERT_EQ(0, wse_device_info(dev, &info));
	ASSERT_STREQ(self->info.node, info.node);
	ASSERT_EQ(self->info.mesh_width, info.mesh_width);
	ASSERT_EQ(self->info.sram_bytes, info.sram_bytes);
	wse_device_close(dev);
}

/*
 * Two contexts of one device: regions are placed first fit from the top
 * left, side by side; each sees zeros in its own and its own data only.
 */
TEST_F(lib, two_contexts_share_the_wafer)
{
	uint32_t in = 0x5eed, out = 1, zero = 0;
	struct wse_region a, b;
	struct wse_device *other;

	ASSERT_EQ(0, wse_device_open(0, &other));
	ASSERT_EQ(0, wse_region_alloc(self->dev, 2, 2, &a));
	ASSERT_EQ(0, wse_region_alloc(other, 2, 2, &b));
	ASSERT_EQ(0, a.y);
	ASSERT_EQ(0, b.y);
	ASSERT_TRUE(b.x >= a.x + 2 || a.x >= b.x + 2);
	ASSERT_EQ(0, wse_sram_write(self->dev, 1, 1, 64, &in, sizeof(in)));
	ASSERT_EQ(0, wse_sram_read(other, 1, 1, 64, &out, sizeof(out)));
	ASSERT_EQ(zero, out);
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 1, 64, &out, sizeof(out)));
	ASSERT_EQ(in, out);
	/* Freed SRAM reads as zeros in the next region there. */
	ASSERT_EQ(0, wse_region_free(self->dev));
	ASSERT_EQ(0, wse_region_alloc(self->dev, 2, 2, &a));
	ASSERT_EQ(0, wse_sram_read(self->dev, 1, 1, 64, &out, sizeof(out)));
	ASSERT_EQ(zero, out);
	wse_device_close(other);
}

/* A region larger than any free rectangle is -ENOSPC, with the sizes. */
TEST_F(lib, region_no_space)
{
	struct wse_device *other;

	ASSERT_EQ(0, wse_device_open(0, &other));
	ASSERT_EQ(0, wse_region_alloc(other, 1, 1, NULL));
	ASSERT_EQ(-ENOSPC, wse_region_alloc(self->dev, self->info.mesh_width,
					    self->info.mesh_height, NULL));
	ASSERT_NE(NULL, strstr(wse_last_error(self->dev), "reserving")) {
		TH_LOG("%s", wse_last_error(self->dev));
	}
	wse_device_close(other);
	ASSERT_EQ(0, wse_region_alloc(self->dev, self->info.mesh_width,
				      self->info.mesh_height, NULL));
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
