// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Device reset (ioctl, sysfs, PCI function-level reset) and system sleep.
 *
 * Every one of them quiesces the device the same way: stop the
 * schedulers, so that no job starts; take reset_lock for writing, so that
 * nothing else programs the device; stop every queue under its job, which
 * ends with -ECANCELED; fold the device's counters into the driver's
 * totals, since a reset clears them.
 *
 * A reset then drops every context's state on the device (windows,
 * regions, loaded programs: the reset zeroes all SRAM) and bumps the
 * generation, which makes every open file stale and every job it still
 * has queued end with -ECANCELED when its turn comes. Suspend keeps the
 * contexts: regions stay reserved and windows keep their slots, which
 * resume programs again after it reset the device; only SRAM contents and
 * loaded programs are lost.
 */

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/pm.h>

#include <drm/wse_accel.h>

#include "wse_hw.h"
#include "wse_queue.h"
#include "wse_trace.h"
#include "wse_window.h"

static void wse_quiesce(struct wse_device *wdev)
{
	lockdep_assert_held(&wdev->reset_mutex);

	wse_queues_sched_stop(wdev);
	down_write(&wdev->reset_lock);
	wse_queues_abort(wdev, -ECANCELED);
	wse_counters_snapshot(wdev);
}

static void wse_unquiesce(struct wse_device *wdev)
{
	up_write(&wdev->reset_lock);
	wse_queues_sched_start(wdev);
}

/* The reset is about to zero all SRAM: every context loses its state. */
static void wse_contexts_drop(struct wse_device *wdev)
{
	lockdep_assert_held_write(&wdev->reset_lock);

	wse_windows_revoke_all(wdev, false);
	wse_regions_reset(wdev);
	WRITE_ONCE(wdev->generation, wdev->generation + 1);
}

/*
 * Count the reset and tell userspace that SRAM contents are gone (and,
 * unless it was a resume, every context); returns the new count.
 */
static u64 wse_reset_announce(struct wse_device *wdev, const char *reason,
			      int ret)
{
	char event[] = "WSE_RESET=1";
	char why[48], count[48];
	char *envp[4];
	u64 n = atomic64_inc_return(&wdev->resets);

	trace_wse_reset(wdev, reason, n, ret);

	snprintf(why, sizeof(why), "WSE_RESET_REASON=%s", reason);
	snprintf(count, sizeof(count), "WSE_RESET_COUNT=%llu", n);
	envp[0] = event;
	envp[1] = why;
	envp[2] = count;
	envp[3] = NULL;
	kobject_uevent_env(&wdev->drm.dev->kobj, KOBJ_CHANGE, envp);
	if (ret)
		wse_err(wdev, "reset #%llu (%s): the device did not come back: %d\n",
			n, reason, ret);
	else
		wse_info(wdev, "reset #%llu (%s): SRAM zeroed\n", n, reason);
	return n;
}

/*
 * Reset the device and drop every context's state; @count gets the reset
 * count including this one. Returns 0; -EIO if the device did not come
 * back ready (its queues are then out of service); -ENODEV if it is gone;
 * -EBUSY while suspended.
 */
static int wse_device_reset_count(struct wse_device *wdev, const char *reason,
				  u64 *count)
{
	int ret, idx;
	u64 n;

	mutex_lock(&wdev->reset_mutex);
	if (!drm_dev_enter(&wdev->drm, &idx)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (wdev->suspended) {
		ret = -EBUSY;
		goto out_exit;
	}

	wse_quiesce(wdev);
	wse_contexts_drop(wdev);
	ret = wse_hw_reset(wdev);
	wse_queues_reinit(wdev, !ret);
	wse_unquiesce(wdev);
	n = wse_reset_announce(wdev, reason, ret);
	if (count)
		*count = n;
out_exit:
	drm_dev_exit(idx);
out_unlock:
	mutex_unlock(&wdev->reset_mutex);
	return ret;
}

/**
 * wse_device_reset() - reset the device and drop every context's state
 * @wdev: the device
 * @reason: for the uevent and the log ("sysfs")
 *
 * Return: 0, -EIO if the device did not come back ready, -ENODEV if it is
 * gone, -EBUSY while suspended.
 */
int wse_device_reset(struct wse_device *wdev, const char *reason)
{
	return wse_device_reset_count(wdev, reason, NULL);
}

int wse_reset_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_reset *args = data;
	u64 count = 0;
	int ret;

	if (args->mode != DRM_WSE_RESET_DEVICE || args->flags) {
		wse_dbg(wdev, IOCTL, "RESET: mode %u, flags %#x\n", args->mode,
			args->flags);
		return -EINVAL;
	}
	ret = wse_device_reset_count(wdev, "ioctl", &count);
	if (!ret || ret == -EIO)
		args->reset_count = count;
	return ret;
}

/*
 * PCI function-level reset (the PCI core's reset attribute, VFIO...). The
 * core calls prepare and done from one thread with the device locked; the
 * device is unreachable in between, so the quiesced state, reset_mutex
 * and reset_lock are held from one to the other.
 */
static void wse_pci_reset_prepare(struct pci_dev *pdev)
{
	struct wse_device *wdev = pci_get_drvdata(pdev);

	mutex_lock(&wdev->reset_mutex);
	wdev->flr_entered = !wdev->suspended &&
			    drm_dev_enter(&wdev->drm, &wdev->flr_idx);
	if (!wdev->flr_entered)
		return;
	wse_dbg(wdev, PM, "function-level reset\n");
	wse_quiesce(wdev);
	wse_contexts_drop(wdev);
}

static void wse_pci_reset_done(struct pci_dev *pdev)
{
	struct wse_device *wdev = pci_get_drvdata(pdev);
	int ret;

	if (wdev->flr_entered) {
		/* From a known state whatever the FLR did; checks READY. */
		ret = wse_hw_reset(wdev);
		wse_queues_reinit(wdev, !ret);
		wse_unquiesce(wdev);
		drm_dev_exit(wdev->flr_idx);
		wdev->flr_entered = false;
		wse_reset_announce(wdev, "flr", ret);
	}
	mutex_unlock(&wdev->reset_mutex);
}

const struct pci_error_handlers wse_err_handlers = {
	.reset_prepare = wse_pci_reset_prepare,
	.reset_done = wse_pci_reset_done,
};

/*
 * System sleep: quiesce and hide the windows; nothing is saved. Jobs
 * queued meanwhile wait for resume.
 */
static int wse_pm_suspend(struct device *dev)
{
	struct wse_device *wdev = dev_get_drvdata(dev);
	int idx;

	mutex_lock(&wdev->reset_mutex);
	if (drm_dev_enter(&wdev->drm, &idx)) {
		wse_dbg(wdev, PM, "suspend\n");
		wse_quiesce(wdev);
		wse_windows_hide(wdev);
		wdev->suspended = true;
		/* The schedulers stay stopped until resume. */
		up_write(&wdev->reset_lock);
		drm_dev_exit(idx);
	}
	mutex_unlock(&wdev->reset_mutex);
	return 0;
}

/*
 * Reset the device into a known state and give every context its queue
 * configuration and windows back; SRAM reads as zeros.
 */
static int wse_pm_resume(struct device *dev)
{
	struct wse_device *wdev = dev_get_drvdata(dev);
	int ret = 0, idx;

	mutex_lock(&wdev->reset_mutex);
	if (!wdev->suspended)
		goto out_unlock;
	if (!drm_dev_enter(&wdev->drm, &idx)) {
		/* Gone while asleep: let queued jobs fail with -ENODEV. */
		wdev->suspended = false;
		wse_queues_sched_start(wdev);
		goto out_unlock;
	}
	down_write(&wdev->reset_lock);
	ret = wse_hw_reset(wdev);
	wse_queues_reinit(wdev, !ret);
	if (ret)
		wse_windows_revoke_all(wdev, false);
	wse_windows_restore(wdev);
	wdev->suspended = false;
	wse_unquiesce(wdev);
	drm_dev_exit(idx);
	wse_reset_announce(wdev, "resume", ret);
out_unlock:
	mutex_unlock(&wdev->reset_mutex);
	return ret;
}

DEFINE_SIMPLE_DEV_PM_OPS(wse_pm_ops, wse_pm_suspend, wse_pm_resume);

/**
 * wse_pm_init() - set up the reset machinery
 * @wdev: the device
 *
 * Return: 0 or a negative errno.
 */
int wse_pm_init(struct wse_device *wdev)
{
	init_rwsem(&wdev->reset_lock);
	atomic64_set(&wdev->resets, 0);
	return drmm_mutex_init(&wdev->drm, &wdev->reset_mutex);
}
