// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spec.c - the simulator's device strings:
 *
 *   sim:WxH[,sram=KiB][,threads=N][,queue-depth=N]
 *
 * W x H PEs (1..762 x 1..1176, the CS-3 fabric), KiB of SRAM per PE (a
 * multiple of 4 up to 1024; default 48), N worker threads (1..64;
 * default 1: results and cycles are the same for any N) and N wavelets
 * per (PE, color) input queue (1..4096; default 32, the device's: a
 * different depth is a different machine, with other timings). The
 * normalised string names only what differs from the defaults; it is
 * the wafer's identity in the process.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SIM_DEFAULT_SRAM_KIB	48
#define SIM_MAX_SRAM_KIB	1024
#define SIM_MAX_THREADS		64
#define SIM_DEFAULT_QUEUE	32
#define SIM_MAX_QUEUE		4096

__attribute__((format(printf, 3, 4)))
static int sim_spec_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number of at most 9 digits at *@p; moves *@p past it. */
static bool sim_spec_number(const char **p, unsigned long *v)
{
	const char *s = *p;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	*v = strtoul(s, &end, 10);
	if (end - s > 9)
		return false;
	*p = end;
	return true;
}

struct sim_option {
	const char *name;
	unsigned long min, max;
	unsigned long *val;
};

static int sim_spec_option(const char *args, const char *opt, size_t len,
			   const struct sim_option *opts, unsigned int nopts,
			   char *err, size_t errlen)
{
	const char *eq = memchr(opt, '=', len), *p;
	unsigned long v;
	unsigned int i;

	for (i = 0; i < nopts; i++)
		if (eq && (size_t)(eq - opt) == strlen(opts[i].name) &&
		    !memcmp(opt, opts[i].name, eq - opt))
			break;
	if (i == nopts)
		return sim_spec_fail(err, errlen, "sim:%s: unknown option '%.*s' (sram=KiB, threads=N, queue-depth=N)",
				     args, (int)len, opt);
	p = eq + 1;
	if (!sim_spec_number(&p, &v) || p != opt + len || v < opts[i].min ||
	    v > opts[i].max)
		return sim_spec_fail(err, errlen, "sim:%s: %s takes a number from %lu to %lu, not '%.*s'",
				     args, opts[i].name, opts[i].min, opts[i].max,
				     (int)(opt + len - eq - 1), eq + 1);
	*opts[i].val = v;
	return 0;
}

int sim_spec_parse(const char *args, struct sim_spec *spec, char *err,
		   size_t errlen)
{
	unsigned long w, h, kib = SIM_DEFAULT_SRAM_KIB, threads = 1;
	unsigned long depth = SIM_DEFAULT_QUEUE;
	const struct sim_option opts[] = {
		{ "sram", 4, SIM_MAX_SRAM_KIB, &kib },
		{ "threads", 1, SIM_MAX_THREADS, &threads },
		{ "queue-depth", 1, SIM_MAX_QUEUE, &depth },
	};
	const char *p = args, *end;
	size_t n;
	int ret;

	if (!sim_spec_number(&p, &w) || *p != 'x' || (p++, !sim_spec_number(&p, &h)) ||
	    (*p && *p != ','))
		return sim_spec_fail(err, errlen, "sim:%s: give the wafer's size as sim:WxH, e.g. sim:8x8",
				     args);
	if (w < 1 || w > WAFER_MAX_WIDTH || h < 1 || h > WAFER_MAX_HEIGHT)
		return sim_spec_fail(err, errlen, "sim:%s: a wafer is 1..%u PEs wide and 1..%u high, not %lux%lu",
				     args, WAFER_MAX_WIDTH, WAFER_MAX_HEIGHT, w, h);
	while (*p == ',') {
		p++;
		end = strchrnul(p, ',');
		ret = sim_spec_option(args, p, end - p, opts, 3, err, errlen);
		if (ret)
			return ret;
		p = end;
	}
	if (kib % 4)
		return sim_spec_fail(err, errlen, "sim:%s: sram is a multiple of 4 KiB, not %lu",
				     args, kib);

	*spec = (struct sim_spec) {
		.cfg = {
			.width = w,
			.height = h,
			.sram_bytes = kib * 1024,
			.threads = threads,
			.queue_depth = depth,
		},
	};
	n = snprintf(spec->key, sizeof(spec->key), "sim:%lux%lu", w, h);
	if (kib != SIM_DEFAULT_SRAM_KIB)
		n += snprintf(spec->key + n, sizeof(spec->key) - n, ",sram=%lu", kib);
	if (threads != 1)
		n += snprintf(spec->key + n, sizeof(spec->key) - n, ",threads=%lu",
			      threads);
	if (depth != SIM_DEFAULT_QUEUE)
		snprintf(spec->key + n, sizeof(spec->key) - n, ",queue-depth=%lu",
			 depth);
	return 0;
}
