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
 *
 * Runtime PM puts an idle device in D3hot after autosuspend_delay_ms
 * (WSE_AUTOSUSPEND_MS unless userspace sets power/autosuspend_delay_ms).
 * Idle means no runtime PM reference: none is held by an open file as
 * such, but every job from SUBMIT until it is freed, every mapping of a
 * window, and every ioctl or close while it programs the device hold one.
 * The device keeps its state in D3hot (its power management capability
 * says No_Soft_Reset): SRAM, loaded programs, queue configuration and
 * window slots are all there after the resume, so runtime PM is invisible
 * to userspace but for latency. D3cold, which would lose them, is
 * disabled. Should the device still come back without its state (it
 * counted a reset of its own: power was cut during a system sleep it
 * slept through), the resume resets it as an FLR would.
 *
 * A mapped window keeps the device awake rather than resuming it on a
 * fault: loads and stores through the mapping never enter the driver,
 * which could only see them by zapping the mapping at every suspend and
 * taking a fault (and a resume) after it, and a program polling a window
 * would make the device bounce between D0 and D3hot.
 */

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/pm.h>
#include <linux/pm_runtime.h>

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

	if (!drm_dev_enter(&wdev->drm, &idx))
		return -ENODEV;
	/* Outermost: the runtime resume takes reset_lock. */
	ret = wse_pm_get(wdev);
	drm_dev_exit(idx);
	if (ret)
		return ret;

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
	wse_pm_put(wdev);
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
 * and reset_lock are held from one to the other, and so is a runtime PM
 * reference: the device is awake before and after the FLR.
 */
static void wse_pci_reset_prepare(struct pci_dev *pdev)
{
	struct wse_device *wdev = pci_get_drvdata(pdev);

	wdev->flr_awake = !wse_pm_get(wdev);
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
	if (wdev->flr_awake)
		wse_pm_put(wdev);
	wdev->flr_awake = false;
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

/* The default of power/autosuspend_delay_ms */
#define WSE_AUTOSUSPEND_MS	1000

/**
 * wse_pm_get() - keep the device awake, resuming it if it sleeps
 * @wdev: the device
 *
 * Called holding none of the driver's locks (the mmap_lock is fine): the
 * resume takes reset_lock. Pair with wse_pm_put() if it returns 0.
 *
 * Return: 0, or the resume's negative errno (and no reference is held).
 */
int wse_pm_get(struct wse_device *wdev)
{
	int ret = pm_runtime_resume_and_get(wdev->drm.dev);

	if (ret)
		wse_err_ratelimited(wdev, "runtime resume failed: %d\n", ret);
	return ret;
}

/**
 * wse_pm_get_awake() - one more reference on a device known to be awake
 * @wdev: the device; the caller holds a reference
 *
 * Never resumes, so any context may take it. Pair with wse_pm_put().
 */
void wse_pm_get_awake(struct wse_device *wdev)
{
	pm_runtime_get_noresume(wdev->drm.dev);
}

/**
 * wse_pm_put() - drop a reference; the device suspends once idle long enough
 * @wdev: the device
 *
 * Any context, even after the device was unplugged.
 */
void wse_pm_put(struct wse_device *wdev)
{
	pm_runtime_mark_last_busy(wdev->drm.dev);
	pm_runtime_put_autosuspend(wdev->drm.dev);
}

/*
 * Nothing holds a reference, so no job exists and nothing programs the
 * device: remember the counters for sysfs, which must not wake it, and
 * let the PCI core save the config space and enter D3hot.
 */
static int wse_pm_runtime_suspend(struct device *dev)
{
	struct wse_device *wdev = dev_get_drvdata(dev);
	struct pci_dev *pdev = to_pci_dev(dev);
	u32 v;

	/* A queue error reported by the last job's end is handled awake. */
	flush_work(&wdev->event_work);
	for (v = 0; v < wdev->num_vectors; v++)
		synchronize_irq(pci_irq_vector(pdev, v));

	down_write(&wdev->reset_lock);
	wse_counters_save_asleep(wdev);
	wdev->runtime_suspended = true;
	up_write(&wdev->reset_lock);
	wse_dbg(wdev, PM, "runtime suspend\n");
	return 0;
}

/*
 * The PCI core brought the device back to D0 and restored its config
 * space. It kept its state (No_Soft_Reset) unless it lost power (a system
 * sleep the device slept through in D3hot, then D3cold): then it counted
 * one more reset of its own, and it is reset and every context dropped,
 * as after an FLR.
 */
static int wse_pm_runtime_resume(struct device *dev)
{
	struct wse_device *wdev = dev_get_drvdata(dev);
	u32 id, status, n;
	bool lost;
	int ret = 0;

	down_write(&wdev->reset_lock);
	id = wse_read(wdev, WSE_REG_ID);
	status = wse_read(wdev, WSE_REG_STATUS);
	if (id == U32_MAX) {
		/* Gone: stay suspended; remove() is on its way. */
		up_write(&wdev->reset_lock);
		return -ENODEV;
	}
	lost = id != WSE_ID_MAGIC || !(status & WSE_STATUS_READY) ||
	       (status & WSE_STATUS_FATAL) ||
	       wse_counters_resets(wdev) != wdev->cnt_asleep[WSE_CNT_RESETS];
	if (lost) {
		wse_warn(wdev, "lost its state while suspended (status %#x): reset\n",
			 status);
		/* The totals go on from what the device counted before. */
		for (n = 0; n < WSE_NUM_COUNTERS; n++)
			if (n != WSE_CNT_RESETS)
				wdev->cnt_base[n] += wdev->cnt_asleep[n];
		wse_contexts_drop(wdev);
		ret = wse_hw_reset(wdev);
		wse_queues_reinit(wdev, !ret);
	}
	wdev->runtime_suspended = false;
	up_write(&wdev->reset_lock);
	if (lost)
		wse_reset_announce(wdev, "runtime-resume", ret);
	wse_dbg(wdev, PM, "runtime resume\n");
	return 0;
}

const struct dev_pm_ops wse_pm_ops = {
	SYSTEM_SLEEP_PM_OPS(wse_pm_suspend, wse_pm_resume)
	RUNTIME_PM_OPS(wse_pm_runtime_suspend, wse_pm_runtime_resume, NULL)
};

/**
 * wse_pm_runtime_init() - let the device autosuspend
 * @wdev: the device, registered
 *
 * Drops the reference the PCI core holds during probe; the device sleeps
 * once nothing used it for autosuspend_delay_ms.
 */
void wse_pm_runtime_init(struct wse_device *wdev)
{
	struct device *dev = wdev->drm.dev;

	/* D3cold would lose SRAM: runtime PM is to be invisible. */
	pci_d3cold_disable(to_pci_dev(dev));
	pm_runtime_set_autosuspend_delay(dev, WSE_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_mark_last_busy(dev);
	pm_runtime_allow(dev);
	pm_runtime_put_autosuspend(dev);
}

/**
 * wse_pm_runtime_fini() - keep the device awake from remove() on
 * @wdev: the device; the PCI core resumed it for remove()
 *
 * Takes back the reference wse_pm_runtime_init() dropped. References of
 * jobs and mappings that outlive the device are dropped as usual.
 */
void wse_pm_runtime_fini(struct wse_device *wdev)
{
	struct device *dev = wdev->drm.dev;

	pm_runtime_get_noresume(dev);
	pm_runtime_forbid(dev);
	pm_runtime_dont_use_autosuspend(dev);
}

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
