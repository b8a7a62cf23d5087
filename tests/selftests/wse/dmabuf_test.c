// SPDX-License-Identifier: GPL-2.0
/*
 * dma-buf import: a buffer another driver exported (udmabuf, over a
 * memfd) used by the device like one of its own, with what the device
 * wrote visible in the memfd and the other way round; an import too
 * small for a command is refused at SUBMIT; the import outlives the
 * exporter's file descriptor.
 */
#define _GNU_SOURCE
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/udmabuf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wse_util.h"

#define LEN	(64 * 1024u)

FIXTURE(dmabuf)
{
	int fd, memfd, dbuf;
	uint32_t handle;
	char *mem;	/* the memfd, mapped */
};

/* A sealed memfd of @len bytes and a udmabuf of it; 0 or -errno. */
static int udmabuf_of_memfd(size_t len, int *memfd, int *dbuf, char **map)
{
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC };
	int dev, ret = 0;

	*memfd = memfd_create("wse-dmabuf", MFD_ALLOW_SEALING);
	if (*memfd < 0 || ftruncate(*memfd, len) ||
	    fcntl(*memfd, F_ADD_SEALS, F_SEAL_SHRINK))
		return -errno;
	*map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, *memfd, 0);
	if (*map == MAP_FAILED)
		return -errno;
	dev = open("/dev/udmabuf", O_RDWR);
	if (dev < 0)
		return -errno;
	c.memfd = *memfd;
	c.size = len;
	*dbuf = ioctl(dev, UDMABUF_CREATE, &c);
	if (*dbuf < 0)
		ret = -errno;
	close(dev);
	return ret;
}

static int import(int fd, int dbuf, uint32_t *handle)
{
	struct drm_prime_handle p = { .fd = dbuf };
	int ret = wst_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	*handle = p.handle;
	return ret;
}

static struct drm_wse_cmd sram_cmd(uint32_t op, uint32_t handle, uint64_t off,
				   uint32_t len)
{
	struct drm_wse_cmd c = {
		.op = op, .handle = handle, .offset = off, .length = len,
	};
	return c;
}

FIXTURE_SETUP(dmabuf)
{
	struct drm_wse_region r;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &r));
	ASSERT_EQ(0, udmabuf_of_memfd(LEN, &self->memfd, &self->dbuf, &self->mem));
	ASSERT_EQ(0, import(self->fd, self->dbuf, &self->handle));
}

FIXTURE_TEARDOWN(dmabuf)
{
	close(self->fd);
	close(self->dbuf);
	munmap(self->mem, LEN);
	close(self->memfd);
}

/* The memfd's bytes go to SRAM and come back into it. */
TEST_F(dmabuf, imported_buffer_round_trip)
{
	struct drm_wse_bo_info info = { .handle = self->handle };
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;
	const uint32_t half = LEN / 2;

	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info));
	EXPECT_EQ(LEN, info.size);
	wst_fill_random(self->mem, half, 77);
	memset(self->mem + half, 0, half);
	cmd = sram_cmd(DRM_WSE_OP_WRITE, self->handle, 0, half);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd = sram_cmd(DRM_WSE_OP_READ, self->handle, half, half);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0, memcmp(self->mem, self->mem + half, half));
}

/* A command past the end of the import is refused, nothing queued. */
TEST_F(dmabuf, import_too_small)
{
	struct drm_wse_cmd cmd = sram_cmd(DRM_WSE_OP_WRITE, self->handle, 0,
					  LEN + 4096);
	struct drm_wse_wait res;

	EXPECT_EQ(-EINVAL, wst_run(self->fd, &cmd, 1, &res));
	cmd = sram_cmd(DRM_WSE_OP_READ, self->handle, LEN - 4096, 8192);
	EXPECT_EQ(-EINVAL, wst_run(self->fd, &cmd, 1, &res));
}

/* Importing twice gives the same handle; the import outlives the fd. */
TEST_F(dmabuf, import_lifetime)
{
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;
	uint32_t again;

	ASSERT_EQ(0, import(self->fd, self->dbuf, &again));
	EXPECT_EQ(self->handle, again);
	ASSERT_EQ(0, close(self->dbuf));
	self->dbuf = -1;
	memset(self->mem, 0x5a, 4096);
	cmd = sram_cmd(DRM_WSE_OP_WRITE, self->handle, 0, 4096);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	memset(self->mem, 0, 4096);
	cmd = sram_cmd(DRM_WSE_OP_READ, self->handle, 0, 4096);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0x5a, self->mem[0]);
	EXPECT_EQ(0x5a, self->mem[4095]);
}

/* Not a dma-buf at all. */
TEST_F(dmabuf, import_not_a_dmabuf)
{
	uint32_t h;

	EXPECT_EQ(-EINVAL, import(self->fd, self->memfd, &h));
	EXPECT_EQ(-EBADF, import(self->fd, 9999, &h));
}

TEST_HARNESS_MAIN
