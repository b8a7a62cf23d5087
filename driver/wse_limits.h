/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_LIMITS_H__
#define __WSE_LIMITS_H__

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/types.h>

extern unsigned int wse_max_timeout_ms;
extern unsigned long wse_file_list_bytes;

/**
 * struct wse_budget - kernel memory a file's unfinished jobs hold
 *
 * Device lists are coherent DMA memory that no memory cgroup is charged
 * for; each file may hold wse_file_list_bytes of them. Shared by the file
 * and its jobs, which may be freed after the file is gone.
 */
struct wse_budget {
	/** @ref: the file's and one per job */
	struct kref ref;
	/** @used: bytes charged */
	atomic_long_t used;
};

struct wse_budget *wse_budget_new(void);
void wse_budget_get(struct wse_budget *b);
void wse_budget_put(struct wse_budget *b);
int wse_budget_charge(struct wse_budget *b, unsigned long bytes);
void wse_budget_uncharge(struct wse_budget *b, unsigned long bytes);

#endif /* __WSE_LIMITS_H__ */
