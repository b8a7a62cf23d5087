// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device-stop.c - how long stopping a queue holds the register write on
 * a full CS-3 wafer (762 x 1176 PEs): a LOAD of an image with 2,024
 * full-region route records runs on a queue spanning the wafer, and the
 * guest writes CTRL = 0 in the middle of it. The write runs on a vCPU
 * with QEMU's big lock held, so it must return at once; the queue then
 * stops within one piece of the LOAD's work.
 *
 * Copyright (c) 2026 The wse authors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "wse-asm.h"
#include "wse-dev-harness.h"

#define MESH_W	762
#define MESH_H	1176
#define ROUTES	2024

static char *image_source(void)
{
	size_t cap = 128 * ROUTES + 256, n = 0;
	char *s = malloc(cap);
	unsigned int i;

	if (!s)
		return NULL;
	n += snprintf(s + n, cap - n, ".rect all, 0, 0, %u, %u\n.code all\n"
		      ".func main\n\thalt\n", MESH_W, MESH_H);
	for (i = 0; i < ROUTES; i++)
		n += snprintf(s + n, cap - n,
			      ".route %u, all, rx=WEST|RAMP, tx=RAMP|EAST\n", i % 24);
	return s;
}

int main(void)
{
	const struct wafer_rect all = { 0, 0, MESH_W, MESH_H };
	struct guest *g = calloc(1, sizeof(*g));
	double t0, t_write, t_idle;
	uint64_t gpa;
	struct wse_sqe s = { .opcode = WSE_OP_LOAD, .tag = 1 };
	struct wse_cqe c;
	char err[1024];
	void *img;
	size_t len;
	char *src = image_source();

	if (!g || !src || guest_init(g, MESH_W, MESH_H)) {
		fprintf(stderr, "device-stop: cannot create a %ux%u device\n",
			MESH_W, MESH_H);
		return 1;
	}
	if (wse_asm_buffer("stop.s", src, strlen(src), NULL, &img, &len, err,
			   sizeof(err))) {
		fprintf(stderr, "device-stop: %s\n", err);
		return 1;
	}
	gpa = guest_alloc(g, len, 4096);
	memcpy(guest_ptr(g, gpa), img, len);
	if (queue_setup(g, 0, 4, all) != WSE_QSTATUS_ENABLED) {
		fprintf(stderr, "device-stop: queue setup failed\n");
		return 1;
	}
	s.sgl = sgl_one(g, gpa, len);
	s.sgl_count = 1;
	s.load.length = len;
	queue_submit(g, 0, &s);
	/* Let the LOAD get well into its work. */
	sleep(2);
	if (!(reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)) & WSE_QSTATUS_BUSY))
		fprintf(stderr, "device-stop: the LOAD ended within 2 s; figures show an idle stop\n");
	t0 = bench_now();
	reg_write(g, WSE_REG_Q(0, WSE_Q_CTRL), 0);
	t_write = bench_now() - t0;
	while (reg_read(g, WSE_REG_Q(0, WSE_Q_STATUS)))
		;
	t_idle = bench_now() - t0;
	if (!queue_reap(g, 0, &c, 60000))
		c.status = 0xff;
	printf("device-stop: %zu-byte image, %u routes on %ux%u, LOAD completion status %u\n",
	       len, ROUTES, MESH_W, MESH_H, c.status);
	bench_figure("device-stop-write-us", t_write * 1e6, "<=", 1000);
	bench_figure("device-stop-idle-us", t_idle * 1e6, "<=", 100000);
	guest_fini(g);
	return 0;
}
