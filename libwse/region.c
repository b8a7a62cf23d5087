// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * region.c - the device's rectangle of PEs.
 *
 * A device has at most one region; every PE coordinate of a copy is
 * relative to it. The region belongs either to the caller of
 * wse_region_alloc() (owner NULL) or to the program loaded on it. The
 * backend places it on the wafer.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>

#include "wse_priv.h"

int wse_region_reserve(struct wse_device *dev, uint32_t width, uint32_t height,
		       const struct wse_program *owner, struct wse_region *region)
{
	uint32_t x, y;
	int ret;

	pthread_mutex_lock(&dev->lock);
	if (dev->has_region) {
		ret = wse_fail(dev, -EBUSY, "the device already has a %ux%u region",
			       dev->region.width, dev->region.height);
		goto out_unlock;
	}
	ret = dev->ops->region_alloc(dev->be, width, height, &x, &y);
	if (ret) {
		wse_fail(dev, ret, "reserving %ux%u PEs on the %ux%u wafer: %s",
			 width, height, dev->info.mesh_width,
			 dev->info.mesh_height, wse_strerror(ret));
		goto out_unlock;
	}
	dev->region = (struct wse_region) {
		.x = x, .y = y, .width = width, .height = height,
	};
	dev->has_region = true;
	dev->region_owner = owner;
	if (region)
		*region = dev->region;
out_unlock:
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int wse_region_release(struct wse_device *dev, const struct wse_program *owner)
{
	int ret;

	pthread_mutex_lock(&dev->lock);
	if (!dev->has_region) {
		ret = wse_fail(dev, -ENOENT, "the device has no region");
		goto out_unlock;
	}
	if (dev->region_owner != owner) {
		ret = wse_fail(dev, -EBUSY, "the region belongs to a program");
		goto out_unlock;
	}
	ret = dev->ops->region_free(dev->be);
	if (ret) {
		wse_fail(dev, ret, "releasing the region: %s", wse_strerror(ret));
		goto out_unlock;
	}
	dev->has_region = false;
	dev->region_owner = NULL;
out_unlock:
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

/* The current region, or -EINVAL (with a detail) if there is none. */
int wse_region_get(struct wse_device *dev, struct wse_region *region)
{
	int ret = 0;

	pthread_mutex_lock(&dev->lock);
	if (dev->has_region)
		*region = dev->region;
	else
		ret = wse_fail(dev, -EINVAL,
			       "the device has no region: reserve one first");
	pthread_mutex_unlock(&dev->lock);
	return ret;
}

int wse_region_alloc(struct wse_device *dev, uint32_t width, uint32_t height,
		     struct wse_region *region)
{
	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	if (!width || !height || width > dev->info.mesh_width ||
	    height > dev->info.mesh_height)
		return wse_fail(dev, -EINVAL, "a %ux%u region does not fit the %ux%u wafer",
				width, height, dev->info.mesh_width,
				dev->info.mesh_height);
	return wse_region_reserve(dev, width, height, NULL, region);
}

int wse_region_free(struct wse_device *dev)
{
	if (!dev)
		return wse_fail(NULL, -EINVAL, "%s: NULL device", __func__);
	return wse_region_release(dev, NULL);
}
