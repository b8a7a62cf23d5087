// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-dev.c - device identity, global registers, counters, window slots
 * and reset. Documentation/wse/hardware.rst is the specification.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "image-elf.h"
#include "wse-dev.h"

#define WSE_FW_VERSION	((1u << 16) | 0)

void wse_dev_guest_error(struct wse_dev *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->ops->guest_error)
		return;
	va_start(ap, fmt);
	d->ops->guest_error(d->opaque, fmt, ap);
	va_end(ap);
}

void wse_dev_count(struct wse_dev *d, unsigned int counter, uint64_t n)
{
	__atomic_add_fetch(&d->counters[counter], n, __ATOMIC_RELAXED);
}

/* Latch an event and signal the event vector. */
void wse_dev_event(struct wse_dev *d, uint32_t event)
{
	pthread_mutex_lock(&d->lock);
	d->event |= event;
	pthread_mutex_unlock(&d->lock);
	d->ops->irq(d->opaque, WSE_VECTOR_EVENTS);
}

int wse_dev_check_config(const struct wse_dev_config *c, char *err,
			 size_t errlen)
{
	if (c->mesh_width < 1 || c->mesh_width > WAFER_MAX_WIDTH) {
		snprintf(err, errlen, "mesh-width %u out of range 1..%u",
			 c->mesh_width, WAFER_MAX_WIDTH);
		return -EINVAL;
	}
	if (c->mesh_height < 1 || c->mesh_height > WAFER_MAX_HEIGHT) {
		snprintf(err, errlen, "mesh-height %u out of range 1..%u",
			 c->mesh_height, WAFER_MAX_HEIGHT);
		return -EINVAL;
	}
	if (c->sram_bytes < 4096 || c->sram_bytes > (1u << 20) ||
	    c->sram_bytes % 4096) {
		snprintf(err, errlen,
			 "sram-bytes %u must be a multiple of 4096 in 4096..1048576",
			 c->sram_bytes);
		return -EINVAL;
	}
	if (c->num_queues < 1 || c->num_queues > WSE_MAX_QUEUES) {
		snprintf(err, errlen, "queues %u out of range 1..%u",
			 c->num_queues, WSE_MAX_QUEUES);
		return -EINVAL;
	}
	if (c->num_windows > WSE_MAX_WINDOWS) {
		snprintf(err, errlen, "windows %u out of range 0..%u",
			 c->num_windows, WSE_MAX_WINDOWS);
		return -EINVAL;
	}
	if (c->window_size < WSE_WINDOW_ALIGN || c->window_size > (256u << 20) ||
	    (c->window_size & (c->window_size - 1))) {
		snprintf(err, errlen,
			 "window-size %u must be a power of two in 4096..268435456",
			 c->window_size);
		return -EINVAL;
	}
	if (c->wafer_threads < 1 || c->wafer_threads > 64) {
		snprintf(err, errlen, "wafer-threads %u out of range 1..64",
			 c->wafer_threads);
		return -EINVAL;
	}
	/*
	 * Copies stream through bounded buffers, so MAX_XFER only bounds
	 * how long one command runs; an image is held whole while it is
	 * parsed, and the parser takes no more than WSE_IMAGE_MAX_BYTES.
	 */
	if (c->max_xfer < 4096 || c->max_xfer > WSE_MAX_XFER_LIMIT) {
		snprintf(err, errlen, "max-xfer %u out of range 4096..%u",
			 c->max_xfer, WSE_MAX_XFER_LIMIT);
		return -EINVAL;
	}
	if (c->max_image < 4096 || c->max_image > WSE_IMAGE_MAX_BYTES) {
		snprintf(err, errlen, "max-image %u out of range 4096..%u",
			 c->max_image, WSE_IMAGE_MAX_BYTES);
		return -EINVAL;
	}
	return 0;
}

int wse_dev_init(struct wse_dev *d, const struct wse_dev_config *cfg,
		 const struct wse_dev_ops *ops, void *opaque,
		 char *err, size_t errlen)
{
	struct wafer_config wc = {
		.width = cfg->mesh_width,
		.height = cfg->mesh_height,
		.sram_bytes = cfg->sram_bytes,
		.threads = cfg->wafer_threads,
		.insn_budget = cfg->insn_budget,
		.sram = cfg->sram,
	};
	unsigned int i;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = wse_dev_check_config(cfg, err, errlen);
	if (ret)
		return ret;
	d->cfg = *cfg;
	d->ops = ops;
	d->opaque = opaque;
	ret = wafer_create(&wc, &d->wafer, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->load_lock, NULL);
	for (i = 0; i < cfg->num_queues; i++) {
		ret = wse_queue_init(d, &d->queues[i], i);
		if (ret) {
			snprintf(err, errlen, "cannot start queue thread %u: %s",
				 i, strerror(-ret));
			while (i--)
				wse_queue_fini(&d->queues[i]);
			wafer_destroy(d->wafer);
			return ret;
		}
	}
	d->status = WSE_STATUS_READY;
	return 0;
}

void wse_dev_fini(struct wse_dev *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg.num_queues; i++)
		wse_queue_fini(&d->queues[i]);
	wafer_destroy(d->wafer);
	pthread_mutex_destroy(&d->load_lock);
	pthread_mutex_destroy(&d->lock);
}

uint8_t *wse_dev_sram(struct wse_dev *d)
{
	return wafer_sram_base(d->wafer);
}

size_t wse_dev_sram_size(struct wse_dev *d)
{
	return wafer_sram_total(d->wafer);
}

static void window_disable_locked(struct wse_dev *d, unsigned int s)
{
	struct wse_window *w = &d->windows[s];

	if (w->status & WSE_WSTATUS_ACTIVE)
		d->ops->window_map(d->opaque, s, false, 0, 0, false);
	w->status = 0;
}

/*
 * Apply a CTRL write. The slot shows the wafer's linear SRAM space from
 * PE (x, y) + offset; a configuration that leaves the SRAM or the slot is
 * refused with WSTATUS.ERROR and the slot stays dark.
 */
static void window_apply_locked(struct wse_dev *d, unsigned int s)
{
	struct wse_window *w = &d->windows[s];
	uint32_t x = w->pe_xy & 0xffff, y = w->pe_xy >> 16;
	uint64_t start;

	window_disable_locked(d, s);
	if (!(w->ctrl & WSE_WCTRL_ENABLE))
		return;
	if (x >= d->cfg.mesh_width || y >= d->cfg.mesh_height ||
	    w->offset % WSE_WINDOW_ALIGN || w->length % WSE_WINDOW_ALIGN ||
	    !w->length || w->length > d->cfg.window_size ||
	    w->offset >= d->cfg.sram_bytes) {
		wse_dev_guest_error(d, "window %u: bad PE (%u,%u), offset 0x%x or length 0x%x",
				    s, x, y, w->offset, w->length);
		w->status = WSE_WSTATUS_ERROR;
		return;
	}
	start = ((uint64_t)y * d->cfg.mesh_width + x) * d->cfg.sram_bytes + w->offset;
	if (start + w->length > wafer_sram_total(d->wafer)) {
		wse_dev_guest_error(d, "window %u: runs past the last PE's SRAM", s);
		w->status = WSE_WSTATUS_ERROR;
		return;
	}
	d->ops->window_map(d->opaque, s, true, start, w->length,
			   w->ctrl & WSE_WCTRL_READONLY);
	w->status = WSE_WSTATUS_ACTIVE;
}

static uint32_t window_reg_read(struct wse_dev *d, unsigned int s, uint32_t reg)
{
	struct wse_window *w = &d->windows[s];

	switch (reg) {
	case WSE_W_PE_XY:
		return w->pe_xy;
	case WSE_W_OFFSET:
		return w->offset;
	case WSE_W_LENGTH:
		return w->length;
	case WSE_W_CTRL:
		return w->ctrl;
	case WSE_W_STATUS:
		return w->status;
	}
	return 0;
}

static void window_reg_write(struct wse_dev *d, unsigned int s, uint32_t reg,
			     uint32_t v)
{
	struct wse_window *w = &d->windows[s];

	switch (reg) {
	case WSE_W_PE_XY:
		w->pe_xy = v;
		break;
	case WSE_W_OFFSET:
		w->offset = v;
		break;
	case WSE_W_LENGTH:
		w->length = v;
		break;
	case WSE_W_CTRL:
		w->ctrl = v & (WSE_WCTRL_ENABLE | WSE_WCTRL_READONLY);
		window_apply_locked(d, s);
		break;
	default:
		wse_dev_guest_error(d, "window %u: write to read-only register 0x%x",
				    s, reg);
	}
}

/*
 * Full device reset: every queue aborts and waits for its worker, loaded
 * programs are dropped, SRAM is zeroed, windows go dark, counters clear
 * (except the reset count).
 */
void wse_dev_reset(struct wse_dev *d)
{
	uint64_t resets;
	unsigned int i;

	for (i = 0; i < d->cfg.num_queues; i++)
		wse_queue_reset(&d->queues[i]);
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->cfg.num_windows; i++) {
		window_disable_locked(d, i);
		memset(&d->windows[i], 0, sizeof(d->windows[i]));
	}
	wafer_reset(d->wafer);
	resets = __atomic_load_n(&d->counters[WSE_CNT_RESETS], __ATOMIC_RELAXED);
	for (i = 0; i < WSE_NUM_COUNTERS; i++)
		__atomic_store_n(&d->counters[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&d->counters[WSE_CNT_RESETS], resets + 1, __ATOMIC_RELAXED);
	d->status = WSE_STATUS_READY;
	d->error = WSE_DEVERR_NONE;
	d->event = 0;
	d->dump_queue = d->dump_xy = d->dump_status = 0;
	d->dump_addr = 0;
	pthread_mutex_unlock(&d->lock);
}

static uint32_t counter_read(struct wse_dev *d, uint32_t offset)
{
	unsigned int n = (offset - WSE_REG_CNT_BASE) / 8;
	uint64_t v;

	if (n >= WSE_NUM_COUNTERS)
		return 0;
	v = __atomic_load_n(&d->counters[n], __ATOMIC_RELAXED);
	return offset & 4 ? v >> 32 : (uint32_t)v;
}

static uint32_t dump_reg_read(struct wse_dev *d, uint32_t offset)
{
	switch (offset) {
	case WSE_REG_DUMP_QUEUE:
		return d->dump_queue;
	case WSE_REG_DUMP_XY:
		return d->dump_xy;
	case WSE_REG_DUMP_ADDR_LO:
		return (uint32_t)d->dump_addr;
	case WSE_REG_DUMP_ADDR_HI:
		return d->dump_addr >> 32;
	default:
		return d->dump_status;
	}
}

/*
 * DUMP_CTRL: dump a PE for the driver. The vCPU waits for it, but only
 * for one record's copy: the queue must be idle (wse_queue_pe_dump()).
 * The registers are read once under the lock, so a racing vCPU changes
 * the next dump, never this one.
 */
static void dump_ctrl_write(struct wse_dev *d, uint32_t value)
{
	uint32_t qid, xy;
	uint64_t addr;
	uint8_t st;

	if (value != WSE_DUMP_GO) {
		wse_dev_guest_error(d, "DUMP_CTRL written with 0x%x, not the magic", value);
		return;
	}
	pthread_mutex_lock(&d->lock);
	qid = d->dump_queue;
	xy = d->dump_xy;
	addr = d->dump_addr;
	pthread_mutex_unlock(&d->lock);

	if (qid >= d->cfg.num_queues || addr % 8) {
		wse_dev_guest_error(d, "PE dump of queue %u to 0x%llx", qid,
				    (unsigned long long)addr);
		st = WSE_CQE_BAD_FIELD;
	} else {
		st = wse_queue_pe_dump(&d->queues[qid], xy & 0xffff, xy >> 16, addr);
	}
	pthread_mutex_lock(&d->lock);
	d->dump_status = st;
	pthread_mutex_unlock(&d->lock);
}

static void dump_reg_write(struct wse_dev *d, uint32_t offset, uint32_t value)
{
	pthread_mutex_lock(&d->lock);
	switch (offset) {
	case WSE_REG_DUMP_QUEUE:
		d->dump_queue = value;
		break;
	case WSE_REG_DUMP_XY:
		d->dump_xy = value;
		break;
	case WSE_REG_DUMP_ADDR_LO:
		d->dump_addr = (d->dump_addr & ~0xffffffffull) | value;
		break;
	case WSE_REG_DUMP_ADDR_HI:
		d->dump_addr = (d->dump_addr & 0xffffffffull) | (uint64_t)value << 32;
		break;
	}
	pthread_mutex_unlock(&d->lock);
}

uint32_t wse_dev_reg_read(struct wse_dev *d, uint32_t offset)
{
	const struct wse_dev_config *c = &d->cfg;
	uint32_t v = 0;

	if (offset >= WSE_REG_QUEUE_BASE &&
	    offset < WSE_REG_Q(c->num_queues, 0))
		return wse_queue_reg_read(&d->queues[(offset - WSE_REG_QUEUE_BASE) /
						     WSE_QUEUE_STRIDE],
					  offset % WSE_QUEUE_STRIDE);
	if (offset >= WSE_REG_WINDOW_BASE &&
	    offset < WSE_REG_W(c->num_windows, 0)) {
		pthread_mutex_lock(&d->lock);
		v = window_reg_read(d, (offset - WSE_REG_WINDOW_BASE) / WSE_WINDOW_STRIDE,
				    offset % WSE_WINDOW_STRIDE);
		pthread_mutex_unlock(&d->lock);
		return v;
	}
	if (offset >= WSE_REG_CNT_BASE && offset < WSE_REG_CNT(WSE_NUM_COUNTERS))
		return counter_read(d, offset);

	switch (offset) {
	case WSE_REG_ID:
		return WSE_ID_MAGIC;
	case WSE_REG_VERSION:
		return WSE_HW_VERSION_MAJOR << 16 | WSE_HW_VERSION_MINOR;
	case WSE_REG_CAPS:
		return WSE_CAP_QUEUES | WSE_CAP_KERNELS | WSE_CAP_RECT | WSE_CAP_STREAM |
		       WSE_CAP_PE_DUMP | (c->num_windows ? WSE_CAP_WINDOWS : 0);
	case WSE_REG_MESH:
		return c->mesh_width | c->mesh_height << 16;
	case WSE_REG_SRAM_BYTES:
		return c->sram_bytes;
	case WSE_REG_NUM_QUEUES:
		return c->num_queues;
	case WSE_REG_NUM_WINDOWS:
		return c->num_windows;
	case WSE_REG_WINDOW_SIZE:
		return c->window_size;
	case WSE_REG_MAX_XFER:
		return c->max_xfer;
	case WSE_REG_MAX_IMAGE:
		return c->max_image;
	case WSE_REG_FW_VERSION:
		return WSE_FW_VERSION;
	case WSE_REG_DUMP_QUEUE:
	case WSE_REG_DUMP_XY:
	case WSE_REG_DUMP_ADDR_LO:
	case WSE_REG_DUMP_ADDR_HI:
	case WSE_REG_DUMP_STATUS:
		pthread_mutex_lock(&d->lock);
		v = dump_reg_read(d, offset);
		pthread_mutex_unlock(&d->lock);
		return v;
	case WSE_REG_STATUS:
	case WSE_REG_ERROR:
	case WSE_REG_EVENT:
		pthread_mutex_lock(&d->lock);
		v = offset == WSE_REG_STATUS ? d->status :
		    offset == WSE_REG_ERROR ? d->error : d->event;
		pthread_mutex_unlock(&d->lock);
		return v;
	}
	wse_dev_guest_error(d, "read of unknown register 0x%x", offset);
	return 0;
}

void wse_dev_reg_write(struct wse_dev *d, uint32_t offset, uint32_t value)
{
	const struct wse_dev_config *c = &d->cfg;

	if (offset >= WSE_REG_QUEUE_BASE &&
	    offset < WSE_REG_Q(c->num_queues, 0)) {
		wse_queue_reg_write(&d->queues[(offset - WSE_REG_QUEUE_BASE) /
					       WSE_QUEUE_STRIDE],
				    offset % WSE_QUEUE_STRIDE, value);
		return;
	}
	if (offset >= WSE_REG_WINDOW_BASE &&
	    offset < WSE_REG_W(c->num_windows, 0)) {
		pthread_mutex_lock(&d->lock);
		window_reg_write(d, (offset - WSE_REG_WINDOW_BASE) / WSE_WINDOW_STRIDE,
				 offset % WSE_WINDOW_STRIDE, value);
		pthread_mutex_unlock(&d->lock);
		return;
	}
	switch (offset) {
	case WSE_REG_RESET:
		if (value == WSE_RESET_MAGIC) {
			wse_dev_reset(d);
			wse_dev_event(d, WSE_EVENT_RESET_DONE);
		} else {
			wse_dev_guest_error(d, "RESET written with 0x%x, not the magic", value);
		}
		return;
	case WSE_REG_EVENT:
		pthread_mutex_lock(&d->lock);
		d->event &= ~value;
		pthread_mutex_unlock(&d->lock);
		return;
	case WSE_REG_DUMP_QUEUE:
	case WSE_REG_DUMP_XY:
	case WSE_REG_DUMP_ADDR_LO:
	case WSE_REG_DUMP_ADDR_HI:
		dump_reg_write(d, offset, value);
		return;
	case WSE_REG_DUMP_CTRL:
		dump_ctrl_write(d, value);
		return;
	}
	wse_dev_guest_error(d, "write of 0x%x to read-only or unknown register 0x%x",
			    value, offset);
}
