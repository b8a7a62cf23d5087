/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_HW_H__
#define __WSE_HW_H__

#include <linux/io.h>

#include "wse_drv.h"

static inline u32 wse_read(struct wse_device *wdev, u32 reg)
{
	return readl(wdev->regs + reg);
}

static inline void wse_write(struct wse_device *wdev, u32 reg, u32 val)
{
	writel(val, wdev->regs + reg);
}

int wse_hw_init(struct wse_device *wdev);
int wse_hw_reset(struct wse_device *wdev);
void wse_hw_dma_off(struct wse_device *wdev);

#endif /* __WSE_HW_H__ */
