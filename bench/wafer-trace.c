// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-trace - what launch tracing costs the wafer core:
 *   figure: wafer-trace-off-overhead   compiled in but off, over compiled out
 *   figure: wafer-trace-on-overhead    events and counters on, over off
 *
 * The baseline is the same core compiled with WAFER_NO_TRACE (every hook
 * compiled out). Both are shared objects (bench/wafer.mk) that this
 * program dlopen()s side by side, so that their launches alternate in
 * one process, in the same minutes of a shared machine: A B A B ..., the
 * best process CPU time of each (wall time would measure the
 * neighbours). The kernel: on 4 rows, PE (0,y) loads, adds, stores and
 * sends; PE (1,y) receives, loads, adds and stores: the interpreter's
 * loads and stores, SEND, RECV and the fabric's pushes and pops on
 * every iteration.
 *
 * Usage: wafer-trace TRACE.so NOTRACE.so
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "wafer.h"
#include "wafer-trace.h"
#include "image.h"
#include "wse-asm.h"

#define ROUNDS	40

static const char src[] =
	".equ C, 1\n"
	".equ N, 100000\n"
	".rect src, 0, 0, 1, 4\n"
	".rect dst, 1, 0, 1, 4\n"
	".route C, src, rx=RAMP, tx=EAST\n"
	".route C, dst, rx=WEST, tx=RAMP\n"
	".code src\n"
	".func run\n"
	"	li	r2, 0\n"
	"	li	r3, N\n"
	"	li	r6, acc_s\n"
	".Ls:\n"
	"	ld	r4, [r6]\n"
	"	add	r4, r4, r2\n"
	"	st	r4, [r6]\n"
	"	send	r4, C\n"
	"	add	r2, r2, 1\n"
	"	bne	r2, r3, .Ls\n"
	"	halt\n"
	".data\n"
	"	.export acc_s, i32, 1\n"
	".code dst\n"
	".func run\n"
	"	li	r2, 0\n"
	"	li	r3, N\n"
	"	li	r6, acc_d\n"
	".Ld:\n"
	"	recv	r4, C\n"
	"	ld	r5, [r6]\n"
	"	add	r5, r5, r4\n"
	"	st	r5, [r6]\n"
	"	add	r2, r2, 1\n"
	"	bne	r2, r3, .Ld\n"
	"	halt\n"
	".data\n"
	"	.export acc_d, i32, 1\n";

/* One copy of the core, as a shared object, and a program loaded on it. */
struct core {
	void *so;
	int (*create)(const struct wafer_config *, struct wafer **, char *, size_t);
	int (*parse)(const void *, size_t, struct wafer_image **, char *, size_t);
	int (*find)(const struct wafer_image *, const char *, struct wafer_symbol *);
	int (*load)(struct wafer *, const struct wafer_rect *, const struct wafer_image *,
		    struct wafer_program **, struct wafer_fault *);
	int (*launch)(struct wafer_program *, uint32_t, const uint32_t *, unsigned,
		      struct wafer_run_stats *, struct wafer_fault *);
	int (*arm)(struct wafer_program *, const struct wafer_trace_config *);
	struct wafer_program *p;
	uint32_t fn;
};

static void *sym(void *so, const char *name)
{
	void *f = dlsym(so, name);

	if (!f) {
		fprintf(stderr, "wafer-trace: %s\n", dlerror());
		exit(1);
	}
	return f;
}

static void core_open(struct core *c, const char *path, const void *img, size_t len)
{
	struct wafer_config cfg = { .width = 2, .height = 4, .threads = 1 };
	struct wafer_rect rg = { 0, 0, 2, 4 };
	struct wafer_image *im;
	struct wafer_symbol s;
	struct wafer_fault f;
	struct wafer *w;
	char err[512];

	c->so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!c->so) {
		fprintf(stderr, "wafer-trace: %s\n", dlerror());
		exit(1);
	}
	c->create = sym(c->so, "wafer_create");
	c->parse = sym(c->so, "wafer_image_parse");
	c->find = sym(c->so, "wafer_image_symbol_find");
	c->load = sym(c->so, "wafer_load");
	c->launch = sym(c->so, "wafer_launch");
	c->arm = sym(c->so, "wafer_trace_arm");
	if (c->parse(img, len, &im, err, sizeof(err)) || c->find(im, "run", &s) ||
	    c->create(&cfg, &w, err, sizeof(err))) {
		fprintf(stderr, "wafer-trace: %s: %s\n", path, err);
		exit(1);
	}
	if (c->load(w, &rg, im, &c->p, &f)) {
		fprintf(stderr, "wafer-trace: %s\n", f.msg);
		exit(1);
	}
	c->fn = s.index;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU seconds of one launch (the core's worker threads included). */
static double run(struct core *c, bool traced)
{
	struct wafer_trace_config tc = {
		.flags = WAFER_TRACE_F_EVENTS, .sample_every = 64,
	};
	struct wafer_fault f;
	double t;

	if (traced && c->arm(c->p, &tc)) {
		fprintf(stderr, "wafer-trace: cannot arm a trace\n");
		exit(1);
	}
	t = cpu_now();
	if (c->launch(c->p, c->fn, NULL, 0, NULL, &f)) {
		fprintf(stderr, "wafer-trace: %s\n", f.msg);
		exit(1);
	}
	return cpu_now() - t;
}

static void best(double *b, double t)
{
	if (t < *b)
		*b = t;
}

int main(int argc, char **argv)
{
	double base = 1e30, off = 1e30, on = 1e30;
	struct core traced, plain;
	char err[512];
	size_t len;
	void *img;

	if (argc != 3) {
		fprintf(stderr, "usage: wafer-trace TRACE.so NOTRACE.so\n");
		return 2;
	}
	if (wse_asm_buffer("wafer-trace", src, strlen(src), NULL, &img, &len,
			   err, sizeof(err))) {
		fprintf(stderr, "wafer-trace: %s\n", err);
		return 1;
	}
	core_open(&traced, argv[1], img, len);
	core_open(&plain, argv[2], img, len);
	run(&plain, false);
	run(&traced, false);
	for (int i = 0; i < ROUNDS; i++) {
		best(&base, run(&plain, false));
		best(&off, run(&traced, false));
		best(&on, run(&traced, true));
	}
	printf("# a launch: %.6f s hooks compiled out, %.6f s compiled in and off, %.6f s on\n",
	       base, off, on);
	bench_figure("wafer-trace-off-overhead", off / base, "<=", 1.02);
	bench_figure("wafer-trace-on-overhead", on / off, "<=", 10);
	free(img);
	return 0;
}
