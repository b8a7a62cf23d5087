/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wafer-trace.h - launch traces and per-PE counters of the wafer core,
 * as records the core fills and libwse reads (the simulator backend
 * hands them over as they are; a device would copy them out the same
 * way). Little-endian, fixed layout, no pointers.
 *
 * A trace is opt-in per launch: wafer_trace_arm() before the launch,
 * wafer_trace_read() and wafer_counters_read() after it. Each PE keeps
 * at most max_events events: the earliest in (cycle, kind, color, aux,
 * arg) order, so that what is kept, and how many were dropped, is the
 * same at any thread count. Events past the cycle of a launch's fault
 * are removed.
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef WAFER_TRACE_H
#define WAFER_TRACE_H

#include <stdint.h>

/* Flags of wafer_trace_config */
#define WAFER_TRACE_F_EVENTS	(1u << 0)	/* record events */
#define WAFER_TRACE_F_COUNTERS	(1u << 1)	/* count (always with events) */

#define WAFER_TRACE_EVENTS_DEFAULT	4096	/* per PE */
#define WAFER_TRACE_EVENTS_MAX		(1u << 20)

struct wafer_trace_config {
	uint32_t flags;		/* WAFER_TRACE_F_* */
	uint32_t sample_every;	/* an INSN event every N instructions; 0 none */
	uint32_t max_events;	/* per PE; 0: the default */
	uint32_t pad;		/* zero */
};

/* Kinds of events */
enum wafer_trace_kind {
	WAFER_TEV_TASK_START = 1,	/* aux task (255: the function), arg pc */
	WAFER_TEV_TASK_END = 2,		/* aux task, arg pc */
	WAFER_TEV_INSN = 3,		/* a sample: arg pc */
	WAFER_TEV_SEND = 4,		/* color, arg wavelets leaving at cycle */
	WAFER_TEV_RECV = 5,		/* color, arg wavelets taken at cycle */
	WAFER_TEV_STALL_SEND = 6,	/* color, arg cycles blocked from cycle */
	WAFER_TEV_STALL_RECV = 7,	/* color, arg cycles blocked from cycle */
};

#define WAFER_TRACE_TASK_FUNCTION	255	/* aux of the launched function */

struct wafer_trace_event {
	uint64_t cycle;		/* modeled cycles since the launch started */
	uint32_t arg;
	uint16_t aux;
	uint8_t kind;		/* enum wafer_trace_kind */
	uint8_t color;		/* 0xff: none */
};

/* What one PE recorded: the header of wafer_trace_read(). */
struct wafer_trace_pe {
	uint32_t x, y;		/* relative to the region */
	uint32_t nevents;	/* kept */
	uint32_t pad;
	uint64_t dropped;	/* not kept: the buffer was full */
};

/*
 * Counters of one PE over a launch, in modeled cycles. busy: its main
 * thread ran a task (instructions, their costs); stall_send: a send (SEND
 * or a sync vector op's fabric destination) waited for room on its
 * route; stall_recv: a receive (RECV or a sync vector op's fabric
 * source) waited for a wavelet to arrive; idle: the rest of the launch's
 * cycles. wavelets_in:
 * taken from its input queues (tasks, receives, fabric operands);
 * wavelets_out: sent onto routes; sram_bytes: bytes its loads, stores and
 * vector memory operands read or wrote (repeats counted).
 */
struct wafer_pe_counters {
	uint64_t cycles;	/* the launch's */
	uint64_t busy;
	uint64_t stall_send;
	uint64_t stall_recv;
	uint64_t idle;
	uint64_t wavelets_in;
	uint64_t wavelets_out;
	uint64_t sram_bytes;
	uint64_t instructions;
	uint64_t tasks;		/* started, the function included */
};

_Static_assert(sizeof(struct wafer_trace_event) == 16, "trace event");
_Static_assert(sizeof(struct wafer_trace_pe) == 24, "trace header");
_Static_assert(sizeof(struct wafer_pe_counters) == 80, "counters");

#endif /* WAFER_TRACE_H */
