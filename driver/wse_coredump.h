/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_COREDUMP_H__
#define __WSE_COREDUMP_H__

struct wse_cqe;
struct wse_device;
struct wse_job;
struct wse_queue;

int wse_coredump_init(struct wse_device *wdev);
void wse_coredump_fault_locked(struct wse_queue *q, const struct wse_job *job,
			       const struct wse_cqe *cqe);
void wse_coredump_capture_locked(struct wse_queue *q);
void wse_coredump_hang_locked(struct wse_queue *q, struct wse_job *job);

#endif /* __WSE_COREDUMP_H__ */
