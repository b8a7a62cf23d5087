// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch-trace.c - traces and counters of a launch: asking for them and
 * reading them back. (trace.c is WSE_TRACE, the log of finished tasks.)
 *
 * The records are the core's (abi/wafer-trace.h); the public structures
 * of wse.h have the same layout, which the asserts below hold to. A
 * backend without the contract 1.2 operations answers -EOPNOTSUPP.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stddef.h>

#include "wafer-trace.h"
#include "wse_priv.h"

#define SAME(a, b, f) (offsetof(struct a, f) == offsetof(struct b, f))
_Static_assert(sizeof(struct wse_trace_config) == sizeof(struct wafer_trace_config) &&
	       SAME(wse_trace_config, wafer_trace_config, sample_every) &&
	       SAME(wse_trace_config, wafer_trace_config, max_events), "config");
_Static_assert(sizeof(struct wse_trace_event) == sizeof(struct wafer_trace_event) &&
	       SAME(wse_trace_event, wafer_trace_event, arg) &&
	       SAME(wse_trace_event, wafer_trace_event, aux) &&
	       SAME(wse_trace_event, wafer_trace_event, kind) &&
	       SAME(wse_trace_event, wafer_trace_event, color), "event");
_Static_assert(sizeof(struct wse_trace_pe) == sizeof(struct wafer_trace_pe) &&
	       SAME(wse_trace_pe, wafer_trace_pe, nevents) &&
	       SAME(wse_trace_pe, wafer_trace_pe, dropped), "header");
_Static_assert(sizeof(struct wse_pe_counters) == sizeof(struct wafer_pe_counters) &&
	       SAME(wse_pe_counters, wafer_pe_counters, idle) &&
	       SAME(wse_pe_counters, wafer_pe_counters, tasks), "counters");
_Static_assert(WSE_TRACE_EVENTS == WAFER_TRACE_F_EVENTS &&
	       WSE_TRACE_COUNTERS == WAFER_TRACE_F_COUNTERS &&
	       (int)WSE_TRACE_STALL_RECV == (int)WAFER_TEV_STALL_RECV, "flags and kinds");

static int trace_unsupported(struct wse_device *dev, const char *what)
{
	return wse_fail(dev, -EOPNOTSUPP,
			"%s: the device's backend cannot trace launches (only the simulator, \"sim:\" devices, can)",
			what);
}

static int trace_errno(struct wse_device *dev, int ret, const char *what)
{
	switch (ret) {
	case -ENODATA:
		return wse_fail(dev, ret, "%s: no launch of the loaded program was traced (wse_trace_next_launch())",
				what);
	case -EBUSY:
		return wse_fail(dev, ret, "%s: a job is running; wait for the traced launch first", what);
	default:
		return wse_fail(dev, ret, "%s: the backend failed", what);
	}
}

int wse_trace_next_launch(struct wse_device *dev, const struct wse_trace_config *cfg)
{
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "trace: NULL device");
	if (cfg && (cfg->reserved || (cfg->flags & ~(WSE_TRACE_EVENTS | WSE_TRACE_COUNTERS)) ||
		    cfg->max_events > WAFER_TRACE_EVENTS_MAX))
		return wse_fail(dev, -EINVAL,
				"trace: flags 0x%x, max_events %u (at most %u), reserved %u",
				cfg->flags, cfg->max_events, WAFER_TRACE_EVENTS_MAX, cfg->reserved);
	if (!WSE_BACKEND_HAS(dev->ops, trace_arm))
		return trace_unsupported(dev, "trace");
	ret = dev->ops->trace_arm(dev->be, (const struct wafer_trace_config *)cfg);
	return ret ? wse_fail(dev, ret, "trace: the backend refused") : 0;
}

int wse_trace_read(struct wse_device *dev, uint32_t x, uint32_t y,
		   struct wse_trace_pe *hdr, struct wse_trace_event *ev,
		   uint32_t max)
{
	struct wse_region r;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "trace read: NULL device");
	if (!hdr || (max && !ev))
		return wse_fail(dev, -EINVAL, "trace read: NULL header or events");
	if (!WSE_BACKEND_HAS(dev->ops, trace_read))
		return trace_unsupported(dev, "trace read");
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	if (x >= r.width || y >= r.height)
		return wse_fail(dev, -EINVAL, "trace read: PE (%u,%u) is outside the %ux%u region",
				x, y, r.width, r.height);
	ret = dev->ops->trace_read(dev->be, x, y, (struct wafer_trace_pe *)hdr,
				   (struct wafer_trace_event *)ev, max);
	if (ret)
		return trace_errno(dev, ret, "trace read");
	return (int)(hdr->nevents < max ? hdr->nevents : max);
}

int wse_counters_read(struct wse_device *dev, struct wse_pe_counters *c, size_t n)
{
	struct wse_region r;
	size_t npes;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "counters: NULL device");
	if (!WSE_BACKEND_HAS(dev->ops, counters_read))
		return trace_unsupported(dev, "counters");
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	npes = (size_t)r.width * r.height;
	if (!c || n < npes)
		return wse_fail(dev, -EINVAL, "counters: room for %zu PEs, the region has %zu",
				c ? n : 0, npes);
	ret = dev->ops->counters_read(dev->be, (struct wafer_pe_counters *)c, n);
	if (ret)
		return trace_errno(dev, ret, "counters");
	return (int)npes;
}
