// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Attributes of the PCI device (Documentation/ABI/testing/sysfs-driver-wse):
 * what the device reported at probe, which reads no register; telemetry,
 * from the device's counters plus what earlier resets cleared, and from
 * the driver's own job counts; and device_reset.
 */

#include <drm/drm_drv.h>
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "wse_hw.h"

static struct wse_device *wse_dev_to_wdev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

/* A 64-bit counter of the device: high, low, high again. */
static u64 wse_counter_read(struct wse_device *wdev, u32 n)
{
	u32 reg = WSE_REG_CNT(n), hi, lo, hi2;

	hi = wse_read(wdev, reg + 4);
	lo = wse_read(wdev, reg);
	hi2 = wse_read(wdev, reg + 4);
	if (hi != hi2)
		lo = wse_read(wdev, reg);
	return (u64)hi2 << 32 | lo;
}

/**
 * wse_counters_snapshot() - fold the device's counters into the totals
 * @wdev: the device, quiesced, reset_lock held for writing
 *
 * Called before anything that clears them (a reset, an FLR, a suspend,
 * which a reset follows).
 */
void wse_counters_snapshot(struct wse_device *wdev)
{
	u32 n;

	lockdep_assert_held_write(&wdev->reset_lock);

	for (n = 0; n < WSE_NUM_COUNTERS; n++)
		if (n != WSE_CNT_RESETS)
			wdev->cnt_base[n] += wse_counter_read(wdev, n);
}

/**
 * wse_counters_save_asleep() - remember the device's counters
 * @wdev: the device, idle, about to runtime-suspend, reset_lock held for
 *	writing
 *
 * Reading them must not wake the device: sysfs shows these until resume,
 * which compares the reset count to see whether the device kept its state.
 */
void wse_counters_save_asleep(struct wse_device *wdev)
{
	u32 n;

	lockdep_assert_held_write(&wdev->reset_lock);

	for (n = 0; n < WSE_NUM_COUNTERS; n++)
		wdev->cnt_asleep[n] = wse_counter_read(wdev, n);
}

/**
 * wse_counters_resets() - the device's own count of its resets
 * @wdev: the device, awake
 *
 * Return: resets of any kind, the power-on one included; a device that
 * lost power in D3 counts one more.
 */
u64 wse_counters_resets(struct wse_device *wdev)
{
	return wse_counter_read(wdev, WSE_CNT_RESETS);
}

static ssize_t wse_counter_show(struct device *dev, u32 n, char *buf)
{
	struct wse_device *wdev = wse_dev_to_wdev(dev);
	u64 v;
	int idx;

	if (!drm_dev_enter(&wdev->drm, &idx))
		return -ENODEV;
	down_read(&wdev->reset_lock);
	v = wdev->cnt_base[n];
	/* A suspended device holds nothing new and may not be reachable. */
	if (wdev->runtime_suspended)
		v += wdev->cnt_asleep[n];
	else if (!wdev->suspended)
		v += wse_counter_read(wdev, n);
	up_read(&wdev->reset_lock);
	drm_dev_exit(idx);
	return sysfs_emit(buf, "%llu\n", v);
}

#define WSE_COUNTER_ATTR(name, counter)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return wse_counter_show(dev, counter, buf);			\
}									\
static DEVICE_ATTR_RO(name)

WSE_COUNTER_ATTR(commands_completed, WSE_CNT_CMDS_DONE);
WSE_COUNTER_ATTR(commands_failed, WSE_CNT_CMDS_FAILED);
WSE_COUNTER_ATTR(bytes_to_device, WSE_CNT_BYTES_H2D);
WSE_COUNTER_ATTR(bytes_from_device, WSE_CNT_BYTES_D2H);
WSE_COUNTER_ATTR(kernels_launched, WSE_CNT_LAUNCHES);
WSE_COUNTER_ATTR(wafer_cycles, WSE_CNT_CYCLES);
WSE_COUNTER_ATTR(pe_faults, WSE_CNT_PE_FAULTS);
WSE_COUNTER_ATTR(images_loaded, WSE_CNT_LOADS);

#define WSE_JOB_COUNTER_ATTR(name, counter)				\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct wse_device *wdev = wse_dev_to_wdev(dev);			\
									\
	return sysfs_emit(buf, "%lld\n",					\
			  atomic64_read(&wdev->jobs[counter]));		\
}									\
static DEVICE_ATTR_RO(name)

WSE_JOB_COUNTER_ATTR(jobs_submitted, WSE_JOBS_SUBMITTED);
WSE_JOB_COUNTER_ATTR(jobs_completed, WSE_JOBS_COMPLETED);
WSE_JOB_COUNTER_ATTR(jobs_failed, WSE_JOBS_FAILED);
WSE_JOB_COUNTER_ATTR(jobs_timed_out, WSE_JOBS_TIMED_OUT);

static ssize_t resets_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&wse_dev_to_wdev(dev)->resets));
}
static DEVICE_ATTR_RO(resets);

static ssize_t device_reset_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(buf, 0, &v);
	if (ret)
		return ret;
	if (v != 1)
		return -EINVAL;
	ret = wse_device_reset(wse_dev_to_wdev(dev), "sysfs");
	return ret ?: count;
}
static DEVICE_ATTR_WO(device_reset);

/* What the device reported at probe: hw.@field, or a version as major.minor. */
#define WSE_HW_ATTR(name, field)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%u\n", wse_dev_to_wdev(dev)->hw.field);	\
}									\
static DEVICE_ATTR_RO(name)

#define WSE_HW_VERSION_ATTR(name, field)				\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	u32 v = wse_dev_to_wdev(dev)->hw.field;				\
									\
	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);		\
}									\
static DEVICE_ATTR_RO(name)

WSE_HW_ATTR(mesh_width, mesh_width);
WSE_HW_ATTR(mesh_height, mesh_height);
WSE_HW_ATTR(sram_bytes, sram_bytes);
WSE_HW_VERSION_ATTR(hw_version, version);
WSE_HW_VERSION_ATTR(fw_version, fw_version);
WSE_HW_ATTR(num_queues, num_queues);
WSE_HW_ATTR(num_windows, num_windows);
WSE_HW_ATTR(window_size, window_size);

static struct attribute *wse_dev_attrs[] = {
	&dev_attr_mesh_width.attr,
	&dev_attr_mesh_height.attr,
	&dev_attr_sram_bytes.attr,
	&dev_attr_hw_version.attr,
	&dev_attr_fw_version.attr,
	&dev_attr_num_queues.attr,
	&dev_attr_num_windows.attr,
	&dev_attr_window_size.attr,
	&dev_attr_jobs_submitted.attr,
	&dev_attr_jobs_completed.attr,
	&dev_attr_jobs_failed.attr,
	&dev_attr_jobs_timed_out.attr,
	&dev_attr_commands_completed.attr,
	&dev_attr_commands_failed.attr,
	&dev_attr_bytes_to_device.attr,
	&dev_attr_bytes_from_device.attr,
	&dev_attr_kernels_launched.attr,
	&dev_attr_wafer_cycles.attr,
	&dev_attr_pe_faults.attr,
	&dev_attr_images_loaded.attr,
	&dev_attr_resets.attr,
	&dev_attr_device_reset.attr,
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
