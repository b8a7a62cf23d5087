// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host.c - host memory that copies move without staging.
 *
 * A copy from ordinary memory goes through a staging buffer on the drm
 * backend: the host array is copied into memory the device can reach, or
 * out of it, by the CPU. Memory from wse_host_alloc() is memory the
 * backend can hand to the device as it is (a GEM buffer for the driver,
 * plain memory for the simulator, which needs no staging anyway).
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

int wse_host_alloc(struct wse_device *dev, size_t size, void **ptr)
{
	int ret;

	if (!dev || !ptr)
		return wse_fail(dev, -EINVAL, "%s: NULL argument", __func__);
	if (!size || size > WSE_HOST_MAX)
		return wse_fail(dev, -EINVAL, "host memory of %zu bytes: 1 byte to 1 GiB",
				size);
	ret = dev->ops->host_alloc(dev->be, size, ptr);
	if (ret)
		return wse_fail(dev, ret, "host memory of %zu bytes: %s", size,
				wse_strerror(ret));
	return 0;
}

void wse_host_free(struct wse_device *dev, void *ptr)
{
	if (dev && ptr)
		dev->ops->host_free(dev->be, ptr);
}
