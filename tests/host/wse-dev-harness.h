/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wse-dev-harness.h - drive the device model on the host, as a guest
 * driver would, with a flat array standing in for guest RAM.
 */
#ifndef WSE_DEV_HARNESS_H
#define WSE_DEV_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "../../qemu-device/wse-dev.h"

#define GUEST_RAM_BASE	0x100000ull	/* guest RAM starts at 1 MiB */
#define GUEST_RAM_SIZE	(64ull << 20)

struct guest {
	struct wse_dev dev;
	uint8_t *ram;
	uint64_t alloc_next;		/* bump allocator in guest RAM */
	uint64_t irqs[WSE_MAX_QUEUES + 1];	/* signals per vector */
	unsigned int guest_errors;
	/*
	 * A DMA that touches guest address hold_gpa (if set) stops there,
	 * with held set, until the test sets release: a command caught in
	 * the middle, as a slow one would be.
	 */
	uint64_t hold_gpa;
	int held, release;
	struct {
		bool enabled;
		uint64_t offset;
		uint32_t len;
		bool readonly;
	} windows[WSE_MAX_WINDOWS];
	/* Driver-side ring state of queue 0..n */
	struct {
		uint64_t sq, cq;
		uint32_t entries, sq_tail, cq_head;
		uint8_t phase;
	} q[WSE_MAX_QUEUES];
};

/* Create the device; mesh w x h. Returns 0 or -errno. */
int guest_init(struct guest *g, uint32_t w, uint32_t h);
/* The same with max_xfer bytes per copy (guest_init: 16 MiB). */
int guest_init_xfer(struct guest *g, uint32_t w, uint32_t h, uint32_t max_xfer);
void guest_fini(struct guest *g);

/* Guest physical memory */
uint64_t guest_alloc(struct guest *g, uint64_t bytes, uint64_t align);
void *guest_ptr(struct guest *g, uint64_t gpa);

uint32_t reg_read(struct guest *g, uint32_t off);
void reg_write(struct guest *g, uint32_t off, uint32_t v);

/* Configure and enable queue q with 2^order entries on region r. Returns
 * the queue's STATUS register. */
uint32_t queue_setup(struct guest *g, unsigned int q, uint32_t order,
		     struct wafer_rect r);
/* Put sqe on queue q and ring the doorbell. */
void queue_submit(struct guest *g, unsigned int q, const struct wse_sqe *sqe);
/* Wait (up to timeout_ms) for the next completion and consume it. */
bool queue_reap(struct guest *g, unsigned int q, struct wse_cqe *cqe,
		unsigned int timeout_ms);
/* Submit and reap one command; returns the completion status or -1. */
int queue_run(struct guest *g, unsigned int q, const struct wse_sqe *sqe,
	      struct wse_cqe *cqe);
/* Wait until STATUS & mask == want. */
bool queue_wait_status(struct guest *g, unsigned int q, uint32_t mask,
		       uint32_t want, unsigned int timeout_ms);

/* Build a one-entry SG list for [gpa, gpa + len) and return its address. */
uint64_t sgl_one(struct guest *g, uint64_t gpa, uint32_t len);

#endif /* WSE_DEV_HARNESS_H */
