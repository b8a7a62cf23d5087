// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_IOCTL_WSE_BO_USERPTR: plain process memory as a buffer object. The
 * device reads and writes the caller's pages directly; bad ranges, flags
 * and read-only memory are refused; the pages count against
 * RLIMIT_MEMLOCK and are given back when the object is freed.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wse_util.h"

#define PG	4096u
#define LEN	(256 * 1024u)	/* 64 pages */

static int userptr(int fd, void *p, uint64_t size, uint32_t flags,
		   uint32_t *handle)
{
	struct drm_wse_bo_userptr args = {
		.user_ptr = (uintptr_t)p,
		.size = size,
		.flags = flags,
	};
	int ret = wst_ioctl(fd, DRM_IOCTL_WSE_BO_USERPTR, &args);

	*handle = args.handle;
	return ret;
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return wst_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* One WRITE (host to SRAM) or READ of @len bytes at PE (0,0) + 0. */
static struct drm_wse_cmd sram_cmd(uint32_t op, uint32_t handle, uint64_t off,
				   uint32_t len)
{
	struct drm_wse_cmd c = {
		.op = op,
		.handle = handle,
		.offset = off,
		.length = len,
	};
	return c;
}

FIXTURE(uptr)
{
	int fd;
	struct drm_wse_region region;
	uint32_t sram;
	char *mem;	/* LEN bytes of malloc()ed memory */
};

FIXTURE_SETUP(uptr)
{
	struct drm_wse_info info;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &info));
	self->sram = info.sram_bytes;
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	self->mem = aligned_alloc(PG, LEN);
	ASSERT_NE(NULL, self->mem);
}

FIXTURE_TEARDOWN(uptr)
{
	close(self->fd);
	free(self->mem);
}

/* malloc()ed memory to SRAM and back, with no copy through a BO. */
TEST_F(uptr, round_trip_through_user_memory)
{
	uint32_t h, len = 32 * 1024;
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;

	wst_fill_random(self->mem, len, 42);
	memset(self->mem + len, 0, len);
	ASSERT_EQ(0, userptr(self->fd, self->mem, LEN, 0, &h));
	cmd = sram_cmd(DRM_WSE_OP_WRITE, h, 0, len);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd = sram_cmd(DRM_WSE_OP_READ, h, len, len);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0, memcmp(self->mem, self->mem + len, len));

	/* The device sees what the CPU writes next, with no new object. */
	memset(self->mem, 0xa5, len);
	cmd = sram_cmd(DRM_WSE_OP_WRITE, h, 0, len);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd = sram_cmd(DRM_WSE_OP_READ, h, len, len);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0, memcmp(self->mem, self->mem + len, len));
	EXPECT_EQ(0, gem_close(self->fd, h));
}

TEST_F(uptr, bad_arguments)
{
	char *m;
	uint32_t h;

	EXPECT_EQ(-EINVAL, userptr(self->fd, self->mem + 8, PG, 0, &h));
	EXPECT_EQ(-EINVAL, userptr(self->fd, self->mem, PG + 8, 0, &h));
	EXPECT_EQ(-EINVAL, userptr(self->fd, self->mem, 0, 0, &h));
	EXPECT_EQ(-EINVAL, userptr(self->fd, self->mem, 2ull << 30, 0, &h));
	EXPECT_EQ(-EINVAL, userptr(self->fd, self->mem, PG, 2, &h));
	EXPECT_EQ(-EFAULT, userptr(self->fd, (void *)(uintptr_t)0xffffffffff000000ull,
				   PG, 0, &h));
	/* A hole in the middle of the range. */
	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, munmap(m + PG, PG));
	EXPECT_EQ(-EFAULT, userptr(self->fd, m, 3 * PG, 0, &h));
	EXPECT_EQ(-EFAULT, userptr(self->fd, m, 3 * PG, DRM_WSE_USERPTR_READONLY, &h));
	munmap(m, PG);
	munmap(m + 2 * PG, PG);
}

/* Read-only memory: only with the flag, and never a target. */
TEST_F(uptr, read_only_memory)
{
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;
	char *m;
	uint32_t h, h2;

	m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	wst_fill_random(m, 4 * PG, 7);
	ASSERT_EQ(0, mprotect(m, 4 * PG, PROT_READ));
	EXPECT_EQ(-EFAULT, userptr(self->fd, m, 4 * PG, 0, &h));
	ASSERT_EQ(0, userptr(self->fd, m, 4 * PG, DRM_WSE_USERPTR_READONLY, &h));

	/* A source, yes: the device reads it into SRAM. */
	cmd = sram_cmd(DRM_WSE_OP_WRITE, h, 0, 4 * PG);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	/* A target, no: refused at SUBMIT, nothing queued. */
	cmd = sram_cmd(DRM_WSE_OP_READ, h, 0, 4 * PG);
	EXPECT_EQ(-EINVAL, wst_run(self->fd, &cmd, 1, &res));

	/* What SRAM got is the read-only memory. */
	memset(self->mem, 0, 4 * PG);
	ASSERT_EQ(0, userptr(self->fd, self->mem, 4 * PG, 0, &h2));
	cmd = sram_cmd(DRM_WSE_OP_READ, h2, 0, 4 * PG);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0, memcmp(m, self->mem, 4 * PG));
	EXPECT_EQ(0, gem_close(self->fd, h2));
	EXPECT_EQ(0, gem_close(self->fd, h));
	munmap(m, 4 * PG);
}

/* Neither mmap()ed through the device nor exported: the caller has it. */
TEST_F(uptr, no_mmap_no_export)
{
	struct drm_wse_bo_info info = { 0 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC };
	void *p;

	ASSERT_EQ(0, userptr(self->fd, self->mem, LEN, 0, &info.handle));
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info));
	EXPECT_EQ(LEN, info.size);
	p = mmap(NULL, LEN, PROT_READ, MAP_SHARED, self->fd, info.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	prime.handle = info.handle;
	EXPECT_EQ(-EOPNOTSUPP, wst_ioctl(self->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime));
	EXPECT_EQ(0, gem_close(self->fd, info.handle));
}

/* After munmap() the object still works on the pages it pinned. */
TEST_F(uptr, survives_munmap)
{
	struct drm_wse_cmd cmd;
	struct drm_wse_wait res;
	uint32_t h, h2;
	char *m;

	m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	ASSERT_EQ(0, userptr(self->fd, m, 4 * PG, 0, &h));
	ASSERT_EQ(0, munmap(m, 4 * PG));
	wst_fill_random(self->mem, 4 * PG, 9);
	ASSERT_EQ(0, userptr(self->fd, self->mem, 4 * PG, 0, &h2));
	cmd = sram_cmd(DRM_WSE_OP_WRITE, h2, 0, 4 * PG);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	cmd = sram_cmd(DRM_WSE_OP_READ, h, 0, 4 * PG);
	ASSERT_EQ(0, wst_run(self->fd, &cmd, 1, &res));
	EXPECT_EQ(0, gem_close(self->fd, h));
	EXPECT_EQ(0, gem_close(self->fd, h2));
}

/* Drop CAP_IPC_LOCK from the effective set, so RLIMIT_MEMLOCK applies. */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &hdr, data);
}

/* Pinned pages are charged to RLIMIT_MEMLOCK until the object goes. */
TEST_F(uptr, memlock_limit)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit rl = { 128 * 1024, 128 * 1024 };
		uint32_t a, b, c;

		if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(10);
		if (userptr(self->fd, self->mem, LEN, 0, &a) != -ENOMEM)
			_exit(11);	/* 256 KiB > 128 KiB */
		if (userptr(self->fd, self->mem, 64 * 1024, 0, &a) ||
		    userptr(self->fd, self->mem + 64 * 1024, 64 * 1024, 0, &b))
			_exit(12);
		if (userptr(self->fd, self->mem + 128 * 1024, PG, 0, &c) != -ENOMEM)
			_exit(13);	/* the limit is reached */
		if (gem_close(self->fd, a))
			_exit(14);
		if (userptr(self->fd, self->mem + 128 * 1024, 64 * 1024, 0, &c))
			_exit(15);	/* freeing gave the pages back */
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

TEST_HARNESS_MAIN
