/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-dev.h - the wse device model, independent of QEMU.
 *
 * Everything the device does lives behind this interface: registers,
 * queues and their worker threads, command execution, window slots,
 * reset. It includes no QEMU header; wse-pci.c (the QEMU glue) supplies
 * guest memory access, interrupts and window mapping through
 * struct wse_dev_ops, and host tests can drive the same code directly.
 *
 * Threads: register accesses come from the caller's thread (a vCPU, with
 * QEMU's big lock held) and never wait for a command: stopping a busy
 * queue is asynchronous (QSTATUS.BUSY, EVENT.QUEUE_STOPPED); reset and
 * teardown wait, but every command ends within one chunk once aborted. Each queue has a worker thread that fetches and
 * executes its commands, so a running kernel never stalls the caller and
 * queues run concurrently. Workers never call back into the caller while
 * holding a device lock, and dma_read/dma_write must not need the big
 * lock (the glue refuses anything but guest RAM).
 *
 * Lock order: wse_dev.lock, then wse_queue.lock. Workers take only their
 * queue's lock (and the device lock briefly, never with the queue lock).
 */
#ifndef WSE_DEV_H
#define WSE_DEV_H

#include <linux/types.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wse_regs.h"
#include "wafer/wafer.h"

struct wse_dev_ops {
	/* Copy to/from guest physical memory; any thread. 0 or -EFAULT. */
	int (*dma_read)(void *opaque, uint64_t addr, void *buf, size_t len);
	int (*dma_write)(void *opaque, uint64_t addr, const void *buf, size_t len);
	/* Signal an MSI-X vector; any thread; must not block. */
	void (*irq)(void *opaque, unsigned int vector);
	/*
	 * Window slot changed: show len bytes of linear SRAM at sram_offset
	 * (enabled) or nothing. Called from reg_write()/reset() context.
	 */
	void (*window_map)(void *opaque, unsigned int slot, bool enabled,
			   uint64_t sram_offset, uint32_t len, bool readonly);
	/*
	 * Start a named worker thread running fn(arg), *handle for
	 * thread_join (QEMU: qemu_thread_create, which names it and blocks
	 * signals in it); 0 or -errno. NULL: plain pthread_create.
	 */
	int (*thread_create)(void *opaque, const char *name,
			     void *(*fn)(void *), void *arg, void **handle);
	void (*thread_join)(void *opaque, void *handle);
	/* Worker threads announce themselves (QEMU registers them for RCU). */
	void (*thread_start)(void *opaque);
	void (*thread_stop)(void *opaque);
	/* A guest programmed the device wrongly; printf-style, no newline. */
	void (*guest_error)(void *opaque, const char *fmt, va_list ap)
		__attribute__((format(printf, 2, 0)));
};

/* Largest max-xfer: one command's bytes (copies stream, see wse-cmd.c). */
#define WSE_MAX_XFER_LIMIT	(1u << 30)

struct wse_dev_config {
	uint32_t mesh_width, mesh_height;
	uint32_t sram_bytes;		/* per PE */
	uint32_t num_queues;		/* 1..WSE_MAX_QUEUES */
	uint32_t num_windows;		/* 0..WSE_MAX_WINDOWS */
	uint32_t window_size;		/* bytes per slot, power of two */
	uint32_t num_vectors;		/* MSI-X vectors the glue provides */
	uint32_t wafer_threads;
	uint32_t max_xfer;		/* bytes per command */
	uint32_t max_image;		/* bytes per LOAD */
	uint64_t insn_budget;		/* per PE per launch, 0 = none */
	/* SRAM the caller owns (see struct wafer_config), or NULL. */
	void *sram;
};

struct wse_dev;

struct wse_queue {
	struct wse_dev *dev;
	unsigned int id;
	pthread_t thread;		/* without ops->thread_create */
	void *thread_handle;		/* with it */
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* work, space or a state change */
	pthread_cond_t idle;		/* the worker finished a command */
	/* Protected by lock: */
	uint64_t sq_base, cq_base;
	uint32_t order;			/* log2 entries */
	uint32_t vector;
	struct wafer_rect region;
	bool enabled;
	uint8_t error;			/* WSE_QERR_*, queue stopped */
	bool busy;			/* worker executing a command */
	bool done;			/* busy, but its completion is posted */
	bool abort;			/* ABORT or disable requested */
	int cancel;			/* atomic: the running command should
					 * end early (read without lock) */
	bool stop;			/* device teardown */
	uint32_t sq_tail, sq_head;
	uint32_t cq_tail, cq_head;
	uint8_t phase;
	/* The loaded image; owned by the worker while busy. */
	struct wafer_program *program;
	struct wafer_image *image;
};

struct wse_window {
	uint32_t pe_xy, offset, length, ctrl;
	uint32_t status;
};

struct wse_dev {
	struct wse_dev_config cfg;
	const struct wse_dev_ops *ops;
	void *opaque;
	struct wafer *wafer;
	pthread_mutex_t lock;
	/* Protected by lock: */
	uint32_t status;		/* WSE_STATUS_* */
	uint32_t error;			/* WSE_DEVERR_* */
	uint32_t event;			/* WSE_EVENT_* pending */
	struct wse_window windows[WSE_MAX_WINDOWS];
	/* The driver's PE dump (WSE_REG_DUMP_*): */
	uint32_t dump_queue, dump_xy, dump_status;
	uint64_t dump_addr;
	/*
	 * One LOAD at a time copies its image in from the guest (the
	 * parser keeps its own copy): the transient buffer costs MAX_IMAGE
	 * once, not once per queue. Taken by workers only, never with
	 * another lock held.
	 */
	pthread_mutex_t load_lock;
	/* Updated with atomics by workers: */
	uint64_t counters[WSE_NUM_COUNTERS];
	struct wse_queue queues[WSE_MAX_QUEUES];
};

/* wse-dev.c */
int wse_dev_check_config(const struct wse_dev_config *cfg, char *err,
			 size_t errlen);
int wse_dev_init(struct wse_dev *d, const struct wse_dev_config *cfg,
		 const struct wse_dev_ops *ops, void *opaque,
		 char *err, size_t errlen);
void wse_dev_fini(struct wse_dev *d);
void wse_dev_reset(struct wse_dev *d);
uint32_t wse_dev_reg_read(struct wse_dev *d, uint32_t offset);
void wse_dev_reg_write(struct wse_dev *d, uint32_t offset, uint32_t value);
uint8_t *wse_dev_sram(struct wse_dev *d);
size_t wse_dev_sram_size(struct wse_dev *d);
void wse_dev_guest_error(struct wse_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wse_dev_count(struct wse_dev *d, unsigned int counter, uint64_t n);
void wse_dev_event(struct wse_dev *d, uint32_t event);

/* wse-queue.c */
int wse_queue_init(struct wse_dev *d, struct wse_queue *q, unsigned int id);
void wse_queue_fini(struct wse_queue *q);
void wse_queue_reset(struct wse_queue *q);
void wse_queue_program_drop(struct wse_queue *q);
uint32_t wse_queue_reg_read(struct wse_queue *q, uint32_t reg);
uint8_t wse_queue_pe_dump(struct wse_queue *q, uint32_t x, uint32_t y,
			  uint64_t addr);
void wse_queue_reg_write(struct wse_queue *q, uint32_t reg, uint32_t value);

/* True once the command running on q should end early (any thread). */
static inline bool wse_queue_cancelled(const struct wse_queue *q)
{
	return __atomic_load_n(&q->cancel, __ATOMIC_RELAXED);
}

/* wse-cmd.c: execute one command of queue q, filling the completion. */
/* wse-cmd-stream.c: RESIDENT, STREAM_IN, STREAM_OUT, CALL, STOP */
uint8_t wse_cmd_stream_execute(struct wse_queue *q, const struct wse_sqe *sqe,
			       struct wse_cqe *cqe);
void wse_cmd_execute(struct wse_queue *q, const struct wse_sqe *sqe,
		     struct wse_cqe *cqe);
/* Short commands the doorbell runs inline (wse-queue.c): up to this many
 * bytes and scatter-gather entries of a WRITE or READ. */
#define WSE_INLINE_BYTES	4096
#define WSE_INLINE_SGES		4
bool wse_cmd_is_short(const struct wse_sqe *sqe);

#endif /* WSE_DEV_H */
