/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * drm.h - the drm backend of libwse: jobs run by the wse accel driver
 * (/dev/accel/accelN). Private to libwse/drm/.
 *
 * Every job is one DRM_IOCTL_WSE_SUBMIT of up to DRM_WSE_MAX_CMDS
 * commands and ends with DRM_IOCTL_WSE_WAIT. Commands name their bytes in
 * GEM buffers, so host arrays go through a staging buffer from a small
 * pool (bo.c), unless they lie in memory from host_alloc, which is such
 * a buffer already. Small copies skip the queue: they go through SRAM
 * windows the backend keeps mapped (small.c).
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WSE_DRM_H
#define WSE_DRM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drm/wse_accel.h>

#include "wse-backend.h"

/* Buffers kept for reuse per device, and the smallest one created. */
#define WSE_DRM_BO_POOL_MAX	4
#define WSE_DRM_BO_MIN_SIZE	(64u << 10)
/* The driver's limit of one buffer. */
#define WSE_DRM_BO_MAX		(1ull << 30)
/*
 * Copies of ordinary memory from this size on are pinned where they are
 * (DRM_IOCTL_WSE_BO_USERPTR) instead of staged: pinning costs about what
 * a memcpy of 64 KiB does, a memcpy in a TCG guest far more per byte.
 */
#define WSE_DRM_USERPTR_MIN	(256u << 10)

/* Windows kept per device for small copies, and the pieces of one copy. */
#define WSE_DRM_WCACHE_MAX	4
#define WSE_DRM_SMALL_MAX_PIECES	256

/* A GEM buffer mapped into the process. */
struct wse_drm_bo {
	struct wse_drm_bo *next;	/* in bo_free or host */
	uint32_t handle;
	size_t size;
	void *map;
};

/* A window of the small-copy cache: a range of one region row. */
struct wse_drm_wcache_entry {
	uint32_t handle;
	uint8_t *map;
	uint32_t row;		/* region row */
	uint64_t start;		/* first byte in the row's linear SRAM */
	uint32_t length;
	uint64_t used;		/* copy that used it last, for LRU */
};

struct wse_drm_wcache {
	struct wse_drm_wcache_entry e[WSE_DRM_WCACHE_MAX];
	unsigned int n;
	uint64_t clock;		/* copies made so far */
	bool off;		/* copies through the kernel are refused */
};

struct wse_backend_dev {
	int fd;
	struct wse_backend_info info;	/* read once at open, immutable */
	uint64_t small_copy_max;	/* atomic accesses */
	uint64_t done_job;		/* jobs up to this id ended; atomic */
	/*
	 * Orders small copies with jobs: held across SUBMIT, and across a
	 * small copy together with its wait for the jobs submitted before
	 * it. Protects last_job and wcache. Taken before lock.
	 */
	pthread_mutex_t xfer_lock;
	uint64_t last_job;		/* id of the newest job, 0: none */
	struct wse_drm_wcache wcache;
	/* Protects bo_free, nr_free, host, has_region and region_w */
	pthread_mutex_t lock;
	struct wse_drm_bo *bo_free;	/* idle staging buffers, any size */
	struct wse_drm_bo *host;	/* from host_alloc */
	unsigned int nr_free;
	bool has_region;
	uint32_t region_w;		/* PEs per region row */
	bool no_userptr;		/* the driver has no BO_USERPTR; atomic */
};

/* Where a command's host bytes go back to when its job ends (READ, D2H). */
struct wse_drm_copy_out {
	void *host;
	uint64_t at;		/* offset in the staging buffer */
	uint64_t len;
};

struct wse_backend_job {
	uint64_t id;
	bool done;
	struct wse_backend_result res;
	struct wse_drm_bo *bo;		/* staging buffer until the job ends */
	uint32_t uptr[WSE_BACKEND_MAX_CMDS];	/* pinned user memory, closed at the end */
	unsigned int nuptr;
	unsigned int nout;
	struct wse_drm_copy_out out[];
};

/* ioctl.c */
int wse_drm_ioctl(int fd, unsigned long request, void *arg);

/* dev.c */
int wse_drm_node(int index, char *path, size_t len, char *err, size_t errlen);
extern const struct wse_backend_ops wse_drm_backend;

/* bo.c */
int wse_drm_bo_create(struct wse_backend_dev *dev, size_t size,
		      struct wse_drm_bo **bo);
void wse_drm_bo_destroy(struct wse_backend_dev *dev, struct wse_drm_bo *bo);
int wse_drm_bo_get(struct wse_backend_dev *dev, size_t size,
		   struct wse_drm_bo **bo);
void wse_drm_bo_put(struct wse_backend_dev *dev, struct wse_drm_bo *bo);
void wse_drm_bo_pool_fini(struct wse_backend_dev *dev);
int wse_drm_host_alloc(struct wse_backend_dev *dev, size_t size, void **ptr);
void wse_drm_host_free(struct wse_backend_dev *dev, void *ptr);
bool wse_drm_host_find(struct wse_backend_dev *dev, const void *p, size_t len,
		       uint32_t *handle, uint64_t *offset);
void wse_drm_host_fini(struct wse_backend_dev *dev);

/* job.c */
int wse_drm_submit(struct wse_backend_dev *dev,
		   const struct wse_backend_cmd *cmds, unsigned int n,
		   const struct wse_backend_submit *how,
		   struct wse_backend_job **job, struct wse_backend_result *res);
int wse_drm_wait(struct wse_backend_dev *dev, struct wse_backend_job *job,
		 int64_t timeout_ns, struct wse_backend_result *res);
void wse_drm_job_free(struct wse_backend_dev *dev, struct wse_backend_job *job);
int wse_drm_jobs_wait_locked(struct wse_backend_dev *dev, int64_t timeout_ns);

/* window.c */
int wse_drm_window_create(struct wse_backend_dev *dev, uint32_t row,
			  uint64_t start, uint32_t length, bool readonly,
			  uint32_t *handle, void **map);
void wse_drm_window_destroy(struct wse_backend_dev *dev, uint32_t handle,
			    void *map, uint32_t length);
int wse_drm_window_map(struct wse_backend_dev *dev, uint32_t row,
		       uint64_t start, uint32_t length, unsigned int flags,
		       void **map, uintptr_t *handle);
void wse_drm_window_unmap(struct wse_backend_dev *dev, void *map,
			  uintptr_t handle, uint32_t length);
uint64_t wse_drm_window_grain(void);

/* small.c */
int wse_drm_small_copy(struct wse_backend_dev *dev,
		       const struct wse_backend_cmd *cmd, bool nonblock);
void wse_drm_wcache_flush_locked(struct wse_backend_dev *dev);
void wse_drm_wcache_flush(struct wse_backend_dev *dev);
void wse_drm_set_small_copy(struct wse_backend_dev *dev, uint64_t max_bytes);

/*
 * Make stores through write-combined window mappings visible before the
 * device may look: before a job is submitted, after a window copy.
 */
static inline void wse_drm_wc_flush(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_sfence();
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif /* WSE_DRM_H */
