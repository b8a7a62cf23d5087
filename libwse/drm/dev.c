// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dev.c - the drm backend's devices: finding and opening the driver's
 * nodes, their region, reset, and the backend's operations table.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm.h"

#define WSE_ACCEL_DIR		"/dev/accel"
#define WSE_MAX_NODES		256
#define WSE_DRIVER_NAME		"wse"

__attribute__((format(printf, 4, 5)))
static int wse_drm_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Identify the driver with DRM_IOCTL_VERSION only. drmGetBusid() and the
 * GET_UNIQUE/GET_MAGIC ioctls must never be used here: Debian's 6.12 DRM
 * core dereferences a master that accel files do not have and oopses.
 */
static int wse_drm_check_driver(int fd, const char *path, char *version,
				size_t len, char *err, size_t errlen)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret = 0;

	if (!v)
		return wse_drm_fail(err, errlen, -ENODEV, "%s is not a DRM device",
				    path);
	if (!v->name || strcmp(v->name, WSE_DRIVER_NAME))
		ret = wse_drm_fail(err, errlen, -ENODEV, "%s is driven by %s, not wse",
				   path, v->name ? v->name : "an unnamed driver");
	else
		snprintf(version, len, "%d.%d.%d", v->version_major,
			 v->version_minor, v->version_patchlevel);
	drmFreeVersion(v);
	return ret;
}

/* "0000:00:03.0" from the sysfs link of the node's parent device. */
static void wse_drm_pci_slot(dev_t rdev, char *buf, size_t len)
{
	char path[64], *real, *slash;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(rdev), minor(rdev));
	real = realpath(path, NULL);
	if (!real)
		return;
	slash = strrchr(real, '/');
	snprintf(buf, len, "%s", slash ? slash + 1 : real);
	free(real);
}

static int wse_drm_info_fill(struct wse_backend_dev *dev, dev_t rdev,
			     const char *path, char *err, size_t errlen)
{
	struct drm_wse_info di = { 0 };
	struct wse_backend_info *info = &dev->info;
	int ret;

	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_GET_INFO, &di);
	if (ret)
		return wse_drm_fail(err, errlen, ret, "%s: GET_INFO: %s", path,
				    strerror(-ret));
	info->mesh_width = di.mesh_width;
	info->mesh_height = di.mesh_height;
	info->sram_bytes = di.sram_bytes;
	info->num_queues = di.num_queues;
	info->num_windows = di.num_windows;
	info->window_size = di.window_size;
	info->max_xfer = di.max_xfer;
	info->max_image = di.max_image;
	info->hw_version = di.hw_version;
	info->fw_version = di.fw_version;
	info->caps = di.caps;
	info->minor = minor(rdev);
	snprintf(info->node, sizeof(info->node), "%s", path);
	wse_drm_pci_slot(rdev, info->pci_slot, sizeof(info->pci_slot));
	if (!info->mesh_width || !info->mesh_height || !info->sram_bytes ||
	    !info->max_xfer)
		return wse_drm_fail(err, errlen, -EIO, "%s reports an empty wafer",
				    path);
	return 0;
}

static int wse_drm_open(const char *path, struct wse_backend_dev **out,
			struct wse_backend_info *info, char *err, size_t errlen)
{
	struct wse_backend_dev *dev;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return wse_drm_fail(err, errlen, ret, "open %s: %s", path,
				    strerror(-ret));
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		ret = wse_drm_fail(err, errlen, -ENODEV,
				   "%s is not a character device", path);
		goto err_close;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		ret = wse_drm_fail(err, errlen, -ENOMEM, "out of memory");
		goto err_close;
	}
	dev->fd = fd;
	ret = wse_drm_check_driver(fd, path, dev->info.driver_version,
				   sizeof(dev->info.driver_version), err, errlen);
	if (ret)
		goto err_free;
	ret = wse_drm_info_fill(dev, st.st_rdev, path, err, errlen);
	if (ret)
		goto err_free;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_mutex_init(&dev->xfer_lock, NULL);
	*info = dev->info;
	*out = dev;
	return 0;

err_free:
	free(dev);
err_close:
	close(fd);
	return ret;
}

static void wse_drm_close(struct wse_backend_dev *dev)
{
	wse_drm_wcache_flush(dev);
	wse_drm_host_fini(dev);
	wse_drm_bo_pool_fini(dev);
	/* Closing the file releases the region, buffers and queue. */
	close(dev->fd);
	pthread_mutex_destroy(&dev->xfer_lock);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

static int wse_drm_fd(const struct wse_backend_dev *dev)
{
	return dev->fd;
}

static int wse_drm_region_alloc(struct wse_backend_dev *dev, uint32_t w,
				uint32_t h, uint32_t *x, uint32_t *y)
{
	struct drm_wse_region args = { .width = w, .height = h };
	int ret;

	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_REGION_ALLOC, &args);
	if (ret)
		return ret;
	pthread_mutex_lock(&dev->lock);
	dev->has_region = true;
	dev->region_w = w;
	pthread_mutex_unlock(&dev->lock);
	*x = args.x;
	*y = args.y;
	return 0;
}

static int wse_drm_region_free(struct wse_backend_dev *dev)
{
	struct drm_wse_region args = { 0 };
	int ret;

	/* Freeing the region revokes the windows on it. */
	pthread_mutex_lock(&dev->xfer_lock);
	wse_drm_wcache_flush_locked(dev);
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_REGION_FREE, &args);
	if (!ret) {
		pthread_mutex_lock(&dev->lock);
		dev->has_region = false;
		pthread_mutex_unlock(&dev->lock);
	}
	pthread_mutex_unlock(&dev->xfer_lock);
	return ret;
}

static int wse_drm_reset(struct wse_backend_dev *dev, uint64_t *count)
{
	struct drm_wse_reset args = { .mode = DRM_WSE_RESET_DEVICE };
	int ret;

	/* The reset revokes them anyway; their slots are free at once. */
	wse_drm_wcache_flush(dev);
	ret = wse_drm_ioctl(dev->fd, DRM_IOCTL_WSE_RESET, &args);
	if (ret == -EPERM)
		ret = -EACCES;
	if (!ret)
		*count = args.reset_count;
	return ret;
}

static int wse_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Minors of the /dev/accel/accelN nodes, ascending. Returns their number. */
static int wse_drm_accel_minors(int *minors, int max)
{
	struct dirent *de;
	int n = 0, m;
	char end;
	DIR *d;

	d = opendir(WSE_ACCEL_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max) {
		if (sscanf(de->d_name, "accel%d%c", &m, &end) == 1 && m >= 0)
			minors[n++] = m;
	}
	closedir(d);
	qsort(minors, n, sizeof(*minors), wse_cmp_int);
	return n;
}

/*
 * The node of the @index-th accel node driven by wse, in minor order;
 * with @index < 0, the number of them. Returns 0 (or the count),
 * -ENODEV if there is no such device, another negative errno if the
 * nodes cannot be listed; a sentence in @err on failure.
 */
int wse_drm_node(int index, char *path, size_t len, char *err, size_t errlen)
{
	int minors[WSE_MAX_NODES], i, n, found = 0;
	struct wse_backend_info info;
	struct wse_backend_dev *dev;
	char node[32], ignored[256];

	n = wse_drm_accel_minors(minors, WSE_MAX_NODES);
	if (n < 0)
		return wse_drm_fail(err, errlen, n, "%s: %s", WSE_ACCEL_DIR,
				    strerror(-n));
	for (i = 0; i < n; i++) {
		snprintf(node, sizeof(node), WSE_ACCEL_DIR "/accel%d", minors[i]);
		if (wse_drm_open(node, &dev, &info, ignored, sizeof(ignored)))
			continue;
		wse_drm_close(dev);
		if (found++ == index) {
			snprintf(path, len, "%s", node);
			return 0;
		}
	}
	if (index >= 0)
		return wse_drm_fail(err, errlen, -ENODEV, "no wse device %d (found %d)",
				    index, found);
	return found;
}

const struct wse_backend_ops wse_drm_backend = {
	.abi_version = WSE_BACKEND_ABI_VERSION,
	.size = sizeof(struct wse_backend_ops),
	.name = "drm",
	.open = wse_drm_open,
	.close = wse_drm_close,
	.fd = wse_drm_fd,
	.region_alloc = wse_drm_region_alloc,
	.region_free = wse_drm_region_free,
	.host_alloc = wse_drm_host_alloc,
	.host_free = wse_drm_host_free,
	.submit = wse_drm_submit,
	.wait = wse_drm_wait,
	.job_free = wse_drm_job_free,
	.window_map = wse_drm_window_map,
	.window_unmap = wse_drm_window_unmap,
	.set_small_copy = wse_drm_set_small_copy,
	.reset = wse_drm_reset,
};
