// SPDX-License-Identifier: GPL-2.0
/*
 * Several wse devices in one machine (tests/vm/run-vm.sh --also): each
 * has its own queues, regions, windows, resets and sysfs; one process
 * and several use them at once; the driver, libwse and wse-smi list them
 * in the same stable order (PCI order, which is minor order). The
 * geometries QEMU gave them come in WSE_EXPECT_MESHES ("WxH,WxH,...").
 */
#include "../kselftest_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <wse/wse.h>

#include "../wse/wse_kernels.h"
#include "../wse/wse_util.h"

#define MAX_DEV		8
#define N32		(WSE_TEST_A32_BYTES / 4)
#define ELEMS		(WSE_TEST_W * WSE_TEST_H * N32)
#define IO_BYTES	(2 * ELEMS * 4)

struct mesh {
	uint32_t w, h;
};

/* WSE_EXPECT_MESHES parsed; the number of devices, or -1. */
static int expected_meshes(struct mesh *m)
{
	const char *env = getenv("WSE_EXPECT_MESHES");
	int n = 0;

	while (env && *env && n < MAX_DEV) {
		if (sscanf(env, "%ux%u", &m[n].w, &m[n].h) != 2)
			return -1;
		n++;
		env = strchr(env, ',');
		env = env ? env + 1 : NULL;
	}
	return n ? n : -1;
}

static int open_minor(int minor)
{
	char node[32];
	int fd;

	snprintf(node, sizeof(node), "/dev/accel/accel%d", minor);
	fd = open(node, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sysfs_u64(int minor, const char *name, uint64_t *v)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/class/accel/accel%d/device/%s",
		 minor, name);
	if (wst_read_line(path, buf, sizeof(buf)))
		return -1;
	*v = strtoull(buf, NULL, 0);
	return 0;
}

static int run_cmd(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, got;
	int st;

	if (!p)
		return -1;
	while (n + 1 < len && (got = fread(out + n, 1, len - 1 - n, p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One device's context: a 4x4 region with the test image loaded. */
struct ctx {
	int fd;
	struct drm_wse_region region;
	uint32_t img, io;
	void *img_map;
	int32_t *io_map;
};

static int ctx_open(struct ctx *c, int minor)
{
	struct drm_wse_wait res;
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = open_minor(minor);
	if (c->fd < 0)
		return c->fd;
	ret = wst_region_alloc(c->fd, WSE_TEST_W, WSE_TEST_H, &c->region);
	ret = ret ?: wst_bo_new(c->fd, sizeof(wse_test_image), &c->img, &c->img_map);
	ret = ret ?: wst_bo_new(c->fd, IO_BYTES, &c->io, (void **)&c->io_map);
	if (ret)
		return ret;
	memcpy(c->img_map, wse_test_image, sizeof(wse_test_image));
	return wst_load(c->fd, c->img, sizeof(wse_test_image), &res);
}

/* H2D of io[0..ELEMS), scale by @k, D2H into io[ELEMS..): three commands. */
static void ctx_scale_cmds(const struct ctx *c, int32_t k, struct drm_wse_cmd *cmds)
{
	cmds[0] = wst_rect_cmd(DRM_WSE_OP_H2D, c->io, 0, 0, 0, WSE_TEST_W,
			       WSE_TEST_H, WSE_TEST_A32, N32, 4, 0, 0);
	cmds[1] = wst_launch_cmd(WSE_TEST_FN_SCALE, 1, (uint32_t)k, 0);
	cmds[2] = wst_rect_cmd(DRM_WSE_OP_D2H, c->io, ELEMS * 4, 0, 0,
			       WSE_TEST_W, WSE_TEST_H, WSE_TEST_B32, N32, 4, 0, 0);
}

static int ctx_submit_scale(struct ctx *c, int32_t k, uint64_t *job)
{
	struct drm_wse_cmd cmds[3];

	ctx_scale_cmds(c, k, cmds);
	return wst_submit(c->fd, cmds, 3, job);
}

/* Whether io's output is its input times @k. */
static bool ctx_scaled(const struct ctx *c, int32_t k)
{
	size_t i;

	for (i = 0; i < ELEMS; i++)
		if (c->io_map[ELEMS + i] != (int32_t)((uint32_t)c->io_map[i] * (uint32_t)k))
			return false;
	return true;
}

FIXTURE(multi)
{
	struct mesh mesh[MAX_DEV];
	int n;
};

FIXTURE_SETUP(multi)
{
	self->n = expected_meshes(self->mesh);
	ASSERT_LE(2, self->n) TH_LOG("WSE_EXPECT_MESHES names fewer than two devices");
}

FIXTURE_TEARDOWN(multi)
{
}

/* The driver's nodes, sysfs, libwse and wse-smi agree on who is who. */
TEST_F(multi, enumerate_in_stable_order)
{
	char out[4096], want[96], *line;
	struct wse_device *dev;
	int i, count;

	for (i = 0; i < self->n; i++) {
		struct drm_wse_info info;
		struct wse_device_info li;
		uint64_t w, h;
		int fd = open_minor(i);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, wst_get_info(fd, &info));
		EXPECT_EQ(self->mesh[i].w, info.mesh_width);
		EXPECT_EQ(self->mesh[i].h, info.mesh_height);
		ASSERT_EQ(0, close(fd));
		ASSERT_EQ(0, sysfs_u64(i, "mesh_width", &w));
		ASSERT_EQ(0, sysfs_u64(i, "mesh_height", &h));
		EXPECT_EQ(self->mesh[i].w, w);
		EXPECT_EQ(self->mesh[i].h, h);

		ASSERT_EQ(0, wse_device_open(i, &dev));
		ASSERT_EQ(0, wse_device_info(dev, &li));
		EXPECT_EQ(i, li.minor);
		EXPECT_EQ(self->mesh[i].w, li.mesh_width);
		EXPECT_EQ(self->mesh[i].h, li.mesh_height);
		wse_device_close(dev);
	}
	EXPECT_EQ(-ENOENT, open_minor(self->n));
	count = wse_device_count();
	EXPECT_EQ(self->n, count);

	ASSERT_EQ(0, run_cmd("wse-smi -L", out, sizeof(out)));
	line = out;
	for (i = 0; i < self->n; i++) {
		snprintf(want, sizeof(want), "accel%d: wse mesh %ux%u,", i,
			 self->mesh[i].w, self->mesh[i].h);
		ASSERT_EQ(0, strncmp(line, want, strlen(want))) TH_LOG("%s", out);
		line = strchr(line, '\n');
		ASSERT_NE(NULL, line);
		line++;
	}
	EXPECT_EQ('\0', *line);
}

/* One process keeps a job in flight on every device at once. */
TEST_F(multi, one_process_every_device)
{
	struct ctx c[MAX_DEV];
	uint64_t job[MAX_DEV];
	struct drm_wse_wait res;
	int i, round;

	for (i = 0; i < self->n; i++)
		ASSERT_EQ(0, ctx_open(&c[i], i));
	for (round = 0; round < 3; round++) {
		for (i = 0; i < self->n; i++) {
			wst_fill_random(c[i].io_map, ELEMS * 4, 100 * round + i + 1);
			memset(c[i].io_map + ELEMS, 0, ELEMS * 4);
			ASSERT_EQ(0, ctx_submit_scale(&c[i], i + 2 + round, &job[i]));
		}
		for (i = 0; i < self->n; i++) {
			ASSERT_EQ(0, wst_wait(c[i].fd, job[i], &res));
			ASSERT_EQ(0, res.status);
			EXPECT_TRUE(ctx_scaled(&c[i], i + 2 + round));
		}
	}
	for (i = 0; i < self->n; i++)
		ASSERT_EQ(0, close(c[i].fd));
}

/* A process per device, all at once. */
TEST_F(multi, process_per_device)
{
	pid_t pid[MAX_DEV];
	int i, st;

	for (i = 0; i < self->n; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			struct drm_wse_wait res;
			struct ctx c;
			uint64_t job;
			int r;

			if (ctx_open(&c, i))
				_exit(10);
			for (r = 0; r < 10; r++) {
				wst_fill_random(c.io_map, ELEMS * 4, 1000 * i + r + 1);
				if (ctx_submit_scale(&c, r - 5, &job) ||
				    wst_wait(c.fd, job, &res) || res.status)
					_exit(11);
				if (!ctx_scaled(&c, r - 5))
					_exit(12);
			}
			_exit(0);
		}
	}
	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &st, 0));
		EXPECT_TRUE(WIFEXITED(st));
		EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("device %d", i);
	}
}

/* A reset of one device leaves the others' contexts and counters alone. */
TEST_F(multi, reset_is_per_device)
{
	struct drm_wse_reset rst = { .mode = DRM_WSE_RESET_DEVICE };
	uint64_t r0, r1, r0b, r1b, job;
	struct drm_wse_wait res;
	struct ctx a, b;

	ASSERT_EQ(0, ctx_open(&a, 0));
	ASSERT_EQ(0, ctx_open(&b, 1));
	ASSERT_EQ(0, sysfs_u64(0, "resets", &r0));
	ASSERT_EQ(0, sysfs_u64(1, "resets", &r1));

	ASSERT_EQ(0, wst_ioctl(b.fd, DRM_IOCTL_WSE_RESET, &rst));
	ASSERT_EQ(0, sysfs_u64(0, "resets", &r0b));
	ASSERT_EQ(0, sysfs_u64(1, "resets", &r1b));
	EXPECT_EQ(r0, r0b);
	EXPECT_EQ(r1 + 1, r1b);

	/* b's context is gone; a's works and keeps its program. */
	EXPECT_EQ(-EIO, ctx_submit_scale(&b, 2, &job));
	wst_fill_random(a.io_map, ELEMS * 4, 7);
	ASSERT_EQ(0, ctx_submit_scale(&a, 7, &job));
	ASSERT_EQ(0, wst_wait(a.fd, job, &res));
	ASSERT_EQ(0, res.status);
	EXPECT_TRUE(ctx_scaled(&a, 7));
	ASSERT_EQ(0, close(a.fd));
	ASSERT_EQ(0, close(b.fd));
}

/* Windows show the SRAM of their own device. */
TEST_F(multi, windows_per_device)
{
	struct drm_wse_window_create w[2] = { 0 };
	uint32_t *map[2], want[2] = { 0x11111111, 0x22222222 };
	struct drm_wse_wait res;
	struct ctx c[2];
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ctx_open(&c[i], i));
		w[i].x = 1;
		w[i].length = 4096;
		ASSERT_EQ(0, wst_ioctl(c[i].fd, DRM_IOCTL_WSE_WINDOW_CREATE, &w[i]));
		map[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			      c[i].fd, w[i].mmap_offset);
		ASSERT_NE(MAP_FAILED, map[i]);
	}
	for (i = 0; i < 2; i++)
		map[i][3] = want[i];
	for (i = 0; i < 2; i++) {
		struct drm_wse_cmd rd = wst_rect_cmd(DRM_WSE_OP_D2H, c[i].io, 0,
						     1, 0, 1, 1, 0, 4, 4, 0, 0);

		EXPECT_EQ(want[i], map[i][3]);
		ASSERT_EQ(0, wst_run(c[i].fd, &rd, 1, &res));
		EXPECT_EQ(want[i], (uint32_t)c[i].io_map[3]);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, munmap(map[i], 4096));
		ASSERT_EQ(0, close(c[i].fd));
	}
}

/*
 * A job chain across two devices: device 1's job waits, in the driver,
 * for device 0's through device 0's syncobj imported into device 1's file.
 */
TEST_F_TIMEOUT(multi, syncobj_chain_across_devices, 120)
{
	struct drm_wse_cmd spin = wst_launch_cmd(WSE_TEST_FN_SPIN, 0, 0, 0);
	struct drm_syncobj_create sc = { 0 };
	struct drm_syncobj_handle h = { 0 };
	struct drm_wse_submit args;
	struct drm_wse_cmd cmds[3];
	struct drm_wse_wait res;
	struct ctx a, b;
	uint64_t ja, jb;

	ASSERT_EQ(0, ctx_open(&a, 0));
	ASSERT_EQ(0, ctx_open(&b, 1));
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc));
	h.handle = sc.handle;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h));
	h.handle = 0;
	ASSERT_EQ(0, wst_ioctl(b.fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h));
	ASSERT_EQ(0, close(h.fd));

	/* Device 0 spins until its limit; device 1's job waits for it. */
	wst_fill_random(b.io_map, ELEMS * 4, 22);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)&spin;
	args.cmd_count = 1;
	args.timeout_ms = 1500;
	args.out_syncobj = sc.handle;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ja = args.job_id;

	ctx_scale_cmds(&b, 5, cmds);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	args.in_syncobj = h.handle;
	ASSERT_EQ(0, wst_ioctl(b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	jb = args.job_id;

	/* Device 0's spin ends at its limit: device 1's job is cancelled. */
	ASSERT_EQ(0, wst_wait(b.fd, jb, &res));
	EXPECT_EQ(-ECANCELED, res.status);
	res.job_id = ja;
	res.timeout_ns = 0;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_WSE_WAIT, &res));
	EXPECT_EQ(-ETIMEDOUT, res.status);

	/* And a chain that goes well: device 1 runs after device 0's scale. */
	/* The stopped spin dropped device 0's program: a new context. */
	ASSERT_EQ(0, close(a.fd));
	ASSERT_EQ(0, ctx_open(&a, 0));
	memset(&args, 0, sizeof(args));
	ctx_scale_cmds(&a, 3, cmds);
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	wst_fill_random(a.io_map, ELEMS * 4, 23);
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc));
	args.out_syncobj = sc.handle;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ja = args.job_id;
	h.handle = sc.handle;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h));
	h.handle = 0;
	ASSERT_EQ(0, wst_ioctl(b.fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h));
	ASSERT_EQ(0, close(h.fd));
	wst_fill_random(b.io_map, ELEMS * 4, 24);
	ctx_scale_cmds(&b, 5, cmds);
	memset(&args, 0, sizeof(args));
	args.cmds_ptr = (uintptr_t)cmds;
	args.cmd_count = 3;
	args.in_syncobj = h.handle;
	ASSERT_EQ(0, wst_ioctl(b.fd, DRM_IOCTL_WSE_SUBMIT, &args));
	ASSERT_EQ(0, wst_wait(b.fd, args.job_id, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_TRUE(ctx_scaled(&b, 5));
	/* Device 0's job had ended by then: its fence let device 1's go. */
	res.job_id = ja;
	res.timeout_ns = 0;
	ASSERT_EQ(0, wst_ioctl(a.fd, DRM_IOCTL_WSE_WAIT, &res));
	EXPECT_EQ(0, res.status);
	EXPECT_TRUE(ctx_scaled(&a, 3));
	ASSERT_EQ(0, close(a.fd));
	ASSERT_EQ(0, close(b.fd));
}

TEST_HARNESS_MAIN
