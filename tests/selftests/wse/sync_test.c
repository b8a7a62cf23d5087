// SPDX-License-Identifier: GPL-2.0
/*
 * wse in-fences and timeline syncobjs: a job waits for a syncobj (binary
 * or a timeline point) before it runs, gives up after in_timeout_ms, ends
 * with -ECANCELED when the fence failed, and signals timeline points.
 * Bad fields are refused before anything is queued; callers built with
 * the 32-byte SUBMIT structure keep working. Jobs SUBMIT runs itself
 * (direct submission) keep their order with those the scheduler runs,
 * and a job of short commands ends within its SUBMIT.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define N32		(WSE_TEST_A32_BYTES / 4)
#define ELEMS		(WSE_TEST_W * WSE_TEST_H * N32)

/* struct drm_wse_submit as it was before the in-fence fields. */
struct submit_v1 {
	__u64 cmds_ptr;
	__u32 cmd_count;
	__u32 flags;
	__u32 out_syncobj;
	__u32 timeout_ms;
	__u64 job_id;
};
#define IOCTL_SUBMIT_V1 \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_WSE_SUBMIT, struct submit_v1)

struct file_ctx {
	int fd;
	struct drm_wse_region region;
	uint32_t img, io;
	void *img_map;
	int32_t *io_map;
};

static int ctx_open(struct file_ctx *c)
{
	struct drm_wse_wait res;
	int ret;

	c->fd = wst_open();
	if (c->fd < 0)
		return c->fd;
	ret = wst_region_alloc(c->fd, WSE_TEST_W, WSE_TEST_H, &c->region);
	ret = ret ?: wst_bo_new(c->fd, sizeof(wse_test_image), &c->img, &c->img_map);
	ret = ret ?: wst_bo_new(c->fd, 2 * ELEMS * 4, &c->io, (void **)&c->io_map);
	if (ret)
		return ret;
	memcpy(c->img_map, wse_test_image, sizeof(wse_test_image));
	return wst_load(c->fd, c->img, sizeof(wse_test_image), &res);
}

static uint32_t syncobj_new(int fd)
{
	struct drm_syncobj_create args = { 0 };

	return wst_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &args) ? 0 : args.handle;
}

/* The commands of a scale-by-@k job on the context's io buffer. */
static void scale_cmds(struct file_ctx *c, int32_t k, struct drm_wse_cmd *cmds)
{
	cmds[0] = wst_rect_cmd(DRM_WSE_OP_H2D, c->io, 0, 0, 0, WSE_TEST_W,
			       WSE_TEST_H, WSE_TEST_A32, N32, 4, 0, 0);
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, (uint32_t)k, 0);
	cmds[2] = wst_rect_cmd(DRM_WSE_OP_D2H, c->io, ELEMS * 4, 0, 0,
			       WSE_TEST_W, WSE_TEST_H, WSE_TEST_B32, N32, 4, 0, 0);
}

static bool scaled(const struct file_ctx *c, int32_t k)
{
	size_t i;

	for (i = 0; i < ELEMS; i++)
		if (c->io_map[ELEMS + i] != (int32_t)((uint32_t)c->io_map[i] * (uint32_t)k))
			return false;
	return true;
}

/* SUBMIT a spinning kernel ended by its @limit_ms; out to @out / @point. */
static int submit_spin(struct file_ctx *c, uint32_t limit_ms, uint32_t out,
		       uint64_t point, uint64_t *job)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&spin,
		.cmd_count = 1,
		.timeout_ms = limit_ms,
		.out_syncobj = out,
		.out_point = point,
	};
	int ret = wst_ioctl(c->fd, DRM_IOCTL_WSE_SUBMIT, &args);

	*job = args.job_id;
	return ret;
}

/* The job's status if it ended, -ETIME if not (a poll). */
static int poll_job(int fd, uint64_t job)
{
	struct drm_wse_wait res = { .job_id = job };
	int ret = wst_ioctl(fd, DRM_IOCTL_WSE_WAIT, &res);

	return ret ? ret : res.status;
}

FIXTURE(sync)
{
	struct file_ctx a, b;	/* two contexts of the device */
	uint32_t sa, sb;	/* a syncobj of each file, the same fence */
};

FIXTURE_SETUP(sync)
{
	struct drm_syncobj_handle h = { 0 };

	ASSERT_EQ(0, ctx_open(&self->a));
	ASSERT_EQ(0, ctx_open(&self->b));
	self->sa = syncobj_new(self->a.fd);
	ASSERT_NE(0, self->sa);
	/* b imports a's syncobj, as another process would from a socket. */
	h.handle = self->sa;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h));
	h.handle = 0;
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h));
	close(h.fd);
	self->sb = h.handle;
}

FIXTURE_TEARDOWN(sync)
{
	close(self->a.fd);
	close(self->b.fd);
}

/* b's job waits for a's: it runs once a's ended well, with its results. */
TEST_F(sync, in_fence_orders_jobs_across_files)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = 3,
		.out_syncobj = self->sa,
	};
	struct drm_wse_wait res;
	uint64_t ja;

	wst_fill_random(self->a.io_map, ELEMS * 4, 1);
	wst_fill_random(self->b.io_map, ELEMS * 4, 2);
	scale_cmds(&self->a, 3, cmds);
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ja = args.job_id;

	scale_cmds(&self->b, 5, cmds);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	args.in_syncobj = self->sb;
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->b.fd, args.job_id, &res));
	ASSERT_EQ(0, res.status);
	EXPECT_TRUE(scaled(&self->b, 5));
	/* When b's job ended, a's had: its fence was b's gate. */
	EXPECT_EQ(0, poll_job(self->a.fd, ja));
	EXPECT_TRUE(scaled(&self->a, 3));
}

/*
 * A job with nothing to wait for and no syncobj, submitted to an idle
 * file, goes to the queue from SUBMIT (direct_submit); a job with an
 * in-fence (signalled already) that follows still runs only after it:
 * it ends well, and by then the spinning job has ended too. Run before
 * the first job, the second would find the queue busy (-EBUSY).
 */
TEST_F_TIMEOUT(sync, gated_job_after_direct_job, 120)
{
	struct drm_syncobj_create cr = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED };
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&nop,
		.cmd_count = 1,
	};
	struct drm_wse_wait res;
	uint64_t spin;

	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_CREATE, &cr));
	ASSERT_EQ(0, submit_spin(&self->a, 300, 0, 0, &spin));
	args.in_syncobj = cr.handle;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->a.fd, args.job_id, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_EQ(-ETIMEDOUT, poll_job(self->a.fd, spin));
}

/*
 * The other way round: a job that could go direct, after one the
 * scheduler holds (it signals a syncobj), waits for it all the same.
 */
TEST_F_TIMEOUT(sync, plain_job_after_scheduled_job, 120)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&nop,
		.cmd_count = 1,
	};
	struct drm_wse_wait res;
	uint64_t spin;

	ASSERT_EQ(0, submit_spin(&self->a, 300, self->sa, 0, &spin));
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->a.fd, args.job_id, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_EQ(-ETIMEDOUT, poll_job(self->a.fd, spin));
}

/* A 64-byte WRITE or READ between offset @off of io and PE (0, 0)'s A32. */
static struct drm_wse_cmd sram_cmd(const struct file_ctx *c, uint32_t op,
				   uint64_t off)
{
	struct drm_wse_cmd cmd = {
		.op = op,
		.handle = c->io,
		.offset = off,
		.length = 64,
	};

	cmd.sram.offset = WSE_TEST_A32;
	return cmd;
}

/* SUBMIT one command; the job id in *job. */
static int submit_one(const struct file_ctx *c, struct drm_wse_cmd *cmd,
		      uint64_t *job)
{
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmd,
		.cmd_count = 1,
	};
	int ret = wst_ioctl(c->fd, DRM_IOCTL_WSE_SUBMIT, &args);

	*job = args.job_id;
	return ret;
}

/*
 * A job of short commands (a NOP, a WRITE or READ of 64 bytes) on an idle
 * queue has ended when its SUBMIT returns: the device runs such commands
 * in the doorbell write, and SUBMIT reaps their completion. Behind a job
 * the device's worker runs (a spinning kernel), the same jobs wait their
 * turn, in order: the READ reads what the WRITE before the kernel wrote.
 */
TEST_F_TIMEOUT(sync, short_jobs_end_in_submit, 120)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP }, cmd;
	uint64_t jw, jn, jr, spin;
	struct drm_wse_wait res;

	wst_fill_random(self->a.io_map, 64, 7);
	cmd = sram_cmd(&self->a, DRM_WSE_OP_WRITE, 0);
	ASSERT_EQ(0, submit_one(&self->a, &cmd, &jw));
	EXPECT_EQ(0, poll_job(self->a.fd, jw));
	ASSERT_EQ(0, submit_one(&self->a, &nop, &jn));
	EXPECT_EQ(0, poll_job(self->a.fd, jn));

	ASSERT_EQ(0, submit_spin(&self->a, 1000, 0, 0, &spin));
	ASSERT_EQ(0, submit_one(&self->a, &nop, &jn));
	cmd = sram_cmd(&self->a, DRM_WSE_OP_READ, 4096);
	ASSERT_EQ(0, submit_one(&self->a, &cmd, &jr));
	EXPECT_EQ(-ETIME, poll_job(self->a.fd, jn));
	ASSERT_EQ(0, wst_wait(self->a.fd, jr, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_EQ(-ETIMEDOUT, poll_job(self->a.fd, spin));
	EXPECT_EQ(0, poll_job(self->a.fd, jn));
	EXPECT_EQ(0, memcmp(self->a.io_map, (uint8_t *)self->a.io_map + 4096, 64));

	/* Idle again: the next short job ends in its SUBMIT once more. */
	ASSERT_EQ(0, submit_one(&self->a, &nop, &jn));
	EXPECT_EQ(0, poll_job(self->a.fd, jn));
}

/* A failed in-fence cancels the job without running it. */
TEST_F_TIMEOUT(sync, failed_in_fence_cancels, 120)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = 3,
		.in_syncobj = self->sb,
	};
	struct drm_wse_wait res;
	uint64_t ja;

	ASSERT_EQ(0, submit_spin(&self->a, 1500, self->sa, 0, &ja));
	scale_cmds(&self->b, 5, cmds);
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	usleep(300 * 1000);
	EXPECT_EQ(-ETIME, poll_job(self->b.fd, args.job_id));

	ASSERT_EQ(0, wst_wait(self->a.fd, ja, &res));
	EXPECT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(0, wst_wait(self->b.fd, args.job_id, &res));
	EXPECT_EQ(-ECANCELED, res.status);
	EXPECT_EQ(DRM_WSE_STATUS_ABORTED, res.device_status);
	EXPECT_EQ(0, res.cycles);

	/* b's next job runs as usual. */
	wst_fill_random(self->b.io_map, ELEMS * 4, 3);
	scale_cmds(&self->b, -2, cmds);
	ASSERT_EQ(0, wst_run(self->b.fd, cmds, 3, &res));
	EXPECT_TRUE(scaled(&self->b, -2));
}

/* A fence that does not come within in_timeout_ms ends the job alone. */
TEST_F_TIMEOUT(sync, in_fence_timeout, 120)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = 3,
		.in_syncobj = self->sb,
		.in_timeout_ms = 300,
	};
	struct drm_wse_wait res;
	uint64_t ja;

	ASSERT_EQ(0, submit_spin(&self->a, 20000, self->sa, 0, &ja));
	scale_cmds(&self->b, 5, cmds);
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->b.fd, args.job_id, &res));
	EXPECT_EQ(-ETIMEDOUT, res.status);
	EXPECT_EQ(DRM_WSE_STATUS_ABORTED, res.device_status);
	/* a's kernel still spins: the gate gave up, not the fence. */
	EXPECT_EQ(-ETIME, poll_job(self->a.fd, ja));

	wst_fill_random(self->b.io_map, ELEMS * 4, 4);
	scale_cmds(&self->b, 9, cmds);
	ASSERT_EQ(0, wst_run(self->b.fd, cmds, 3, &res));
	EXPECT_TRUE(scaled(&self->b, 9));
}

/* Closing a file whose job waits for a fence that never comes. */
TEST_F_TIMEOUT(sync, close_while_waiting_for_fence, 120)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = 3,
		.in_syncobj = self->sb,
		.in_timeout_ms = 2000,
	};
	struct drm_wse_wait res;
	uint64_t ja;

	ASSERT_EQ(0, submit_spin(&self->a, 20000, self->sa, 0, &ja));
	scale_cmds(&self->b, 5, cmds);
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, close(self->b.fd));
	/* A new context works at once, and a's job is unaffected. */
	ASSERT_EQ(0, ctx_open(&self->b));
	wst_fill_random(self->b.io_map, ELEMS * 4, 5);
	scale_cmds(&self->b, 4, cmds);
	ASSERT_EQ(0, wst_run(self->b.fd, cmds, 3, &res));
	EXPECT_TRUE(scaled(&self->b, 4));
	EXPECT_EQ(-ETIME, poll_job(self->a.fd, ja));
}

/* Timeline points: signalled in order by jobs, waited for by point. */
TEST_F_TIMEOUT(sync, timeline_points, 120)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_submit args;
	struct drm_wse_wait res;
	uint64_t point = 0, ja;
	struct drm_syncobj_timeline_array q = {
		.handles = (uintptr_t)&self->sa,
		.points = (uintptr_t)&point,
		.count_handles = 1,
	};

	wst_fill_random(self->a.io_map, ELEMS * 4, 6);
	scale_cmds(&self->a, 2, cmds);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	args.out_syncobj = self->sa;
	args.out_point = 1;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->a.fd, args.job_id, &res));
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_QUERY, &q));
	EXPECT_EQ(1, point);
	ASSERT_EQ(0, submit_spin(&self->a, 1000, self->sa, 2, &ja));
	q.flags = DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_QUERY, &q));
	EXPECT_EQ(2, point);
	q.flags = 0;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_QUERY, &q));
	EXPECT_EQ(1, point);
	/* Points go up: 2 again, or 1, is refused and queues nothing. */
	args.out_point = 2;
	EXPECT_EQ(-EINVAL, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	args.out_point = 1;
	EXPECT_EQ(-EINVAL, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));

	/* b waits for point 1 (the scale), not point 2 (the spin). */
	scale_cmds(&self->b, 7, cmds);
	wst_fill_random(self->b.io_map, ELEMS * 4, 7);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	args.in_syncobj = self->sb;
	args.in_point = 1;
	ASSERT_EQ(0, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(self->b.fd, args.job_id, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_TRUE(scaled(&self->b, 7));
	/* A point nobody submitted yet cannot be waited for. */
	args.in_point = 5;
	EXPECT_EQ(-EINVAL, wst_ioctl(self->b.fd, DRM_IOCTL_WSE_SUBMIT, &args));

	ASSERT_EQ(0, wst_wait(self->a.fd, ja, &res));
	EXPECT_EQ(-ETIMEDOUT, res.status);
	/*
	 * The timeline is intact after the refused waits: a failed lookup
	 * once dropped a reference of the syncobj's fence it did not own.
	 */
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_SYNCOBJ_QUERY, &q));
	EXPECT_EQ(2, point);
}

/* Every new field is checked; nothing is queued on error. */
TEST_F(sync, bad_fields)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_submit args;

#define SUBMIT_EXPECT(err, field, value) do {				\
	memset(&args, 0, sizeof(args));					\
	args.cmds_ptr = (uintptr_t)&nop;				\
	args.cmd_count = 1;						\
	args.field = value;						\
	EXPECT_EQ(err, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args)); \
} while (0)
	SUBMIT_EXPECT(-EINVAL, reserved, 1);
	SUBMIT_EXPECT(-EINVAL, in_point, 1);
	SUBMIT_EXPECT(-EINVAL, in_timeout_ms, 10);
	SUBMIT_EXPECT(-EINVAL, out_point, 1);
	SUBMIT_EXPECT(-ENOENT, in_syncobj, 0xdead);
	/* A syncobj with no fence yet is no fence to wait for. */
	SUBMIT_EXPECT(-EINVAL, in_syncobj, syncobj_new(self->a.fd));
#undef SUBMIT_EXPECT
	/* The next job id shows none of them was queued. */
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)&nop;
	args.cmd_count = 1;
	ASSERT_EQ(0, wst_ioctl(self->a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	EXPECT_EQ(2, args.job_id);	/* the fixture's LOAD was job 1 */
}

/* A program built with the 32-byte structure still submits. */
TEST_F(sync, old_submit_structure)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct submit_v1 v1 = {
		.cmds_ptr = (uintptr_t)&nop,
		.cmd_count = 1,
		.out_syncobj = self->sa,
	};
	struct drm_wse_wait res;

	ASSERT_EQ(32, sizeof(v1));
	ASSERT_EQ(0, wst_ioctl(self->a.fd, IOCTL_SUBMIT_V1, &v1));
	ASSERT_EQ(0, wst_wait(self->a.fd, v1.job_id, &res));
	EXPECT_EQ(0, res.status);
}

TEST_HARNESS_MAIN
