// SPDX-License-Identifier: GPL-2.0
/*
 * wse ended: SUBMIT's report of a job that ended before SUBMIT returned
 * (DRM_WSE_SUBMIT_ENDED). A short job gets it, a running one does not,
 * and the report is what WAIT says about the job, field for field: a
 * flag set for a job that still runs, or an outcome that differs from
 * WAIT's, fails here. The general path (the scheduler, with
 * direct_submit off) never reports a job ended and gives the same
 * outcomes.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define PARAM		"/sys/module/wse/parameters/direct_submit"
#define OUT_OFF		offsetof(struct drm_wse_submit, out_flags)
#define OUT_BYTES	(sizeof(struct drm_wse_submit) - OUT_OFF)

/* struct drm_wse_submit before the Out fields: 64 bytes. */
#define IOCTL_SUBMIT_64 \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, \
	     DRM_COMMAND_BASE + DRM_WSE_SUBMIT, OUT_OFF)

_Static_assert(offsetof(struct drm_wse_submit, out_flags) == 64,
	       "the Out fields follow the 64-byte structure");

FIXTURE(ended)
{
	int fd;
	uint32_t img;
	void *img_map;
	bool direct_off;	/* the test turned direct_submit off */
};

static int direct_submit(int on);

FIXTURE_SETUP(ended)
{
	struct drm_wse_region r;

	self->fd = wst_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, wst_region_alloc(self->fd, WSE_TEST_W, WSE_TEST_H, &r));
	ASSERT_EQ(0, wst_bo_new(self->fd, sizeof(wse_test_image), &self->img,
				&self->img_map));
	memcpy(self->img_map, wse_test_image, sizeof(wse_test_image));
}

FIXTURE_TEARDOWN(ended)
{
	if (self->direct_off)
		direct_submit(1);
	close(self->fd);
}

/* SUBMIT @n commands, the Out fields preset to junk they must not echo. */
static int submit(int fd, struct drm_wse_cmd *cmds, uint32_t n,
		  uint32_t timeout_ms, struct drm_wse_submit *args)
{
	memset(args, 0, sizeof(*args));
	args->cmds_ptr = (uintptr_t)cmds;
	args->cmd_count = n;
	args->timeout_ms = timeout_ms;
	memset((char *)args + OUT_OFF, 0xa5, OUT_BYTES);
	return wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, args);
}

/*
 * Whatever SUBMIT reported: with DRM_WSE_SUBMIT_ENDED, a WAIT that does
 * not wait finds the job ended with the same outcome; without it, every
 * Out field is zero. The job's outcome, from WAIT, in @w.
 */
static void check_report(struct __test_metadata *_metadata, int fd,
			 const struct drm_wse_submit *s, struct drm_wse_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->job_id = s->job_id;
	if (!s->out_flags) {
		static const char zero[OUT_BYTES];

		ASSERT_EQ(0, memcmp((const char *)s + OUT_OFF, zero, OUT_BYTES));
		ASSERT_EQ(0, wst_wait(fd, s->job_id, w));
		return;
	}
	ASSERT_EQ(DRM_WSE_SUBMIT_ENDED, s->out_flags);
	/* Polls: a job reported ended must have ended. */
	w->timeout_ns = 0;
	ASSERT_EQ(0, wst_ioctl(fd, DRM_IOCTL_WSE_WAIT, w));
	EXPECT_EQ(w->status, s->status);
	EXPECT_EQ(w->failed_cmd, s->failed_cmd);
	EXPECT_EQ(w->device_status, s->device_status);
	EXPECT_EQ(w->reason, s->reason);
	EXPECT_EQ(w->pe_x, s->pe_x);
	EXPECT_EQ(w->pe_y, s->pe_y);
	EXPECT_EQ(w->pc, s->pc);
	EXPECT_EQ(w->cycles, s->cycles);
}

static int direct_submit(int on)
{
	FILE *f = fopen(PARAM, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%d\n", on) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* NOPs end in SUBMIT, which says so and reports what WAIT does. */
TEST_F(ended, short_jobs_end_in_submit)
{
	struct drm_wse_cmd cmds[3] = { { .op = DRM_WSE_OP_NOP } };
	struct drm_wse_submit s;
	struct drm_wse_wait w;
	uint32_t n;

	for (n = 1; n <= 3; n++) {
		ASSERT_EQ(0, submit(self->fd, cmds, n, 0, &s));
		EXPECT_EQ(DRM_WSE_SUBMIT_ENDED, s.out_flags);
		check_report(_metadata, self->fd, &s, &w);
		EXPECT_EQ(0, w.status);
		EXPECT_EQ(DRM_WSE_STATUS_OK, w.device_status);
	}
}

/*
 * Failing jobs, wherever they end: a LAUNCH without a program after a
 * NOP (-EIO, NO_PROGRAM, command 1), then a kernel fault.
 */
TEST_F(ended, failed_jobs_report_like_wait)
{
	struct drm_wse_cmd cmds[2] = {
		{ .op = DRM_WSE_OP_NOP },
		wst_launch_cmd(WSE_TEST_FN_SCALE, 0, 0, 0),
	};
	struct drm_wse_cmd load = {
		.op = DRM_WSE_OP_LOAD,
		.handle = self->img,
		.length = sizeof(wse_test_image),
	};
	struct drm_wse_cmd fault = wst_launch_cmd(WSE_TEST_FN_FAULT, 0, 0, 0);
	struct drm_wse_submit s;
	struct drm_wse_wait w;

	ASSERT_EQ(0, submit(self->fd, cmds, 2, 0, &s));
	check_report(_metadata, self->fd, &s, &w);
	EXPECT_EQ(-EIO, w.status);
	EXPECT_EQ(1, w.failed_cmd);
	EXPECT_EQ(DRM_WSE_STATUS_NO_PROGRAM, w.device_status);

	ASSERT_EQ(0, submit(self->fd, &load, 1, 0, &s));
	check_report(_metadata, self->fd, &s, &w);
	ASSERT_EQ(0, w.status);
	ASSERT_EQ(0, submit(self->fd, &fault, 1, 0, &s));
	check_report(_metadata, self->fd, &s, &w);
	EXPECT_EQ(-EFAULT, w.status);
	EXPECT_EQ(DRM_WSE_STATUS_KERNEL_FAULT, w.device_status);
	EXPECT_EQ(WSE_TEST_FAULT_PC, w.pc);
}

/*
 * A kernel that spins until its limit is running when SUBMIT returns: no
 * flag, zeros, a poll finds it running. The NOP after it ends in SUBMIT.
 */
TEST_F_TIMEOUT(ended, running_job_not_ended, 60)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_cmd load = {
		.op = DRM_WSE_OP_LOAD,
		.handle = self->img,
		.length = sizeof(wse_test_image),
	};
	struct drm_wse_wait w = { 0 };
	struct drm_wse_submit s;

	ASSERT_EQ(0, submit(self->fd, &load, 1, 0, &s));
	check_report(_metadata, self->fd, &s, &w);
	ASSERT_EQ(0, w.status);

	ASSERT_EQ(0, submit(self->fd, &spin, 1, 500, &s));
	EXPECT_EQ(0, s.out_flags);
	w.job_id = s.job_id;
	w.timeout_ns = 0;
	EXPECT_EQ(-ETIME, wst_ioctl(self->fd, DRM_IOCTL_WSE_WAIT, &w));
	check_report(_metadata, self->fd, &s, &w);
	EXPECT_EQ(-ETIMEDOUT, w.status);

	/* The queue is re-enabled for it; a NOP's doorbell runs it. */
	ASSERT_EQ(0, submit(self->fd, &nop, 1, 0, &s));
	EXPECT_EQ(DRM_WSE_SUBMIT_ENDED, s.out_flags);
	check_report(_metadata, self->fd, &s, &w);
	EXPECT_EQ(0, w.status);
}

/* A NOP submitted behind a running job is not direct: not ended either. */
TEST_F_TIMEOUT(ended, queued_job_not_ended, 60)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_cmd load = {
		.op = DRM_WSE_OP_LOAD,
		.handle = self->img,
		.length = sizeof(wse_test_image),
	};
	struct drm_wse_submit s, q;
	struct drm_wse_wait w;

	ASSERT_EQ(0, submit(self->fd, &load, 1, 0, &s));
	check_report(_metadata, self->fd, &s, &w);
	ASSERT_EQ(0, submit(self->fd, &spin, 1, 300, &s));
	ASSERT_EQ(0, submit(self->fd, &nop, 1, 0, &q));
	EXPECT_EQ(0, q.out_flags);
	check_report(_metadata, self->fd, &q, &w);
	EXPECT_EQ(0, w.status);
	check_report(_metadata, self->fd, &s, &w);
	EXPECT_EQ(-ETIMEDOUT, w.status);
}

/*
 * The general path: with direct_submit off every job goes through the
 * scheduler, none is reported ended, and the outcomes are those of the
 * direct path above.
 */
TEST_F(ended, scheduled_jobs_never_ended)
{
	struct drm_wse_cmd cmds[2] = {
		{ .op = DRM_WSE_OP_NOP },
		wst_launch_cmd(WSE_TEST_FN_SCALE, 0, 0, 0),
	};
	struct drm_wse_submit s;
	struct drm_wse_wait w;
	int ret;

	if (direct_submit(0))
		SKIP(return, "cannot write " PARAM " (not root?)");
	self->direct_off = true;
	ret = submit(self->fd, cmds, 1, 0, &s);
	if (!ret) {
		EXPECT_EQ(0, s.out_flags);
		check_report(_metadata, self->fd, &s, &w);
		EXPECT_EQ(0, w.status);
		ret = submit(self->fd, cmds, 2, 0, &s);
	}
	if (!ret) {
		EXPECT_EQ(0, s.out_flags);
		check_report(_metadata, self->fd, &s, &w);
		EXPECT_EQ(-EIO, w.status);
		EXPECT_EQ(1, w.failed_cmd);
		EXPECT_EQ(DRM_WSE_STATUS_NO_PROGRAM, w.device_status);
	}
	ASSERT_EQ(0, direct_submit(1));
	self->direct_off = false;
	ASSERT_EQ(0, ret);
}

/*
 * A caller built with the 64-byte structure: SUBMIT works and writes
 * nothing past it.
 */
TEST_F(ended, old_structure_untouched)
{
	struct drm_wse_cmd nop = { .op = DRM_WSE_OP_NOP };
	struct drm_wse_submit s;
	struct drm_wse_wait w;
	char junk[OUT_BYTES];

	memset(&s, 0, sizeof(s));
	s.cmds_ptr = (uintptr_t)&nop;
	s.cmd_count = 1;
	memset((char *)&s + OUT_OFF, 0xa5, OUT_BYTES);
	memset(junk, 0xa5, sizeof(junk));
	ASSERT_EQ(0, wst_ioctl(self->fd, IOCTL_SUBMIT_64, &s));
	EXPECT_EQ(0, memcmp((char *)&s + OUT_OFF, junk, OUT_BYTES));
	ASSERT_EQ(0, wst_wait(self->fd, s.job_id, &w));
	EXPECT_EQ(0, w.status);
}

TEST_HARNESS_MAIN
