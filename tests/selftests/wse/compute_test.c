// SPDX-License-Identifier: GPL-2.0
/*
 * wse compute: LOAD, H2D, D2H and LAUNCH through the raw uAPI with the
 * kernels of kernels/wse_test.wsasm (wse_kernels.h). Both host orders and
 * element sizes, rectangles at the region's edges, broadcasts, kernel
 * faults that name their PE, timeouts, and refused commands that run
 * nothing.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define W		WSE_TEST_W
#define H		WSE_TEST_H
#define N32		(WSE_TEST_A32_BYTES / 4)	/* elements per PE */
#define N16		(WSE_TEST_A16_BYTES / 2)
#define IO_BYTES	(256 * 1024)
#define WAFER_ERR_SRAM_RANGE	1	/* enum wafer_status */
#define WAFER_ERR_BAD_IMAGE	8
#define WAFER_ERR_NO_FUNCTION	9
#define WAFER_ERR_BAD_REGION	10

FIXTURE(compute)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t img, io;	/* the image; host arrays in and out */
	void *img_map;
	char *io_map;
};

FIXTURE_SETUP(compute)
{
	struct drm_wse_wait res;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	ASSERT_TRUE(self->info.caps & DRM_WSE_CAP_KERNELS);
	ASSERT_TRUE(self->info.caps & DRM_WSE_CAP_RECT);
	ASSERT_EQ(WSE_TEST_SRAM, self->info.sram_bytes);
	ASSERT_EQ(0, wst_region_alloc(self->fd, W, H, &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, sizeof(wse_test_image), &self->img,
				&self->img_map));
	memcpy(self->img_map, wse_test_image, sizeof(wse_test_image));
	ASSERT_EQ(0, wst_bo_new(self->fd, IO_BYTES, &self->io,
				(void **)&self->io_map));
	ASSERT_EQ(0, wst_load(self->fd, self->img, sizeof(wse_test_image), &res));
}

FIXTURE_TEARDOWN(compute)
{
	ASSERT_EQ(0, close(self->fd));
}

/* Commands on the fixture's io buffer. */
#define RECT(op, x, y, w, h, addr, epp, bytes, order, bcast, off) \
	wst_rect_cmd(op, self->io, off, x, y, w, h, addr, epp, bytes, order, bcast)
#define H2D(...)	RECT(DRM_WSE_OP_H2D, __VA_ARGS__)
#define D2H(...)	RECT(DRM_WSE_OP_D2H, __VA_ARGS__)

/* Run one command; returns the job's status. */
static int run1(int fd, struct drm_wse_cmd cmd, struct drm_wse_wait *res)
{
	return wst_run(fd, &cmd, 1, res);
}

/* The whole region's a32 as the device holds it, row-major, into io + off. */
static int read_a32(FIXTURE_DATA(compute) *self, uint64_t off)
{
	struct drm_wse_wait res;

	return run1(self->fd, D2H(0, 0, W, H,
				       WSE_TEST_A32, N32, 4, 0, 0, off), &res);
}

/* Every PE knows where it is, relative to the program. */
TEST_F(compute, load_and_whoami)
{
	struct drm_wse_wait res;
	uint32_t *id = (uint32_t *)self->io_map;
	uint32_t x, y;

	ASSERT_EQ(0, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0), &res));
	ASSERT_LT(0, res.cycles);
	ASSERT_EQ(0, run1(self->fd, D2H(0, 0, W, H,
					     WSE_TEST_ID, 4, 4, 0, 0, 0), &res));
	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			uint32_t *pe = &id[(y * W + x) * 4];

			ASSERT_EQ(x, pe[0]);
			ASSERT_EQ(y, pe[1]);
			ASSERT_EQ(W, pe[2]);
			ASSERT_EQ(H, pe[3]);
		}
	}
}

/*
 * 32-bit copies in both orders: what goes in row-major comes out
 * column-major where the hardware spec says, and the reverse.
 */
TEST_F(compute, copy_orders_32bit)
{
	const size_t n = (size_t)W * H * N32;
	uint32_t *in = (uint32_t *)self->io_map;
	uint32_t *out = in + n;
	struct drm_wse_wait res;
	uint8_t o_in, o_out;
	uint32_t c, r, e;

	for (o_in = 0; o_in <= 1; o_in++) {
		for (o_out = 0; o_out <= 1; o_out++) {
			wst_fill_random(in, n * 4, 10 + o_in * 2 + o_out);
			memset(out, 0, n * 4);
			ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
				WSE_TEST_A32, N32, 4, o_in, 0, 0), &res));
			ASSERT_EQ(0, run1(self->fd, D2H(0, 0, W, H,
				WSE_TEST_A32, N32, 4, o_out, 0, n * 4), &res));
			for (r = 0; r < H; r++)
				for (c = 0; c < W; c++)
					for (e = 0; e < N32; e++)
						ASSERT_EQ(in[wst_host_index(o_in, W, H, N32, c, r, e)],
							  out[wst_host_index(o_out, W, H, N32, c, r, e)]);
		}
	}
}

/* 16-bit copies in both orders, and the PE sees 16-bit elements. */
TEST_F(compute, copy_orders_16bit)
{
	const size_t n = (size_t)W * H * N16;
	uint16_t *in = (uint16_t *)self->io_map;
	uint16_t *out = in + n;
	uint32_t *b32 = (uint32_t *)(self->io_map + 4 * n);
	struct drm_wse_wait res;
	uint32_t c, r, e;
	uint8_t order;

	for (order = 0; order <= 1; order++) {
		wst_fill_random(in, n * 2, 20 + order);
		ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
			WSE_TEST_A16, N16, 2, order, 0, 0), &res));
		ASSERT_EQ(0, run1(self->fd, D2H(0, 0, W, H,
			WSE_TEST_A16, N16, 2, !order, 0, n * 2), &res));
		for (r = 0; r < H; r++)
			for (c = 0; c < W; c++)
				for (e = 0; e < N16; e++)
					ASSERT_EQ(in[wst_host_index(order, W, H, N16, c, r, e)],
						  out[wst_host_index(!order, W, H, N16, c, r, e)]);
	}

	/* widen(7): b32[e] = a16[e] + 7, read row-major. */
	ASSERT_EQ(0, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_WIDEN, 1, 7, 0), &res));
	ASSERT_EQ(0, run1(self->fd, D2H(0, 0, W, H,
		WSE_TEST_B32, N16, 4, 0, 0, 4 * n), &res));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N16; e++)
				ASSERT_EQ(in[wst_host_index(1, W, H, N16, c, r, e)] + 7u,
					  b32[wst_host_index(0, W, H, N16, c, r, e)]);
}

/* A launch with arguments computes on what H2D put there. */
TEST_F(compute, launch_with_arguments)
{
	const size_t n = (size_t)W * H * N32;
	int32_t *in = (int32_t *)self->io_map, *out = in + n;
	struct drm_wse_wait res;
	size_t i;

	wst_fill_random(in, n * 4, 30);
	ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
		WSE_TEST_A32, N32, 4, 0, 0, 0), &res));
	ASSERT_EQ(0, run1(self->fd, wst_launch_cmd(WSE_TEST_FN_SCALE, 1, (uint32_t)-3, 0),
			  &res));
	ASSERT_EQ(0, run1(self->fd, D2H(0, 0, W, H,
		WSE_TEST_B32, N32, 4, 0, 0, n * 4), &res));
	for (i = 0; i < n; i++)
		ASSERT_EQ((int32_t)((uint32_t)in[i] * (uint32_t)-3), out[i]);
}

/* One job: H2D, LAUNCH, D2H in order. */
TEST_F(compute, job_of_every_kind)
{
	const size_t n = (size_t)W * H * N32;
	uint32_t *in = (uint32_t *)self->io_map, *out = in + n;
	struct drm_wse_cmd cmds[5];
	struct drm_wse_wait res;
	size_t i;

	wst_fill_random(in, n * 4, 31);
	cmds[0] = H2D(0, 0, W, H, WSE_TEST_A32, N32,
			   4, 0, 0, 0);
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, 2, 0);
	cmds[2] = (struct drm_wse_cmd){ .op = DRM_WSE_OP_NOP };
	cmds[3] = D2H(0, 0, W, H, WSE_TEST_B32, N32,
			   4, 0, 0, n * 4);
	cmds[4] = wst_launch_cmd(WSE_TEST_FN_WHOAMI, 0, 0, 0);
	ASSERT_EQ(0, wst_run(self->fd, cmds, 5, &res));
	for (i = 0; i < n; i++)
		ASSERT_EQ(in[i] * 2, out[i]);
}

/* Rectangles on the last column, the last row and the far corner. */
TEST_F(compute, rect_at_region_edges)
{
	static const uint32_t rects[][4] = {
		{ W - 1, 0, 1, H }, { 0, H - 1, W, 1 }, { W - 1, H - 1, 1, 1 },
		{ 0, 0, W, H },
	};
	uint32_t *in = (uint32_t *)self->io_map;
	uint32_t *all = (uint32_t *)(self->io_map + IO_BYTES / 2);
	struct drm_wse_wait res;
	uint32_t i, c, r, e, x, y, w, h;

	for (i = 0; i < WST_ARRAY_SIZE(rects); i++) {
		x = rects[i][0];
		y = rects[i][1];
		w = rects[i][2];
		h = rects[i][3];
		/* Step 1: clear the region's a32, then fill the rectangle. */
		memset(in, 0, (size_t)W * H * N32 * 4);
		ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
			WSE_TEST_A32, N32, 4, 0, 0, 0), &res));
		for (e = 0; e < (size_t)w * h * N32; e++)
			in[e] = 0x1000 * (i + 1) + e;
		ASSERT_EQ(0, run1(self->fd, H2D(x, y, w, h,
			WSE_TEST_A32, N32, 4, 0, 0, 0), &res));
		/* Step 2: the rectangle holds its elements, the rest zero. */
		ASSERT_EQ(0, read_a32(self, IO_BYTES / 2));
		for (r = 0; r < H; r++) {
			for (c = 0; c < W; c++) {
				bool inside = c >= x && c < x + w && r >= y && r < y + h;

				for (e = 0; e < N32; e++)
					ASSERT_EQ(inside ? in[wst_host_index(0, w, h, N32,
						c - x, r - y, e)] : 0,
						all[wst_host_index(0, W, H, N32, c, r, e)]);
			}
		}
	}
}

/* Broadcasts give each row (or column) of PEs its own host set. */
TEST_F(compute, broadcasts)
{
	uint32_t *in = (uint32_t *)self->io_map;
	uint32_t *all = (uint32_t *)(self->io_map + IO_BYTES / 2);
	struct drm_wse_wait res;
	uint32_t c, r, e;

	for (e = 0; e < H * N32; e++)
		in[e] = 0x100000 + e;
	ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
		WSE_TEST_A32, N32, 4, 0, DRM_WSE_BCAST_ROW, 0), &res));
	ASSERT_EQ(0, read_a32(self, IO_BYTES / 2));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N32; e++)
				ASSERT_EQ(in[r * N32 + e],
					  all[wst_host_index(0, W, H, N32, c, r, e)]);

	for (e = 0; e < W * N32; e++)
		in[e] = 0x200000 + e;
	ASSERT_EQ(0, run1(self->fd, H2D(0, 0, W, H,
		WSE_TEST_A32, N32, 4, 0, DRM_WSE_BCAST_COL, 0), &res));
	ASSERT_EQ(0, read_a32(self, IO_BYTES / 2));
	for (r = 0; r < H; r++)
		for (c = 0; c < W; c++)
			for (e = 0; e < N32; e++)
				ASSERT_EQ(in[c * N32 + e],
					  all[wst_host_index(0, W, H, N32, c, r, e)]);
}

/*
 * Malformed rectangle copies and launches are refused at submit and the
 * job's valid first command (an H2D of ones into a32) does not run.
 */
TEST_F(compute, bad_commands_refused)
{
	const uint32_t sram = self->info.sram_bytes;
	struct drm_wse_cmd bad[16], cmds[2];
	uint32_t *all = (uint32_t *)(self->io_map + IO_BYTES / 2);
	unsigned int i, n = 0;

	bad[n] = H2D(1, 0, W, 1, WSE_TEST_A32, 1, 4, 0, 0, 0);
	n++;	/* one column past the region */
	bad[n] = H2D(0, H, 1, 1, WSE_TEST_A32, 1, 4, 0, 0, 0);
	n++;	/* below the region */
	bad[n] = H2D(0, 0, 0, 1, WSE_TEST_A32, 1, 4, 0, 0, 0);
	n++;	/* empty */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 1, 3, 0, 0, 0);
	n++;	/* 3-byte elements */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 1, 4, 2, 0, 0);
	n++;	/* unknown order */
	bad[n] = D2H(0, 0, 1, 1, WSE_TEST_A32, 1, 4, 0,
			  DRM_WSE_BCAST_ROW, 0);
	n++;	/* a D2H broadcast */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 1, 4, 0, 3, 0);
	n++;	/* unknown broadcast */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32 + 2, 1, 4, 0, 0, 0);
	n++;	/* misaligned address */
	bad[n] = H2D(0, 0, 1, 1, sram - 4, 2, 4, 0, 0, 0);
	n++;	/* past the PE's SRAM */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 0, 4, 0, 0, 0);
	n++;	/* no elements */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 1, 4, 0, 0, 0);
	bad[n++].length = 8;	/* length is not the host array's */
	bad[n] = H2D(0, 0, 1, 1, WSE_TEST_A32, 1, 4, 0, 0, 0);
	bad[n++].rect.pad[4] = 1;
	bad[n] = wst_launch_cmd(WSE_TEST_FN_SCALE, DRM_WSE_MAX_ARGS + 1, 0, 0);
	n++;	/* too many arguments */
	bad[n] = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, 1, 1);
	n++;	/* an unused argument set */
	bad[n] = wst_launch_cmd(WSE_TEST_FN_SCALE, 0, 0, 0);
	bad[n++].handle = self->io;	/* a buffer on a launch */
	bad[n] = (struct drm_wse_cmd){ .op = DRM_WSE_OP_LOAD, .handle = self->img };
	n++;	/* an empty image */

	for (i = 0; i < n; i++) {
		cmds[0] = H2D(0, 0, W, H,
				   WSE_TEST_A32, N32, 4, 0, 0, 0);
		memset(self->io_map, 0xff, (size_t)W * H * N32 * 4);
		cmds[1] = bad[i];
		ASSERT_EQ(-EINVAL, wst_submit(self->fd, cmds, 2, NULL)) {
			TH_LOG("bad command %u was accepted", i);
		}
	}
	/* Nothing ran: a32 is still the zeros the load left. */
	ASSERT_EQ(0, read_a32(self, IO_BYTES / 2));
	ASSERT_TRUE(wst_all_zero(all, (size_t)W * H * N32 * 4));
}

TEST_HARNESS_MAIN
