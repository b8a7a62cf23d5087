// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Identity, limits and reset of the device (Documentation/wse/hardware.rst).
 */

#include <linux/iopoll.h>
#include <linux/sizes.h>

#include "wse_hw.h"

#define WSE_RESET_TIMEOUT_US	(1 * USEC_PER_SEC)

/**
 * wse_hw_reset() - reset the whole device
 * @wdev: the device
 *
 * Stops every queue, drops loaded programs, zeroes all SRAM and darkens
 * every window. Callers make sure nothing of the driver runs on the
 * device meanwhile.
 *
 * Return: 0, or -EIO if the device does not come back ready.
 */
int wse_hw_reset(struct wse_device *wdev)
{
	u32 status;
	int ret;

	wse_write(wdev, WSE_REG_RESET, WSE_RESET_MAGIC);
	/*
	 * The write returns when the reset is complete; reading STATUS
	 * after it also flushes the posted write.
	 */
	ret = readl_poll_timeout(wdev->regs + WSE_REG_STATUS, status,
				 status == U32_MAX ||
				 (status & (WSE_STATUS_READY | WSE_STATUS_FATAL)),
				 100, WSE_RESET_TIMEOUT_US);
	if (ret || status == U32_MAX || !(status & WSE_STATUS_READY) ||
	    (status & WSE_STATUS_FATAL)) {
		wse_err(wdev, "device not ready after reset: status %#x error %#x\n",
			status, wse_read(wdev, WSE_REG_ERROR));
		return -EIO;
	}
	/* The reset's own completion event is no news. */
	wse_write(wdev, WSE_REG_EVENT, WSE_EVENT_RESET_DONE);
	/* Nothing runs after a reset: DMA may resume (wse_hw_dma_off()). */
	pci_set_master(to_pci_dev(wdev->drm.dev));
	return 0;
}

/**
 * wse_hw_dma_off() - stop every DMA of the device
 * @wdev: the device, a queue of which did not stop
 *
 * Clears bus mastering, so that the memory of jobs a stuck queue still
 * points at can be freed. Every queue stalls until wse_hw_reset() (a
 * reset, FLR or resume) turns it back on.
 */
void wse_hw_dma_off(struct wse_device *wdev)
{
	wse_err(wdev, "bus mastering off until the device is reset\n");
	pci_clear_master(to_pci_dev(wdev->drm.dev));
}

/**
 * wse_hw_init() - check the device's identity and read its limits
 * @wdev: the device, BAR0 mapped
 *
 * Refuses anything that does not identify as a wse device with a register
 * interface of a major version this driver knows, then resets the device
 * so that no queue runs and all SRAM is zero.
 *
 * Return: 0, -ENODEV for a device the driver cannot drive, -EIO if the
 * reset fails.
 */
int wse_hw_init(struct wse_device *wdev)
{
	struct wse_hw_info *hw = &wdev->hw;
	u32 id, mesh;
	int ret;

	id = wse_read(wdev, WSE_REG_ID);
	if (id != WSE_ID_MAGIC) {
		wse_err(wdev, "ID register reads %#x, not %#x: not a wse device\n",
			id, WSE_ID_MAGIC);
		return -ENODEV;
	}
	hw->version = wse_read(wdev, WSE_REG_VERSION);
	if (hw->version >> 16 != WSE_HW_VERSION_MAJOR) {
		wse_err(wdev, "register interface %u.%u is not supported (major %u)\n",
			hw->version >> 16, hw->version & 0xffff,
			WSE_HW_VERSION_MAJOR);
		return -ENODEV;
	}

	ret = wse_hw_reset(wdev);
	if (ret)
		return ret;

	hw->fw_version = wse_read(wdev, WSE_REG_FW_VERSION);
	hw->caps = wse_read(wdev, WSE_REG_CAPS);
	mesh = wse_read(wdev, WSE_REG_MESH);
	hw->mesh_width = mesh & 0xffff;
	hw->mesh_height = mesh >> 16;
	hw->sram_bytes = wse_read(wdev, WSE_REG_SRAM_BYTES);
	hw->num_queues = wse_read(wdev, WSE_REG_NUM_QUEUES);
	hw->num_windows = wse_read(wdev, WSE_REG_NUM_WINDOWS);
	hw->window_size = wse_read(wdev, WSE_REG_WINDOW_SIZE);
	hw->max_xfer = wse_read(wdev, WSE_REG_MAX_XFER);
	hw->max_image = wse_read(wdev, WSE_REG_MAX_IMAGE);
	wse_dbg(wdev, REG, "VERSION %#x FW %#x CAPS %#x MESH %#x SRAM %u QUEUES %u WINDOWS %u x %u MAX_XFER %u MAX_IMAGE %u\n",
		hw->version, hw->fw_version, hw->caps, mesh, hw->sram_bytes,
		hw->num_queues, hw->num_windows, hw->window_size,
		hw->max_xfer, hw->max_image);

	if (!(hw->caps & WSE_CAP_QUEUES) || !hw->num_queues) {
		wse_err(wdev, "device has no queues (caps %#x)\n", hw->caps);
		return -ENODEV;
	}
	if (!hw->mesh_width || !hw->mesh_height || !hw->sram_bytes ||
	    !IS_ALIGNED(hw->sram_bytes, SZ_4K) ||
	    hw->max_xfer < SZ_4K || hw->max_image < SZ_4K) {
		wse_err(wdev, "implausible identity: mesh %ux%u, %u bytes per PE, max_xfer %u, max_image %u\n",
			hw->mesh_width, hw->mesh_height, hw->sram_bytes,
			hw->max_xfer, hw->max_image);
		return -ENODEV;
	}
	if (hw->num_queues > WSE_MAX_QUEUES) {
		wse_warn(wdev, "device reports %u queues, using %u\n",
			 hw->num_queues, WSE_MAX_QUEUES);
		hw->num_queues = WSE_MAX_QUEUES;
	}
	if (hw->num_windows > WSE_MAX_WINDOWS) {
		wse_warn(wdev, "device reports %u windows, using %u\n",
			 hw->num_windows, WSE_MAX_WINDOWS);
		hw->num_windows = WSE_MAX_WINDOWS;
	}
	if ((hw->version & 0xffff) > WSE_HW_VERSION_MINOR)
		wse_info(wdev, "register interface %u.%u is newer than the driver's %u.%u\n",
			 hw->version >> 16, hw->version & 0xffff,
			 WSE_HW_VERSION_MAJOR, WSE_HW_VERSION_MINOR);
	return 0;
}
