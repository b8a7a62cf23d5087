// SPDX-License-Identifier: GPL-2.0
/*
 * wse concurrency: files are independent contexts on their own queues.
 * Two processes computing at once both get their own answers, and one
 * file's copies complete while another file's kernel is still running.
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wse_kernels.h"
#include "wse_util.h"

#define W		WSE_TEST_W
#define H		WSE_TEST_H
#define N32		(WSE_TEST_A32_BYTES / 4)
#define ELEMS		(W * H * N32)
#define ROUNDS		10

/* A file with a W x H region and the test program loaded. */
struct ctx {
	int fd;
	uint32_t io;		/* ELEMS words in, ELEMS words out */
	uint32_t *in, *out;
};

static int ctx_open(struct ctx *c)
{
	struct drm_wse_region r;
	struct drm_wse_wait res;
	uint32_t img;
	void *map;
	int ret;

	c->fd = wst_open();
	if (c->fd < 0)
		return c->fd;
	ret = wst_region_alloc(c->fd, W, H, &r);
	if (!ret)
		ret = wst_bo_new(c->fd, sizeof(wse_test_image), &img, &map);
	if (ret)
		return ret;
	memcpy(map, wse_test_image, sizeof(wse_test_image));
	ret = wst_load(c->fd, img, sizeof(wse_test_image), &res);
	if (ret)
		return ret;
	ret = wst_bo_new(c->fd, 2 * ELEMS * 4, &c->io, (void **)&c->in);
	c->out = c->in + ELEMS;
	return ret;
}

/* H2D random data, scale by k, D2H; returns 0 if every element is right. */
static int ctx_scale(struct ctx *c, uint32_t k, uint32_t seed)
{
	struct drm_wse_cmd cmds[3];
	struct drm_wse_wait res;
	unsigned int i;
	int ret;

	wst_fill_random(c->in, ELEMS * 4, seed);
	memset(c->out, 0, ELEMS * 4);
	cmds[0] = wst_rect_cmd(DRM_WSE_OP_H2D, c->io, 0, 0, 0, W, H,
			       WSE_TEST_A32, N32, 4, 0, 0);
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, k, 0);
	cmds[2] = wst_rect_cmd(DRM_WSE_OP_D2H, c->io, ELEMS * 4, 0, 0, W, H,
			       WSE_TEST_B32, N32, 4, 0, 0);
	ret = wst_run(c->fd, cmds, 3, &res);
	if (ret)
		return ret;
	for (i = 0; i < ELEMS; i++)
		if (c->out[i] != c->in[i] * k)
			return -EBADMSG;
	return 0;
}

FIXTURE(conc)
{
};

FIXTURE_SETUP(conc)
{
}

FIXTURE_TEARDOWN(conc)
{
}

/* Two processes, each with its own file and program, compute at once. */
TEST_F_TIMEOUT(conc, two_processes_at_once, 240)
{
	int go[2], status, i, ret = 0;
	struct ctx c;
	pid_t child;
	char b = 0;

	ASSERT_EQ(0, pipe(go));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* Step 1 (child): set up, wait for the start, compute by 5. */
		if (ctx_open(&c) || read(go[0], &b, 1) != 1)
			_exit(2);
		for (i = 0; i < ROUNDS && !ret; i++)
			ret = ctx_scale(&c, 5, 1000 + i);
		_exit(ret ? 1 : 0);
	}
	/* Step 1 (parent): set up, start the child, compute by 3. */
	ASSERT_EQ(0, ctx_open(&c));
	ASSERT_EQ(1, write(go[1], &b, 1));
	for (i = 0; i < ROUNDS; i++)
		ASSERT_EQ(0, ctx_scale(&c, 3, 2000 + i));

	/* Step 2: the child got its own answers too. */
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, close(c.fd));
}

/*
 * One file's kernel runs (until its 3 s limit) while another file copies
 * and computes: the second file's jobs all finish while the first's is
 * still running, so the device runs them side by side.
 */
TEST_F_TIMEOUT(conc, copies_overlap_launch, 120)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)&spin,
		.cmd_count = 1,
		.timeout_ms = 3000,
	};
	struct drm_wse_wait res = { 0 };
	struct ctx a, b;
	int i;

	ASSERT_EQ(0, ctx_open(&a));
	ASSERT_EQ(0, ctx_open(&b));
	/* Step 1: a's kernel starts and keeps running. */
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	/* Step 2: b computes meanwhile. */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, ctx_scale(&b, 7, 3000 + i));
	/* Step 3: a's kernel is still running. */
	res.job_id = args.job_id;
	ASSERT_EQ(-ETIME, wst_ioctl(a.fd, DRM_IOCTL_WSE_WAIT, &res));
	ASSERT_EQ(0, wst_wait(a.fd, args.job_id, &res));
	ASSERT_EQ(-ETIMEDOUT, res.status);
	ASSERT_EQ(0, close(b.fd));
	ASSERT_EQ(0, close(a.fd));
}

TEST_HARNESS_MAIN
