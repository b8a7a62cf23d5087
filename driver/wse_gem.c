// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Buffer objects: GEM shmem objects the device reaches through
 * scatter-gather lists built per command from the object's sg_table.
 */

#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_vma_manager.h>
#include <linux/dma-mapping.h>
#include <linux/sizes.h>

#include <drm/wse_accel.h>

#include "wse_gem.h"
#include "wse_window.h"

/* fdinfo's drm-resident-memory: a buffer is resident once it has pages. */
static enum drm_gem_object_status wse_gem_status(struct drm_gem_object *obj)
{
	return to_drm_gem_shmem_obj(obj)->pages ? DRM_GEM_OBJECT_RESIDENT : 0;
}

/* The shmem helper's object functions, and a status for fdinfo. */
static const struct drm_gem_object_funcs wse_gem_funcs = {
	.free = drm_gem_shmem_object_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.status = wse_gem_status,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * wse_gem_create_object() - allocate a buffer object for the shmem helpers
 * @drm: the device
 * @size: the object's size
 *
 * Return: the object (created and imported ones alike), or ERR_PTR(-ENOMEM).
 */
struct drm_gem_object *wse_gem_create_object(struct drm_device *drm,
					     size_t size)
{
	struct drm_gem_shmem_object *shmem = kzalloc(sizeof(*shmem), GFP_KERNEL);

	if (!shmem)
		return ERR_PTR(-ENOMEM);
	shmem->base.funcs = &wse_gem_funcs;
	return &shmem->base;
}

int wse_bo_create_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	u32 handle;
	int ret;

	if (args->flags) {
		wse_dbg(wdev, IOCTL, "BO_CREATE: flags %#x\n", args->flags);
		return -EINVAL;
	}
	if (!args->size || args->size > WSE_BO_MAX_SIZE) {
		wse_dbg(wdev, IOCTL, "BO_CREATE: size %llu\n", args->size);
		return -EINVAL;
	}

	shmem = drm_gem_shmem_create(drm, args->size);
	if (IS_ERR(shmem)) {
		ret = PTR_ERR(shmem);
		/* shmem says -ENOSPC when it cannot allocate an inode. */
		return ret == -ENOSPC ? -ENOMEM : ret;
	}

	ret = drm_gem_create_mmap_offset(&shmem->base);
	if (ret)
		goto out_put;

	ret = drm_gem_handle_create(file, &shmem->base, &handle);
	if (ret)
		goto out_put;

	args->handle = handle;
	args->mmap_offset = drm_vma_node_offset_addr(&shmem->base.vma_node);
	wse_dbg(wdev, BO, "created BO %u of %zu bytes\n", handle,
		shmem->base.size);
out_put:
	/* The handle holds the reference now, or the object goes away. */
	drm_gem_object_put(&shmem->base);
	return ret;
}

int wse_bo_info_ioctl(struct drm_device *drm, void *data,
		      struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_bo_info *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad) {
		wse_dbg(wdev, IOCTL, "BO_INFO: pad %#x\n", args->pad);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	if (wse_gem_is_window(obj)) {
		wse_dbg(wdev, IOCTL, "BO_INFO: handle %u is a window\n",
			args->handle);
		drm_gem_object_put(obj);
		return -ENOENT;
	}

	/* Imported objects have no offset until asked for one. */
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret) {
		args->size = obj->size;
		args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	}
	drm_gem_object_put(obj);
	return ret;
}

/*
 * Describe bytes [@offset, @offset + @length) of @sgt as device entries.
 * With @sge NULL only count them. Returns the number of entries, or 0 if
 * the table ends before the range does.
 */
static u32 wse_sgt_walk(struct sg_table *sgt, u64 offset, u64 length,
			struct wse_sge *sge)
{
	struct scatterlist *sg;
	unsigned int i;
	u32 n = 0;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		u64 len = sg_dma_len(sg);
		dma_addr_t addr = sg_dma_address(sg);

		if (offset >= len) {
			offset -= len;
			continue;
		}
		addr += offset;
		len = min(len - offset, length);
		offset = 0;
		/* sg_dma_len() is an unsigned int: every piece fits sge.len. */
		if (sge) {
			sge[n].addr = addr;
			sge[n].len = len;
			sge[n].rsvd = 0;
		}
		n++;
		length -= len;
		if (!length)
			return n;
	}
	return 0;
}

/**
 * wse_gem_sgl_create() - build the device list of a byte range of a BO
 * @wdev: the device
 * @obj: the buffer object; its pages are pinned and stay pinned until it
 *	is freed
 * @offset: first byte
 * @length: bytes, non-zero; the caller checked that the range fits @obj
 * @sgl: filled with the list
 *
 * Return: 0, or a negative errno (-ENOMEM, -EINTR from the object's lock).
 */
int wse_gem_sgl_create(struct wse_device *wdev, struct drm_gem_object *obj,
		       u64 offset, u64 length, struct wse_sgl *sgl)
{
	struct sg_table *sgt;
	u32 count;

	if (wse_gem_is_userptr(obj))
		sgt = wse_userptr_sgt(obj);
	else
		sgt = drm_gem_shmem_get_pages_sgt(to_drm_gem_shmem_obj(obj));
	if (IS_ERR(sgt)) {
		/*
		 * shmem's -ENOSPC is memory, not the file's list budget
		 * that SUBMIT reports with -ENOSPC.
		 */
		return PTR_ERR(sgt) == -ENOSPC ? -ENOMEM : PTR_ERR(sgt);
	}

	/* An imported buffer's table may not cover the whole object. */
	count = wse_sgt_walk(sgt, offset, length, NULL);
	if (!count || count > WSE_MAX_SGL) {
		wse_dbg(wdev, BO, "range %llu+%llu: %u list entries\n",
			offset, length, count);
		return -EINVAL;
	}

	sgl->bytes = PAGE_ALIGN((size_t)count * sizeof(struct wse_sge));
	sgl->sge = dma_alloc_coherent(wdev->drm.dev, sgl->bytes, &sgl->dma,
				      GFP_KERNEL | __GFP_NOWARN);
	if (!sgl->sge) {
		sgl->bytes = 0;
		return -ENOMEM;
	}
	sgl->count = wse_sgt_walk(sgt, offset, length, sgl->sge);
	return 0;
}

void wse_gem_sgl_destroy(struct wse_device *wdev, struct wse_sgl *sgl)
{
	if (sgl->bytes)
		dma_free_coherent(wdev->drm.dev, sgl->bytes, sgl->sge, sgl->dma);
	sgl->sge = NULL;
	sgl->bytes = 0;
	sgl->count = 0;
}

/*
 * The pages were mapped once for the life of the object; hand the bytes
 * a command touches to the device before it runs and back to the CPU
 * after it completed. Both are no-ops on coherent systems without bounce
 * buffers. Safe in interrupt context.
 *
 * Only the command's bytes, entry by entry, not dma_sync_sgtable_*() over
 * the object: with bounce buffers, a sync for the CPU of the whole table
 * would copy the bounce buffer over every byte of the object, undoing
 * what the CPU wrote meanwhile outside the command's range (the next
 * command's input, say), and would copy the whole object per command.
 * Every entry lies inside one mapped segment of the table (wse_sgt_walk()).
 */
void wse_gem_sgl_sync_for_device(struct wse_device *wdev,
				 const struct wse_sgl *sgl)
{
	struct device *dev = wdev->drm.dev;
	u32 i;

	if (!dma_dev_need_sync(dev))
		return;
	for (i = 0; i < sgl->count; i++)
		dma_sync_single_for_device(dev, sgl->sge[i].addr,
					   sgl->sge[i].len, DMA_BIDIRECTIONAL);
}

void wse_gem_sgl_sync_for_cpu(struct wse_device *wdev,
			      const struct wse_sgl *sgl)
{
	struct device *dev = wdev->drm.dev;
	u32 i;

	if (!dma_dev_need_sync(dev))
		return;
	for (i = 0; i < sgl->count; i++)
		dma_sync_single_for_cpu(dev, sgl->sge[i].addr,
					sgl->sge[i].len, DMA_BIDIRECTIONAL);
}
