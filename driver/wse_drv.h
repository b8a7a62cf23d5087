/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (c) 2026 The wse authors.
 */

#ifndef __WSE_DRV_H__
#define __WSE_DRV_H__

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/ratelimit.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "wse_regs.h"

/* wse_regs.h describes little-endian structures with plain __u types. */
#ifndef __LITTLE_ENDIAN
#error "wse supports little-endian hosts only"
#endif

#define DRIVER_NAME	"wse"
#define DRIVER_DESC	"Driver for the wse wafer-scale engine"
#define DRIVER_MAJOR	1
#define DRIVER_MINOR	0

/* Categories of the dbg_mask module parameter */
#define WSE_DBG_REG	BIT(0)
#define WSE_DBG_IRQ	BIT(1)
#define WSE_DBG_FILE	BIT(2)
#define WSE_DBG_BO	BIT(3)
#define WSE_DBG_JOB	BIT(4)
#define WSE_DBG_QUEUE	BIT(5)
#define WSE_DBG_REGION	BIT(6)
#define WSE_DBG_IOCTL	BIT(7)

extern int wse_dbg_mask;
extern unsigned int wse_timeout_ms;

#define wse_err(wdev, fmt, ...) \
	drm_err(&(wdev)->drm, "%s(): " fmt, __func__, ##__VA_ARGS__)

#define wse_err_ratelimited(wdev, fmt, ...) \
	drm_err_ratelimited(&(wdev)->drm, "%s(): " fmt, __func__, ##__VA_ARGS__)

#define wse_warn(wdev, fmt, ...) \
	drm_warn(&(wdev)->drm, "%s(): " fmt, __func__, ##__VA_ARGS__)

#define wse_warn_ratelimited(wdev, fmt, ...) \
	__drm_printk(&(wdev)->drm, warn, _ratelimited, "%s(): " fmt, __func__,	\
		     ##__VA_ARGS__)

#define wse_info(wdev, fmt, ...) drm_info(&(wdev)->drm, fmt, ##__VA_ARGS__)

/* Userspace reaches most debug messages: each call site is ratelimited. */
#define wse_dbg(wdev, type, fmt, ...) do {					\
	static DEFINE_RATELIMIT_STATE(_wse_rs, DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);			\
	if (unlikely(WSE_DBG_##type & wse_dbg_mask) && __ratelimit(&_wse_rs))	\
		drm_dev_printk((wdev)->drm.dev, KERN_DEBUG, "[" #type "] " fmt,	\
			       ##__VA_ARGS__);					\
} while (0)

/*
 * Lock order, outermost first. A lock may be taken while holding the ones
 * above it, never the other way round.
 *
 *   wse_file_priv.lock      one file: its region, queue, entity, results
 *   dma_resv of a BO        taken by the shmem helpers while pinning pages
 *   wse_device.region_lock  the region list and every region's owner
 *   wse_device.queue_lock   which file owns which hardware queue
 *   wse_queue.hw_lock       queue (re)configuration, abort and recovery
 *   wse_queue.lock          ring indices and the job on the hardware
 *                           (spinlock, also taken in the MSI-X handler)
 *
 * Hardware fences are signalled after wse_queue.lock is dropped, so the
 * dma_fence lock (wse_queue.fence_lock) nests inside nothing of ours.
 * Nothing that signals a fence (the MSI-X handler, run_job, the queue
 * watchdog, error recovery) takes wse_file_priv.lock or allocates memory.
 * cancel_delayed_work_sync() of a queue watchdog is never called with
 * wse_queue.hw_lock held: the watchdog takes it.
 *
 * Device reset, hot-unplug and power management (not yet implemented)
 * fit above all of these: a reset lock taken for reading by every path
 * that touches the hardware and for writing by the reset, with
 * drm_dev_enter() guarding hardware access against unplug.
 */

/**
 * struct wse_rect - a rectangle of PEs
 * @x: first column
 * @y: first row
 * @w: columns
 * @h: rows
 */
struct wse_rect {
	u32 x;
	u32 y;
	u32 w;
	u32 h;
};

static inline bool wse_rect_equal(const struct wse_rect *a,
				  const struct wse_rect *b)
{
	return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/**
 * struct wse_hw_info - what the device says about itself
 *
 * Read once at probe from the identity registers; constant afterwards.
 */
struct wse_hw_info {
	/** @version: register interface, major << 16 | minor */
	u32 version;
	/** @fw_version: device model build, major << 16 | minor */
	u32 fw_version;
	/** @caps: WSE_CAP_* */
	u32 caps;
	/** @mesh_width: PEs per row */
	u32 mesh_width;
	/** @mesh_height: rows of PEs */
	u32 mesh_height;
	/** @sram_bytes: SRAM bytes of each PE, a multiple of 4 KiB */
	u32 sram_bytes;
	/** @num_queues: hardware queues the driver uses */
	u32 num_queues;
	/** @num_windows: SRAM window slots */
	u32 num_windows;
	/** @window_size: bytes of BAR2 per slot */
	u32 window_size;
	/** @max_xfer: bytes one command may move (device limit) */
	u32 max_xfer;
	/** @max_image: bytes of one LOAD image (device limit) */
	u32 max_image;
};

struct wse_queue;
struct wse_file_priv;

/**
 * struct wse_region - a rectangle of PEs reserved by one file
 */
struct wse_region {
	/** @link: in wse_device.regions. Protected by wse_device.region_lock. */
	struct list_head link;
	/** @rect: absolute position on the wafer; constant */
	struct wse_rect rect;
	/**
	 * @owner: the file that reserved it, NULL if the PEs are
	 * quarantined (their SRAM could not be scrubbed). Protected by
	 * wse_device.region_lock.
	 */
	struct wse_file_priv *owner;
	/**
	 * @dirty: a job that may write SRAM was submitted since the region
	 * was reserved: it must be scrubbed before anyone else gets the PEs.
	 * Protected by the owner's wse_file_priv.lock.
	 */
	bool dirty;
};

/**
 * struct wse_irq_vector - an MSI-X vector serving completion queues
 * @wdev: the device
 * @first_queue: lowest queue on the vector; the others follow every
 *	(num_vectors - 1) queues
 */
struct wse_irq_vector {
	struct wse_device *wdev;
	u32 first_queue;
};

/**
 * struct wse_device - one wse PCIe function
 */
struct wse_device {
	/** @drm: the DRM accel device */
	struct drm_device drm;
	/** @regs: BAR0 */
	void __iomem *regs;
	/** @hw: identity; constant after probe */
	struct wse_hw_info hw;
	/** @max_xfer: bytes one command may move: device and driver limit */
	u32 max_xfer;
	/** @max_image: bytes of one image: device and driver limit */
	u32 max_image;
	/** @wq: queue watchdogs and device event handling */
	struct workqueue_struct *wq;

	/** @num_vectors: MSI-X vectors allocated; vector 0 is for events */
	u32 num_vectors;
	/** @vectors: per completion vector (index 1..num_vectors - 1) */
	struct wse_irq_vector *vectors;
	/** @event_work: handles WSE_EVENT_QUEUE_ERROR */
	struct work_struct event_work;

	/** @queues: hw.num_queues hardware queues */
	struct wse_queue *queues;
	/** @queue_lock: protects wse_queue.owner and .retired of every queue */
	struct mutex queue_lock;

	/** @region_lock: protects @regions and wse_region.owner */
	struct mutex region_lock;
	/** @regions: reserved and quarantined regions, in no order */
	struct list_head regions;
	/** @pe_map: a bit per PE, row-major, set if taken; under @region_lock */
	unsigned long *pe_map;

	/** @zero_page: one zeroed page, the source of region scrubs */
	void *zero_page;
	/** @zero_page_dma: its bus address */
	dma_addr_t zero_page_dma;
	/** @zero_sgl: @zero_sgl_count entries all pointing at @zero_page */
	struct wse_sge *zero_sgl;
	/** @zero_sgl_dma: its bus address */
	dma_addr_t zero_sgl_dma;
	/** @zero_sgl_count: entries; a scrub command moves up to this many pages */
	u32 zero_sgl_count;
};

/**
 * struct wse_file_priv - one open file: a context
 */
struct wse_file_priv {
	/** @wdev: the device */
	struct wse_device *wdev;
	/** @lock: protects every member below */
	struct mutex lock;
	/** @region: the file's PEs, NULL until REGION_ALLOC */
	struct wse_region *region;
	/** @queue: hardware queue, bound on the first SUBMIT until close */
	struct wse_queue *queue;
	/** @entity: the file's scheduler entity; initialized with @queue */
	struct drm_sched_entity entity;
	/** @results: job id -> struct wse_job_result of recent jobs */
	struct xarray results;
	/** @next_job_id: id of the next job; ids start at 1 */
	u64 next_job_id;
	/** @last_fence: finished fence of the newest job, or NULL */
	struct dma_fence *last_fence;
};

static inline struct wse_device *to_wse_device(struct drm_device *drm)
{
	return container_of(drm, struct wse_device, drm);
}

static inline struct wse_file_priv *to_wse_file(struct drm_file *file)
{
	return file->driver_priv;
}

/* wse_region.c */
int wse_region_alloc_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int wse_region_free_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
void wse_region_file_fini(struct wse_file_priv *fpriv);
int wse_regions_init(struct wse_device *wdev);

/* wse_sysfs.c */
int wse_sysfs_init(struct wse_device *wdev);

/* wse_debugfs.c */
#if IS_ENABLED(CONFIG_DEBUG_FS)
void wse_debugfs_init(struct wse_device *wdev);
#else
static inline void wse_debugfs_init(struct wse_device *wdev)
{
}
#endif

#endif /* __WSE_DRV_H__ */
