// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the wse_ras selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "ras_kernels.h"
#include "ras_util.h"

int ras_window_create(int fd, uint32_t x, uint32_t y, uint32_t offset,
		      uint32_t length, uint32_t flags,
		      struct drm_wse_window_create *out)
{
	memset(out, 0, sizeof(*out));
	out->x = x;
	out->y = y;
	out->offset = offset;
	out->length = length;
	out->flags = flags;
	return wst_ioctl(fd, DRM_IOCTL_WSE_WINDOW_CREATE, out);
}

int ras_window_map(int fd, uint32_t x, uint32_t y, uint32_t offset,
		   uint32_t length, uint32_t flags, int prot,
		   struct drm_wse_window_create *win, void **map)
{
	void *p;
	int ret;

	ret = ras_window_create(fd, x, y, offset, length, flags, win);
	if (ret)
		return ret;
	p = mmap(NULL, length, prot, MAP_SHARED, fd, win->mmap_offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		ras_gem_close(fd, win->handle);
		return ret;
	}
	*map = p;
	return 0;
}

int ras_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return wst_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

static sigjmp_buf ras_touch_env;

static void ras_touch_handler(int sig)
{
	siglongjmp(ras_touch_env, sig);
}

int ras_touch(volatile uint32_t *p, bool store, uint32_t value,
	      uint32_t *loaded)
{
	struct sigaction sa = { .sa_handler = ras_touch_handler };
	struct sigaction old_segv, old_bus;
	volatile int sig;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sig = sigsetjmp(ras_touch_env, 1);
	if (!sig) {
		if (store)
			*p = value;
		else if (loaded)
			*loaded = *p;
		else
			(void)*p;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

int ras_submit(int fd, struct drm_wse_cmd *cmds, uint32_t count,
	       uint32_t timeout_ms, uint64_t *job)
{
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = count,
		.timeout_ms = timeout_ms,
	};
	int ret;

	ret = wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &args);
	if (!ret && job)
		*job = args.job_id;
	return ret;
}

int ras_spin_start(int fd, uint64_t *job)
{
	struct drm_wse_cmd spin = wst_launch_cmd(RAS_FN_SPIN, 0, 0, 0);
	int ret;

	ret = ras_submit(fd, &spin, 1, 120000, job);
	if (!ret)
		usleep(100 * 1000);
	return ret;
}

int ras_wait(int fd, uint64_t job, int64_t timeout_ns,
	     struct drm_wse_wait *res)
{
	memset(res, 0, sizeof(*res));
	res->job_id = job;
	res->timeout_ns = timeout_ns;
	return wst_ioctl(fd, DRM_IOCTL_WSE_WAIT, res);
}

int ras_load_image(int fd, const void *data, size_t len)
{
	struct drm_wse_wait res;
	uint32_t handle;
	void *map;
	int ret;

	ret = wst_bo_new(fd, len, &handle, &map);
	if (ret)
		return ret;
	memcpy(map, data, len);
	ret = wst_load(fd, handle, len, &res);
	wst_bo_free(fd, handle, map, len);
	return ret;
}

struct drm_wse_cmd ras_sram_cmd(uint32_t op, uint32_t handle, uint32_t x,
				uint32_t y, uint32_t offset, uint64_t len)
{
	struct drm_wse_cmd c = {
		.op = op,
		.handle = handle,
		.length = len,
	};

	c.sram.x = x;
	c.sram.y = y;
	c.sram.offset = offset;
	return c;
}

int ras_reset(int fd, uint64_t *count)
{
	struct drm_wse_reset args = { .mode = DRM_WSE_RESET_DEVICE };
	int ret;

	ret = wst_ioctl(fd, DRM_IOCTL_WSE_RESET, &args);
	if (count)
		*count = args.reset_count;
	return ret;
}

const char *ras_pci_addr(void)
{
	static char addr[256];
	char link[PATH_MAX];
	const char *slash;
	ssize_t n;

	n = readlink(wst_sysfs_device(), link, sizeof(link) - 1);
	if (n < 0)
		return NULL;
	link[n] = '\0';
	slash = strrchr(link, '/');
	slash = slash ? slash + 1 : link;
	if (strlen(slash) >= sizeof(addr))
		return NULL;
	strcpy(addr, slash);
	return addr;
}

int ras_write_file(const char *path, const char *s)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

int ras_wait_path(const char *path, bool present, int timeout_ms)
{
	uint64_t end = ras_now_ms() + timeout_ms;

	while (wst_exists(path) != present) {
		if (ras_now_ms() > end)
			return -ETIMEDOUT;
		usleep(50 * 1000);
	}
	return 0;
}

/*
 * The device node appears in drm_minor_register()'s device_add(), before
 * the minor is published for open() (-ENODEV until then) and while an
 * asynchronous probe (pciehp after a hot-add) is still running: wait for
 * an open that succeeds, and return that file.
 */
int ras_open_when_ready(int timeout_ms)
{
	uint64_t end = ras_now_ms() + timeout_ms;
	int fd;

	for (;;) {
		fd = wst_open();
		if (fd >= 0 || (fd != -ENODEV && fd != -ENOENT) ||
		    ras_now_ms() > end)
			return fd;
		usleep(50 * 1000);
	}
}

int ras_uevent_open(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,
	};
	int size = 1 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

int ras_uevent_wait(int sock, const char *key, int timeout_ms, char *reason,
		    size_t reason_len)
{
	uint64_t end = ras_now_ms() + timeout_ms;
	static char buf[8192];

	for (;;) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		int64_t left = (int64_t)(end - ras_now_ms());
		bool found = false;
		ssize_t n, i;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -ETIMEDOUT;
		n = recv(sock, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "action@devpath\0KEY=value\0..." */
		for (i = 0; i < n; i += strlen(buf + i) + 1)
			if (!strcmp(buf + i, key))
				found = true;
		if (!found)
			continue;
		if (reason && reason_len) {
			reason[0] = '\0';
			for (i = 0; i < n; i += strlen(buf + i) + 1)
				if (!strncmp(buf + i, "WSE_RESET_REASON=", 17))
					snprintf(reason, reason_len, "%s", buf + i + 17);
		}
		return 0;
	}
}

uint64_t ras_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool ras_in_test_vm(void)
{
	uint32_t w, h;

	return !wst_expect_mesh(&w, &h);
}

void ras_host_request(const char *request)
{
	int fd = -1;

	/*
	 * The host follows the VM's result port, where our stdout arrives
	 * only through the kselftest runner's prefix pipe, which busybox sed
	 * buffers until the program ends: write to the port directly.
	 */
	if (ras_in_test_vm())
		fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		dprintf(fd, "# WSE-HOST %s\n", request);
		close(fd);
		printf("# asked the host for: %s\n", request);
	} else {
		printf("WSE-HOST %s\n", request);
	}
	fflush(stdout);
}

int ras_run(const char *prog, const char *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp(prog, prog, arg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int ras_gemv(int fd)
{
	enum { M = GEMV_M, N = GEMV_N, P = GEMV_H, Q = GEMV_W };
	enum { MT = M / P, NT = N / Q };
	size_t a_bytes = (size_t)M * N * 4, off_x = a_bytes;
	size_t off_y = off_x + N * 4, size = off_y + M * 4;
	struct drm_wse_cmd cmds[4];
	struct drm_wse_region r;
	struct drm_wse_wait res;
	float *tiles, *x, *y, ref;
	uint32_t handle, i, j;
	void *map;
	int ret;

	ret = wst_region_alloc(fd, Q, P, &r);
	if (ret)
		return ret;
	ret = ras_load_image(fd, gemv_image, sizeof(gemv_image));
	if (ret)
		return ret;
	ret = wst_bo_new(fd, size, &handle, &map);
	if (ret)
		return ret;
	tiles = map;
	x = (float *)((char *)map + off_x);
	y = (float *)((char *)map + off_y);
	/* PE (px, py) holds its tile column by column. */
	for (i = 0; i < M; i++)
		for (j = 0; j < N; j++) {
			uint32_t py = i / MT, px = j / NT;
			float *t = tiles + ((size_t)py * Q + px) * MT * NT;

			t[(j % NT) * MT + i % MT] = (float)((i * 7 + j * 3) % 9) - 4;
		}
	for (j = 0; j < N; j++)
		x[j] = (float)(j % 5) - 2;
	memset(y, 0xff, M * 4);

	cmds[0] = wst_rect_cmd(DRM_WSE_OP_H2D, handle, 0, 0, 0, Q, P, GEMV_A,
			       MT * NT, 4, DRM_WSE_ORDER_ROW_MAJOR, DRM_WSE_BCAST_NONE);
	cmds[1] = wst_rect_cmd(DRM_WSE_OP_H2D, handle, off_x, 0, 0, Q, 1, GEMV_X,
			       NT, 4, DRM_WSE_ORDER_ROW_MAJOR, DRM_WSE_BCAST_NONE);
	cmds[2] = wst_launch_cmd(GEMV_FN_COMPUTE, 0, 0, 0);
	cmds[3] = wst_rect_cmd(DRM_WSE_OP_D2H, handle, off_y, Q - 1, 0, 1, P,
			       GEMV_Y, MT, 4, DRM_WSE_ORDER_ROW_MAJOR,
			       DRM_WSE_BCAST_NONE);
	ret = wst_run(fd, cmds, 4, &res);
	for (i = 0; !ret && i < M; i++) {
		ref = 0;
		for (j = 0; j < N; j++)
			ref += ((float)((i * 7 + j * 3) % 9) - 4) *
			       ((float)(j % 5) - 2);
		if (y[i] != ref)
			ret = 1;
	}
	wst_bo_free(fd, handle, map, size);
	return ret;
}
