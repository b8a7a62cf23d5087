// SPDX-License-Identifier: GPL-2.0
/*
 * Client isolation. An open file description is a context: another open()
 * sees none of its buffers, windows, jobs or PEs (-ENOENT, -EACCES for
 * mmap offsets); a forked child, a dup()ed descriptor and one passed over
 * a socket are the same context, as DRM promises for every GEM driver.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "ras_util.h"

FIXTURE(iso)
{
	int fd;
	struct drm_wse_info info;
	struct drm_wse_region region;
	uint32_t bo;
	void *bo_map;
	struct drm_wse_window_create win;
	uint32_t *win_map;
	uint64_t job;
};

FIXTURE_SETUP(iso)
{
	struct drm_wse_cmd cmd;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_get_info(self->fd, &self->info));
	if (!(self->info.caps & DRM_WSE_CAP_WINDOWS) || !self->info.num_windows)
		SKIP(return, "the device has no windows");
	ASSERT_EQ(0, wst_region_alloc(self->fd, 2, 1, &self->region));
	ASSERT_EQ(0, wst_bo_new(self->fd, RAS_PAGE, &self->bo, &self->bo_map));
	wst_fill_random(self->bo_map, RAS_PAGE, 41);
	cmd = ras_sram_cmd(DRM_WSE_OP_WRITE, self->bo, 0, 0, 0, RAS_PAGE);
	ASSERT_EQ(0, wst_submit(self->fd, &cmd, 1, &self->job));
	ASSERT_EQ(0, ras_window_map(self->fd, 0, 0, 0, RAS_PAGE, 0,
				    PROT_READ | PROT_WRITE, &self->win,
				    (void **)&self->win_map));
}

FIXTURE_TEARDOWN(iso)
{
	if (self->win_map)
		munmap(self->win_map, RAS_PAGE);
	if (self->bo_map)
		munmap(self->bo_map, RAS_PAGE);
	ASSERT_EQ(0, close(self->fd));
}

/* Another open() is another context: nothing of ours has a name there. */
TEST_F(iso, foreign_handles)
{
	struct drm_wse_bo_info info = { .handle = self->bo };
	struct drm_wse_region r2;
	struct drm_wse_wait res;
	struct drm_wse_cmd cmd;
	uint64_t job;
	int fd2;

	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, 1, 1, &r2));
	ASSERT_EQ(-ENOENT, wst_ioctl(fd2, DRM_IOCTL_WSE_BO_INFO, &info));
	info.handle = self->win.handle;
	ASSERT_EQ(-ENOENT, wst_ioctl(fd2, DRM_IOCTL_WSE_BO_INFO, &info));
	cmd = ras_sram_cmd(DRM_WSE_OP_READ, self->bo, 0, 0, 0, RAS_PAGE);
	ASSERT_EQ(-ENOENT, wst_submit(fd2, &cmd, 1, &job));
	ASSERT_EQ(-ENOENT, ras_wait(fd2, self->job, 0, &res));
	/* DRM's GEM_CLOSE says -EINVAL for a handle it does not know. */
	ASSERT_EQ(-EINVAL, ras_gem_close(fd2, self->win.handle));
	ASSERT_EQ(-EINVAL, ras_gem_close(fd2, self->bo));

	/* Our mmap offsets are not theirs. */
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, fd2,
				   self->win.mmap_offset));
	ASSERT_EQ(EACCES, errno);
	info.handle = self->bo;
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, fd2,
				   info.mmap_offset));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(0, close(fd2));

	/* All of it still works here. */
	ASSERT_EQ(0, wst_wait(self->fd, self->job, &res));
	ASSERT_EQ(0, res.status);
	ASSERT_EQ(0, memcmp(self->win_map, self->bo_map, RAS_PAGE));
}

/* A window of another file shows its own zeroed PEs, never ours. */
TEST_F(iso, windows_see_own_region)
{
	struct drm_wse_region r2;
	struct drm_wse_window_create w;
	struct drm_wse_wait res;
	void *map;
	int fd2;

	ASSERT_EQ(0, wst_wait(self->fd, self->job, &res));
	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, 2, 1, &r2));
	ASSERT_FALSE(r2.y == self->region.y &&
		     r2.x < self->region.x + 2 && self->region.x < r2.x + 2);
	ASSERT_EQ(0, ras_window_map(fd2, 0, 0, 0, 2 * self->info.sram_bytes, 0,
				    PROT_READ, &w, &map));
	ASSERT_TRUE(wst_all_zero(map, 2 * self->info.sram_bytes));
	ASSERT_EQ(0, munmap(map, 2 * self->info.sram_bytes));
	ASSERT_EQ(0, close(fd2));
}

/* A freed region is scrubbed: the next owner's window reads zeros. */
TEST_F(iso, freed_region_reads_zero)
{
	struct drm_wse_region none = { 0 }, r2;
	struct drm_wse_window_create w;
	struct drm_wse_wait res;
	void *map;
	int fd2;

	ASSERT_EQ(0, wst_wait(self->fd, self->job, &res));
	ASSERT_FALSE(wst_all_zero(self->win_map, RAS_PAGE));
	ASSERT_EQ(0, wst_ioctl(self->fd, DRM_IOCTL_WSE_REGION_FREE, &none));
	ASSERT_EQ(SIGBUS, ras_touch(self->win_map, false, 0, NULL));

	fd2 = wst_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, wst_region_alloc(fd2, 2, 1, &r2));
	/* First fit on an otherwise empty wafer: our old PEs. */
	ASSERT_EQ(self->region.x, r2.x);
	ASSERT_EQ(self->region.y, r2.y);
	ASSERT_EQ(0, ras_window_map(fd2, 0, 0, 0, RAS_PAGE, 0, PROT_READ, &w,
				    &map));
	ASSERT_TRUE(wst_all_zero(map, RAS_PAGE));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, close(fd2));
}

/* A forked child shares the context: handles, jobs, windows, region. */
TEST_F(iso, fork_shares_context)
{
	struct drm_wse_window_create w;
	struct drm_wse_wait res;
	uint32_t *map;
	int pipefd[2], status;
	uint64_t child_job = 0;
	pid_t pid;

	ASSERT_EQ(0, wst_wait(self->fd, self->job, &res));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct drm_wse_bo_info info = { .handle = self->bo };
		struct drm_wse_cmd cmd;
		uint64_t job;

		close(pipefd[0]);
		/* The parent's buffer, job and mapped window. */
		if (wst_ioctl(self->fd, DRM_IOCTL_WSE_BO_INFO, &info) ||
		    wst_wait(self->fd, self->job, &res) || res.status ||
		    memcmp(self->win_map, self->bo_map, RAS_PAGE))
			_exit(1);
		/* A job on the parent's region with the parent's buffer. */
		memset(self->bo_map, 0x77, RAS_PAGE);
		cmd = ras_sram_cmd(DRM_WSE_OP_WRITE, self->bo, 1, 0, 0, RAS_PAGE);
		if (wst_submit(self->fd, &cmd, 1, &job))
			_exit(2);
		/* A window in the shared context. */
		if (ras_window_create(self->fd, 1, 0, 0, RAS_PAGE, 0, &w))
			_exit(3);
		if (write(pipefd[1], &job, sizeof(job)) != sizeof(job))
			_exit(4);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(sizeof(child_job), read(pipefd[0], &child_job, sizeof(child_job)));
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* The child's job is ours to wait for, its window ours to map. */
	ASSERT_EQ(0, wst_wait(self->fd, child_job, &res));
	ASSERT_EQ(0, res.status);
	/* Its WRITE landed on our region: see it through a window of ours. */
	ASSERT_EQ(0, ras_window_create(self->fd, 1, 0, 0, RAS_PAGE,
				       DRM_WSE_WINDOW_READONLY, &w));
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, self->fd, w.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0x77777777, map[0]);
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
}

/* The context lives as long as any descriptor of it: the child goes on. */
TEST_F(iso, context_outlives_parent_close)
{
	struct drm_wse_wait res;
	int go[2], status;
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, wst_wait(self->fd, self->job, &res));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct drm_wse_cmd cmd;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		cmd = ras_sram_cmd(DRM_WSE_OP_READ, self->bo, 0, 0, 0, RAS_PAGE);
		memset(self->bo_map, 0, RAS_PAGE);
		if (wst_run(self->fd, &cmd, 1, &res))
			_exit(2);
		if (memcmp(self->bo_map, self->win_map, RAS_PAGE) ||
		    wst_all_zero(self->bo_map, RAS_PAGE))
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	/* Our descriptor and mappings go; the child's stay. */
	munmap(self->win_map, RAS_PAGE);
	self->win_map = NULL;
	munmap(self->bo_map, RAS_PAGE);
	self->bo_map = NULL;
	ASSERT_EQ(0, close(self->fd));
	ASSERT_EQ(1, write(go[1], &c, 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* For the teardown's close(). */
	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
}

/* dup() and SCM_RIGHTS hand over the same context. */
TEST_F(iso, dup_and_passed_fd)
{
	struct drm_wse_bo_info info = { .handle = self->bo };
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'x';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct drm_wse_wait res;
	struct cmsghdr *cmsg;
	int sv[2], dupfd, passed;
	uint32_t *map;

	dupfd = dup(self->fd);
	ASSERT_LE(0, dupfd);
	ASSERT_EQ(0, wst_ioctl(dupfd, DRM_IOCTL_WSE_BO_INFO, &info));
	ASSERT_EQ(0, wst_wait(dupfd, self->job, &res));

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &dupfd, sizeof(int));
	ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	ASSERT_EQ(0, close(dupfd));
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_controllen = sizeof(cbuf);
	ASSERT_EQ(1, recvmsg(sv[1], &msg, 0));
	cmsg = CMSG_FIRSTHDR(&msg);
	ASSERT_NE(NULL, cmsg);
	memcpy(&passed, CMSG_DATA(cmsg), sizeof(int));
	close(sv[0]);
	close(sv[1]);

	/* The passed descriptor maps our window and waits for our job. */
	ASSERT_EQ(0, wst_wait(passed, self->job, &res));
	map = mmap(NULL, RAS_PAGE, PROT_READ, MAP_SHARED, passed,
		   self->win.mmap_offset);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, memcmp(map, self->bo_map, RAS_PAGE));
	ASSERT_EQ(0, munmap(map, RAS_PAGE));
	ASSERT_EQ(0, close(passed));
}

TEST_HARNESS_MAIN
