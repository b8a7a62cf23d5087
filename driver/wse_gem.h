/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_GEM_H__
#define __WSE_GEM_H__

#include <drm/drm_gem.h>

#include "wse_drv.h"

/* Largest buffer object, as documented in wse_accel.h */
#define WSE_BO_MAX_SIZE		SZ_1G

/**
 * struct wse_sgl - a device scatter-gather list in coherent memory
 * @sge: the entries
 * @dma: bus address of @sge, 16-byte (in fact page) aligned
 * @bytes: size of the allocation, 0 if the list is shared and not ours
 * @count: entries
 */
struct wse_sgl {
	struct wse_sge *sge;
	dma_addr_t dma;
	size_t bytes;
	u32 count;
};

int wse_bo_create_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file);
int wse_bo_info_ioctl(struct drm_device *drm, void *data,
		      struct drm_file *file);

struct drm_gem_object *wse_gem_create_object(struct drm_device *drm,
					     size_t size);
int wse_bo_userptr_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file);
bool wse_gem_is_userptr(const struct drm_gem_object *obj);
bool wse_gem_is_readonly(const struct drm_gem_object *obj);
struct sg_table *wse_userptr_sgt(struct drm_gem_object *obj);
int wse_gem_sgl_create(struct wse_device *wdev, struct drm_gem_object *obj,
		       u64 offset, u64 length, struct wse_sgl *sgl);
void wse_gem_sgl_destroy(struct wse_device *wdev, struct wse_sgl *sgl);
void wse_gem_sgl_sync_for_device(struct wse_device *wdev,
				 const struct wse_sgl *sgl);
void wse_gem_sgl_sync_for_cpu(struct wse_device *wdev,
			      const struct wse_sgl *sgl);

#endif /* __WSE_GEM_H__ */
