/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - wse-run's --trace and --profile: record the last launch and
 * write its trace-event JSON, PNG heatmaps and CSV (run/trace.c).
 *
 * Copyright (c) 2026 The wse authors.
 */
#ifndef RUN_TRACE_H
#define RUN_TRACE_H

#include <stdint.h>

#include <wse/wse.h>

struct run_trace {
	const char *json;	/* --trace FILE, or NULL */
	const char *profile;	/* --profile PREFIX, or NULL */
	uint32_t sample;	/* --trace-sample N */
	uint32_t max_events;	/* --trace-events N; 0: libwse's default */
};

static inline int run_trace_wanted(const struct run_trace *t)
{
	return t->json || t->profile;
}

/* Parse --trace-sample and --trace-events values; -1 if bad (printed). */
int run_trace_number(const char *opt, const char *arg, uint32_t *out);

/* Before the launch to record; 0 or a negative errno (message printed). */
int run_trace_arm(struct wse_device *dev, const struct run_trace *t);
/* After it ended (faulted too): write what was asked for. */
int run_trace_write(struct wse_device *dev, const struct wse_program *prog,
		    const struct run_trace *t, int quiet);

/* The heatmaps and the CSV of --profile, from counters (for tests too). */
int run_profile_write(const char *prefix, const struct wse_pe_counters *c,
		      uint32_t width, uint32_t height, char *err, size_t errlen);

#endif /* RUN_TRACE_H */
