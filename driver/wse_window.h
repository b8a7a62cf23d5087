/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_WINDOW_H__
#define __WSE_WINDOW_H__

#include <drm/drm_gem.h>

#include "wse_drv.h"

/**
 * struct wse_window - a GEM object showing SRAM through a BAR2 slot
 *
 * Mappings are filled in by the fault handler from the slot's pages, so
 * that revoking the window (zapping the mappings under
 * wse_device.window_lock) leaves no way back to the slot.
 */
struct wse_window {
	/** @base: the GEM object; its size is @length */
	struct drm_gem_object base;
	/** @wdev: the device */
	struct wse_device *wdev;
	/** @owner: the file that created it, NULL once it closed */
	struct wse_file_priv *owner;
	/** @link: in the owner's wse_file_priv.windows */
	struct list_head link;
	/** @pe_x: absolute column of the first PE; constant */
	u32 pe_x;
	/** @pe_y: absolute row of the first PE; constant */
	u32 pe_y;
	/** @offset: byte offset in that PE's SRAM; constant */
	u32 offset;
	/** @length: bytes shown; constant */
	u32 length;
	/** @readonly: stores are refused and dropped; constant */
	bool readonly;
	/**
	 * @slot: BAR2 slot the window occupies, -1 once revoked.
	 * Protected by wse_device.window_lock.
	 */
	int slot;
};

static inline struct wse_window *to_wse_window(struct drm_gem_object *obj)
{
	return container_of(obj, struct wse_window, base);
}

bool wse_gem_is_window(const struct drm_gem_object *obj);
int wse_window_create_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file);
void wse_windows_revoke_file(struct wse_file_priv *fpriv);
void wse_windows_revoke_all(struct wse_device *wdev, bool hw);
void wse_windows_hide(struct wse_device *wdev);
void wse_windows_restore(struct wse_device *wdev);
void wse_windows_file_fini(struct wse_file_priv *fpriv);
int wse_windows_init(struct wse_device *wdev);

#endif /* __WSE_WINDOW_H__ */
