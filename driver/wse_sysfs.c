// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Read-only attributes of the PCI device: what the device reported at
 * probe. They read no register, so they work whatever the device does.
 */

#include <linux/device.h>
#include <linux/sysfs.h>

#include "wse_drv.h"

static struct wse_device *wse_dev_to_wdev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t mesh_width_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", wse_dev_to_wdev(dev)->hw.mesh_width);
}
static DEVICE_ATTR_RO(mesh_width);

static ssize_t mesh_height_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", wse_dev_to_wdev(dev)->hw.mesh_height);
}
static DEVICE_ATTR_RO(mesh_height);

static ssize_t sram_bytes_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", wse_dev_to_wdev(dev)->hw.sram_bytes);
}
static DEVICE_ATTR_RO(sram_bytes);

static ssize_t hw_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u32 v = wse_dev_to_wdev(dev)->hw.version;

	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);
}
static DEVICE_ATTR_RO(hw_version);

static ssize_t num_queues_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", wse_dev_to_wdev(dev)->hw.num_queues);
}
static DEVICE_ATTR_RO(num_queues);

static struct attribute *wse_dev_attrs[] = {
	&dev_attr_mesh_width.attr,
	&dev_attr_mesh_height.attr,
	&dev_attr_sram_bytes.attr,
	&dev_attr_hw_version.attr,
	&dev_attr_num_queues.attr,
	NULL,
};

static const struct attribute_group wse_dev_attr_group = {
	.attrs = wse_dev_attrs,
};

/**
 * wse_sysfs_init() - add the device attributes
 * @wdev: the device, identity read
 *
 * The attributes go away when the driver unbinds.
 *
 * Return: 0 or a negative errno.
 */
int wse_sysfs_init(struct wse_device *wdev)
{
	return devm_device_add_group(wdev->drm.dev, &wse_dev_attr_group);
}
