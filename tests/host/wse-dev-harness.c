// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wse-dev-harness.c - see wse-dev-harness.h.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wse-dev-harness.h"

static int g_dma(void *opaque, uint64_t addr, void *buf, size_t len, bool write)
{
	struct guest *g = opaque;

	/* Only guest RAM answers, as in QEMU's glue. */
	if (addr < GUEST_RAM_BASE || addr + len < addr ||
	    addr + len > GUEST_RAM_BASE + GUEST_RAM_SIZE)
		return -EFAULT;
	if (g->hold_gpa && addr <= g->hold_gpa && g->hold_gpa < addr + len) {
		__atomic_store_n(&g->held, 1, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&g->release, __ATOMIC_SEQ_CST))
			sched_yield();
	}
	if (write)
		memcpy(g->ram + (addr - GUEST_RAM_BASE), buf, len);
	else
		memcpy(buf, g->ram + (addr - GUEST_RAM_BASE), len);
	return 0;
}

static int g_dma_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	return g_dma(opaque, addr, buf, len, false);
}

static int g_dma_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	return g_dma(opaque, addr, (void *)buf, len, true);
}

static void g_irq(void *opaque, unsigned int vector)
{
	struct guest *g = opaque;

	__atomic_add_fetch(&g->irqs[vector], 1, __ATOMIC_SEQ_CST);
}

static void g_window_map(void *opaque, unsigned int slot, bool enabled,
			 uint64_t off, uint32_t len, bool ro)
{
	struct guest *g = opaque;

	g->windows[slot].enabled = enabled;
	g->windows[slot].offset = off;
	g->windows[slot].len = len;
	g->windows[slot].readonly = ro;
}

static void g_guest_error(void *opaque, const char *fmt, va_list ap)
{
	struct guest *g = opaque;

	__atomic_add_fetch(&g->guest_errors, 1, __ATOMIC_SEQ_CST);
	if (getenv("WSE_DEV_VERBOSE")) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
}

static const struct wse_dev_ops guest_ops = {
	.dma_read = g_dma_read,
	.dma_write = g_dma_write,
	.irq = g_irq,
	.window_map = g_window_map,
	.guest_error = g_guest_error,
};

int guest_init(struct guest *g, uint32_t w, uint32_t h)
{
	return guest_init_xfer(g, w, h, 16 << 20);
}

int guest_init_xfer(struct guest *g, uint32_t w, uint32_t h, uint32_t max_xfer)
{
	struct wse_dev_config cfg = {
		.mesh_width = w,
		.mesh_height = h,
		.sram_bytes = WAFER_DEFAULT_SRAM,
		.num_queues = 4,
		.num_windows = 4,
		.window_size = 1 << 20,
		.num_vectors = 5,
		.wafer_threads = 2,
		.max_xfer = max_xfer,
		.max_image = 1 << 20,
	};
	char err[256];

	memset(g, 0, sizeof(*g));
	g->ram = calloc(1, GUEST_RAM_SIZE);
	if (!g->ram)
		return -ENOMEM;
	g->alloc_next = GUEST_RAM_BASE;
	if (wse_dev_init(&g->dev, &cfg, &guest_ops, g, err, sizeof(err))) {
		fprintf(stderr, "wse_dev_init: %s\n", err);
		free(g->ram);
		return -EINVAL;
	}
	return 0;
}

void guest_fini(struct guest *g)
{
	wse_dev_fini(&g->dev);
	free(g->ram);
}

uint64_t guest_alloc(struct guest *g, uint64_t bytes, uint64_t align)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	uint64_t a;

	pthread_mutex_lock(&lock);
	a = (g->alloc_next + align - 1) & ~(align - 1);
	if (a + bytes > GUEST_RAM_BASE + GUEST_RAM_SIZE)
		abort();
	g->alloc_next = a + bytes;
	pthread_mutex_unlock(&lock);
	memset(guest_ptr(g, a), 0, bytes);
	return a;
}

void *guest_ptr(struct guest *g, uint64_t gpa)
{
	return g->ram + (gpa - GUEST_RAM_BASE);
}

uint32_t reg_read(struct guest *g, uint32_t off)
{
	return wse_dev_reg_read(&g->dev, off);
}

void reg_write(struct guest *g, uint32_t off, uint32_t v)
{
	wse_dev_reg_write(&g->dev, off, v);
}

uint32_t queue_setup(struct guest *g, unsigned int q, uint32_t order,
		     struct wafer_rect r)
{
	uint32_t n = 1u << order;

	g->q[q].sq = guest_alloc(g, (uint64_t)n * WSE_SQE_SIZE, 4096);
	g->q[q].cq = guest_alloc(g, (uint64_t)n * WSE_CQE_SIZE, 4096);
	g->q[q].entries = n;
	g->q[q].sq_tail = 0;
	g->q[q].cq_head = 0;
	g->q[q].phase = 1;
	reg_write(g, WSE_REG_Q(q, WSE_Q_SQ_BASE_LO), (uint32_t)g->q[q].sq);
	reg_write(g, WSE_REG_Q(q, WSE_Q_SQ_BASE_HI), g->q[q].sq >> 32);
	reg_write(g, WSE_REG_Q(q, WSE_Q_CQ_BASE_LO), (uint32_t)g->q[q].cq);
	reg_write(g, WSE_REG_Q(q, WSE_Q_CQ_BASE_HI), g->q[q].cq >> 32);
	reg_write(g, WSE_REG_Q(q, WSE_Q_SIZE), order);
	reg_write(g, WSE_REG_Q(q, WSE_Q_VECTOR), q + 1);
	reg_write(g, WSE_REG_Q(q, WSE_Q_REGION_XY), r.x | r.y << 16);
	reg_write(g, WSE_REG_Q(q, WSE_Q_REGION_WH), r.w | r.h << 16);
	reg_write(g, WSE_REG_Q(q, WSE_Q_CTRL), WSE_QCTRL_ENABLE);
	return reg_read(g, WSE_REG_Q(q, WSE_Q_STATUS));
}

void queue_submit(struct guest *g, unsigned int q, const struct wse_sqe *sqe)
{
	struct wse_sqe *slot = guest_ptr(g, g->q[q].sq +
					 (uint64_t)g->q[q].sq_tail * WSE_SQE_SIZE);

	*slot = *sqe;
	g->q[q].sq_tail = (g->q[q].sq_tail + 1) % g->q[q].entries;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	reg_write(g, WSE_REG_Q(q, WSE_Q_SQ_TAIL), g->q[q].sq_tail);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

bool queue_reap(struct guest *g, unsigned int q, struct wse_cqe *cqe,
		unsigned int timeout_ms)
{
	volatile struct wse_cqe *slot = guest_ptr(g, g->q[q].cq +
					(uint64_t)g->q[q].cq_head * WSE_CQE_SIZE);
	uint64_t end = now_ms() + timeout_ms;

	while ((slot->phase & WSE_CQE_PHASE) != g->q[q].phase) {
		if (now_ms() > end)
			return false;
		sched_yield();
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	memcpy(cqe, (const void *)slot, sizeof(*cqe));
	g->q[q].cq_head = (g->q[q].cq_head + 1) % g->q[q].entries;
	if (!g->q[q].cq_head)
		g->q[q].phase ^= 1;
	reg_write(g, WSE_REG_Q(q, WSE_Q_CQ_HEAD), g->q[q].cq_head);
	return true;
}

int queue_run(struct guest *g, unsigned int q, const struct wse_sqe *sqe,
	      struct wse_cqe *cqe)
{
	queue_submit(g, q, sqe);
	if (!queue_reap(g, q, cqe, 10000))
		return -1;
	return cqe->status;
}

bool queue_wait_status(struct guest *g, unsigned int q, uint32_t mask,
		       uint32_t want, unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	while ((reg_read(g, WSE_REG_Q(q, WSE_Q_STATUS)) & mask) != want) {
		if (now_ms() > end)
			return false;
		sched_yield();
	}
	return true;
}

uint64_t sgl_one(struct guest *g, uint64_t gpa, uint32_t len)
{
	uint64_t list = guest_alloc(g, sizeof(struct wse_sge), 16);
	struct wse_sge *e = guest_ptr(g, list);

	e->addr = gpa;
	e->len = len;
	return list;
}
