// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (c) 2026 The wse authors.
 *
 * Limits on what an unprivileged file may make the kernel hold: the run
 * time of one job and the device-list memory of its unfinished jobs. The
 * uAPI header documents both; the module parameters show them.
 */

#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "wse_limits.h"

unsigned int wse_max_timeout_ms = 600000;
module_param_named(max_timeout_ms, wse_max_timeout_ms, uint, 0644);
MODULE_PARM_DESC(max_timeout_ms, "Largest timeout_ms SUBMIT accepts, in ms; 0: no limit (default 600000)");

unsigned long wse_file_list_bytes = SZ_64M;
module_param_named(file_list_bytes, wse_file_list_bytes, ulong, 0644);
MODULE_PARM_DESC(file_list_bytes, "Device-list bytes the unfinished jobs of one file may hold (default 64 MiB)");

struct wse_budget *wse_budget_new(void)
{
	struct wse_budget *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (b)
		kref_init(&b->ref);
	return b;
}

void wse_budget_get(struct wse_budget *b)
{
	kref_get(&b->ref);
}

static void wse_budget_release(struct kref *ref)
{
	kfree(container_of(ref, struct wse_budget, ref));
}

void wse_budget_put(struct wse_budget *b)
{
	if (b)
		kref_put(&b->ref, wse_budget_release);
}

/**
 * wse_budget_charge() - take bytes of a file's budget for one job
 * @b: the file's budget
 * @bytes: what the job's lists hold
 *
 * Return: 0; -E2BIG if one job needs more than the whole budget; -ENOSPC
 * if the file's unfinished jobs hold too much for it now.
 */
int wse_budget_charge(struct wse_budget *b, unsigned long bytes)
{
	unsigned long limit = READ_ONCE(wse_file_list_bytes);

	if (bytes > limit)
		return -E2BIG;
	if (atomic_long_add_return(bytes, &b->used) > limit) {
		atomic_long_sub(bytes, &b->used);
		return -ENOSPC;
	}
	return 0;
}

void wse_budget_uncharge(struct wse_budget *b, unsigned long bytes)
{
	atomic_long_sub(bytes, &b->used);
}
