// SPDX-License-Identifier: GPL-2.0
/*
 * wse bad arguments: every malformed ioctl is refused with its exact
 * errno, and a refused job runs none of its commands.
 *
 * Refused jobs start with a valid WRITE of 0xa5 bytes to the first page of
 * PE (0,0); reading that page back as zeros proves nothing ran.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wse_util.h"

#define REGION_W	8
#define REGION_H	8
#define BO_SIZE		(64 * 1024)
#define PAGE		4096

FIXTURE(bad)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t src, dst;	/* BO_SIZE buffers: 0xa5 bytes, read-back */
	void *src_map, *dst_map;
};

FIXTURE_SETUP(bad)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	ASSERT_EQ(0, wst_region_alloc(self->fd, REGION_W, REGION_H, &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, BO_SIZE, &self->src, &self->src_map));
	ASSERT_EQ(0, wst_bo_new(self->fd, BO_SIZE, &self->dst, &self->dst_map));
	memset(self->src_map, 0xa5, BO_SIZE);
}

FIXTURE_TEARDOWN(bad)
{
	ASSERT_EQ(0, close(self->fd));
}

/* The valid first command of every refused job. */
static struct drm_wse_cmd marker_write(FIXTURE_DATA(bad) *self)
{
	struct drm_wse_cmd cmd = {
		.op = DRM_WSE_OP_WRITE,
		.handle = self->src,
		.length = PAGE,
	};

	return cmd;
}

/* A valid command of each kind, for the tests to break one field of. */
static struct drm_wse_cmd valid_write(FIXTURE_DATA(bad) *self)
{
	struct drm_wse_cmd cmd = marker_write(self);

	cmd.sram.x = 1;
	return cmd;
}

/* Submit [marker, @bad]; returns the SUBMIT ioctl's result. */
static int submit_after_marker(FIXTURE_DATA(bad) *self, struct drm_wse_cmd bad)
{
	struct drm_wse_cmd cmds[2] = { marker_write(self), bad };

	return wst_submit(self->fd, cmds, 2, NULL);
}

/* PE (0,0)'s first page is still zero: no refused job ran its marker. */
static void assert_nothing_ran(struct __test_metadata *_metadata,
			       FIXTURE_DATA(bad) *self)
{
	struct drm_wse_cmd cmd = {
		.op = DRM_WSE_OP_READ,
		.handle = self->dst,
		.length = PAGE,
	};
	struct drm_wse_wait res;

	memset(self->dst_map, 0xff, PAGE);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_TRUE(wst_all_zero(self->dst_map, PAGE));
}

#define ASSERT_REFUSED(err, cmd) do {					\
	ASSERT_EQ(err, submit_after_marker(self, cmd));			\
	assert_nothing_ran(_metadata, self);				\
} while (0)

/* ---- Buffers ---- */

/* Sizes outside 1..1 GiB and unknown flags are refused. */
TEST_F(bad, bo_create_args)
{
	struct drm_wse_bo_create args = { 0 };

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, &args));
	args.size = (1ULL << 30) + 1;
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, &args));
	args.size = ~0ULL;
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, &args));
	args.size = PAGE;
	args.flags = 1;
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, &args));
	ASSERT_EQ(0, args.handle);
	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_CREATE, NULL));
}

/* BO_INFO: the fixture's buffer is found, unknown handles are -ENOENT. */
TEST_F(bad, bo_info_args)
{
	struct drm_wse_bo_info args = { .handle = self->src };

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &args));
	ASSERT_EQ(BO_SIZE, args.size);
	ASSERT_NE(0, args.mmap_offset);

	args = (struct drm_wse_bo_info){ .handle = self->src, .pad = 1 };
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &args));
	args = (struct drm_wse_bo_info){ .handle = 0 };
	ASSERT_EQ(-ENOENT, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &args));
	args = (struct drm_wse_bo_info){ .handle = 0xdead };
	ASSERT_EQ(-ENOENT, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &args));
}

/* Closing an unknown handle is the DRM core's -EINVAL. */
TEST_F(bad, gem_close_unknown)
{
	struct drm_gem_close args = { .handle = 0xdead };

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_GEM_CLOSE, &args));
}

/* ---- Regions ---- */

/* Empty and off-mesh sizes, flags and pads are refused. */
TEST_F(bad, region_alloc_args)
{
	struct drm_wse_region none = { 0 }, r;
	int fd;

	/* The fixture's region may cover the whole wafer: give it back. */
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EINVAL, wst_region_alloc(fd, 0, 1, &r));
	ASSERT_EQ(-EINVAL, wst_region_alloc(fd, 1, 0, &r));
	/* Off the mesh */
	ASSERT_EQ(-EINVAL, wst_region_alloc(fd, self->info.mesh_width + 1, 1, &r));
	ASSERT_EQ(-EINVAL, wst_region_alloc(fd, 1, self->info.mesh_height + 1, &r));
	ASSERT_EQ(-EINVAL, wst_region_alloc(fd, 0xffffffff, 0xffffffff, &r));

	r = (struct drm_wse_region){ .width = 1, .height = 1, .flags = 1 };
	ASSERT_EQ(-EINVAL, wst_ioctl(fd, DRM_IOCTL_WSE_REGION_ALLOC, &r));
	r = (struct drm_wse_region){ .width = 1, .height = 1, .pad = 1 };
	ASSERT_EQ(-EINVAL, wst_ioctl(fd, DRM_IOCTL_WSE_REGION_ALLOC, &r));
	ASSERT_EQ(-EFAULT, wst_ioctl(fd, DRM_IOCTL_WSE_REGION_ALLOC, NULL));

	/* None of that reserved anything: a 1x1 region is still possible. */
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, close(fd));
}

/* A second region is -EBUSY; a region that does not fit is -ENOSPC. */
TEST_F(bad, region_busy_and_full)
{
	struct drm_wse_region r;
	int fd;

	ASSERT_EQ(-EBUSY, wst_region_alloc(self->fd, 1, 1, &r));
	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(-ENOSPC, wst_region_alloc(fd, self->info.mesh_width,
					    self->info.mesh_height, &r));
	ASSERT_EQ(0, close(fd));
}

/* REGION_FREE wants its In fields zero. */
TEST_F(bad, region_free_args)
{
	struct drm_wse_region r = { .width = 1 };

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &r));
	r = (struct drm_wse_region){ .flags = 1 };
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &r));
	/* The region survived: PE (0,0) still answers. */
	assert_nothing_ran(_metadata, self);
}

/* A file without a region frees none and reaches no SRAM. */
TEST_F(bad, no_region)
{
	struct drm_wse_region none = { 0 };
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_WRITE, .length = PAGE };
	uint32_t handle;
	void *map;
	int fd;

	fd = wst_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(-ENOENT, wst_ioctl(fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(0, wst_bo_new(fd, PAGE, &handle, &map));
	cmd.handle = handle;
	ASSERT_EQ(-EINVAL, wst_submit(fd, &cmd, 1, NULL));
	cmd.op = DRM_WSE_OP_READ;
	ASSERT_EQ(-EINVAL, wst_submit(fd, &cmd, 1, NULL));
	ASSERT_EQ(0, wst_bo_free(fd, handle, map, PAGE));
	ASSERT_EQ(0, close(fd));
}

/* ---- Submit ---- */

/* Zero, too many and absurd command counts. */
TEST_F(bad, submit_counts)
{
	struct drm_wse_cmd cmds[DRM_WSE_MAX_CMDS + 1];
	unsigned int i;

	for (i = 0; i < WST_ARRAY_SIZE(cmds); i++)
		cmds[i] = marker_write(self);
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, cmds, 0, NULL));
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, cmds, DRM_WSE_MAX_CMDS + 1, NULL));
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, cmds, 0xffffffff, NULL));
	assert_nothing_ran(_metadata, self);
}

/* Unknown submit flags. */
TEST_F(bad, submit_flags)
{
	struct drm_wse_cmd cmd = marker_write(self);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&cmd,
		.cmd_count = 1,
		.flags = 1,
	};

	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, args.job_id);
	assert_nothing_ran(_metadata, self);
}

/* Bad pointers: the argument, the command array, an array cut short. */
TEST_F(bad, submit_bad_pointers)
{
	long page = sysconf(_SC_PAGESIZE);
	struct drm_wse_cmd *cmds;
	char *mem;

	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, NULL));
	ASSERT_EQ(-EFAULT, wst_submit(self->fd, NULL, 1, NULL));
	ASSERT_EQ(-EFAULT, wst_submit(self->fd, (void *)8, 1, NULL));

	/* A valid marker at the end of a page, the second command unmapped. */
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, munmap(mem + page, page));
	cmds = (struct drm_wse_cmd *)(mem + page - sizeof(*cmds));
	cmds[0] = marker_write(self);
	ASSERT_EQ(-EFAULT, wst_submit(self->fd, cmds, 2, NULL));
	assert_nothing_ran(_metadata, self);
	ASSERT_EQ(0, munmap(mem, page));
}

/* An out_syncobj that does not exist. */
TEST_F(bad, submit_unknown_syncobj)
{
	struct drm_wse_cmd cmd = marker_write(self);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&cmd,
		.cmd_count = 1,
		.out_syncobj = 0xdead,
	};

	ASSERT_EQ(-ENOENT, wst_ioctl(self->fd, DRM_IOCTL_WSE_SUBMIT, &args));
	assert_nothing_ran(_metadata, self);
}

/* Unknown operations, command flags and pads. */
TEST_F(bad, cmd_op_flags_pad)
{
	struct drm_wse_cmd cmd;

	cmd = valid_write(self);
	cmd.op = DRM_WSE_OP_LAUNCH + 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd.op = 0xffffffff;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.flags = 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.pad = 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.sram.pad = 1;
	ASSERT_REFUSED(-EINVAL, cmd);
}

/* NOP carries no buffer and no operands. */
TEST_F(bad, nop_with_fields)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP, .handle = self->src };

	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP, .length = PAGE };
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP, .offset = PAGE };
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP, .rsvd = { [4] = 1 } };
	ASSERT_REFUSED(-EINVAL, cmd);
}

/* Handles that are not this file's buffers. */
TEST_F(bad, cmd_unknown_handle)
{
	struct drm_wse_cmd cmd = valid_write(self);

	cmd.handle = 0;
	ASSERT_REFUSED(-ENOENT, cmd);
	cmd.handle = 0xdead;
	ASSERT_REFUSED(-ENOENT, cmd);
}

/* A handle valid in another file means nothing in this one. */
TEST_F(bad, cmd_foreign_handle)
{
	struct drm_wse_cmd cmd = valid_write(self);
	uint32_t handle = 0;
	void *map;
	int fd2, i;

	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	/* Create buffers there until one's number is not ours. */
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, wst_bo_new(fd2, PAGE, &handle, &map));
		if (handle != self->src && handle != self->dst)
			break;
	}
	ASSERT_NE(self->src, handle);
	ASSERT_NE(self->dst, handle);
	cmd.handle = handle;
	ASSERT_REFUSED(-ENOENT, cmd);
	ASSERT_EQ(0, close(fd2));
}

/* Lengths: zero, past the buffer, past max_xfer, offsets that wrap. */
TEST_F(bad, cmd_lengths)
{
	uint64_t big_size = (uint64_t)self->info.max_xfer + PAGE;
	struct drm_wse_cmd cmd;
	uint32_t big;
	void *map;

	cmd = valid_write(self);
	cmd.length = 0;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.offset = BO_SIZE - PAGE / 2;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.offset = BO_SIZE;
	cmd.length = 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.offset = ~0ULL - PAGE / 2;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.length = ~0ULL;
	ASSERT_REFUSED(-EINVAL, cmd);

	/* Inside a big enough buffer, but above the device's max_xfer. */
	ASSERT_EQ(0, wst_bo_new(self->fd, big_size, &big, &map));
	cmd = valid_write(self);
	cmd.handle = big;
	cmd.length = (uint64_t)self->info.max_xfer + 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	ASSERT_EQ(0, wst_bo_free(self->fd, big, map, big_size));
}

/* SRAM ranges off the region: first PE outside, offset, running past the end. */
TEST_F(bad, cmd_sram_off_region)
{
	const uint32_t sram = self->info.sram_bytes;
	struct drm_wse_cmd cmd;

	cmd = valid_write(self);
	cmd.sram.x = REGION_W;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.sram.y = REGION_H;
	ASSERT_REFUSED(-EINVAL, cmd);
	cmd = valid_write(self);
	cmd.sram.offset = sram;
	ASSERT_REFUSED(-EINVAL, cmd);
	/* The region's last PE, one byte too many. */
	cmd = valid_write(self);
	cmd.sram.x = REGION_W - 1;
	cmd.sram.y = REGION_H - 1;
	cmd.sram.offset = sram - PAGE + 1;
	ASSERT_REFUSED(-EINVAL, cmd);
	/* The same for a READ. */
	cmd.op = DRM_WSE_OP_READ;
	cmd.handle = self->dst;
	ASSERT_REFUSED(-EINVAL, cmd);
}

/* ---- Wait ---- */

/* Jobs never returned to this file, and unknown flags. */
TEST_F(bad, wait_args)
{
	struct drm_wse_cmd cmd = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_wait res;
	uint64_t job, other;
	int fd2;

	ASSERT_EQ(-ENOENT, wst_wait(self->fd, 0, &res));
	ASSERT_EQ(-ENOENT, wst_wait(self->fd, 0xdeadbeef, &res));

	/* Another file's job is not ours. */
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_submit(fd2, &cmd, 1, &other));
	ASSERT_EQ(-ENOENT, wst_wait(self->fd, other, &res));
	ASSERT_EQ(0, wst_wait(fd2, other, &res));
	ASSERT_EQ(0, close(fd2));

	ASSERT_EQ(0, wst_submit(self->fd, &cmd, 1, &job));
	res = (struct drm_wse_wait){ .job_id = job, .timeout_ns = -1, .flags = 1 };
	ASSERT_EQ(-EINVAL, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &res));
	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, NULL));
	ASSERT_EQ(0, wst_wait(self->fd, job, &res));
}

/* Driver ioctl numbers past the last one. */
TEST_F(bad, unknown_ioctl)
{
	struct drm_wse_info info = { 0 };
	unsigned int nr;

	for (nr = DRM_WSE_BO_USERPTR + 1; nr < 0x20; nr++)
		ASSERT_EQ(-EINVAL, wst_ioctl(self->fd,
			DRM_IOWR(DRM_COMMAND_BASE + nr, struct drm_wse_info),
			&info));
}

/* After all that, the file still works. */
TEST_F(bad, still_works)
{
	struct drm_wse_cmd cmd = marker_write(self);
	struct drm_wse_wait res;

	ASSERT_REFUSED(-EINVAL, (struct drm_wse_cmd){ .op = 0xff });
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd.op = DRM_WSE_OP_READ;
	cmd.handle = self->dst;
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	ASSERT_EQ(0, memcmp(self->src_map, self->dst_map, PAGE));
}

TEST_HARNESS_MAIN
