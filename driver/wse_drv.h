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
#include <linux/rwsem.h>
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
/* The device capabilities the uAPI knows (drm_wse_info.caps). */
#define WSE_CAPS_KNOWN	(DRM_WSE_CAP_QUEUES | DRM_WSE_CAP_WINDOWS | \
			 DRM_WSE_CAP_KERNELS | DRM_WSE_CAP_RECT | \
			 DRM_WSE_CAP_STREAM)

/* 1.1: SUBMIT's in-fences and timeline points, GET_PARAM */
#define DRIVER_MINOR	1
#define DRIVER_PATCHLEVEL	0

/* Categories of the dbg_mask module parameter */
#define WSE_DBG_REG	BIT(0)
#define WSE_DBG_IRQ	BIT(1)
#define WSE_DBG_FILE	BIT(2)
#define WSE_DBG_BO	BIT(3)
#define WSE_DBG_JOB	BIT(4)
#define WSE_DBG_QUEUE	BIT(5)
#define WSE_DBG_REGION	BIT(6)
#define WSE_DBG_IOCTL	BIT(7)
#define WSE_DBG_WINDOW	BIT(8)
#define WSE_DBG_PM	BIT(9)

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

/*
 * Userspace reaches most debug messages: each call site is ratelimited.
 * A category in dbg_mask prints its messages; any message can also be
 * turned on by dynamic debug (its "[TYPE]" prefix is in the format, so
 * `format "[JOB]" +p` selects a category).
 */
#define wse_dbg(wdev, type, fmt, ...) do {					\
	static DEFINE_RATELIMIT_STATE(_wse_rs, DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);			\
	if (unlikely(WSE_DBG_##type & wse_dbg_mask)) {				\
		if (__ratelimit(&_wse_rs))					\
			drm_dev_printk((wdev)->drm.dev, KERN_DEBUG,		\
				       "[" #type "] " fmt, ##__VA_ARGS__);	\
	} else {								\
		dev_dbg_ratelimited((wdev)->drm.dev, "[" #type "] " fmt,	\
				    ##__VA_ARGS__);				\
	}									\
} while (0)

/*
 * Lock order, outermost first. A lock may be taken while holding the ones
 * above it, never the other way round.
 *
 *   runtime PM reference    wse_pm_get() may resume the device, and the
 *                           runtime PM callbacks take reset_lock: it is
 *                           called holding none of the locks below but
 *                           the mmap_lock (window mmap())
 *   wse_device.reset_mutex  one reset, FLR or power transition at a time
 *   wse_file_priv.lock      one file: its region, queue, entity, results
 *   mmap_lock of a process  window faults, mmap() and munmap()
 *   dma_resv of a BO        taken by the shmem helpers while pinning pages
 *   wse_device.reset_lock   rwsem: read by every path that programs the
 *                           device outside the scheduler (scrubs, queue
 *                           stops, window creation, counters); write by
 *                           resets, FLR, suspend and resume, runtime
 *                           suspend and resume
 *   wse_device.region_lock  the region list and every region's owner
 *   wse_device.window_lock  window slots and every window's state
 *   wse_device.queue_lock   which file owns which hardware queue
 *   wse_queue.hw_lock       queue (re)configuration, abort and recovery
 *   wse_queue.lock          ring indices and the job on the hardware
 *                           (spinlock, also taken in the MSI-X handler)
 *
 * A reset stops every scheduler (drm_sched_wqueue_stop()) before it takes
 * reset_lock for writing, so run_job never runs during a reset and never
 * takes reset_lock. Hardware fences are signalled after wse_queue.lock is
 * dropped, so the dma_fence lock (wse_queue.fence_lock) nests inside
 * nothing of ours. Nothing that signals a fence (the MSI-X handler,
 * run_job, the queue watchdog, error recovery) takes wse_file_priv.lock,
 * reset_lock or allocates memory: a scrub that waits for its fence with
 * reset_lock held for reading always gets it. cancel_delayed_work_sync()
 * of a queue watchdog is never called with wse_queue.hw_lock held: the
 * watchdog takes it. Window faults take window_lock with the mmap_lock
 * held; window revocation zaps mappings (the i_mmap lock) under
 * window_lock, and no user memory is touched with reset_lock or
 * window_lock held.
 *
 * Runtime PM (wse_pm.c): every path that touches the device holds a
 * runtime PM reference: the ioctls that program it, file close, a
 * device reset and FLR, each job from SUBMIT until it is freed, and each
 * mapping of a window. Jobs take theirs with pm_runtime_get_noresume()
 * under one of the others, so nothing that signals a fence resumes the
 * device. Puts may come from any context.
 *
 * Hot-unplug: drm_dev_unplug() waits for every drm_dev_enter() section;
 * every path that touches the device (ioctls, run_job, faults, sysfs,
 * debugfs, event work) is one, except the queue paths, which are safe by
 * wse_queue.hw_lock and wse_queue.broken instead (wse_queue.c, "Unplug
 * safety"): the watchdog, queue stops and releases at close, scrubs.
 * remove() stops every queue before it unplugs, which ends every job on
 * the hardware, so no section waits for a job then (a scrub's, or a
 * reset's behind the scrub's reset_lock) and unplug waits for no job's
 * time limit.
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

struct wse_budget;
struct wse_queue;
struct wse_file_priv;
struct wse_window;
struct wse_usage;

/**
 * enum wse_job_count - the driver's job counters (sysfs)
 * @WSE_JOBS_SUBMITTED: jobs SUBMIT accepted
 * @WSE_JOBS_COMPLETED: jobs that ended with status 0
 * @WSE_JOBS_FAILED: jobs that ended with an error or were dropped unrun
 * @WSE_JOBS_TIMED_OUT: failed jobs that hit their time limit
 * @WSE_JOBS_COUNTS: number of counters
 */
enum wse_job_count {
	WSE_JOBS_SUBMITTED,
	WSE_JOBS_COMPLETED,
	WSE_JOBS_FAILED,
	WSE_JOBS_TIMED_OUT,
	WSE_JOBS_COUNTS
};

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
	/**
	 * @lost: a device reset zeroed the SRAM and gave the PEs back; the
	 * region is off wse_device.regions and only its owner still points
	 * at it. Set under wse_device.region_lock with reset_lock held for
	 * writing; read with reset_lock held.
	 */
	bool lost;
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
	/** @coredump: devcoredump state (wse_coredump.c), NULL without the cap */
	struct wse_coredump *coredump;
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

	/** @reset_mutex: serializes resets, FLR, suspend and resume */
	struct mutex reset_mutex;
	/**
	 * @reset_lock: read by paths that program the device outside the
	 * scheduler, written by resets and power transitions. Protects
	 * @generation, @suspended, @runtime_suspended, @cnt_asleep and
	 * @cnt_base.
	 */
	struct rw_semaphore reset_lock;
	/**
	 * @generation: bumped by every reset that drops the contexts' state;
	 * a file whose wse_file_priv.generation differs is stale. Read
	 * without the lock with READ_ONCE() where a race is harmless.
	 */
	u32 generation;
	/** @suspended: between suspend and resume: the device is not touched */
	bool suspended;
	/**
	 * @unplugging: remove() began: every queue is broken for good and
	 * no job reaches the device. Set before remove() stops the queues,
	 * read under wse_queue.hw_lock.
	 */
	bool unplugging;
	/**
	 * @runtime_suspended: between runtime suspend and resume: the device
	 * is in D3hot, its BARs are off; @cnt_asleep holds its counters
	 */
	bool runtime_suspended;
	/** @cnt_asleep: the device's counters when it runtime-suspended */
	u64 cnt_asleep[WSE_NUM_COUNTERS];
	/** @flr_idx: drm_dev_enter() cookie from FLR prepare to done */
	int flr_idx;
	/** @flr_entered: @flr_idx is valid: the FLR quiesced the device */
	bool flr_entered;
	/** @flr_awake: FLR prepare took a runtime PM reference */
	bool flr_awake;
	/** @resets: resets the driver performed or saw since it bound */
	atomic64_t resets;

	/**
	 * @cnt_base: device counters accumulated before the device's last
	 * reset (which clears them): sysfs shows @cnt_base plus the device's
	 * count, so the totals never go backwards.
	 */
	u64 cnt_base[WSE_NUM_COUNTERS];
	/**
	 * @jobs_live: jobs allocated and not yet freed; the device is not
	 * released or unbound before it is 0 (wake_up_var() at 0)
	 */
	atomic_t jobs_live;
	/** @jobs: job counts, indexed by enum wse_job_count */
	atomic64_t jobs[WSE_JOBS_COUNTS];

	/** @window_bar: bus address of BAR2, the window aperture */
	resource_size_t window_bar;
	/**
	 * @window_lock: protects @slots and the slot, revoked state and
	 * list link of every window
	 */
	struct mutex window_lock;
	/** @slots: the window in each slot, or NULL; hw.num_windows entries */
	struct wse_window **slots;
	/** @windows_hidden: mappings are zapped for a suspend; faults SIGBUS */
	bool windows_hidden;
	/** @usage_cycles: modeled cycles of every file's jobs, for fdinfo */
	atomic64_t usage_cycles;
	/** @gate_context: fence context of in-fence gates (wse_gate.c) */
	u64 gate_context;
	/** @gate_seqno: last seqno of a gate */
	atomic64_t gate_seqno;
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
	/**
	 * @last_fence: done fence of the newest job, or NULL: its finished
	 * fence, or its hardware fence if it was a direct one
	 */
	struct dma_fence *last_fence;
	/** @last_direct: the newest job was run by SUBMIT (wse_job.c) */
	bool last_direct;
	/**
	 * @generation: wse_device.generation when the context was last
	 * valid; differs after a reset until REGION_ALLOC or REGION_FREE
	 */
	u32 generation;
	/** @budget: device-list bytes its unfinished jobs hold */
	struct wse_budget *budget;
	/** @pid: thread group that opened the file (debugfs) */
	pid_t pid;
	/** @windows: the file's windows. Protected by wse_device.window_lock. */
	struct list_head windows;
	/** @usage: what the file's jobs used, for fdinfo; jobs share it */
	struct wse_usage *usage;
	/**
	 * @spare_job: a freed direct job's memory kept for the file's next
	 * short job, or NULL (wse_job.c). Not under @lock: taken with
	 * xchg() and given back with cmpxchg().
	 */
	struct wse_job *spare_job;
};

/* A file whose context a reset dropped; see wse_accel.h. */
static inline bool wse_file_stale(const struct wse_file_priv *fpriv)
{
	return fpriv->generation != READ_ONCE(fpriv->wdev->generation);
}

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

int wse_region_file_recover_locked(struct wse_file_priv *fpriv);
void wse_regions_reset(struct wse_device *wdev);

/* wse_pm.c */
int wse_device_reset(struct wse_device *wdev, const char *reason);
int wse_reset_ioctl(struct drm_device *drm, void *data, struct drm_file *file);
int wse_get_param_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file);
int wse_pm_init(struct wse_device *wdev);
void wse_pm_runtime_init(struct wse_device *wdev);
void wse_pm_runtime_fini(struct wse_device *wdev);
int wse_pm_get(struct wse_device *wdev);
void wse_pm_get_awake(struct wse_device *wdev);
void wse_pm_put(struct wse_device *wdev);
extern const struct dev_pm_ops wse_pm_ops;
extern const struct pci_error_handlers wse_err_handlers;

/* wse_sysfs.c */
int wse_sysfs_init(struct wse_device *wdev);
void wse_counters_snapshot(struct wse_device *wdev);
void wse_counters_save_asleep(struct wse_device *wdev);
u64 wse_counters_resets(struct wse_device *wdev);

/* wse_debugfs.c */
#if IS_ENABLED(CONFIG_DEBUG_FS)
void wse_debugfs_init(struct wse_device *wdev);
#else
static inline void wse_debugfs_init(struct wse_device *wdev)
{
}
#endif

#endif /* __WSE_DRV_H__ */
