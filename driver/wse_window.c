// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * SRAM windows: GEM objects without pages of their own. Each occupies a
 * BAR2 slot programmed onto a range of its owner's region; mapping the
 * object maps the slot, write-combined, so that loads and stores reach
 * the SRAM without a system call.
 *
 * The mappings are filled in by the fault handler, under window_lock,
 * never at mmap() time: a VMA is linked into the file's address space
 * only after ->mmap returns, so PTEs installed there could escape a
 * revocation racing with the mmap(). Revoking a window (region freed,
 * device reset or gone) clears its slot and zaps its mappings under the
 * same lock, and every later fault raises SIGBUS.
 */

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_vma_manager.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include <drm/wse_accel.h>

#include "wse_hw.h"
#include "wse_job.h"
#include "wse_trace.h"
#include "wse_window.h"

/* Offsets and lengths: the device's 4 KiB grain, or the page if larger */
#define WSE_WINDOW_GRAIN	max_t(u32, WSE_WINDOW_ALIGN, PAGE_SIZE)

static const struct drm_gem_object_funcs wse_window_funcs;

/**
 * wse_gem_is_window() - whether a GEM object is a window, not a buffer
 * @obj: the object
 *
 * Return: true for windows.
 */
bool wse_gem_is_window(const struct drm_gem_object *obj)
{
	return obj->funcs == &wse_window_funcs;
}

static void wse_window_hw_disable(struct wse_device *wdev, u32 slot)
{
	wse_write(wdev, WSE_REG_W(slot, WSE_W_CTRL), 0);
}

/* Program the window's slot and check that the device took it. */
static int wse_window_hw_program(struct wse_window *win)
{
	struct wse_device *wdev = win->wdev;
	u32 slot = win->slot, ctrl = WSE_WCTRL_ENABLE, status;

	if (win->readonly)
		ctrl |= WSE_WCTRL_READONLY;
	wse_write(wdev, WSE_REG_W(slot, WSE_W_PE_XY), win->pe_x | win->pe_y << 16);
	wse_write(wdev, WSE_REG_W(slot, WSE_W_OFFSET), win->offset);
	wse_write(wdev, WSE_REG_W(slot, WSE_W_LENGTH), win->length);
	/* The CTRL write applies the three above at once. */
	wse_write(wdev, WSE_REG_W(slot, WSE_W_CTRL), ctrl);
	status = wse_read(wdev, WSE_REG_W(slot, WSE_W_STATUS));
	if (status != WSE_WSTATUS_ACTIVE) {
		wse_err_ratelimited(wdev, "window slot %u: PE (%u,%u) + %#x, %#x bytes refused: status %#x\n",
				    slot, win->pe_x, win->pe_y, win->offset,
				    win->length, status);
		wse_window_hw_disable(wdev, slot);
		return -EIO;
	}
	return 0;
}

/*
 * Take the slot away from the window and zap every mapping of it: from
 * now on faults find no slot and raise SIGBUS. With @hw the slot is
 * darkened too; without, the caller knows the device did it (reset) or
 * cannot be touched.
 */
static void wse_window_revoke_locked(struct wse_window *win, bool hw)
{
	struct wse_device *wdev = win->wdev;

	lockdep_assert_held(&wdev->window_lock);

	if (win->slot < 0)
		return;
	if (hw)
		wse_window_hw_disable(wdev, win->slot);
	trace_wse_window_revoke(wdev, win->slot, win->pe_x, win->pe_y,
				win->offset, win->length);
	wdev->slots[win->slot] = NULL;
	wse_dbg(wdev, WINDOW, "slot %d revoked\n", win->slot);
	win->slot = -1;
	drm_vma_node_unmap(&win->base.vma_node, wdev->drm.anon_inode->i_mapping);
}

static vm_fault_t wse_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct wse_window *win = to_wse_window(vma->vm_private_data);
	struct wse_device *wdev = win->wdev;
	unsigned long first = drm_vma_node_start(&win->base.vma_node);
	unsigned long pages = win->length >> PAGE_SHIFT;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long addr, pgoff, pfn;
	int idx;

	if (!drm_dev_enter(&wdev->drm, &idx))
		return VM_FAULT_SIGBUS;

	mutex_lock(&wdev->window_lock);
	if (win->slot < 0 || wdev->windows_hidden)
		goto out_unlock;
	pfn = (wdev->window_bar +
	       (resource_size_t)win->slot * wdev->hw.window_size) >> PAGE_SHIFT;
	/* The slot is small: map all of the VMA at once. */
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) -
			first;
		if (pgoff >= pages) {
			ret = VM_FAULT_SIGBUS;
			break;
		}
		ret = vmf_insert_pfn(vma, addr, pfn + pgoff);
		if (ret & VM_FAULT_ERROR)
			break;
	}
out_unlock:
	mutex_unlock(&wdev->window_lock);
	drm_dev_exit(idx);
	return ret;
}

/*
 * Each mapping holds a runtime PM reference, taken by mmap() and by
 * open() for the copies a fork or split makes: loads and stores through
 * it reach the device without the driver (wse_pm.c).
 */
static void wse_window_vm_open(struct vm_area_struct *vma)
{
	struct wse_window *win = to_wse_window(vma->vm_private_data);

	wse_pm_get_awake(win->wdev);
	drm_gem_vm_open(vma);
}

static void wse_window_vm_close(struct vm_area_struct *vma)
{
	struct wse_device *wdev = to_wse_window(vma->vm_private_data)->wdev;

	/* May free the window, which darkens its slot: still awake. */
	drm_gem_vm_close(vma);
	wse_pm_put(wdev);
}

static const struct vm_operations_struct wse_window_vm_ops = {
	.fault = wse_window_fault,
	.open = wse_window_vm_open,
	.close = wse_window_vm_close,
};

static int wse_window_mmap(struct drm_gem_object *obj,
			   struct vm_area_struct *vma)
{
	struct wse_window *win = to_wse_window(obj);
	struct wse_device *wdev = win->wdev;
	bool revoked;
	int ret;

	/*
	 * Copy-on-write of device memory: vmf_insert_pfn() cannot do it.
	 * VM_MAYSHARE, not VM_SHARED: mmap() clears VM_SHARED (and
	 * VM_MAYWRITE) of a shared mapping of a file opened read-only,
	 * which still never gets a private copy.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE)) {
		wse_dbg(wdev, WINDOW, "private mapping refused\n");
		return -EINVAL;
	}
	if (win->readonly) {
		if (vma->vm_flags & VM_WRITE) {
			wse_dbg(wdev, WINDOW, "writable mapping of a read-only window refused\n");
			return -EACCES;
		}
		/* Nor may mprotect() make it writable. */
		vm_flags_clear(vma, VM_MAYWRITE);
	}

	/* The mapping's reference, dropped by wse_window_vm_close(). */
	ret = wse_pm_get(wdev);
	if (ret)
		return ret;
	mutex_lock(&wdev->window_lock);
	revoked = win->slot < 0;
	mutex_unlock(&wdev->window_lock);
	if (revoked) {
		wse_pm_put(wdev);
		return -EIO;
	}

	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = pgprot_writecombine(vm_get_page_prot(vma->vm_flags));
	vma->vm_page_prot = pgprot_decrypted(vma->vm_page_prot);
	return 0;
}

/* A window shows a context's SRAM: it is not shared, not even explicitly. */
static struct dma_buf *wse_window_export(struct drm_gem_object *obj, int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static void wse_window_free(struct drm_gem_object *obj)
{
	struct wse_window *win = to_wse_window(obj);
	struct wse_device *wdev = win->wdev;
	bool hw;
	int idx;

	hw = drm_dev_enter(&wdev->drm, &idx);
	/* Darkening the slot needs the device awake (no lock is held). */
	if (hw && wse_pm_get(wdev)) {
		drm_dev_exit(idx);
		hw = false;
	}
	mutex_lock(&wdev->window_lock);
	if (win->owner)
		list_del(&win->link);
	wse_window_revoke_locked(win, hw && !wdev->windows_hidden);
	mutex_unlock(&wdev->window_lock);
	if (hw) {
		wse_pm_put(wdev);
		drm_dev_exit(idx);
	}

	drm_gem_object_release(obj);
	kfree(win);
}

static const struct drm_gem_object_funcs wse_window_funcs = {
	.free = wse_window_free,
	.export = wse_window_export,
	.mmap = wse_window_mmap,
	.vm_ops = &wse_window_vm_ops,
};

/* Put @win on a free slot and program it; -ENOSPC if there is none. */
static int wse_window_attach_locked(struct wse_window *win)
{
	struct wse_device *wdev = win->wdev;
	u32 slot;
	int ret;

	lockdep_assert_held(&wdev->window_lock);

	for (slot = 0; slot < wdev->hw.num_windows; slot++)
		if (!wdev->slots[slot])
			break;
	if (slot == wdev->hw.num_windows)
		return -ENOSPC;

	win->slot = slot;
	ret = wse_window_hw_program(win);
	if (ret) {
		win->slot = -1;
		return ret;
	}
	wdev->slots[slot] = win;
	trace_wse_window_map(wdev, slot, win->pe_x, win->pe_y, win->offset,
			     win->length);
	return 0;
}

/*
 * Check a window against the region: inside it, and within one of its
 * rows, since the slot shows the wafer's linear SRAM space, in which the
 * next bytes after a row of the region belong to someone else.
 */
static int wse_window_check(struct wse_device *wdev, const struct wse_rect *r,
			    const struct drm_wse_window_create *args)
{
	u64 sram = wdev->hw.sram_bytes;

	if (args->x >= r->w || args->y >= r->h) {
		wse_dbg(wdev, IOCTL, "WINDOW_CREATE: PE (%u,%u) outside the %ux%u region\n",
			args->x, args->y, r->w, r->h);
		return -EINVAL;
	}
	if ((u64)args->x * sram + args->offset + args->length > r->w * sram) {
		wse_dbg(wdev, IOCTL, "WINDOW_CREATE: %#x bytes from PE (%u,%u) + %#x leave the region's row\n",
			args->length, args->x, args->y, args->offset);
		return -EINVAL;
	}
	return 0;
}

int wse_window_create_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct wse_file_priv *fpriv = to_wse_file(file);
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_window_create *args = data;
	struct wse_window *win;
	struct wse_rect r;
	u32 handle;
	int ret, idx;

	if (!(wdev->hw.caps & WSE_CAP_WINDOWS) || !wdev->hw.num_windows)
		return -EOPNOTSUPP;
	if (args->flags & ~DRM_WSE_WINDOW_READONLY ||
	    !IS_ALIGNED(args->offset, WSE_WINDOW_GRAIN) ||
	    args->offset >= wdev->hw.sram_bytes || !args->length ||
	    !IS_ALIGNED(args->length, WSE_WINDOW_GRAIN) ||
	    args->length > wdev->hw.window_size) {
		wse_dbg(wdev, IOCTL, "WINDOW_CREATE: flags %#x, offset %#x, length %#x\n",
			args->flags, args->offset, args->length);
		return -EINVAL;
	}

	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!win)
		return -ENOMEM;
	win->wdev = wdev;
	win->slot = -1;
	win->offset = args->offset;
	win->length = args->length;
	win->readonly = args->flags & DRM_WSE_WINDOW_READONLY;
	INIT_LIST_HEAD(&win->link);
	win->base.funcs = &wse_window_funcs;
	drm_gem_private_object_init(drm, &win->base, args->length);
	ret = drm_gem_create_mmap_offset(&win->base);
	if (ret)
		goto out_put;

	mutex_lock(&fpriv->lock);
	down_read(&wdev->reset_lock);
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (wse_file_stale(fpriv)) {
		wse_dbg(wdev, IOCTL, "WINDOW_CREATE: stale context\n");
		ret = -EIO;
		goto out_exit;
	}
	if (!fpriv->region) {
		wse_dbg(wdev, IOCTL, "WINDOW_CREATE: the file has no region\n");
		ret = -EINVAL;
		goto out_exit;
	}
	r = fpriv->region->rect;
	ret = wse_window_check(wdev, &r, args);
	if (ret)
		goto out_exit;
	/*
	 * Stores through the window dirty the region, and scrubbing it when
	 * it is freed takes the file's queue: make sure the file has one.
	 */
	if (!win->readonly) {
		ret = wse_job_bind_queue_locked(fpriv);
		if (ret)
			goto out_exit;
	}
	win->pe_x = r.x + args->x;
	win->pe_y = r.y + args->y;

	mutex_lock(&wdev->window_lock);
	if (wdev->suspended) {
		ret = -EBUSY;
	} else {
		ret = wse_window_attach_locked(win);
		if (!ret) {
			win->owner = fpriv;
			list_add_tail(&win->link, &fpriv->windows);
			if (!win->readonly)
				fpriv->region->dirty = true;
		}
	}
	mutex_unlock(&wdev->window_lock);
out_exit:
	drm_dev_exit(idx);
out_unlock:
	up_read(&wdev->reset_lock);
	if (!ret) {
		ret = drm_gem_handle_create(file, &win->base, &handle);
		if (!ret) {
			args->handle = handle;
			args->mmap_offset = drm_vma_node_offset_addr(&win->base.vma_node);
			wse_dbg(wdev, WINDOW, "window %u: slot %d, PE (%u,%u) + %#x, %#x bytes%s\n",
				handle, win->slot, win->pe_x, win->pe_y,
				win->offset, win->length,
				win->readonly ? ", read-only" : "");
		}
	}
	mutex_unlock(&fpriv->lock);
out_put:
	/* The handle holds the reference now, or the window goes away. */
	drm_gem_object_put(&win->base);
	return ret;
}

/**
 * wse_windows_revoke_file() - revoke every window of a file
 * @fpriv: the file, its region about to go; reset_lock held
 *
 * The windows stay the file's objects until their handles are closed.
 */
void wse_windows_revoke_file(struct wse_file_priv *fpriv)
{
	struct wse_device *wdev = fpriv->wdev;
	struct wse_window *win;
	bool hw;
	int idx;

	lockdep_assert_held(&wdev->reset_lock);

	hw = drm_dev_enter(&wdev->drm, &idx);
	mutex_lock(&wdev->window_lock);
	list_for_each_entry(win, &fpriv->windows, link)
		wse_window_revoke_locked(win, hw && !wdev->windows_hidden);
	mutex_unlock(&wdev->window_lock);
	if (hw)
		drm_dev_exit(idx);
}

/**
 * wse_windows_revoke_all() - revoke every window of the device
 * @wdev: the device
 * @hw: darken the slots; false when a reset does it or the device is gone
 */
void wse_windows_revoke_all(struct wse_device *wdev, bool hw)
{
	u32 slot;

	mutex_lock(&wdev->window_lock);
	for (slot = 0; slot < wdev->hw.num_windows; slot++)
		if (wdev->slots[slot])
			wse_window_revoke_locked(wdev->slots[slot], hw);
	mutex_unlock(&wdev->window_lock);
}

/**
 * wse_windows_hide() - zap every window mapping for a suspend
 * @wdev: the device, quiesced
 *
 * The windows keep their slots; faults raise SIGBUS until
 * wse_windows_restore().
 */
void wse_windows_hide(struct wse_device *wdev)
{
	struct address_space *mapping = wdev->drm.anon_inode->i_mapping;
	u32 slot;

	mutex_lock(&wdev->window_lock);
	wdev->windows_hidden = true;
	for (slot = 0; slot < wdev->hw.num_windows; slot++)
		if (wdev->slots[slot])
			drm_vma_node_unmap(&wdev->slots[slot]->base.vma_node,
					   mapping);
	mutex_unlock(&wdev->window_lock);
}

/**
 * wse_windows_restore() - program every window's slot again after resume
 * @wdev: the device, reset
 *
 * A window the device refuses now is revoked.
 */
void wse_windows_restore(struct wse_device *wdev)
{
	u32 slot;

	mutex_lock(&wdev->window_lock);
	for (slot = 0; slot < wdev->hw.num_windows; slot++) {
		struct wse_window *win = wdev->slots[slot];

		if (win && wse_window_hw_program(win))
			wse_window_revoke_locked(win, false);
	}
	wdev->windows_hidden = false;
	mutex_unlock(&wdev->window_lock);
}

/**
 * wse_windows_file_fini() - detach a closing file's windows
 * @fpriv: the file; its handles are closed, so normally none is left
 */
void wse_windows_file_fini(struct wse_file_priv *fpriv)
{
	struct wse_device *wdev = fpriv->wdev;
	struct wse_window *win, *tmp;

	mutex_lock(&wdev->window_lock);
	list_for_each_entry_safe(win, tmp, &fpriv->windows, link) {
		wse_window_revoke_locked(win, false);
		list_del_init(&win->link);
		win->owner = NULL;
	}
	mutex_unlock(&wdev->window_lock);
}

/**
 * wse_windows_init() - claim the window aperture
 * @wdev: the device, identity read
 *
 * A BAR2 too small for the slots the device reports leaves the device
 * without windows.
 *
 * Return: 0 or a negative errno.
 */
int wse_windows_init(struct wse_device *wdev)
{
	struct pci_dev *pdev = to_pci_dev(wdev->drm.dev);
	resource_size_t len = pci_resource_len(pdev, WSE_BAR_SRAM);
	u64 need = (u64)wdev->hw.num_windows * wdev->hw.window_size;
	int ret;

	ret = drmm_mutex_init(&wdev->drm, &wdev->window_lock);
	if (ret)
		return ret;
	if (!(wdev->hw.caps & WSE_CAP_WINDOWS) || !wdev->hw.num_windows)
		return 0;
	if (!IS_ALIGNED(wdev->hw.window_size, WSE_WINDOW_GRAIN) || len < need ||
	    !(pci_resource_flags(pdev, WSE_BAR_SRAM) & IORESOURCE_MEM)) {
		wse_warn(wdev, "window aperture %pR does not hold %u slots of %u bytes: no windows\n",
			 &pdev->resource[WSE_BAR_SRAM], wdev->hw.num_windows,
			 wdev->hw.window_size);
		wdev->hw.num_windows = 0;
		wdev->hw.caps &= ~WSE_CAP_WINDOWS;
		return 0;
	}
	ret = pcim_request_region(pdev, WSE_BAR_SRAM, DRIVER_NAME);
	if (ret)
		return ret;
	wdev->window_bar = pci_resource_start(pdev, WSE_BAR_SRAM);
	/* Without this, PAT would map the slots uncached whatever we ask. */
	ret = devm_arch_io_reserve_memtype_wc(&pdev->dev, wdev->window_bar, need);
	if (ret)
		return ret;
	wdev->slots = drmm_kcalloc(&wdev->drm, wdev->hw.num_windows,
				   sizeof(*wdev->slots), GFP_KERNEL);
	return wdev->slots ? 0 : -ENOMEM;
}
