// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.c - opening devices by index or device string, describing them,
 * and their settings.
 *
 * A device string names a backend and what it should open:
 *
 *   /dev/accel/accel0, ./accel0    a node of the driver (any path)
 *   drm:N                          the N-th device of the driver
 *   NAME:ARGS                      backend NAME (a plugin) with ARGS,
 *                                  e.g. sim:16x16,threads=4
 *
 * $WSE_DEVICE, device strings separated by ';', takes the place of the
 * driver's nodes for opening by index.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wse_priv.h"

#define WSE_DEVICE_STRING_MAX	256

/* drm/dev.c: the built-in backend */
extern const struct wse_backend_ops wse_drm_backend;
int wse_drm_node(int index, char *path, size_t len, char *err, size_t errlen);

/* The @index-th device string of $WSE_DEVICE into @buf; -1 if unset; the count if @index < 0. */
static int wse_device_env(int index, char *buf, size_t len)
{
	const char *env = getenv("WSE_DEVICE"), *p, *end;
	int n = 0;

	if (!env || !*env)
		return -1;
	for (p = env; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ';');
		if (end == p)
			continue;
		if (n++ == index)
			snprintf(buf, len, "%.*s", (int)(end - p), p);
	}
	return n;
}

/* "drm:N": the N-th node of the driver. */
static int wse_device_drm_index(const char *s, char *path, size_t len,
				char *err, size_t errlen)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		goto bad;
	n = strtoul(s, &end, 10);
	if (*end || n > 255)
		goto bad;
	return wse_drm_node((int)n, path, len, err, errlen);
bad:
	snprintf(err, errlen, "'drm:%s': the drm backend takes a device index, as in drm:0", s);
	return -EINVAL;
}

static int wse_device_create(const struct wse_backend_ops *ops,
			     const char *args, struct wse_device **out)
{
	struct wse_backend_info bi = { 0 };
	struct wse_device *dev;
	char err[WSE_ERR_LEN] = "";
	int ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return wse_fail(NULL, -ENOMEM, "out of memory");
	ret = ops->open(args, &dev->be, &bi, err, sizeof(err));
	if (ret) {
		free(dev);
		return wse_fail(NULL, ret, "%s", *err ? err : wse_strerror(ret));
	}
	dev->ops = ops;
	dev->info = (struct wse_device_info) {
		.mesh_width = bi.mesh_width,
		.mesh_height = bi.mesh_height,
		.sram_bytes = bi.sram_bytes,
		.num_queues = bi.num_queues,
		.num_windows = bi.num_windows,
		.window_size = bi.window_size,
		.max_xfer = bi.max_xfer,
		.max_image = bi.max_image,
		.hw_version = bi.hw_version,
		.fw_version = bi.fw_version,
		.caps = bi.caps,
		.minor = bi.minor,
	};
	snprintf(dev->info.node, sizeof(dev->info.node), "%s", bi.node);
	snprintf(dev->info.pci_slot, sizeof(dev->info.pci_slot), "%s", bi.pci_slot);
	snprintf(dev->info.driver_version, sizeof(dev->info.driver_version), "%s",
		 bi.driver_version);
	pthread_mutex_init(&dev->lock, NULL);
	dev->trace_id = wse_trace_device();
	if (ops->set_small_copy)
		ops->set_small_copy(dev->be, WSE_SMALL_COPY_BYTES);
	*out = dev;
	return 0;
}

int wse_device_open_path(const char *path, struct wse_device **out)
{
	char name[WSE_DEVICE_STRING_MAX], node[64], err[WSE_ERR_LEN];
	const struct wse_backend_ops *ops;
	const char *colon, *slash;
	int ret;

	if (!path || !out)
		return wse_fail(NULL, -EINVAL, "%s: NULL argument", __func__);
	colon = strchr(path, ':');
	slash = strchr(path, '/');
	/* A path, or anything that cannot name a backend, is a node. */
	if (!colon || colon == path || (slash && slash < colon) ||
	    colon - path >= (ptrdiff_t)sizeof(name))
		return wse_device_create(&wse_drm_backend, path, out);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - path), path);
	if (!strcmp(name, "drm")) {
		ret = wse_device_drm_index(colon + 1, node, sizeof(node), err,
					   sizeof(err));
		if (ret)
			return wse_fail(NULL, ret, "%s", err);
		return wse_device_create(&wse_drm_backend, node, out);
	}
	ops = wse_backend_find(name, err, sizeof(err));
	if (!ops)
		return wse_fail(NULL, -ENODEV, "%s: %s", path, err);
	return wse_device_create(ops, colon + 1, out);
}

int wse_device_count(void)
{
	char err[WSE_ERR_LEN];
	int n;

	n = wse_device_env(-1, NULL, 0);
	if (n >= 0)
		return n;
	n = wse_drm_node(-1, NULL, 0, err, sizeof(err));
	return n < 0 ? wse_fail(NULL, n, "%s", err) : n;
}

int wse_device_open(int index, struct wse_device **dev)
{
	char s[WSE_DEVICE_STRING_MAX], err[WSE_ERR_LEN];
	int n, ret;

	if (index < 0 || !dev)
		return wse_fail(NULL, -EINVAL, "%s: bad argument", __func__);
	n = wse_device_env(index, s, sizeof(s));
	if (n >= 0 && index >= n)
		return wse_fail(NULL, -ENODEV, "no wse device %d: WSE_DEVICE names %d",
				index, n);
	if (n < 0) {
		ret = wse_drm_node(index, s, sizeof(s), err, sizeof(err));
		if (ret)
			return wse_fail(NULL, ret, "%s", err);
	}
	return wse_device_open_path(s, dev);
}

void wse_device_close(struct wse_device *dev)
{
	if (!dev)
		return;
	/* Closing the backend's device releases the region and its jobs. */
	dev->ops->close(dev->be);
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
	if (!dev)
		return -EINVAL;
	return dev->ops->fd ? dev->ops->fd(dev->be) : -EOPNOTSUPP;
}

int wse_device_set_small_copy(struct wse_device *dev, size_t max_bytes)
{
	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	if (max_bytes == WSE_SMALL_COPY_DEFAULT)
		max_bytes = WSE_SMALL_COPY_BYTES;
	if (dev->ops->set_small_copy)
		dev->ops->set_small_copy(dev->be, max_bytes);
	return 0;
}

int wse_device_reset(struct wse_device *dev, uint64_t *count)
{
	uint64_t n = 0;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	ret = dev->ops->reset(dev->be, &n);
	if (ret == -EACCES)
		return wse_fail(dev, ret, "resetting %s needs CAP_SYS_ADMIN",
				dev->info.node);
	if (ret)
		return wse_fail(dev, ret, "resetting %s: %s", dev->info.node,
				wse_strerror(ret));
	if (count)
		*count = n;
	return 0;
}
