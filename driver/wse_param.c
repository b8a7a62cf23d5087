// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_IOCTL_WSE_GET_PARAM: one value of the device or the driver at a
 * time, so that new limits and capabilities need no new structure.
 */
#include <drm/drm_file.h>

#include <drm/wse_accel.h>

#include "wse_drv.h"
#include "wse_gem.h"
#include "wse_job.h"

#define WSE_DRIVER_CAPS	(DRM_WSE_DRIVER_CAP_IN_FENCE | \
			 DRM_WSE_DRIVER_CAP_TIMELINE | \
			 DRM_WSE_DRIVER_CAP_FDINFO | \
			 DRM_WSE_DRIVER_CAP_USERPTR | \
			 DRM_WSE_DRIVER_CAP_SUBMIT_ENDED)

static int wse_param_value(struct wse_device *wdev, u32 param, u64 *value)
{
	const struct wse_hw_info *hw = &wdev->hw;

	switch (param) {
	case DRM_WSE_PARAM_MESH_WIDTH:
		*value = hw->mesh_width;
		break;
	case DRM_WSE_PARAM_MESH_HEIGHT:
		*value = hw->mesh_height;
		break;
	case DRM_WSE_PARAM_SRAM_BYTES:
		*value = hw->sram_bytes;
		break;
	case DRM_WSE_PARAM_NUM_QUEUES:
		*value = hw->num_queues;
		break;
	case DRM_WSE_PARAM_NUM_WINDOWS:
		*value = hw->num_windows;
		break;
	case DRM_WSE_PARAM_WINDOW_SIZE:
		*value = hw->window_size;
		break;
	case DRM_WSE_PARAM_MAX_XFER:
		*value = wdev->max_xfer;
		break;
	case DRM_WSE_PARAM_MAX_IMAGE:
		*value = wdev->max_image;
		break;
	case DRM_WSE_PARAM_HW_VERSION:
		*value = hw->version;
		break;
	case DRM_WSE_PARAM_FW_VERSION:
		*value = hw->fw_version;
		break;
	case DRM_WSE_PARAM_DEVICE_CAPS:
		*value = hw->caps & WSE_CAPS_KNOWN;
		break;
	case DRM_WSE_PARAM_DRIVER_VERSION:
		*value = DRIVER_MAJOR << 16 | DRIVER_MINOR << 8 | DRIVER_PATCHLEVEL;
		break;
	case DRM_WSE_PARAM_DRIVER_CAPS:
		*value = WSE_DRIVER_CAPS;
		break;
	case DRM_WSE_PARAM_MAX_CMDS:
		*value = DRM_WSE_MAX_CMDS;
		break;
	case DRM_WSE_PARAM_MAX_JOBS:
		*value = WSE_JOB_RESULTS;
		break;
	case DRM_WSE_PARAM_MAX_BO_SIZE:
		*value = WSE_BO_MAX_SIZE;
		break;
	case DRM_WSE_PARAM_DEFAULT_TIMEOUT_MS:
		*value = READ_ONCE(wse_timeout_ms);
		break;
	case DRM_WSE_PARAM_RESETS:
		*value = atomic64_read(&wdev->resets);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int wse_get_param_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct wse_device *wdev = to_wse_device(drm);
	struct drm_wse_get_param *args = data;
	int ret;

	if (args->flags) {
		wse_dbg(wdev, IOCTL, "GET_PARAM: flags %#x\n", args->flags);
		return -EINVAL;
	}
	ret = wse_param_value(wdev, args->param, &args->value);
	if (ret)
		wse_dbg(wdev, IOCTL, "GET_PARAM: unknown parameter %u\n",
			args->param);
	return ret;
}
