/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse_priv.h - libwse internals shared by its source files. Not installed.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_PRIV_H
#define WSE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drm/wse_accel.h>

#include "wse/wse.h"

struct wafer_image;

#define WSE_ERR_LEN		256

/* Buffers kept for reuse per device, and the smallest one created. */
#define WSE_BO_POOL_MAX		4
#define WSE_BO_MIN_SIZE		(64u << 10)
/* Largest staging buffer of one raw SRAM job; longer copies loop. */
#define WSE_STAGE_MAX		(64u << 20)

/* A GEM buffer mapped into the process. */
struct wse_bo {
	struct wse_bo *next;	/* in wse_device.bo_free */
	uint32_t handle;
	size_t size;
	void *map;
};

struct wse_device {
	int fd;
	struct wse_device_info info;	/* read once at open, immutable */
	uint32_t timeout_ms;		/* of new jobs; atomic accesses */
	/* Protects bo_free, nr_free, region and region_owner */
	pthread_mutex_t lock;
	struct wse_bo *bo_free;		/* idle buffers, any size */
	unsigned int nr_free;
	bool has_region;
	struct wse_region region;
	const struct wse_program *region_owner;	/* NULL: wse_region_alloc() */
};

struct wse_program {
	struct wse_device *dev;
	struct wafer_image *img;
	struct wse_region region;
};

struct wse_task {
	struct wse_device *dev;
	uint64_t job_id;
	uint32_t op;		/* DRM_WSE_OP_* of its commands */
	struct wse_bo *bo;	/* staging buffer until the task ends, or NULL */
	void *copy_out;		/* D2H: host destination of the buffer */
	size_t copy_len;
	bool done;
	int status;		/* result once done */
	uint64_t cycles;
	char error[WSE_ERR_LEN];
};

/* ioctl.c */
int wse_ioctl(int fd, unsigned long request, void *arg);

/* error.c */
int wse_fail(const struct wse_device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wse_set_error(const struct wse_device *dev, const char *msg);
void wse_job_describe(const struct drm_wse_wait *res, uint32_t op, char *buf,
		      size_t len);

/* bo.c */
int wse_bo_get(struct wse_device *dev, size_t size, struct wse_bo **bo);
void wse_bo_put(struct wse_device *dev, struct wse_bo *bo);
void wse_bo_pool_fini(struct wse_device *dev);

/* region.c */
int wse_region_get(struct wse_device *dev, struct wse_region *region);
int wse_region_reserve(struct wse_device *dev, uint32_t width, uint32_t height,
		       const struct wse_program *owner, struct wse_region *region);
int wse_region_release(struct wse_device *dev, const struct wse_program *owner);

/* task.c */
int wse_task_start(struct wse_device *dev, const struct drm_wse_cmd *cmds,
		   unsigned int count, struct wse_bo *bo, void *copy_out,
		   size_t copy_len, unsigned int flags, struct wse_task **task);

#endif /* WSE_PRIV_H */
