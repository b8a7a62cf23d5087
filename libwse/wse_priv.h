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

/* Offsets and lengths of windows: multiples of the device's 4 KiB grain. */
#define WSE_WINDOW_ALIGN	4096u
/* Windows kept per device for small copies, and the pieces of one copy. */
#define WSE_WCACHE_MAX		4
#define WSE_WCOPY_MAX_PIECES	256
/* Default of wse_device_set_small_copy(), measured in bench/vm/. */
#define WSE_SMALL_COPY_BYTES	(128u << 10)

/* A GEM buffer mapped into the process. */
struct wse_bo {
	struct wse_bo *next;	/* in wse_device.bo_free */
	uint32_t handle;
	size_t size;
	void *map;
};

/* A window of the small-copy cache: a range of one region row. */
struct wse_wcache_entry {
	uint32_t handle;
	uint8_t *map;
	uint32_t row;		/* region row */
	uint64_t start;		/* first byte in the row's linear SRAM */
	uint32_t length;
	uint64_t used;		/* copy that used it last, for LRU */
};

struct wse_wcache {
	struct wse_wcache_entry e[WSE_WCACHE_MAX];
	unsigned int n;
	uint64_t clock;		/* copies made so far */
	bool off;		/* copies through the kernel are refused */
};

struct wse_device {
	int fd;
	struct wse_device_info info;	/* read once at open, immutable */
	uint32_t timeout_ms;		/* of new jobs; atomic accesses */
	size_t small_copy_max;		/* atomic accesses */
	uint64_t done_job;		/* jobs up to this id ended; atomic */
	/*
	 * Orders small copies through windows with jobs: held across
	 * SUBMIT, and across a window copy together with its wait for the
	 * jobs submitted before it. Protects last_job and wcache. Taken
	 * before lock.
	 */
	pthread_mutex_t xfer_lock;
	uint64_t last_job;		/* id of the newest job, 0: none */
	struct wse_wcache wcache;
	/* Protects bo_free, nr_free, host, region and region_owner */
	pthread_mutex_t lock;
	struct wse_bo *bo_free;		/* idle buffers, any size */
	struct wse_bo *host;		/* from wse_host_alloc() */
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
int wse_bo_create(struct wse_device *dev, size_t size, struct wse_bo **bo);
void wse_bo_destroy(struct wse_device *dev, struct wse_bo *bo);
int wse_bo_get(struct wse_device *dev, size_t size, struct wse_bo **bo);
void wse_bo_put(struct wse_device *dev, struct wse_bo *bo);
void wse_bo_pool_fini(struct wse_device *dev);

/* host.c */
bool wse_host_find(struct wse_device *dev, const void *p, size_t len,
		   uint32_t *handle, uint64_t *offset);
void wse_host_fini(struct wse_device *dev);

/* region.c */
int wse_region_get(struct wse_device *dev, struct wse_region *region);
int wse_region_reserve(struct wse_device *dev, uint32_t width, uint32_t height,
		       const struct wse_program *owner, struct wse_region *region);
int wse_region_release(struct wse_device *dev, const struct wse_program *owner);

/* task.c */
int wse_task_start(struct wse_device *dev, const struct drm_wse_cmd *cmds,
		   unsigned int count, struct wse_bo *bo, void *copy_out,
		   size_t copy_len, unsigned int flags, struct wse_task **task);
int wse_task_finished(struct wse_device *dev, uint32_t op, struct wse_task **task);
void wse_jobs_note_done(struct wse_device *dev, uint64_t job_id);
int wse_jobs_wait_locked(struct wse_device *dev, int64_t timeout_ns);

/* window.c */
int wse_window_map(struct wse_device *dev, uint32_t row, uint64_t start,
		   uint32_t length, bool readonly, uint32_t *handle, void **map);
void wse_window_unmap(struct wse_device *dev, uint32_t handle, void *map,
		      uint32_t length);

size_t wse_window_grain(void);

/* wcache.c */
void wse_wcache_flush_locked(struct wse_device *dev);
void wse_wcache_flush(struct wse_device *dev);
int wse_wcache_get_locked(struct wse_device *dev, const struct wse_region *r,
			  uint32_t row, uint64_t first, uint64_t end,
			  uint8_t **ptr);

/* wcopy.c */

/*
 * One contiguous piece of a small copy: @len bytes at byte @lin of region
 * row @row's linear SRAM (x * sram_bytes + offset), and their host side.
 */
struct wse_piece {
	uint32_t row;
	uint32_t len;
	uint64_t lin;
	void *host;
};

int wse_wcopy(struct wse_device *dev, bool to_device,
	      const struct wse_piece *pieces, unsigned int n, bool nonblock);

/*
 * Make stores through write-combined window mappings visible before the
 * device may look: before a job is submitted, after a window copy.
 */
static inline void wse_wc_flush(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_sfence();
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif /* WSE_PRIV_H */
