// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace.c - WSE_TRACE: one line per finished task, to compare runs.
 *
 * With WSE_TRACE=FILE, libwse appends to FILE, for every copy, load and
 * launch when the program learns that it has ended:
 *
 *   dev 1 task 7 D2H status 0 cycles 0 bytes 4096 fnv1a64 9f2c...  ""
 *   dev 1 task 8 LAUNCH status -14 cycles 1234 bytes 0 fnv1a64 - "PE (2,1) ..."
 *
 * Devices are numbered in the order the process opened them, tasks in
 * the order they were started on their device, so that a program run
 * twice, on the driver and on a simulator, writes the same lines (in the
 * order it waited for them, which may differ: sort before comparing).
 * The digest covers the host bytes a READ or D2H wrote. The cycles of a
 * job that a time limit or a reset stopped depend on the wall clock and
 * are written as "-".
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "wse_priv.h"

static pthread_once_t wse_trace_once = PTHREAD_ONCE_INIT;
static FILE *wse_trace_file;		/* NULL: no tracing */
static pthread_mutex_t wse_trace_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int wse_trace_devices;	/* opened so far; atomic */

static const char *const wse_trace_ops[WSE_BACKEND_OP_COUNT] = {
	[WSE_BACKEND_OP_NOP] = "NOP",
	[WSE_BACKEND_OP_WRITE] = "WRITE",
	[WSE_BACKEND_OP_READ] = "READ",
	[WSE_BACKEND_OP_LOAD] = "LOAD",
	[WSE_BACKEND_OP_H2D] = "H2D",
	[WSE_BACKEND_OP_D2H] = "D2H",
	[WSE_BACKEND_OP_LAUNCH] = "LAUNCH",
	[WSE_BACKEND_OP_RESIDENT] = "RESIDENT",
	[WSE_BACKEND_OP_STREAM_IN] = "STREAM_IN",
	[WSE_BACKEND_OP_STREAM_OUT] = "STREAM_OUT",
	[WSE_BACKEND_OP_CALL] = "CALL",
	[WSE_BACKEND_OP_STOP] = "STOP",
	[WSE_BACKEND_OP_PE_DUMP] = "PE_DUMP",
};

static void wse_trace_init(void)
{
	const char *path = getenv("WSE_TRACE");

	if (!path || !*path)
		return;
	wse_trace_file = fopen(path, "ae");
	if (!wse_trace_file)
		fprintf(stderr, "libwse: WSE_TRACE=%s: %m; not tracing\n", path);
}

bool wse_trace_on(void)
{
	pthread_once(&wse_trace_once, wse_trace_init);
	return wse_trace_file;
}

unsigned int wse_trace_device(void)
{
	return __atomic_add_fetch(&wse_trace_devices, 1, __ATOMIC_RELAXED);
}

/* FNV-1a, 64 bits, over @len bytes, continuing from @h. */
static uint64_t wse_trace_fnv(uint64_t h, const uint8_t *p, uint64_t len)
{
	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

void wse_trace_task(const struct wse_task *t)
{
	uint64_t h = 0xcbf29ce484222325ull, bytes = 0;
	char cycles[24] = "-", digest[24] = "-";
	unsigned int i;

	if (!wse_trace_on())
		return;
	if (!t->status)
		for (i = 0; i < t->ntrace; i++) {
			h = wse_trace_fnv(h, t->trace[i].host, t->trace[i].len);
			bytes += t->trace[i].len;
		}
	if (bytes)
		snprintf(digest, sizeof(digest), "%016" PRIx64, h);
	if (t->status != -ETIMEDOUT && t->status != -ECANCELED)
		snprintf(cycles, sizeof(cycles), "%" PRIu64, t->cycles);
	pthread_mutex_lock(&wse_trace_lock);
	fprintf(wse_trace_file, "dev %u task %" PRIu64 " %s status %d cycles %s bytes %" PRIu64 " fnv1a64 %s \"%s\"\n",
		t->dev->trace_id, t->seq,
		t->op < WSE_BACKEND_OP_COUNT ? wse_trace_ops[t->op] : "?",
		t->status, cycles, bytes, digest, t->error);
	fflush(wse_trace_file);
	pthread_mutex_unlock(&wse_trace_lock);
}
