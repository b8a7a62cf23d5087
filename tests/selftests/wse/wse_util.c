// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the wse selftests: raw uAPI calls and test data.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wse_util.h"

const char *wst_node(void)
{
	const char *node = getenv("WSE_DEVICE");

	return node && *node ? node : WST_DEFAULT_NODE;
}

const char *wst_sysfs_device(void)
{
	static char path[128];
	const char *node = wst_node(), *slash = strrchr(node, '/');

	snprintf(path, sizeof(path), "/sys/class/accel/%s/device",
		 slash ? slash + 1 : node);
	return path;
}

int wst_open(void)
{
	int fd = open(wst_node(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int wst_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : ret;
}

static int wst_parse_mesh(const char *s, uint32_t *w, uint32_t *h)
{
	unsigned int a, b;
	char end;

	if (sscanf(s, "%ux%u%c", &a, &b, &end) != 2 || !a || !b)
		return -EINVAL;
	*w = a;
	*h = b;
	return 0;
}

int wst_expect_mesh(uint32_t *w, uint32_t *h)
{
	static const char *const keys[] = { "WSE_EXPECT_MESH=", "wse.expect=" };
	const char *env = getenv("WSE_EXPECT_MESH");
	char cmdline[4096], *word, *save;
	unsigned int i;
	FILE *f;

	if (env)
		return wst_parse_mesh(env, w, h);
	f = fopen("/proc/cmdline", "r");
	if (!f)
		return -ENOENT;
	if (!fgets(cmdline, sizeof(cmdline), f))
		cmdline[0] = '\0';
	fclose(f);
	for (word = strtok_r(cmdline, " \t\n", &save); word;
	     word = strtok_r(NULL, " \t\n", &save)) {
		for (i = 0; i < WST_ARRAY_SIZE(keys); i++)
			if (!strncmp(word, keys[i], strlen(keys[i])))
				return wst_parse_mesh(word + strlen(keys[i]), w, h);
	}
	return -ENOENT;
}

int wst_get_info(int fd, struct drm_wse_info *info)
{
	memset(info, 0, sizeof(*info));
	return wst_ioctl(fd, DRM_IOCTL_WSE_GET_INFO, info);
}

int wst_region_alloc(int fd, uint32_t w, uint32_t h, struct drm_wse_region *r)
{
	memset(r, 0, sizeof(*r));
	r->width = w;
	r->height = h;
	return wst_ioctl(fd, DRM_IOCTL_WSE_REGION_ALLOC, r);
}

int wst_bo_new(int fd, uint64_t size, uint32_t *handle, void **map)
{
	struct drm_wse_bo_create args = { .size = size };
	struct drm_gem_close close = { 0 };
	void *p;
	int ret;

	ret = wst_ioctl(fd, DRM_IOCTL_WSE_BO_CREATE, &args);
	if (ret)
		return ret;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 args.mmap_offset);
	if (p == MAP_FAILED) {
		ret = -errno;
		close.handle = args.handle;
		wst_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close);
		return ret;
	}
	*handle = args.handle;
	*map = p;
	return 0;
}

int wst_bo_free(int fd, uint32_t handle, void *map, uint64_t size)
{
	struct drm_gem_close close = { .handle = handle };

	if (map && munmap(map, size))
		return -errno;
	return wst_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &close);
}

int wst_submit(int fd, struct drm_wse_cmd *cmds, uint32_t count, uint64_t *job)
{
	struct drm_wse_submit args = {
		.cmds_ptr = (uintptr_t)cmds,
		.cmd_count = count,
	};
	int ret;

	ret = wst_ioctl(fd, DRM_IOCTL_WSE_SUBMIT, &args);
	if (!ret && job)
		*job = args.job_id;
	return ret;
}

int wst_wait(int fd, uint64_t job, struct drm_wse_wait *res)
{
	memset(res, 0, sizeof(*res));
	res->job_id = job;
	res->timeout_ns = -1;
	return wst_ioctl(fd, DRM_IOCTL_WSE_WAIT, res);
}

int wst_run(int fd, struct drm_wse_cmd *cmds, uint32_t count,
	    struct drm_wse_wait *res)
{
	uint64_t job;
	int ret;

	ret = wst_submit(fd, cmds, count, &job);
	if (ret)
		return ret;
	ret = wst_wait(fd, job, res);
	return ret ? ret : res->status;
}

uint32_t wst_sram_cmds(struct drm_wse_cmd *cmds, uint32_t max, uint32_t op,
		       uint32_t handle, uint32_t region_w, uint32_t sram_bytes,
		       uint32_t max_xfer, uint32_t x, uint32_t y,
		       uint32_t offset, uint64_t len)
{
	uint64_t start = ((uint64_t)y * region_w + x) * sram_bytes + offset;
	uint64_t done, chunk, pos;
	uint32_t n = 0;

	for (done = 0; done < len && n < max; done += chunk, n++) {
		chunk = len - done < max_xfer ? len - done : max_xfer;
		pos = start + done;
		memset(&cmds[n], 0, sizeof(cmds[n]));
		cmds[n].op = op;
		cmds[n].handle = handle;
		cmds[n].offset = done;
		cmds[n].length = chunk;
		cmds[n].sram.x = (pos / sram_bytes) % region_w;
		cmds[n].sram.y = (pos / sram_bytes) / region_w;
		cmds[n].sram.offset = pos % sram_bytes;
	}
	return n;
}

struct drm_wse_cmd wst_rect_cmd(uint32_t op, uint32_t handle, uint64_t offset,
				uint32_t x, uint32_t y, uint32_t w, uint32_t h,
				uint32_t addr, uint32_t elem_per_pe,
				uint8_t elem_bytes, uint8_t order, uint8_t bcast)
{
	uint64_t sets = bcast == DRM_WSE_BCAST_ROW ? h :
			bcast == DRM_WSE_BCAST_COL ? w : (uint64_t)w * h;
	struct drm_wse_cmd cmd = {
		.op = op,
		.handle = handle,
		.offset = offset,
		.length = sets * elem_per_pe * elem_bytes,
		.rect = {
			.x = x, .y = y, .w = w, .h = h, .addr = addr,
			.elem_per_pe = elem_per_pe, .elem_bytes = elem_bytes,
			.order = order, .bcast = bcast,
		},
	};

	return cmd;
}

struct drm_wse_cmd wst_launch_cmd(uint32_t function, uint32_t nargs,
				  uint32_t a0, uint32_t a1)
{
	struct drm_wse_cmd cmd = {
		.op = DRM_WSE_OP_LAUNCH,
		.launch = { .function = function, .nargs = nargs,
			    .args = { a0, a1 } },
	};

	return cmd;
}

size_t wst_host_index(uint8_t order, uint32_t w, uint32_t h,
		      uint32_t elem_per_pe, uint32_t c, uint32_t r, uint32_t e)
{
	if (order == DRM_WSE_ORDER_COL_MAJOR)
		return r + (size_t)c * h + (size_t)e * h * w;
	return ((size_t)r * w + c) * elem_per_pe + e;
}

int wst_load(int fd, uint32_t handle, uint64_t len, struct drm_wse_wait *res)
{
	struct drm_wse_cmd cmd = {
		.op = DRM_WSE_OP_LOAD,
		.handle = handle,
		.length = len,
	};

	return wst_run(fd, &cmd, 1, res);
}

void wst_fill_random(void *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x9e3779b9;
	unsigned char *p = buf;
	size_t i;

	/* xorshift32: cheap, and a different seed gives different data. */
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x >> 24;
	}
}

bool wst_all_zero(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

unsigned long wst_tainted(void)
{
	char line[32];

	if (wst_read_line("/proc/sys/kernel/tainted", line, sizeof(line)))
		return 0;
	return strtoul(line, NULL, 10);
}

bool wst_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

int wst_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int wst_sysfs_u64(const char *name, uint64_t *value)
{
	char path[PATH_MAX], line[64], *end;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", wst_sysfs_device(), name);
	ret = wst_read_line(path, line, sizeof(line));
	if (ret)
		return ret;
	errno = 0;
	*value = strtoull(line, &end, 10);
	return errno || end == line || *end ? -EINVAL : 0;
}

const char *const wst_counters[WST_NR_COUNTERS] = {
	"jobs_submitted", "jobs_completed", "jobs_failed", "jobs_timed_out",
	"commands_completed", "commands_failed", "bytes_to_device",
	"bytes_from_device", "kernels_launched", "wafer_cycles", "pe_faults",
	"images_loaded", "resets",
};
