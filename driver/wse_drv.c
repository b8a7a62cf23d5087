// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * The wse DRM accel driver: PCI binding, module parameters, the ioctl
 * table and the file entry points.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include <drm/wse_accel.h>

#include "wse_coredump.h"
#include "wse_gem.h"
#include "wse_hw.h"
#include "wse_job.h"
#include "wse_limits.h"
#include "wse_queue.h"
#include "wse_usage.h"
#include "wse_window.h"

/*
 * What one command may move, whatever the device allows: the device list
 * of a command must be physically contiguous (at most 129 KiB for 32 MiB
 * of 4 KiB pages).
 */
#define WSE_DRV_MAX_XFER	SZ_32M

static_assert(DRM_WSE_CAP_QUEUES == WSE_CAP_QUEUES);
static_assert(DRM_WSE_CAP_WINDOWS == WSE_CAP_WINDOWS);
static_assert(DRM_WSE_CAP_KERNELS == WSE_CAP_KERNELS);
static_assert(DRM_WSE_CAP_RECT == WSE_CAP_RECT);
static_assert(DRM_WSE_CAP_STREAM == WSE_CAP_STREAM);

int wse_dbg_mask;
module_param_named(dbg_mask, wse_dbg_mask, int, 0644);
MODULE_PARM_DESC(dbg_mask, "Debug message categories, a mask of WSE_DBG_* (default 0)");

unsigned int wse_timeout_ms = 60000;
module_param_named(timeout_ms, wse_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "Run time limit of jobs that set none, in ms; 0: no limit (default 60000)");

static int wse_get_info_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_info *args = data;

	if (args->flags || args->pad) {
		wse_dbg(wdev, IOCTL, "GET_INFO: flags %#x, pad %#x\n",
			args->flags, args->pad);
		return -EINVAL;
	}
	args->hw_version = wdev->hw.version;
	args->fw_version = wdev->hw.fw_version;
	args->caps = wdev->hw.caps & WSE_CAPS_KNOWN;
	args->mesh_width = wdev->hw.mesh_width;
	args->mesh_height = wdev->hw.mesh_height;
	args->sram_bytes = wdev->hw.sram_bytes;
	args->num_queues = wdev->hw.num_queues;
	args->num_windows = wdev->hw.num_windows;
	args->window_size = wdev->hw.window_size;
	args->max_xfer = wdev->max_xfer;
	args->max_image = wdev->max_image;
	return 0;
}

static const struct drm_ioctl_desc wse_drm_ioctls[] = {
	DRM_IOCTL_DEF_DRV(WSE_GET_INFO, wse_get_info_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_BO_CREATE, wse_bo_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_BO_INFO, wse_bo_info_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_REGION_ALLOC, wse_region_alloc_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_REGION_FREE, wse_region_free_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_SUBMIT, wse_submit_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_WAIT, wse_wait_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_WINDOW_CREATE, wse_window_create_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_RESET, wse_reset_ioctl, DRM_ROOT_ONLY),
	DRM_IOCTL_DEF_DRV(WSE_GET_PARAM, wse_get_param_ioctl, 0),
	DRM_IOCTL_DEF_DRV(WSE_BO_USERPTR, wse_bo_userptr_ioctl, 0),
};

/* The DRM core ioctls that mean something on an accel node. */
static bool wse_core_ioctl_allowed(unsigned int nr)
{
	switch (nr) {
	case DRM_IOCTL_NR(DRM_IOCTL_VERSION):
	case DRM_IOCTL_NR(DRM_IOCTL_GET_CAP):
	case DRM_IOCTL_NR(DRM_IOCTL_GEM_CLOSE):
	case DRM_IOCTL_NR(DRM_IOCTL_PRIME_HANDLE_TO_FD):
	case DRM_IOCTL_NR(DRM_IOCTL_PRIME_FD_TO_HANDLE):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_CREATE):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_DESTROY):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_WAIT):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_RESET):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_SIGNAL):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_QUERY):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TRANSFER):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_EVENTFD):
		return true;
	default:
		return false;
	}
}

/* More syncobj handles than any user of one device needs. */
#define WSE_MAX_SYNCOBJ_HANDLES	SZ_64K

/*
 * The syncobj array ioctls kmalloc() count_handles entries without
 * __GFP_NOWARN: in Linux 6.12 a count above 1M trips the page allocator's
 * WARN (found by tests/fuzz/ioctl-fuzz.c). Refuse large counts first.
 * drm_ioctl() reads the struct again, so a racing thread could still
 * change it: this keeps honest mistakes and fuzzers from warning, it is
 * not a security boundary.
 */
static long wse_syncobj_count_check(unsigned int cmd, unsigned long arg)
{
	size_t off;
	u32 count;

	switch (DRM_IOCTL_NR(cmd)) {
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_WAIT):
		off = offsetof(struct drm_syncobj_wait, count_handles);
		break;
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT):
		off = offsetof(struct drm_syncobj_timeline_wait, count_handles);
		break;
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_RESET):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_SIGNAL):
		off = offsetof(struct drm_syncobj_array, count_handles);
		break;
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_QUERY):
	case DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL):
		off = offsetof(struct drm_syncobj_timeline_array, count_handles);
		break;
	default:
		return 0;
	}
	if (_IOC_SIZE(cmd) < off + sizeof(count))
		return 0;
	if (get_user(count, (u32 __user *)(arg + off)))
		return -EFAULT;
	return count > WSE_MAX_SYNCOBJ_HANDLES ? -EINVAL : 0;
}

/*
 * drm_ioctl() dispatches on the ioctl number alone, and on accel nodes
 * some legacy core ioctls dereference a DRM master these files never have
 * (DRM_IOCTL_GET_UNIQUE and DRM_IOCTL_GET_MAGIC oops Debian's 6.12).
 * Refuse everything but our own ioctls and the core ones accel users need.
 */
static long wse_ioctl_check(struct file *filp, unsigned int cmd)
{
	struct drm_file *file = filp->private_data;
	unsigned int nr = DRM_IOCTL_NR(cmd);

	/* A tty ioctl (isatty()) would otherwise be taken for a DRM one. */
	if (_IOC_TYPE(cmd) != DRM_IOCTL_BASE)
		return -ENOTTY;
	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END)
		return 0;
	if (wse_core_ioctl_allowed(nr))
		return 0;
	wse_dbg(to_wse_device(file->minor->dev), IOCTL,
		"refused DRM core ioctl %#x\n", nr);
	return -EOPNOTSUPP;
}

/*
 * The ioctls that may program the device: it is resumed for them (and a
 * job then keeps it awake until the job is freed). The others only touch
 * memory and cached identity, and a WAIT may sleep long.
 */
static bool wse_ioctl_wakes(unsigned int cmd)
{
	switch (DRM_IOCTL_NR(cmd)) {
	case DRM_COMMAND_BASE + DRM_WSE_REGION_ALLOC:
	case DRM_COMMAND_BASE + DRM_WSE_REGION_FREE:
	case DRM_COMMAND_BASE + DRM_WSE_SUBMIT:
	case DRM_COMMAND_BASE + DRM_WSE_WINDOW_CREATE:
	case DRM_COMMAND_BASE + DRM_WSE_RESET:
		return true;
	default:
		return false;
	}
}

static long wse_ioctl_awake(struct file *filp, unsigned int cmd,
			    unsigned long arg,
			    long (*ioctl)(struct file *, unsigned int,
					  unsigned long))
{
	struct drm_file *file = filp->private_data;
	struct wse_device *wdev = to_wse_device(file->minor->dev);
	long ret;
	int idx;

	if (!wse_ioctl_wakes(cmd))
		return ioctl(filp, cmd, arg);
	/* Gone: -ENODEV, as without runtime PM. */
	if (!drm_dev_enter(&wdev->drm, &idx))
		return -ENODEV;
	ret = wse_pm_get(wdev);
	drm_dev_exit(idx);
	if (ret)
		return ret;
	ret = ioctl(filp, cmd, arg);
	wse_pm_put(wdev);
	return ret;
}

static long wse_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	long ret = wse_ioctl_check(filp, cmd);

	if (!ret)
		ret = wse_syncobj_count_check(cmd, arg);
	return ret ?: wse_ioctl_awake(filp, cmd, arg, drm_ioctl);
}

#ifdef CONFIG_COMPAT
static long wse_compat_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	long ret = wse_ioctl_check(filp, cmd);

	if (!ret)
		ret = wse_syncobj_count_check(cmd, (unsigned long)compat_ptr(arg));
	return ret ?: wse_ioctl_awake(filp, cmd, arg, drm_compat_ioctl);
}
#endif

static const struct file_operations wse_fops = {
	.owner = THIS_MODULE,
	.open = accel_open,
	.release = drm_release,
	.unlocked_ioctl = wse_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = wse_compat_ioctl,
#endif
	.poll = drm_poll,
	.show_fdinfo = drm_show_fdinfo,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static int wse_open(struct drm_device *drm, struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct wse_file_priv *fpriv;

	fpriv = kzalloc(sizeof(*fpriv), GFP_KERNEL);
	if (!fpriv)
		return -ENOMEM;
	fpriv->usage = wse_usage_alloc();
	fpriv->budget = wse_budget_new();
	if (!fpriv->usage || !fpriv->budget) {
		wse_usage_put(fpriv->usage);
		wse_budget_put(fpriv->budget);
		kfree(fpriv);
		return -ENOMEM;
	}
	fpriv->wdev = wdev;
	mutex_init(&fpriv->lock);
	xa_init(&fpriv->results);
	INIT_LIST_HEAD(&fpriv->windows);
	fpriv->next_job_id = 1;
	fpriv->pid = task_tgid_nr(current);
	/* A file opened during a reset belongs to the device after it. */
	down_read(&wdev->reset_lock);
	fpriv->generation = wdev->generation;
	up_read(&wdev->reset_lock);
	file->driver_priv = fpriv;
	wse_dbg(wdev, FILE, "open by pid %d\n", task_tgid_nr(current));
	return 0;
}

static void wse_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_device *wdev = to_wse_device(drm);
	bool awake = false;
	int idx;

	/* The scrub and the queue's release program the device. */
	if (drm_dev_enter(drm, &idx)) {
		awake = !wse_pm_get(wdev);
		drm_dev_exit(idx);
	}
	/* Jobs first: the region's scrub needs an idle queue. */
	wse_job_file_cancel(fpriv);
	wse_region_file_fini(fpriv);
	wse_windows_file_fini(fpriv);
	wse_job_file_fini(fpriv);
	if (awake)
		wse_pm_put(wdev);
	mutex_destroy(&fpriv->lock);
	wse_usage_put(fpriv->usage);
	kfree(fpriv);
	wse_dbg(to_wse_device(drm), FILE, "closed\n");
}

static const struct drm_driver wse_drm_driver = {
	.driver_features = DRIVER_COMPUTE_ACCEL | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,

	.open = wse_open,
	.postclose = wse_postclose,
	.show_fdinfo = wse_show_fdinfo,

	.gem_create_object = wse_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,

	.ioctls = wse_drm_ioctls,
	.num_ioctls = ARRAY_SIZE(wse_drm_ioctls),
	.fops = &wse_fops,

	.name = DRIVER_NAME,
	.desc = DRIVER_DESC,
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
	.patchlevel = DRIVER_PATCHLEVEL,
};

static void wse_wq_destroy(struct drm_device *drm, void *arg)
{
	destroy_workqueue(to_wse_device(drm)->wq);
}

static int wse_pci_init(struct wse_device *wdev)
{
	struct pci_dev *pdev = to_pci_dev(wdev->drm.dev);
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (pci_resource_len(pdev, WSE_BAR_REGS) < WSE_REGS_SIZE) {
		wse_err(wdev, "register BAR too small: %pR\n",
			&pdev->resource[WSE_BAR_REGS]);
		return -ENODEV;
	}
	wdev->regs = pcim_iomap_region(pdev, WSE_BAR_REGS, DRIVER_NAME);
	if (IS_ERR(wdev->regs))
		return PTR_ERR(wdev->regs);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	/* Scatter-gather entries hold 32-bit lengths. */
	dma_set_max_seg_size(&pdev->dev, U32_MAX);
	pci_set_master(pdev);
	return 0;
}

static int wse_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct wse_device *wdev;
	int ret;

	wdev = devm_drm_dev_alloc(&pdev->dev, &wse_drm_driver,
				  struct wse_device, drm);
	if (IS_ERR(wdev))
		return PTR_ERR(wdev);
	pci_set_drvdata(pdev, wdev);

	ret = wse_pm_init(wdev);
	if (ret)
		return ret;
	ret = wse_pci_init(wdev);
	if (ret)
		return ret;
	ret = wse_hw_init(wdev);
	if (ret)
		return ret;
	ret = wse_windows_init(wdev);
	if (ret)
		return ret;
	wdev->max_xfer = min(wdev->hw.max_xfer, WSE_DRV_MAX_XFER);
	wdev->max_image = min(wdev->hw.max_image, WSE_DRV_MAX_XFER);

	ret = drmm_mutex_init(&wdev->drm, &wdev->queue_lock);
	if (ret)
		return ret;
	wdev->gate_context = dma_fence_context_alloc(1);
	wdev->wq = alloc_workqueue("wse", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!wdev->wq)
		return -ENOMEM;
	/* Before the queues: released after them. */
	ret = drmm_add_action_or_reset(&wdev->drm, wse_wq_destroy, NULL);
	if (ret)
		return ret;

	ret = wse_regions_init(wdev);
	if (ret)
		return ret;
	ret = wse_queues_init(wdev);
	if (ret)
		return ret;
	ret = wse_coredump_init(wdev);
	if (ret)
		return ret;
	ret = wse_sysfs_init(wdev);
	if (ret)
		return ret;
	wse_debugfs_init(wdev);

	ret = drm_dev_register(&wdev->drm, 0);
	if (ret)
		return ret;
	wse_pm_runtime_init(wdev);

	wse_info(wdev, "wafer of %ux%u PEs with %u KiB each, %u queues, interface %u.%u\n",
		 wdev->hw.mesh_width, wdev->hw.mesh_height,
		 wdev->hw.sram_bytes / SZ_1K, wdev->hw.num_queues,
		 wdev->hw.version >> 16, wdev->hw.version & 0xffff);
	return 0;
}

/*
 * Unbind, hot-unplug (pciehp, sysfs remove) and rmmod. Files may stay
 * open, with mappings and jobs: they keep the drm_device alive, every
 * ioctl fails with -ENODEV, window mappings raise SIGBUS, and close
 * works.
 */
static void wse_remove(struct pci_dev *pdev)
{
	struct wse_device *wdev = pci_get_drvdata(pdev);

	wse_pm_runtime_fini(wdev);
	/*
	 * First end the jobs on the hardware and keep new ones off it:
	 * a drm_dev_enter() section may wait for one (a region's scrub, or
	 * a reset behind its reset_lock), and unplug would wait for that.
	 */
	wse_queues_stop(wdev);
	/* New ioctls fail with -ENODEV; ones touching the hardware are done. */
	drm_dev_unplug(&wdev->drm);
	/* Removed while asleep: let the queued jobs fail. */
	if (wdev->suspended) {
		wdev->suspended = false;
		wse_queues_sched_start(wdev);
	}
	/* BAR2 goes back to the PCI core: no mapping may point into it. */
	wse_windows_revoke_all(wdev, false);
	/* Leave nothing running and no SRAM contents behind. */
	if (wse_read(wdev, WSE_REG_ID) == WSE_ID_MAGIC)
		wse_hw_reset(wdev);
	wse_dbg(wdev, PM, "removed\n");
}

static const struct pci_device_id wse_pci_ids[] = {
	{ PCI_DEVICE(WSE_PCI_VENDOR_ID, WSE_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, wse_pci_ids);

static struct pci_driver wse_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = wse_pci_ids,
	.probe = wse_probe,
	.remove = wse_remove,
	.err_handler = &wse_err_handlers,
	.driver.pm = pm_ptr(&wse_pm_ops),
};

module_pci_driver(wse_pci_driver);

MODULE_AUTHOR("The wse authors");
MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
