// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer objects of user memory (DRM_IOCTL_WSE_BO_USERPTR): the pages are
 * pinned long term, charged to RLIMIT_MEMLOCK (mm->pinned_vm) and mapped
 * for the device once, when the object is made; all given back when it is
 * freed.
 */
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <linux/dma-mapping.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/wse_accel.h>

#include "wse_drv.h"
#include "wse_gem.h"

/**
 * struct wse_userptr - a buffer object of pinned user pages
 */
struct wse_userptr {
	/** @base: the GEM object */
	struct drm_gem_object base;
	/** @pages: pinned, @npages of them */
	struct page **pages;
	/** @npages: pages pinned and charged */
	unsigned long npages;
	/** @sgt: the pages, mapped for the device */
	struct sg_table sgt;
	/** @mm: the address space charged for them; a reference */
	struct mm_struct *mm;
	/** @readonly: the device may only read the pages */
	bool readonly;
};

/*
 * Charge pinned pages to the address space, against RLIMIT_MEMLOCK, as
 * RDMA's umem does: mm->pinned_vm is atomic, so freeing (from any
 * context) takes no mmap_lock.
 */
static int wse_userptr_charge(struct mm_struct *mm, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	u64 pinned = atomic64_add_return(npages, &mm->pinned_vm);

	if (pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(npages, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

static struct wse_userptr *to_wse_userptr(struct drm_gem_object *obj)
{
	return container_of(obj, struct wse_userptr, base);
}

static void wse_userptr_free(struct drm_gem_object *obj)
{
	struct wse_userptr *bo = to_wse_userptr(obj);

	dma_unmap_sgtable(obj->dev->dev, &bo->sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(&bo->sgt);
	/* The device may have written them. */
	unpin_user_pages_dirty_lock(bo->pages, bo->npages, !bo->readonly);
	atomic64_sub(bo->npages, &bo->mm->pinned_vm);
	mmdrop(bo->mm);
	kvfree(bo->pages);
	drm_gem_object_release(obj);
	kfree(bo);
}

static struct dma_buf *wse_userptr_export(struct drm_gem_object *obj,
					  int flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static enum drm_gem_object_status wse_userptr_status(struct drm_gem_object *obj)
{
	return DRM_GEM_OBJECT_RESIDENT;
}

static const struct drm_gem_object_funcs wse_userptr_funcs = {
	.free = wse_userptr_free,
	.export = wse_userptr_export,
	.status = wse_userptr_status,
};

bool wse_gem_is_userptr(const struct drm_gem_object *obj)
{
	return obj->funcs == &wse_userptr_funcs;
}

bool wse_gem_is_readonly(const struct drm_gem_object *obj)
{
	return wse_gem_is_userptr(obj) &&
	       to_wse_userptr((struct drm_gem_object *)obj)->readonly;
}

struct sg_table *wse_userptr_sgt(struct drm_gem_object *obj)
{
	return &to_wse_userptr(obj)->sgt;
}

/* Pin and map the pages; on failure nothing stays pinned or charged. */
static int wse_userptr_pin(struct wse_device *wdev, struct wse_userptr *bo,
			   u64 start)
{
	unsigned int gup = FOLL_LONGTERM | (bo->readonly ? 0 : FOLL_WRITE);
	unsigned long pinned = 0;
	int ret;

	/* Sized by the caller: its -ENOMEM, charged to its cgroup. */
	bo->pages = kvmalloc_array(bo->npages, sizeof(*bo->pages),
				   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!bo->pages)
		return -ENOMEM;
	ret = wse_userptr_charge(current->mm, bo->npages);
	if (ret)
		goto err_free;
	while (pinned < bo->npages) {
		ret = pin_user_pages_fast(start + pinned * PAGE_SIZE,
					  bo->npages - pinned, gup,
					  bo->pages + pinned);
		if (ret <= 0) {
			/* Not mapped, or not writable: the range is bad. */
			ret = ret ?: -EFAULT;
			if (ret != -ENOMEM)
				ret = -EFAULT;
			goto err_unpin;
		}
		pinned += ret;
	}
	ret = sg_alloc_table_from_pages(&bo->sgt, bo->pages, bo->npages, 0,
					bo->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		goto err_unpin;
	ret = dma_map_sgtable(wdev->drm.dev, &bo->sgt, DMA_BIDIRECTIONAL, 0);
	if (ret) {
		sg_free_table(&bo->sgt);
		goto err_unpin;
	}
	return 0;

err_unpin:
	unpin_user_pages(bo->pages, pinned);
	atomic64_sub(bo->npages, &current->mm->pinned_vm);
err_free:
	kvfree(bo->pages);
	return ret;
}

int wse_bo_userptr_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_bo_userptr *args = data;
	struct wse_userptr *bo;
	int ret;

	if (args->flags & ~DRM_WSE_USERPTR_READONLY ||
	    !PAGE_ALIGNED(args->user_ptr) || !PAGE_ALIGNED(args->size) ||
	    !args->size || args->size > WSE_BO_MAX_SIZE) {
		wse_dbg(wdev, IOCTL, "BO_USERPTR: flags %#x, pointer %#llx, size %llu\n",
			args->flags, args->user_ptr, args->size);
		return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(args->user_ptr), args->size))
		return -EFAULT;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	bo->readonly = args->flags & DRM_WSE_USERPTR_READONLY;
	bo->npages = args->size >> PAGE_SHIFT;
	ret = wse_userptr_pin(wdev, bo, args->user_ptr);
	if (ret) {
		wse_dbg(wdev, BO, "BO_USERPTR: %lu pages at %#llx: %d\n",
			bo->npages, args->user_ptr, ret);
		kfree(bo);
		return ret;
	}
	mmgrab(current->mm);
	bo->mm = current->mm;
	bo->base.funcs = &wse_userptr_funcs;
	drm_gem_private_object_init(drm, &bo->base, args->size);

	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	/* The handle holds the reference now, or the object goes away. */
	drm_gem_object_put(&bo->base);
	if (!ret)
		wse_dbg(wdev, BO, "userptr BO %u: %lu pages%s\n", args->handle,
			bo->npages, bo->readonly ? ", read-only" : "");
	return ret;
}
