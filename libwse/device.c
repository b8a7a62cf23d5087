// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.c - finding, opening and describing wse devices.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "wse_priv.h"

#define WSE_ACCEL_DIR		"/dev/accel"
#define WSE_MAX_NODES		256
#define WSE_DRIVER_NAME		"wse"

/*
 * Identify the driver with DRM_IOCTL_VERSION only. drmGetBusid() and the
 * GET_UNIQUE/GET_MAGIC ioctls must never be used here: Debian's 6.12 DRM
 * core dereferences a master that accel files do not have and oopses.
 */
static int wse_check_driver(int fd, const char *path, char *version, size_t len)
{
	drmVersionPtr v = drmGetVersion(fd);
	int ret = 0;

	if (!v)
		return wse_fail(NULL, -ENODEV, "%s is not a DRM device", path);
	if (!v->name || strcmp(v->name, WSE_DRIVER_NAME))
		ret = wse_fail(NULL, -ENODEV, "%s is driven by %s, not wse",
			       path, v->name ? v->name : "an unnamed driver");
	else
		snprintf(version, len, "%d.%d.%d", v->version_major,
			 v->version_minor, v->version_patchlevel);
	drmFreeVersion(v);
	return ret;
}

/* "0000:00:03.0" from the sysfs link of the node's parent device. */
static void wse_pci_slot(dev_t rdev, char *buf, size_t len)
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

static int wse_info_fill(struct wse_device *dev, dev_t rdev, const char *path)
{
	struct drm_wse_info di = { 0 };
	struct wse_device_info *info = &dev->info;
	int ret;

	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_GET_INFO, &di);
	if (ret)
		return wse_fail(NULL, ret, "%s: GET_INFO: %s", path,
				wse_strerror(ret));
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
	wse_pci_slot(rdev, info->pci_slot, sizeof(info->pci_slot));
	if (!info->mesh_width || !info->mesh_height || !info->sram_bytes ||
	    !info->max_xfer)
		return wse_fail(NULL, -EIO, "%s reports an empty wafer", path);
	return 0;
}

int wse_device_open_path(const char *path, struct wse_device **out)
{
	struct wse_device *dev;
	struct stat st;
	int fd, ret;

	if (!path || !out)
		return wse_fail(NULL, -EINVAL, "%s: NULL argument", __func__);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return wse_fail(NULL, ret, "open %s: %s", path, wse_strerror(ret));
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		ret = wse_fail(NULL, -ENODEV, "%s is not a character device", path);
		goto err_close;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		ret = wse_fail(NULL, -ENOMEM, "out of memory");
		goto err_close;
	}
	dev->fd = fd;
	ret = wse_check_driver(fd, path, dev->info.driver_version,
			       sizeof(dev->info.driver_version));
	if (ret)
		goto err_free;
	ret = wse_info_fill(dev, st.st_rdev, path);
	if (ret)
		goto err_free;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_mutex_init(&dev->xfer_lock, NULL);
	dev->small_copy_max = WSE_SMALL_COPY_BYTES;
	*out = dev;
	return 0;

err_free:
	free(dev);
err_close:
	close(fd);
	return ret;
}

static int wse_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Minors of the /dev/accel/accelN nodes, ascending. Returns their number. */
static int wse_accel_minors(int *minors, int max)
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
 * Walk the accel nodes in minor order and open the index-th one driven by
 * wse; with index < 0 open none and count them.
 */
static int wse_device_walk(int index, struct wse_device **out)
{
	int minors[WSE_MAX_NODES];
	struct wse_device *dev;
	char path[32];
	int i, n, found = 0;

	n = wse_accel_minors(minors, WSE_MAX_NODES);
	if (n < 0)
		return wse_fail(NULL, n, "%s: %s", WSE_ACCEL_DIR, wse_strerror(n));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), WSE_ACCEL_DIR "/accel%d", minors[i]);
		if (wse_device_open_path(path, &dev))
			continue;
		if (found++ == index) {
			*out = dev;
			return 0;
		}
		wse_device_close(dev);
	}
	if (index >= 0)
		return wse_fail(NULL, -ENODEV, "no wse device %d (found %d)",
				index, found);
	return found;
}

int wse_device_count(void)
{
	return wse_device_walk(-1, NULL);
}

int wse_device_open(int index, struct wse_device **dev)
{
	if (index < 0 || !dev)
		return wse_fail(NULL, -EINVAL, "%s: bad argument", __func__);
	return wse_device_walk(index, dev);
}

void wse_device_close(struct wse_device *dev)
{
	if (!dev)
		return;
	wse_wcache_flush(dev);
	wse_host_fini(dev);
	wse_bo_pool_fini(dev);
	/* Closing the file releases the region, buffers and queue. */
	close(dev->fd);
	pthread_mutex_destroy(&dev->xfer_lock);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

int wse_device_info(const struct wse_device *dev, struct wse_device_info *info)
{
	if (!dev || !info)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	*info = dev->info;
	return 0;
}

int wse_device_set_timeout(struct wse_device *dev, uint32_t timeout_ms)
{
	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	__atomic_store_n(&dev->timeout_ms, timeout_ms, __ATOMIC_RELAXED);
	return 0;
}

int wse_device_fd(const struct wse_device *dev)
{
	return dev ? dev->fd : -EINVAL;
}

int wse_device_set_small_copy(struct wse_device *dev, size_t max_bytes)
{
	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	if (max_bytes == WSE_SMALL_COPY_DEFAULT)
		max_bytes = WSE_SMALL_COPY_BYTES;
	__atomic_store_n(&dev->small_copy_max, max_bytes, __ATOMIC_RELAXED);
	if (!max_bytes)
		wse_wcache_flush(dev);
	return 0;
}

int wse_device_reset(struct wse_device *dev, uint64_t *count)
{
	struct drm_wse_reset args = { .mode = DRM_WSE_RESET_DEVICE };
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	/* The reset revokes them anyway; their slots are free at once. */
	wse_wcache_flush(dev);
	ret = wse_ioctl(dev->fd, DRM_IOCTL_WSE_RESET, &args);
	if (ret == -EACCES || ret == -EPERM)
		return wse_fail(dev, ret, "resetting %s needs CAP_SYS_ADMIN",
				dev->info.node);
	if (ret)
		return wse_fail(dev, ret, "resetting %s: %s", dev->info.node,
				wse_strerror(ret));
	if (count)
		*count = args.reset_count;
	return 0;
}
