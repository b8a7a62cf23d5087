// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace-json.c - a traced launch as Chrome/Perfetto trace-event JSON.
 *
 * Layout (Documentation/wse/debugging.rst): "pid" 1 + y is region row y,
 * "tid" 1 + x the PE in it, so ui.perfetto.dev shows a process per row
 * and a track per PE; metadata events name them ("row y", "PE (x,y)")
 * and sort them by coordinate. Tasks and stalls are complete events
 * ("X"), which nest (a stall lies within its task); samples and wavelets
 * are thread-scoped instants ("i"). "ts" is in microseconds at
 * WSE_TRACE_CLOCK_MHZ; the raw cycle is in "args" too. Every number is
 * printed from integers, so the same launch gives the same bytes.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wse_priv.h"

/* Microseconds at the documented clock, exactly to the picosecond. */
static void put_us(FILE *f, const char *key, uint64_t cycles)
{
	/* cycles at WSE_TRACE_CLOCK_MHZ: cycles * 1e6 / MHz picoseconds */
	unsigned __int128 ps = (unsigned __int128)cycles * 1000000u / WSE_TRACE_CLOCK_MHZ;

	fprintf(f, ",\"%s\":%" PRIu64 ".%06" PRIu64, key, (uint64_t)(ps / 1000000u),
		(uint64_t)(ps % 1000000u));
}

static const char *const kind_name[] = {
	[WSE_TRACE_INSN] = "insn", [WSE_TRACE_SEND] = "send",
	[WSE_TRACE_RECV] = "recv", [WSE_TRACE_STALL_SEND] = "stall send",
	[WSE_TRACE_STALL_RECV] = "stall recv",
};

static void put_head(FILE *f, bool *first, const char *ph, uint32_t x, uint32_t y)
{
	fprintf(f, "%s\n{\"ph\":\"%s\",\"pid\":%u,\"tid\":%u", *first ? "" : ",", ph,
		y + 1, x + 1);
	*first = false;
}

static void put_task(FILE *f, bool *first, uint32_t x, uint32_t y,
		     const struct wse_trace_event *s, uint64_t end)
{
	put_head(f, first, "X", x, y);
	if (s->aux == 255)
		fprintf(f, ",\"name\":\"function\"");
	else
		fprintf(f, ",\"name\":\"task %u\"", s->aux);
	fprintf(f, ",\"cat\":\"task\"");
	put_us(f, "ts", s->cycle);
	put_us(f, "dur", end - s->cycle);
	fprintf(f, ",\"args\":{\"cycle\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"pc\":\"0x%x\"}}",
		s->cycle, end - s->cycle, s->arg);
}

static void put_event(FILE *f, bool *first, uint32_t x, uint32_t y,
		      const struct wse_trace_event *e)
{
	bool stall = e->kind == WSE_TRACE_STALL_SEND || e->kind == WSE_TRACE_STALL_RECV;

	put_head(f, first, stall ? "X" : "i", x, y);
	if (e->color != 255)
		fprintf(f, ",\"name\":\"%s c%u\"", kind_name[e->kind], e->color);
	else
		fprintf(f, ",\"name\":\"%s\"", kind_name[e->kind]);
	fprintf(f, ",\"cat\":\"%s\"", stall ? "stall" : e->kind == WSE_TRACE_INSN ? "insn" : "wavelet");
	put_us(f, "ts", e->cycle);
	if (stall)
		put_us(f, "dur", e->arg);
	else
		fprintf(f, ",\"s\":\"t\"");
	fprintf(f, ",\"args\":{\"cycle\":%" PRIu64, e->cycle);
	if (e->kind == WSE_TRACE_INSN)
		fprintf(f, ",\"pc\":\"0x%x\"}}", e->arg);
	else if (stall)
		fprintf(f, ",\"color\":%u,\"cycles\":%u}}", e->color, e->arg);
	else
		fprintf(f, ",\"color\":%u,\"wavelets\":%u}}", e->color, e->arg);
}

/* The end of the task that ev[i] starts: its TASK_END, or what follows. */
static uint64_t task_end(const struct wse_trace_event *ev, uint32_t i, uint32_t n,
			 uint64_t cycles)
{
	for (uint32_t j = i + 1; j < n; j++)
		if (ev[j].kind == WSE_TRACE_TASK_END || ev[j].kind == WSE_TRACE_TASK_START)
			return ev[j].cycle;
	/* A task the launch's end (or fault, or the buffer) cut short. */
	return cycles > ev[i].cycle ? cycles : ev[i].cycle;
}

/* A PE's track; every event in cycle order, a task where it starts. */
static void put_pe(FILE *f, bool *first, const struct wse_trace_pe *h,
		   const struct wse_trace_event *ev, uint32_t n, uint64_t cycles)
{
	put_head(f, first, "M", h->x, h->y);
	fprintf(f, ",\"name\":\"thread_name\",\"args\":{\"name\":\"PE (%u,%u)\",\"dropped\":%" PRIu64 "}}",
		h->x, h->y, h->dropped);
	put_head(f, first, "M", h->x, h->y);
	fprintf(f, ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%u}}", h->x);
	for (uint32_t i = 0; i < n; i++) {
		const struct wse_trace_event *e = &ev[i];

		if (e->kind == WSE_TRACE_TASK_START)
			put_task(f, first, h->x, h->y, e, task_end(ev, i, n, cycles));
		else if (e->kind != WSE_TRACE_TASK_END &&
			 e->kind < sizeof(kind_name) / sizeof(kind_name[0]) && kind_name[e->kind])
			put_event(f, first, h->x, h->y, e);
	}
}

static int write_all(struct wse_device *dev, FILE *f, const struct wse_region *r)
{
	size_t npes = (size_t)r->width * r->height;
	struct wse_pe_counters *c = calloc(npes, sizeof(*c));
	struct wse_trace_event *ev = NULL;
	uint32_t room = 0;
	uint64_t dropped = 0;
	bool first = true;
	int ret;

	if (!c)
		return wse_fail(dev, -ENOMEM, "trace json: out of memory");
	ret = wse_counters_read(dev, c, npes);
	if (ret < 0)
		goto out;
	fprintf(f, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	for (uint32_t y = 0; y < r->height; y++) {
		put_head(f, &first, "M", 0, y);
		fprintf(f, ",\"name\":\"process_name\",\"args\":{\"name\":\"row %u\"}}", y);
		put_head(f, &first, "M", 0, y);
		fprintf(f, ",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":%u}}", y);
		for (uint32_t x = 0; x < r->width; x++) {
			struct wse_trace_pe h;

			ret = wse_trace_read(dev, x, y, &h, NULL, 0);
			if (ret < 0)
				goto out;
			if (h.nevents > room) {
				struct wse_trace_event *n = realloc(ev, h.nevents * sizeof(*ev));

				if (!n) {
					ret = wse_fail(dev, -ENOMEM, "trace json: out of memory");
					goto out;
				}
				ev = n;
				room = h.nevents;
			}
			ret = wse_trace_read(dev, x, y, &h, ev, room);
			if (ret < 0)
				goto out;
			dropped += h.dropped;
			put_pe(f, &first, &h, ev, (uint32_t)ret,
			       c[(size_t)y * r->width + x].cycles);
		}
	}
	fprintf(f, "\n],\"otherData\":{\"clock_mhz\":%u,\"width\":%u,\"height\":%u,"
		"\"cycles\":%" PRIu64 ",\"dropped\":%" PRIu64 "}}\n",
		WSE_TRACE_CLOCK_MHZ, r->width, r->height, npes ? c[0].cycles : 0, dropped);
	ret = 0;
out:
	free(ev);
	free(c);
	return ret;
}

int wse_trace_write_json(struct wse_device *dev, const char *path)
{
	struct wse_region r;
	FILE *f;
	int ret;

	if (!dev)
		return wse_fail(NULL, -EINVAL, "trace json: NULL device");
	if (!path)
		return wse_fail(dev, -EINVAL, "trace json: NULL path");
	ret = wse_region_get(dev, &r);
	if (ret)
		return ret;
	f = fopen(path, "w");
	if (!f)
		return wse_fail(dev, -errno, "trace json: %s: %s", path, strerror(errno));
	ret = write_all(dev, f, &r);
	if (fclose(f) && !ret)
		ret = wse_fail(dev, -EIO, "trace json: %s: write failed", path);
	return ret;
}
