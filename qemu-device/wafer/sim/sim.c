// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sim.c - the simulator backend's entry, its devices and host memory.
 *
 * libwse-sim.so.1 exports one function, wse_backend_entry(), which hands
 * libwse the operations below (abi/wse-backend.h). Everything else of the
 * plugin, the wafer core included, is local to it.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim.h"

const struct wse_backend_ops *wse_backend_entry(uint32_t abi_version);

static void sim_info_fill(struct wse_backend_dev *dev)
{
	const struct sim_spec *spec = &dev->sw->spec;

	dev->info = (struct wse_backend_info) {
		.mesh_width = spec->cfg.width,
		.mesh_height = spec->cfg.height,
		.sram_bytes = spec->cfg.sram_bytes,
		.num_queues = SIM_NUM_QUEUES,
		.num_windows = SIM_NUM_WINDOWS,
		.window_size = SIM_WINDOW_SIZE,
		.max_xfer = SIM_MAX_XFER,
		.max_image = SIM_MAX_IMAGE,
		.hw_version = SIM_HW_VERSION,
		.fw_version = SIM_FW_VERSION,
		.caps = WSE_BACKEND_CAP_QUEUES | WSE_BACKEND_CAP_STREAM | WSE_BACKEND_CAP_WINDOWS |
			WSE_BACKEND_CAP_KERNELS | WSE_BACKEND_CAP_RECT,
		.minor = -1,
	};
	snprintf(dev->info.node, sizeof(dev->info.node), "%.*s",
		 (int)sizeof(dev->info.node) - 1, spec->key);
	snprintf(dev->info.driver_version, sizeof(dev->info.driver_version),
		 "%s", SIM_VERSION);
}

static int sim_open(const char *args, struct wse_backend_dev **out,
		    struct wse_backend_info *info, char *err, size_t errlen)
{
	struct wse_backend_dev *dev;
	pthread_condattr_t attr;
	struct sim_spec spec;
	int ret;

	ret = sim_spec_parse(args, &spec, err, errlen);
	if (ret)
		return ret;
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = sim_wafer_get(&spec, &dev->sw, err, errlen);
	if (ret) {
		free(dev);
		return ret;
	}
	pthread_mutex_init(&dev->lock, NULL);
	/* Timed waits count on the monotonic clock, as the deadlines do. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&dev->cond, &attr);
	pthread_condattr_destroy(&attr);
	sim_info_fill(dev);

	pthread_mutex_lock(&dev->sw->lock);
	dev->next = dev->sw->ctxs;
	dev->sw->ctxs = dev;
	pthread_mutex_unlock(&dev->sw->lock);
	*info = dev->info;
	*out = dev;
	return 0;
}

static void sim_close(struct wse_backend_dev *dev)
{
	struct sim_wafer *sw = dev->sw;
	struct wse_backend_dev **pp;
	struct sim_host *h;

	sim_queue_stop(dev);
	pthread_mutex_lock(&sw->lock);
	for (pp = &sw->ctxs; *pp != dev; pp = &(*pp)->next)
		;
	*pp = dev->next;
	if (dev->has_queue)
		sw->queues_used--;
	pthread_mutex_unlock(&sw->lock);
	/* Closing releases the region, as closing the device file does. */
	if (dev->has_region || dev->stale)
		sim_region_free(dev);
	pthread_mutex_lock(&dev->lock);
	sim_prog_drop_locked(dev);
	pthread_mutex_unlock(&dev->lock);
	while ((h = dev->host)) {
		dev->host = h->next;
		munmap(h->ptr, h->size);
		free(h);
	}
	sim_wafer_put(sw);
	pthread_cond_destroy(&dev->cond);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

static int sim_host_alloc(struct wse_backend_dev *dev, size_t size, void **ptr)
{
	struct sim_host *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->size = size;
	h->ptr = mmap(NULL, size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h->ptr == MAP_FAILED) {
		free(h);
		return -ENOMEM;
	}
	pthread_mutex_lock(&dev->lock);
	h->next = dev->host;
	dev->host = h;
	pthread_mutex_unlock(&dev->lock);
	*ptr = h->ptr;
	return 0;
}

static void sim_host_free(struct wse_backend_dev *dev, void *ptr)
{
	struct sim_host **pp, *h = NULL;

	pthread_mutex_lock(&dev->lock);
	for (pp = &dev->host; *pp; pp = &(*pp)->next)
		if ((*pp)->ptr == ptr) {
			h = *pp;
			*pp = h->next;
			break;
		}
	pthread_mutex_unlock(&dev->lock);
	if (h) {
		munmap(h->ptr, h->size);
		free(h);
	}
}

static const struct wse_backend_ops sim_ops = {
	.abi_version = WSE_BACKEND_ABI_VERSION,
	.size = sizeof(struct wse_backend_ops),
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
	.fd = NULL,
	.region_alloc = sim_region_alloc,
	.region_free = sim_region_free,
	.host_alloc = sim_host_alloc,
	.host_free = sim_host_free,
	.submit = sim_submit,
	.wait = sim_wait,
	.job_free = sim_job_free,
	.window_map = sim_window_map,
	.window_unmap = sim_window_unmap,
	.set_small_copy = NULL,
	.reset = sim_reset,
	.trace_arm = sim_trace_arm,
	.trace_read = sim_trace_read,
	.counters_read = sim_counters_read,
};

const struct wse_backend_ops *wse_backend_entry(uint32_t abi_version)
{
	if (abi_version >> 16 != WSE_BACKEND_ABI_MAJOR)
		return NULL;
	return &sim_ops;
}
