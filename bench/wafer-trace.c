// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wafer-trace - seconds of a launch of a scalar and fabric kernel on the
 * wafer core, tracing off or on: bench/wafer-trace.sh runs it as built
 * against the core (tracing compiled in) and against a copy compiled
 * with WAFER_NO_TRACE (the hooks compiled out), in turns, and prints
 *   figure: wafer-trace-off-overhead   compiled in, off / compiled out
 *   figure: wafer-trace-on-overhead    events and counters on / off
 *
 * Usage: wafer-trace off|on ROUNDS   prints the best CPU seconds (the
 * process's: the machine may be shared) of ROUNDS
 * launches. The kernel: on 4 rows, PE (0,y) loads, adds, stores and
 * sends; PE (1,y) receives, loads, adds and stores: every hook of the
 * interpreter's hot path (loads and stores, SEND, RECV) on each
 * iteration.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wafer.h"
#include "wafer-trace.h"
#include "image.h"
#include "wse-asm.h"

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct wafer_config cfg = { .width = 2, .height = 4, .threads = 1 };
	struct wafer_trace_config tc = {
		.flags = WAFER_TRACE_F_EVENTS, .sample_every = 64,
	};
	struct wafer_rect rg = { 0, 0, 2, 4 };
	struct wafer_image *img;
	struct wafer_program *p;
	struct wafer_symbol sym;
	struct wafer_fault f;
	struct wafer *w;
	double best = 1e30;
	char err[512];
	size_t len;
	void *bytes;
	int on, rounds;

	if (argc != 3 || (strcmp(argv[1], "off") && strcmp(argv[1], "on"))) {
		fprintf(stderr, "usage: wafer-trace off|on ROUNDS\n");
		return 2;
	}
	on = !strcmp(argv[1], "on");
	rounds = atoi(argv[2]);
	if (wse_asm_buffer("wafer-trace", src, strlen(src), NULL, &bytes, &len,
			   err, sizeof(err)) ||
	    wafer_image_parse(bytes, len, &img, err, sizeof(err)) ||
	    wafer_image_symbol_find(img, "run", &sym) ||
	    wafer_create(&cfg, &w, err, sizeof(err))) {
		fprintf(stderr, "wafer-trace: %s\n", err);
		return 1;
	}
	free(bytes);
	if (wafer_load(w, &rg, img, &p, &f)) {
		fprintf(stderr, "wafer-trace: %s\n", f.msg);
		return 1;
	}
	for (int i = 0; i < rounds; i++) {
		double t;

		if (on && wafer_trace_arm(p, &tc)) {
			fprintf(stderr, "wafer-trace: cannot arm\n");
			return 1;
		}
		t = now();
		if (wafer_launch(p, sym.index, NULL, 0, NULL, &f)) {
			fprintf(stderr, "wafer-trace: %s\n", f.msg);
			return 1;
		}
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%.6f\n", best);
	wafer_program_free(p);
	wafer_destroy(w);
	wafer_image_free(img);
	return 0;
}
