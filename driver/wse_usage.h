/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-file usage statistics for fdinfo (Documentation/gpu/drm-usage-stats.rst).
 */
#ifndef _WSE_USAGE_H_
#define _WSE_USAGE_H_

#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct drm_file;
struct drm_printer;
struct wse_job;

/**
 * struct wse_usage - what one file's jobs used of the device
 *
 * Jobs hold a reference: a job the file dropped at close may still end on
 * the hardware after the file is gone.
 */
struct wse_usage {
	/** @ref: the file's and every job's */
	struct kref ref;
	/** @lock: protects the members below */
	spinlock_t lock;
	/** @engine_ns: time jobs of the file were on the hardware, ended ones */
	u64 engine_ns;
	/** @running_since: ktime of the job on the hardware now, or 0 */
	u64 running_since;
	/** @cycles: modeled wafer cycles of the file's ended kernels */
	u64 cycles;
	/** @pid: thread group that opened the file (coredumps name it) */
	pid_t pid;
};

struct wse_usage *wse_usage_alloc(void);
void wse_usage_put(struct wse_usage *usage);
void wse_usage_job_start(struct wse_job *job);
void wse_usage_job_end(struct wse_job *job);
void wse_show_fdinfo(struct drm_printer *p, struct drm_file *file);

#endif /* _WSE_USAGE_H_ */
