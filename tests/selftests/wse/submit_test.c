// SPDX-License-Identifier: GPL-2.0
/*
 * wse submit: jobs run and report through WAIT. NOP round trips, and DMA
 * round trips (WRITE then READ) that must come back byte-identical.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse_util.h"

#define MIB		(1024 * 1024)
#define REGION_W	8
#define REGION_H	8

FIXTURE(submit)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint64_t region_bytes;
};

FIXTURE_SETUP(submit)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	ASSERT_EQ(0, wst_region_alloc(self->fd, REGION_W, REGION_H, &self->region));
	self->region_bytes = (uint64_t)REGION_W * REGION_H * self->info.sram_bytes;
}

FIXTURE_TEARDOWN(submit)
{
	ASSERT_EQ(0, close(self->fd));
}

/*
 * Move @len bytes between buffer @handle and the region at (x, y) +
 * offset in as many jobs of DRM_WSE_MAX_CMDS commands as needed.
 */
static int sram_xfer_w(int fd, const struct drm_wse_info *info,
		       uint32_t region_w, uint32_t op, uint32_t handle,
		       uint32_t x, uint32_t y, uint32_t offset, uint64_t len)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS];
	uint64_t per_job = (uint64_t)info->max_xfer * DRM_WSE_MAX_CMDS;
	uint64_t start = ((uint64_t)y * region_w + x) * info->sram_bytes + offset;
	struct drm_wse_wait res;
	uint64_t done, part, pos;
	uint32_t n, i;
	int ret;

	for (done = 0; done < len; done += part) {
		part = len - done < per_job ? len - done : per_job;
		pos = start + done;
		n = wst_sram_cmds(cmds, DRM_WSE_MAX_CMDS, op, handle, region_w,
				  info->sram_bytes, info->max_xfer,
				  (pos / info->sram_bytes) % region_w,
				  (pos / info->sram_bytes) / region_w,
				  pos % info->sram_bytes, part);
		for (i = 0; i < n; i++)
			cmds[i].offset += done;
		ret = wst_run(fd, cmds, n, &res);
		if (ret)
			return ret;
	}
	return 0;
}

/* The same in the fixture's REGION_W x REGION_H region. */
static int sram_xfer(int fd, const struct drm_wse_info *info, uint32_t op,
		     uint32_t handle, uint32_t x, uint32_t y, uint32_t offset,
		     uint64_t len)
{
	return sram_xfer_w(fd, info, REGION_W, op, handle, x, y, offset, len);
}

/* One NOP: the job completes with status 0 and no failed command. */
TEST_F(submit, nop_round_trip)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	uint64_t job;

	ASSERT_EQ(0, wst_submit(self->fd, &cmd, 1, &job));
	ASSERT_EQ(0, wst_wait(self->fd, job, &res));
	ASSERT_EQ(0, res.status);
	ASSERT_EQ(0, res.failed_cmd);
	ASSERT_EQ(DRM_WSE_STATUS_OK, res.device_status);
}

/* The largest job: DRM_WSE_MAX_CMDS NOPs. */
TEST_F(submit, nop_full_job)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS] = { 0 };
	struct drm_wse_wait res;

	ASSERT_EQ(0, wst_run(self->fd, cmds, DRM_WSE_MAX_CMDS, &res));
}

/* Job ids are distinct, results stay readable, a finished job polls 0. */
TEST_F(submit, job_ids_and_results)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res = { 0 };
	uint64_t a, b;

	ASSERT_EQ(0, wst_submit(self->fd, &cmd, 1, &a));
	ASSERT_EQ(0, wst_submit(self->fd, &cmd, 1, &b));
	ASSERT_NE(a, b);
	ASSERT_EQ(0, wst_wait(self->fd, b, &res));
	/* Jobs of one file run in order: a finished before b. */
	res.job_id = a;
	res.timeout_ns = 0;
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &res));
	ASSERT_EQ(0, res.status);
	/* Waiting again gives the same result. */
	ASSERT_EQ(0, wst_wait(self->fd, a, &res));
	ASSERT_EQ(0, res.status);
}

/* A fresh region reads back as zeros. */
TEST_F(submit, region_starts_zeroed)
{
	uint32_t handle;
	void *map;

	ASSERT_EQ(0, wst_bo_new(self->fd, self->region_bytes, &handle, &map));
	memset(map, 0xee, self->region_bytes);
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_READ, handle,
			       0, 0, 0, self->region_bytes));
	ASSERT_TRUE(wst_all_zero(map, self->region_bytes));
	ASSERT_EQ(0, wst_bo_free(self->fd, handle, map, self->region_bytes));
}

/* 1 MiB of random data goes in with WRITE and comes back with READ. */
TEST_F_TIMEOUT(submit, dma_round_trip_1mib, 120)
{
	uint32_t src, dst;
	void *in, *out;

	ASSERT_LE(MIB, self->region_bytes);
	ASSERT_EQ(0, wst_bo_new(self->fd, MIB, &src, &in));
	ASSERT_EQ(0, wst_bo_new(self->fd, MIB, &dst, &out));
	wst_fill_random(in, MIB, 1);

	/* Step 1: host buffer -> SRAM of PEs (0,0) onwards. */
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_WRITE, src,
			       0, 0, 0, MIB));
	/* Step 2: SRAM -> a second, different buffer. */
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_READ, dst,
			       0, 0, 0, MIB));
	/* Step 3: byte-identical. */
	ASSERT_EQ(0, memcmp(in, out, MIB));

	ASSERT_EQ(0, wst_bo_free(self->fd, src, in, MIB));
	ASSERT_EQ(0, wst_bo_free(self->fd, dst, out, MIB));
}

/*
 * An odd-sized copy at an odd offset in the middle of the region crosses
 * PE boundaries and touches nothing outside its range.
 */
TEST_F_TIMEOUT(submit, dma_unaligned_range, 120)
{
	const uint32_t x = 3, y = 1, offset = 777;
	const uint64_t len = 3 * (uint64_t)self->info.sram_bytes + 123;
	uint64_t start = ((uint64_t)y * REGION_W + x) * self->info.sram_bytes +
			 offset;
	uint32_t src, all;
	void *in, *out;

	ASSERT_EQ(0, wst_bo_new(self->fd, len, &src, &in));
	ASSERT_EQ(0, wst_bo_new(self->fd, self->region_bytes, &all, &out));
	wst_fill_random(in, len, 2);

	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_WRITE, src,
			       x, y, offset, len));
	/* Read the whole region: the range is there, the rest still zero. */
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_READ, all,
			       0, 0, 0, self->region_bytes));
	ASSERT_EQ(0, memcmp(in, (char *)out + start, len));
	ASSERT_TRUE(wst_all_zero(out, start));
	ASSERT_TRUE(wst_all_zero((char *)out + start + len,
				 self->region_bytes - start - len));

	ASSERT_EQ(0, wst_bo_free(self->fd, src, in, len));
	ASSERT_EQ(0, wst_bo_free(self->fd, all, out, self->region_bytes));
}

/* The last byte of the region is reachable; one more is not (see bad_args). */
TEST_F(submit, dma_region_end)
{
	const uint32_t sram = self->info.sram_bytes;
	struct drm_wse_cmd cmd = {
		.op = DRM_WSE_OP_WRITE,
		.length = 4096,
		.sram = { .x = REGION_W - 1, .y = REGION_H - 1,
			  .offset = sram - 4096 },
	};
	struct drm_wse_wait res;
	uint32_t src, dst;
	void *in, *out;

	ASSERT_EQ(0, wst_bo_new(self->fd, 4096, &src, &in));
	ASSERT_EQ(0, wst_bo_new(self->fd, 4096, &dst, &out));
	wst_fill_random(in, 4096, 3);
	cmd.handle = src;
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd.op = DRM_WSE_OP_READ;
	cmd.handle = dst;
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, memcmp(in, out, 4096));
	ASSERT_EQ(0, wst_bo_free(self->fd, src, in, 4096));
	ASSERT_EQ(0, wst_bo_free(self->fd, dst, out, 4096));
}

/* Commands of one job run in order: a WRITE then a READ of it. */
TEST_F(submit, commands_run_in_order)
{
	struct drm_wse_cmd cmds[2] = {
		{ .op = DRM_WSE_OP_WRITE, .length = 8192,
		  .sram = { .x = 2, .y = 2 } },
		{ .op = DRM_WSE_OP_READ, .length = 8192,
		  .sram = { .x = 2, .y = 2 } },
	};
	struct drm_wse_wait res;
	uint32_t src, dst;
	void *in, *out;

	ASSERT_EQ(0, wst_bo_new(self->fd, 8192, &src, &in));
	ASSERT_EQ(0, wst_bo_new(self->fd, 8192, &dst, &out));
	wst_fill_random(in, 8192, 4);
	cmds[0].handle = src;
	cmds[1].handle = dst;
	ASSERT_EQ(0, wst_run(self->fd, cmds, 2, &res));
	ASSERT_EQ(0, memcmp(in, out, 8192));
	ASSERT_EQ(0, wst_bo_free(self->fd, src, in, 8192));
	ASSERT_EQ(0, wst_bo_free(self->fd, dst, out, 8192));
}

/* A released and re-reserved region does not show the old data. */
TEST_F(submit, region_realloc_zeroed)
{
	struct drm_wse_region none = { 0 };
	uint32_t handle;
	void *map;

	ASSERT_EQ(0, wst_bo_new(self->fd, MIB, &handle, &map));
	memset(map, 0x5a, MIB);
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_WRITE, handle,
			       0, 0, 0, MIB));
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(0, wst_region_alloc(self->fd, REGION_W, REGION_H,
				      &self->region));
	ASSERT_EQ(0, sram_xfer(self->fd, &self->info, DRM_WSE_OP_READ, handle,
			       0, 0, 0, MIB));
	ASSERT_TRUE(wst_all_zero(map, MIB));
	ASSERT_EQ(0, wst_bo_free(self->fd, handle, map, MIB));
}

/*
 * Two files have separate regions (half the fixture's width each, so that
 * both fit an 8x8 wafer): each reads back its own data.
 */
TEST_F(submit, two_contexts_isolated)
{
	const uint32_t w = REGION_W / 2, h = REGION_H;
	const uint64_t len = (uint64_t)w * h * self->info.sram_bytes;
	struct drm_wse_region none = { 0 }, r1, r2;
	uint32_t h1, h2;
	void *m1, *m2, *want;
	int fd2;

	/* Step 1: swap the fixture's region for a half one, take another. */
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(0, wst_region_alloc(self->fd, w, h, &r1));
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, w, h, &r2));
	ASSERT_TRUE(r1.x + w <= r2.x || r2.x + w <= r1.x ||
		    r1.y + h <= r2.y || r2.y + h <= r1.y);

	/* Step 2: fill each region with its own byte. */
	ASSERT_EQ(0, wst_bo_new(self->fd, len, &h1, &m1));
	ASSERT_EQ(0, wst_bo_new(fd2, len, &h2, &m2));
	want = malloc(len);
	ASSERT_NE(NULL, want);
	memset(m1, 0x11, len);
	memset(m2, 0x22, len);
	ASSERT_EQ(0, sram_xfer_w(self->fd, &self->info, w, DRM_WSE_OP_WRITE,
				 h1, 0, 0, 0, len));
	ASSERT_EQ(0, sram_xfer_w(fd2, &self->info, w, DRM_WSE_OP_WRITE,
				 h2, 0, 0, 0, len));

	/* Step 3: read both back; neither saw the other's writes. */
	ASSERT_EQ(0, sram_xfer_w(self->fd, &self->info, w, DRM_WSE_OP_READ,
				 h1, 0, 0, 0, len));
	ASSERT_EQ(0, sram_xfer_w(fd2, &self->info, w, DRM_WSE_OP_READ,
				 h2, 0, 0, 0, len));
	memset(want, 0x11, len);
	ASSERT_EQ(0, memcmp(want, m1, len));
	memset(want, 0x22, len);
	ASSERT_EQ(0, memcmp(want, m2, len));

	free(want);
	ASSERT_EQ(0, wst_bo_free(fd2, h2, m2, len));
	ASSERT_EQ(0, wst_bo_free(self->fd, h1, m1, len));
	ASSERT_EQ(0, close(fd2));
}

/* A job's fence reaches the syncobj named in out_syncobj. */
TEST_F(submit, out_syncobj_signalled)
{
	struct drm_syncobj_create create = { 0 };
	struct drm_syncobj_destroy destroy = { 0 };
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&cmd,
		.cmd_count = 1,
	};
	struct drm_syncobj_wait wait = { 0 };

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_CREATE, &create));
	args.out_syncobj = create.handle;
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, &args));
	wait.handles = (uintptr_t)&create.handle;
	wait.count_handles = 1;
	wait.timeout_nsec = INT64_MAX;
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_WAIT, &wait));
	destroy.handle = create.handle;
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &destroy));
}

TEST_HARNESS_MAIN
