// SPDX-License-Identifier: GPL-2.0
/*
 * SRAM windows: what a mapping shows is what DMA moves, in both
 * directions, also across the PEs of a region row; windows stay inside
 * the region; slots run out (-ENOSPC) and come back; read-only windows
 * refuse stores; windows are not buffers; freeing the region revokes
 * them; a read-only file maps them shared and read-only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_util.h"

#define REGION_W	4
#define REGION_H	2

/* The device does not order window stores with jobs: flush them. */
static void ras_wc_flush(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The first test only opens and closes the device. */
TEST(open_close)
{
	int fd = wst_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
}

FIXTURE(win)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t sram;
	uint32_t bo;
	void *bo_map;
	size_t bo_size;
};

FIXTURE_SETUP(win)
{
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	if (!(self->info.caps & DRM_WSE_CAP_WINDOWS) || !self->info.num_windows)
		SKIP(return, "the device has no windows");
	self->sram = self->info.sram_bytes;
	ASSERT_EQ(0, wst_region_alloc(self->fd, REGION_W, REGION_H,
				      &self->region));
	self->bo_size = (size_t)REGION_W * self->sram;
	ASSERT_EQ(0, wst_bo_new(self->fd, self->bo_size, &self->bo,
				&self->bo_map));
}

FIXTURE_TEARDOWN(win)
{
	if (self->bo_map)
		munmap(self->bo_map, self->bo_size);
	ASSERT_EQ(0, close(self->fd));
}

/* Move @len bytes between the BO and region PE (x, y) + offset by DMA. */
static int dma(FIXTURE_DATA(win) *self, uint32_t op, uint32_t x, uint32_t y,
	       uint32_t offset, uint32_t len)
{
	struct drm_wse_cmd cmd = ras_sram_cmd(op, self->bo, x, y, offset, len);
	struct drm_wse_wait res;

	return wst_run(self->fd, &cmd, 1, &res);
}

/* WRITE by DMA, read through the window: the same bytes. */
TEST_F(win, dma_write_window_read)
{
	struct drm_wse_window_create w;
	uint32_t len = 2 * RAS_PAGE;
	void *map;

	wst_fill_random(self->bo_map, len, 11);
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_WRITE, 1, 1, RAS_PAGE, len));
	ASSERT_EQ(0, ras_window_map(self->fd, 1, 1, RAS_PAGE, len, 0,
				    PROT_READ | PROT_WRITE, &w, &map));
	ASSERT_EQ(0, memcmp(map, self->bo_map, len));
	ASSERT_EQ(0, munmap(map, len));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
}

/* Stores through the window, READ by DMA: the same bytes. */
TEST_F(win, window_write_dma_read)
{
	struct drm_wse_window_create w;
	uint32_t len = 2 * RAS_PAGE;
	char *want = malloc(len);
	void *map;

	ASSERT_NE(NULL, want);
	ASSERT_EQ(0, ras_window_map(self->fd, 2, 0, 0, len, 0,
				    PROT_READ | PROT_WRITE, &w, &map));
	wst_fill_random(want, len, 12);
	memcpy(map, want, len);
	ras_wc_flush();
	memset(self->bo_map, 0, len);
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, 2, 0, 0, len));
	ASSERT_EQ(0, memcmp(want, self->bo_map, len));
	/* And the neighbours were not touched. */
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, 1, 0, 0, self->sram));
	ASSERT_TRUE(wst_all_zero(self->bo_map, self->sram));
	ASSERT_EQ(0, munmap(map, len));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
	free(want);
}

/*
 * One window from the last page of PE (1, 0) to the end of PE (3, 0):
 * the linear SRAM space runs on through the PEs of the row.
 */
TEST_F(win, window_spans_row)
{
	uint32_t off = self->sram - RAS_PAGE;
	uint32_t len = RAS_PAGE + 2 * self->sram;
	struct drm_wse_window_create w;
	uint32_t pe;
	char *map;

	if (len > self->info.window_size)
		SKIP(return, "windows of %u bytes are too small", self->info.window_size);
	ASSERT_EQ(0, ras_window_map(self->fd, 1, 0, off, len, 0,
				    PROT_READ | PROT_WRITE, &w, (void **)&map));
	/* A different pattern in each PE's part, through the window. */
	wst_fill_random(map, RAS_PAGE, 21);
	wst_fill_random(map + RAS_PAGE, self->sram, 22);
	wst_fill_random(map + RAS_PAGE + self->sram, self->sram, 23);
	ras_wc_flush();

	ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, 1, 0, off, RAS_PAGE));
	ASSERT_EQ(0, memcmp(map, self->bo_map, RAS_PAGE));
	for (pe = 2; pe <= 3; pe++) {
		ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, pe, 0, 0, self->sram));
		ASSERT_EQ(0, memcmp(map + RAS_PAGE + (pe - 2) * self->sram,
				    self->bo_map, self->sram));
	}
	/* The next row of the region is not part of it. */
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, 0, 1, 0, self->sram));
	ASSERT_TRUE(wst_all_zero(self->bo_map, self->sram));

	/* DMA into the middle PE shows through the window. */
	wst_fill_random(self->bo_map, self->sram, 24);
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_WRITE, 2, 0, 0, self->sram));
	ASSERT_EQ(0, memcmp(map + RAS_PAGE, self->bo_map, self->sram));
	ASSERT_EQ(0, munmap(map, len));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
}

/* Windows stay inside the region and inside one of its rows. */
TEST_F(win, outside_region_refused)
{
	struct drm_wse_window_create w;
	uint32_t s = self->sram;
	int fd2;

	/* Fits exactly: the rest of the row from PE (3, 1). */
	ASSERT_EQ(0, ras_window_create(self->fd, 3, 1, 0, s, 0, &w));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
	/* One page more is the next region's (or nobody's) PE. */
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 3, 1, 0, s + RAS_PAGE, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 3, 0, RAS_PAGE, s, 0, &w));
	/* A row does not continue into the next row of the region. */
	if (REGION_W * s + RAS_PAGE <= self->info.window_size)
		ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0,
						     REGION_W * s + RAS_PAGE, 0, &w));
	/* PEs off the region. */
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, REGION_W, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, REGION_H, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, ~0u, ~0u, 0, RAS_PAGE, 0, &w));
	/* Offsets and lengths. */
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, s, RAS_PAGE, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 512, RAS_PAGE, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0, 0, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0, 100, 0, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0,
					     self->info.window_size + RAS_PAGE, 0, &w));
	/* Unknown flags. */
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 2, &w));
	ASSERT_EQ(-EINVAL, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 1u << 31, &w));
	/* A file without a region has nothing to show. */
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(-EINVAL, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(0, close(fd2));
	/* A bad pointer. */
	ASSERT_EQ(-EFAULT, wst_ioctl(self->fd, DRM_IOCTL_WSE_WINDOW_CREATE, NULL));
}

/* Slots are shared by all files: -ENOSPC when none is left, back after. */
TEST_F(win, slots_exhausted)
{
	uint32_t n = self->info.num_windows, i, *handles;
	struct drm_wse_window_create w, mine;
	struct drm_wse_region r2;
	void *map;
	int fd2;

	handles = calloc(n, sizeof(*handles));
	ASSERT_NE(NULL, handles);
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, 1, 1, &r2));

	/* Another file takes every slot. */
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));
		handles[i] = w.handle;
	}
	ASSERT_EQ(-ENOSPC, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(-ENOSPC, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));

	/* Destroying one gives its slot back. */
	ASSERT_EQ(0, ras_gem_close(fd2, handles[n - 1]));
	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &mine));
	ASSERT_EQ(-ENOSPC, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));

	/* A mapped window lives on after its handle until it is unmapped. */
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd, mine.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, ras_gem_close(self->fd, mine.handle));
	ASSERT_EQ(-ENOSPC, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(0, ras_touch(map, false, 0, NULL));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, ras_window_create(fd2, 0, 0, 0, RAS_PAGE, 0, &w));

	/* Closing the file frees all its windows. */
	ASSERT_EQ(0, close(fd2));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
		handles[i] = w.handle;
	}
	ASSERT_EQ(-ENOSPC, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, ras_gem_close(self->fd, handles[i]));
	free(handles);
}

/* A read-only window maps without write permission and drops nothing. */
TEST_F(win, readonly_refuses_stores)
{
	struct drm_wse_window_create w;
	uint32_t word = 0;
	uint32_t *map;

	wst_fill_random(self->bo_map, RAS_PAGE, 31);
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_WRITE, 0, 0, 0, RAS_PAGE));
	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE,
				       DRM_WSE_WINDOW_READONLY, &w));

	/* Writable mappings are refused, a read-only one shows the data. */
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->fd, w.mmap_offset));
	ASSERT_EQ(EACCES, errno);
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd, w.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, memcmp(map, self->bo_map, RAS_PAGE));

	/* A store is a SIGSEGV, and mprotect() cannot allow it. */
	ASSERT_EQ(SIGSEGV, ras_touch(&map[3], true, 0xdeadbeef, NULL));
	ASSERT_EQ(-1, mprotect(map, RAS_PAGE, PROT_READ | PROT_WRITE));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(0, ras_touch(&map[3], false, 0, &word));
	ASSERT_EQ(((uint32_t *)self->bo_map)[3], word);

	/* The SRAM is unchanged. */
	memset(self->bo_map, 0, RAS_PAGE);
	ASSERT_EQ(0, dma(self, DRM_WSE_OP_READ, 0, 0, 0, RAS_PAGE));
	ASSERT_EQ(0, memcmp(map, self->bo_map, RAS_PAGE));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
}

/* Only shared mappings of at most the window's size. */
TEST_F(win, bad_mappings_refused)
{
	struct drm_wse_window_create w;
	void *map;

	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, 2 * RAS_PAGE, 0, &w));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_PRIVATE,
				   self->fd, w.mmap_offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, 3 * RAS_PAGE, PROT_READ, MAP_SHARED,
				   self->fd, w.mmap_offset));
	ASSERT_EQ(EINVAL, errno);
	/* A first part is fine. */
	map = mmap(NULL, RAS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   w.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, ras_touch(map, true, 7, NULL));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
}

/* A window is not a buffer and cannot be exported. */
TEST_F(win, not_a_buffer)
{
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC };
	struct drm_wse_window_create w;
	struct drm_wse_bo_info info = { 0 };
	struct drm_wse_cmd cmd;
	uint64_t job;

	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	cmd = ras_sram_cmd(DRM_WSE_OP_WRITE, w.handle, 1, 0, 0, RAS_PAGE);
	ASSERT_EQ(-EINVAL, wst_submit(self->fd, &cmd, 1, &job));
	info.handle = w.handle;
	/* driver.rst: -ENOENT for any handle that is not a buffer. */
	ASSERT_EQ(-ENOENT, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info));
	prime.handle = w.handle;
	ASSERT_EQ(-EOPNOTSUPP, wst_ioctl(self->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD,
					 &prime));
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
	/* Closed is closed. */
	ASSERT_EQ(-EINVAL, ras_gem_close(self->fd, w.handle));
}

/* Freeing the region revokes its windows: SIGBUS, and the slot is free. */
TEST_F(win, region_free_revokes)
{
	struct drm_wse_region none = { 0 };
	struct drm_wse_window_create w, mapped;
	uint32_t n = self->info.num_windows, i, *handles;
	uint32_t *map, *fresh;

	handles = calloc(n, sizeof(*handles));
	ASSERT_NE(NULL, handles);
	ASSERT_EQ(0, ras_window_map(self->fd, 0, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &mapped, (void **)&map));
	ASSERT_EQ(0, ras_touch(map, true, 0x5a5a5a5a, NULL));
	ras_wc_flush();

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(SIGBUS, ras_touch(map, false, 0, NULL));
	ASSERT_EQ(SIGBUS, ras_touch(map, true, 1, NULL));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));

	/* The revoked window keeps no slot: all of them can be taken. */
	ASSERT_EQ(0, wst_region_alloc(self->fd, REGION_W, REGION_H, &self->region));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
		handles[i] = w.handle;
	}
	/* The new region reads as zeros through a window. */
	fresh = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd, w.mmap_offset);
	ASSERT_NE(MAP_FAILED, fresh);
	ASSERT_TRUE(wst_all_zero(fresh, RAS_PAGE));
	ASSERT_EQ(0, munmap(fresh, RAS_PAGE));
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, ras_gem_close(self->fd, handles[i]));
	ASSERT_EQ(0, ras_gem_close(self->fd, mapped.handle));
	free(handles);
}

/* A revoked window cannot be mapped again. */
TEST_F(win, revoked_mmap_fails)
{
	struct drm_wse_region none = { 0 };
	struct drm_wse_window_create w;

	ASSERT_EQ(0, ras_window_create(self->fd, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED,
				   self->fd, w.mmap_offset));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(0, ras_gem_close(self->fd, w.handle));
}

/*
 * A file opened read-only maps a window shared and read-only: the VFS
 * clears VM_SHARED (it keeps VM_MAYSHARE) and VM_MAYWRITE on such a
 * mapping, which is still not a private copy. Stores stay refused.
 */
TEST(readonly_file_maps_shared)
{
	struct drm_wse_window_create w;
	struct drm_wse_region r;
	uint32_t word = 1;
	uint32_t *map;
	int fd;

	fd = open(wst_node(), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, wst_region_alloc(fd, 1, 1, &r));
	ASSERT_EQ(0, ras_window_create(fd, 0, 0, 0, RAS_PAGE, 0, &w));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, w.mmap_offset));
	ASSERT_EQ(EACCES, errno);
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, fd, w.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	/* A new region's SRAM was scrubbed or never written: zeros. */
	ASSERT_EQ(0, ras_touch(&map[2], false, 0, &word));
	ASSERT_EQ(0, word);
	ASSERT_EQ(SIGSEGV, ras_touch(&map[2], true, 5, NULL));
	ASSERT_EQ(-1, mprotect(map, RAS_PAGE, PROT_READ | PROT_WRITE));
	ASSERT_EQ(EACCES, errno);
	/* Private mappings stay refused. */
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_PRIVATE, fd,
				   w.mmap_offset));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
