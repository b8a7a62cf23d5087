// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace.c - launch traces and counters of the simulator (contract 1.2):
 * the context remembers what libwse asked for and arms its program just
 * before the next LAUNCH it executes, in queue order, so a load queued
 * in between does not take the request away; reads go to the program
 * the worker loaded, between launches.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <string.h>

#include "sim.h"

int sim_trace_arm(struct wse_backend_dev *dev, const struct wafer_trace_config *cfg)
{
	pthread_mutex_lock(&dev->lock);
	dev->trace_armed = cfg && cfg->flags;
	if (dev->trace_armed)
		dev->trace_cfg = *cfg;
	pthread_mutex_unlock(&dev->lock);
	return 0;
}

/* The worker, before a LAUNCH of prog. */
int sim_trace_launch(struct wse_backend_dev *dev, struct wafer_program *prog)
{
	struct wafer_trace_config cfg;
	bool armed;

	pthread_mutex_lock(&dev->lock);
	armed = dev->trace_armed;
	cfg = dev->trace_cfg;
	dev->trace_armed = false;
	pthread_mutex_unlock(&dev->lock);
	return armed ? wafer_trace_arm(prog, &cfg) : 0;
}

static struct wafer_program *sim_trace_prog(struct wse_backend_dev *dev)
{
	struct wafer_program *prog;

	pthread_mutex_lock(&dev->lock);
	prog = dev->running || dev->inline_busy ? NULL : dev->prog;
	pthread_mutex_unlock(&dev->lock);
	return prog;
}

int sim_trace_read(struct wse_backend_dev *dev, uint32_t x, uint32_t y,
		   struct wafer_trace_pe *hdr, struct wafer_trace_event *ev,
		   uint32_t max)
{
	struct wafer_program *prog = sim_trace_prog(dev);

	if (!prog)
		return dev->prog ? -EBUSY : -ENODATA;
	return wafer_trace_read(prog, x, y, hdr, ev, max);
}

int sim_counters_read(struct wse_backend_dev *dev, struct wafer_pe_counters *c,
		      size_t n)
{
	struct wafer_program *prog = sim_trace_prog(dev);

	if (!prog)
		return dev->prog ? -EBUSY : -ENODATA;
	return wafer_counters_read(prog, c, n);
}
